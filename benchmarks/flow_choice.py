"""Which OpenCV flow drives the temporal method: DIS or Farneback, measured on the benchmark GIFs.

    .venv/bin/python benchmarks/flow_choice.py

For each consecutive pair at the painting size (256 px): RMS on 0..255 of warp(I_t, flow) − I_{t+1}
(Lanczos warp) on the pixels BOTH methods' reliability masks trust (> 0.5), on all pixels, the share each
method marks reliable, and the time per flow. The other method is then the metrics' ruler.
"""
import sys
import time
from pathlib import Path

import numpy as np

from stylizer.gif import read_gif
from stylizer.temporal.flow import optical_flow, warp
from stylizer.temporal.masks import reliability
from stylizer.transfer import resize_longest

ROOT = Path(__file__).resolve().parents[1]
GIFS = ["tests/data/newtonscradle.gif", "benchmarks/data/muybridge_120.gif", "benchmarks/data/bunny.gif"]


def main() -> int:
    print("| GIF | method | RMS on pixels both trust | RMS unmasked | reliable | ms per flow |\n| --- | --- | --- | --- | --- | --- |")
    for gif in GIFS:
        frames = [resize_longest(f[..., :3], 256).astype(np.float32) for f in read_gif(ROOT / gif).frames]
        results = {}
        for method in ("dis", "farneback"):
            errors, masks, started = [], [], time.perf_counter()
            for a, b in zip(frames[:-1], frames[1:]):
                back, fwd = optical_flow(b, a, method), optical_flow(a, b, method)
                errors.append(np.mean((warp(a, back) - b) ** 2, axis=-1))
                masks.append(reliability(fwd, back))
            seconds = (time.perf_counter() - started) / (2 * len(errors))
            results[method] = (errors, masks, seconds)
        both = [(m1 > 0.5) & (m2 > 0.5) for m1, m2 in zip(results["dis"][1], results["farneback"][1])]
        for method, (errors, masks, seconds) in results.items():
            masked = np.sqrt(sum(float(e[m].sum()) for e, m in zip(errors, both)) / sum(int(m.sum()) for m in both))
            unmasked = np.sqrt(np.mean([e.mean() for e in errors]))
            reliable = np.mean([(m > 0.5).mean() for m in masks])
            print(f"| {Path(gif).name} | {method} | {masked:.2f} | {unmasked:.2f} | {reliable:.1%} | {seconds * 1000:.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
