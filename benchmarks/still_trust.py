"""Benchmark: how much of each GIF the method's masks trust, with and without trusting the stillness prior.

    .venv/bin/python benchmarks/still_trust.py [--gif PATH ...] [--size 256]

For every pair of adjacent frames at the painting size (DIS with its stillness prior, as the product runs
it), the reliability weights of stylizer.temporal.masks with trust_stillness off (Ruder et al.'s
motion-boundary test everywhere) and on (the prior's zeros exempt). Reported per GIF: the share of pixels
trusted (weight > 0.5) among all pixels and among the pixels whose input did not change at all between the
two frames (nothing moved there, so a mask that distrusts them costs steadiness for nothing), and the RMS of
warp(I_n) − I_i on the trusted pixels (0..255): trusting more must not mean trusting wrong flow.
"""
import argparse
import sys
from pathlib import Path

import numpy as np

from stylizer.gif import read_gif
from stylizer.settings import StyleSettings
from stylizer.temporal.flow import optical_flow, warp
from stylizer.temporal.masks import reliability
from stylizer.transfer import resize_longest

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_GIFS = ["tests/data/newtonscradle.gif", "benchmarks/data/muybridge_120.gif", "benchmarks/data/bunny.gif"]


def pair_figures(frame: np.ndarray, neighbour: np.ndarray) -> dict[bool, dict]:
    """Counts for one pair under each trust_stillness (the flows once for both): trusted pixels, unchanged
    pixels and trusted among them, the squared input error on the trusted ones."""
    flow_bwd, flow_fwd = optical_flow(frame, neighbour), optical_flow(neighbour, frame)
    unchanged = np.all(frame == neighbour, axis=-1)
    squared_error = (warp(neighbour.astype(np.float32), flow_bwd) - frame.astype(np.float32)) ** 2
    figures = {}
    for trust in (False, True):
        trusted = reliability(flow_fwd, flow_bwd, trust_stillness=trust) > 0.5
        figures[trust] = {"pixels": trusted.size, "trusted": int(trusted.sum()), "unchanged": int(unchanged.sum()),
                          "unchanged_trusted": int((trusted & unchanged).sum()),
                          "squared_error": float(np.sum(squared_error[trusted])), "error_values": int(trusted.sum()) * 3}
    return figures


def gif_figures(frames: list[np.ndarray]) -> dict[bool, dict]:
    """Per trust_stillness (False, True): the shares and the RMS over all adjacent pairs of the GIF."""
    totals: dict[bool, dict] = {False: {}, True: {}}
    for frame, neighbour in zip(frames[:-1], frames[1:]):
        for trust, figures in pair_figures(frame, neighbour).items():
            for key, value in figures.items():
                totals[trust][key] = totals[trust].get(key, 0) + value
    return {trust: {"trusted_share": total["trusted"] / total["pixels"],
                    "unchanged_share": total["unchanged"] / total["pixels"],
                    "unchanged_trusted_share": total["unchanged_trusted"] / max(1, total["unchanged"]),
                    "trusted_input_rms": (total["squared_error"] / max(1, total["error_values"])) ** 0.5}
            for trust, total in totals.items()}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gif", action="append", type=Path)
    parser.add_argument("--size", type=int, default=StyleSettings().gif_size)
    args = parser.parse_args(argv)
    print("| GIF | trust_stillness | trusted, all pixels | unchanged pixels | trusted, unchanged pixels "
          "| input RMS on trusted pixels |\n| --- | --- | --- | --- | --- | --- |")
    for path in args.gif or [ROOT / p for p in DEFAULT_GIFS]:
        frames = [resize_longest(np.asarray(f)[..., :3], args.size) for f in read_gif(path).frames]
        for trust, row in gif_figures(frames).items():
            print(f"| {path.name} | {'on' if trust else 'off'} | {row['trusted_share']:.2f} | "
                  f"{row['unchanged_share']:.2f} | {row['unchanged_trusted_share']:.2f} | "
                  f"{row['trusted_input_rms']:.1f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
