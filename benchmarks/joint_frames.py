"""Benchmark (a measured alternative, not the product's method): every frame of a GIF optimised jointly.

    .venv/bin/python benchmarks/joint_frames.py GIF STEPS [TEMPORAL_WEIGHT] [--out DIR]

The product visits one frame at a time while its neighbours hold still (temporal/passes.py, Gauss–Seidel).
Here all frames are one batch under one Adam, and the temporal term
    L_t = 1/(N H W C) Σ_i Σ_n c_in (x_i − warp(x_n, f_in))² / 255²
is differentiated through both ends: warp is a bilinear gather on the batch itself (keras ops, linear in
the pixels), so a pair of frames moves together instead of one waiting for the other. Same neighbourhoods
(offsets 1/2/4, exclusive masks, loop closure, the stillness prior trusted), same content/style/TV loss,
frames start from their content (muybridge_120's start in the product). Scored by the rulers of
gif_quality.py (Farneback warping error and flicker, Sobel edges, float32 style loss).

The style weight is the GIFs' own (settings.GIF_STYLE_WEIGHT) unless --style-weight gives one. The runs in
docs/benchmarks.md ("Many short visits") predate it and used 10, then the weight of both modes: pass
--style-weight 10 to repeat them.
"""
import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
from keras import ops

from stopwatch import Stopwatch

from stylizer import metrics
from stylizer.catalogue import load_style
from stylizer.gif import read_gif
from stylizer.losses import PIXEL_SCALE_SQ
from stylizer.optimize import adam_init, make_step
from stylizer.settings import StyleSettings
from stylizer.temporal.flow import sample_points
from stylizer.temporal.neighbours import neighbourhoods
from stylizer.transfer import (batch, content_targets, fast_painting, finish, make_loss_fn, resize_longest,
                               resize_to, style_targets)


def bilinear_edges(hoods, height: int, width: int):
    """For every (frame i, neighbour n): the 4 corner indices into the flattened batch (N·H·W, 3) and their
    bilinear weights for warp(x_n) on i's grid, i's own pixel indices and the reliability c_in."""
    corners, weights, own, reliability = [], [], [], []
    for i, hood in enumerate(hoods):
        for neighbour in hood:
            x, y = sample_points(neighbour.flow)
            x, y = np.clip(x, 0, width - 1), np.clip(y, 0, height - 1)
            x0, y0 = np.floor(x).astype(np.int64), np.floor(y).astype(np.int64)
            x1, y1 = np.minimum(x0 + 1, width - 1), np.minimum(y0 + 1, height - 1)
            fx, fy = (x - x0).astype(np.float32), (y - y0).astype(np.float32)
            base = neighbour.index * height * width
            corners.append(np.stack([base + y0 * width + x0, base + y0 * width + x1,
                                     base + y1 * width + x0, base + y1 * width + x1], -1).reshape(-1, 4))
            weights.append(np.stack([(1 - fx) * (1 - fy), fx * (1 - fy), (1 - fx) * fy, fx * fy], -1).reshape(-1, 4))
            own.append(i * height * width + np.arange(height * width))
            reliability.append(neighbour.weight.reshape(-1).astype(np.float32))
    return (np.concatenate(corners).astype(np.int32), np.concatenate(weights),
            np.concatenate(own).astype(np.int32), np.concatenate(reliability))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gif", type=Path)
    parser.add_argument("steps", type=int)
    parser.add_argument("temporal_weight", type=float, nargs="?", default=StyleSettings().temporal_weight)
    parser.add_argument("--style-weight", type=float, default=0.0, help="0 = the GIFs' own (see above)")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    settings = StyleSettings(iterations=args.steps, temporal_weight=args.temporal_weight,
                             style_weight=args.style_weight).for_gif()
    style = load_style("starry_night")[0]
    animation = read_gif(args.gif)
    frames = [np.asarray(frame)[..., :3] for frame in animation.frames]
    work = [resize_longest(frame, settings.gif_size) for frame in frames]
    count, (height, width) = len(work), work[0].shape[:2]
    with Stopwatch() as watch:
        hoods = neighbourhoods(work, settings.long_term, animation.loop is not None and count > 2)
        corners, weights, own, reliability = (ops.convert_to_tensor(a) for a in bilinear_edges(hoods, height, width))
        painting_loss = make_loss_fn(settings)  # content, style, TV; its own temporal term gets a zero mask

        def loss_fn(pixels, targets):
            total, terms = painting_loss(pixels, targets)
            flat = ops.reshape(pixels, (-1, 3))
            warped = ops.sum(ops.reshape(ops.take(flat, ops.reshape(corners, (-1,)), axis=0), (-1, 4, 3))
                             * ops.expand_dims(weights, -1), axis=1)
            temporal = ops.sum(ops.expand_dims(reliability, -1) * ops.square(ops.take(flat, own, axis=0) - warped))
            temporal = temporal / (count * height * width * 3) / PIXEL_SCALE_SQ
            return total + settings.temporal_weight * temporal, dict(terms, temporal=temporal)

        step = make_step(loss_fn, "graph")
        per_frame = [content_targets(frame, settings) for frame in work]
        targets = {"content": {k: ops.concatenate([c[k] for c in per_frame]) for k in per_frame[0]},
                   "style": style_targets([(style, 1.0)], height, width, settings),
                   "warped": np.zeros((count, height, width, 3), np.float32),
                   "mask": np.zeros((count, height, width), np.float32)}
        pixels = ops.convert_to_tensor(np.stack(work).astype(np.float32))
        state, rate = adam_init(pixels), ops.convert_to_tensor(settings.learning_rate, dtype="float32")
        for _ in range(args.steps):
            pixels, state, _ = step(pixels, state, targets, rate)
        values = np.asarray(ops.convert_to_numpy(pixels))
    in_shape = frames[0].shape[:2]  # as the product: back to the GIF's size, scored at the painting size
    out = [resize_longest(resize_to(finish(batch(v), c, settings), *in_shape), settings.gif_size)
           for v, c in zip(values, work)]
    row = {"seconds": round(watch.wall_s, 1), "cpu_seconds": round(watch.cpu_s, 1), "steps": args.steps,
           "temporal_weight": args.temporal_weight, "style_weight": settings.style_weight}
    row.update(metrics.animation_report(work, out, animation.loop is not None,
                                        [fast_painting(f, [(style, 1.0)]) for f in work]))
    row.update(metrics.style_and_content_loss(work, out, [(style, 1.0)]))
    print(json.dumps({k: v for k, v in row.items() if not isinstance(v, (list, dict))}))
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        name = f"{args.gif.stem}-joint-tw{args.temporal_weight:g}.json"
        (args.out / name).write_text(json.dumps({"command": " ".join(["benchmarks/joint_frames.py"] + sys.argv[1:]),
                                                 "row": row}, indent=2, default=float))
    return 0


if __name__ == "__main__":
    sys.exit(main())
