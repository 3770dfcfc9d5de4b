"""Seconds per gradient step at a given size, per compile mode of the gradient step.

    .venv/bin/python benchmarks/step_speed.py [--size 256] [--iterations 25] [--modes graph xla eager]

Times every step of `stylize_image` on demo/chelsea.png with the GIF post's layers; the first
`--warmup` steps (tracing, XLA compilation) are reported apart. Medians, because the machine is shared.
Under KERAS_BACKEND=jax every mode is jax.jit (the mode only matters for TensorFlow).
"""
import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import keras

from stylizer.catalogue import load_style
from stylizer.gif import read_image
from stylizer.settings import StyleSettings
from stylizer.transfer import stylize_image

ROOT = Path(__file__).resolve().parents[1]


def time_steps(mode: str, size: int, iterations: int, content, style) -> list[float]:
    settings = StyleSettings(size=size, iterations=iterations, compile=mode)
    stamps = []
    for event in stylize_image(content, [(style, 1.0)], settings):
        if event.kind in ("start", "iteration"):
            stamps.append(time.perf_counter())
    return [b - a for a, b in zip(stamps, stamps[1:])]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=256)
    parser.add_argument("--iterations", type=int, default=25)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--modes", nargs="+", default=["graph", "xla", "eager"])
    parser.add_argument("--content", type=Path, default=ROOT / "demo/chelsea.png")
    args = parser.parse_args(argv)
    content, style = read_image(args.content), load_style("starry_night")[0]
    rows = []
    for mode in args.modes:
        steps = time_steps(mode, args.size, args.iterations, content, style)
        rows.append({"backend": keras.backend.backend(), "mode": mode, "size": args.size,
                     "first_steps_s": round(sum(steps[:args.warmup]), 2),
                     "median_step_s": round(statistics.median(steps[args.warmup:]), 3),
                     "steps_timed": len(steps) - args.warmup})
        print(f"| {rows[-1]['backend']} | {mode} | {args.size} | {rows[-1]['median_step_s']:.3f} | "
              f"{rows[-1]['first_steps_s']:.1f} |", flush=True)
    print(json.dumps(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
