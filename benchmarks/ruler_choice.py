"""Which flow should be the metrics' RULER (stylizer.metrics.RULER_FLOW): scored where the motion is known.

    .venv/bin/python benchmarks/ruler_choice.py [--out docs/results/ruler_choice]
    # with OpenCV's contrib flows (TV-L1, DeepFlow, RLOF, PCAFlow), from a separate folder so that the
    # product's opencv-python-headless stays as it is (the two wheels both install `cv2`):
    .venv/bin/pip install --no-deps --target /tmp/cvcontrib opencv-contrib-python-headless==<the lock's version>
    PYTHONPATH=/tmp/cvcontrib .venv/bin/python benchmarks/ruler_choice.py

The ruler scores the method, so it must not be the method's flow (DIS) and it should be right: on the pan
of benchmarks/pan_gif.py (background −10 px per frame, chelsea's face +15 px) each candidate's mean endpoint
error against the true flow (flow_choice.true_pan_flow), and on each real GIF the input's own warping error
under that ruler, `metrics.warping_error(frames, frames)`, with the share of pixels it trusts: the floor below
which no painting that follows the motion can score. A better ruler has a lower floor at no lower trust.
flow_choice.py chooses the method's flow; this chooses the one that judges it.
"""
import argparse
import json
import sys
from pathlib import Path

import cv2
import numpy as np

from flow_choice import GIFS, pan_errors
from pan_gif import pan_frames
from stylizer import metrics
from stylizer.gif import read_gif
from stylizer.temporal import flow as flows
from stylizer.temporal.neighbours import adjacent_flows
from stylizer.transfer import resize_longest

ROOT = Path(__file__).resolve().parents[1]
GIF_SIZE = 256
MAX_FRAMES = 20  # longer GIFs keep every Nth frame to stay under this (TV-L1 takes seconds per flow)


_gray = flows.to_gray_uint8


def _farneback(**changes):
    """Farneback with the ruler's parameters (temporal.flow.FARNEBACK_PARAMS) changed as given."""
    params = {**flows.FARNEBACK_PARAMS, **changes}
    return lambda a, b: cv2.calcOpticalFlowFarneback(_gray(a), _gray(b), None, **params)


def candidates() -> dict:
    """name -> flow(a, b) (temporal.flow's convention): the ruler of today, two larger-scale Farnebacks, and
    OpenCV contrib's dense flows where cv2.optflow is importable."""
    rulers = {"farneback (the ruler)": lambda a, b: flows.optical_flow(a, b, metrics.RULER_FLOW),
              "farneback, 6 levels, window 21, poly 7": _farneback(levels=6, winsize=21, iterations=5, poly_n=7,
                                                                    poly_sigma=1.5),
              "farneback, 6 levels, window 31, poly 7, Gaussian": _farneback(
                  levels=6, winsize=31, iterations=5, poly_n=7, poly_sigma=1.5, flags=cv2.OPTFLOW_FARNEBACK_GAUSSIAN)}
    optflow = getattr(cv2, "optflow", None)
    if optflow is not None:
        rulers.update({
            "tv-l1": lambda a, b: optflow.DualTVL1OpticalFlow_create().calc(_gray(a), _gray(b), None),
            "deepflow": lambda a, b: optflow.createOptFlow_DeepFlow().calc(_gray(a), _gray(b), None),
            "rlof": lambda a, b: optflow.calcOpticalFlowDenseRLOF(np.ascontiguousarray(a[..., :3]),
                                                                  np.ascontiguousarray(b[..., :3]), None),
            "pcaflow": lambda a, b: optflow.createOptFlow_PCAFlow().calc(_gray(a), _gray(b), None)})
    return rulers


def ruler_floor(frames: list[np.ndarray], flow) -> tuple[float, float]:
    """(the input's own warping error under ruler `flow`, the mean share of pixels its reliability trusts)."""
    pairs = adjacent_flows(frames, flow)
    trusted = float(np.mean([(weight > 0.5).mean() for _, weight in pairs])) if pairs else 1.0
    return metrics.warping_error(frames, frames, pairs), trusted


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "ruler_choice")
    args = parser.parse_args(argv)
    gifs = {}
    for path in GIFS:
        frames = [resize_longest(frame[..., :3], GIF_SIZE) for frame in read_gif(ROOT / path).frames]
        stride = -(-len(frames) // MAX_FRAMES)  # the smallest that keeps MAX_FRAMES or fewer
        gifs[Path(path).name] = frames[::stride]
    pan, results = pan_frames(), {}
    print("| ruler | pan background (px) | pan face (px) | within 1 px | ms per flow | "
          + " | ".join(f"{name}: floor / trusted" for name in gifs) + " |\n|" + " --- |" * (5 + len(gifs)))
    for name, flow in candidates().items():
        row = results[name] = pan_errors(pan, flow)
        row["floors"] = {gif: dict(zip(("warping_error", "trusted"), ruler_floor(frames, flow)))
                         for gif, frames in gifs.items()}
        print(f"| {name} | {row['background_px']:.2f} | {row['face_px']:.2f} | {row['within_1px']:.1%} | "
              f"{row['ms_per_flow']:.0f} | " + " | ".join(
                  f"{f['warping_error']:.2f} / {f['trusted']:.0%}" for f in row["floors"].values()) + " |", flush=True)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "ruler_choice.json").write_text(json.dumps({"opencv": cv2.__version__, "results": results}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
