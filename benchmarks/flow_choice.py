"""Which OpenCV flow drives the temporal method, measured on the benchmark GIFs and on a GIF of known motion.

    .venv/bin/python benchmarks/flow_choice.py [--still-tolerances 1,1.5,2,3]

1. Known motion: the pan of benchmarks/pan_gif.py (background −10 px per frame, chelsea's face +15 px), so
   each estimate is compared with the true flow: the mean endpoint error |f − f_true| on the background and
   on the face, over the pixels that stay in the frame and are not covered in the next frame, and the share
   within 1 px.
2. Real GIFs: for each consecutive pair at the painting size (256 px), RMS on 0..255 of
   warp(I_t, flow) − I_{t+1} (Lanczos warp) on the pixels every method's reliability mask trusts (> 0.5),
   on all pixels, the share each method marks reliable, and the time per flow.

Methods: "dis" as the product runs it (MEDIUM preset, DIS_DESCENT_ITERATIONS, the stillness prior),
"dis-no-prior", "dis-25-no-prior" (the MEDIUM preset as it comes) and "farneback", which is then the
metrics' ruler.
"""
import argparse
import sys
import time
from pathlib import Path

import numpy as np

from pan_gif import FACE_PX, FACE_SIDE, FACE_TOP, PAN_PX, face_left, pan_frames
from stylizer.gif import read_gif
from stylizer.temporal import flow as flows
from stylizer.temporal.masks import reliability
from stylizer.transfer import resize_longest

ROOT = Path(__file__).resolve().parents[1]
GIFS = ["tests/data/newtonscradle.gif", "benchmarks/data/muybridge_120.gif", "benchmarks/data/bunny.gif"]
HELD_OUT = {"bunny.gif"}
PRESET_DESCENT_ITERATIONS = 25  # OpenCV's DISOPTICAL_FLOW_PRESET_MEDIUM
# flows.dis_flow's arguments: the product's DIS, then without the stillness prior, then the MEDIUM preset as
# it comes.
DIS_VARIANTS = {"dis": {}, "dis-no-prior": {"still_tolerance": 0.0},
                "dis-25-no-prior": {"still_tolerance": 0.0, "descent_iterations": PRESET_DESCENT_ITERATIONS}}


def estimate(a, b, method: str, variants: dict = DIS_VARIANTS) -> np.ndarray:
    """`method`'s flow from a to b: dis_flow with `variants[method]`'s arguments, else OpenCV's by name."""
    if method not in variants:
        return flows.optical_flow(a, b, method)
    return flows.dis_flow(flows.to_gray_uint8(a), flows.to_gray_uint8(b), **variants[method])


def face_mask(t: int, height: int, width: int) -> np.ndarray:
    mask = np.zeros((height, width), bool)
    mask[FACE_TOP:FACE_TOP + FACE_SIDE, face_left(t):face_left(t) + FACE_SIDE] = True
    return mask


def true_pan_flow(t: int, height: int, width: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(true flow from pan frame t to t+1, face mask, pixels whose true match exists in frame t+1)."""
    face = face_mask(t, height, width)
    truth = np.zeros((height, width, 2), np.float32)
    truth[..., 0] = np.where(face, float(FACE_PX), -float(PAN_PX))
    target_x = np.arange(width)[None, :] + truth[..., 0]
    inside = (target_x >= 0) & (target_x < width)
    landing = face_mask(t + 1, height, width)[np.arange(height)[:, None], np.clip(target_x.astype(int), 0, width - 1)]
    return truth, face, inside & ~(landing & ~face)  # background that lands under the face is covered


def pan_errors(frames: list[np.ndarray], flow) -> dict:
    """flow(a, b)'s mean endpoint error on the pan's background and face, its share within 1 px and its
    median ms per flow, over every consecutive pair of `frames` (pan_frames())."""
    height, width = frames[0].shape[:2]
    background, face_errors, within, ms = [], [], [], []
    for t in range(len(frames) - 1):
        truth, face, valid = true_pan_flow(t, height, width)
        started = time.perf_counter()
        estimated = flow(frames[t], frames[t + 1])
        ms.append(1000 * (time.perf_counter() - started))
        error = np.linalg.norm(estimated - truth, axis=-1)
        background.append(error[valid & ~face].mean())
        face_errors.append(error[valid & face].mean())
        within.append((error[valid] < 1.0).mean())
    return {"background_px": float(np.mean(background)), "face_px": float(np.mean(face_errors)),
            "within_1px": float(np.mean(within)), "ms_per_flow": float(np.median(ms))}


def known_motion(methods, variants: dict = DIS_VARIANTS) -> None:
    frames = pan_frames()
    print("| method | endpoint error, background (px) | endpoint error, face (px) | within 1 px |\n| --- | --- | --- | --- |")
    for method in methods:
        errors = pan_errors(frames, lambda a, b: estimate(a, b, method, variants))
        print(f"| {method} | {errors['background_px']:.2f} | {errors['face_px']:.2f} | {errors['within_1px']:.1%} |")


def real_gifs(methods, variants: dict = DIS_VARIANTS, gifs=GIFS) -> None:
    print("\n| GIF | method | RMS on pixels all trust | RMS unmasked | reliable | ms per flow |\n"
          "| --- | --- | --- | --- | --- | --- |")
    for gif in gifs:
        frames = [resize_longest(f[..., :3], 256).astype(np.float32) for f in read_gif(ROOT / gif).frames]
        results = {}
        for method in methods:
            errors, masks, started = [], [], time.perf_counter()
            for a, b in zip(frames[:-1], frames[1:]):
                back, fwd = estimate(b, a, method, variants), estimate(a, b, method, variants)
                errors.append(np.mean((flows.warp(a, back) - b) ** 2, axis=-1))
                masks.append(reliability(fwd, back))
            seconds = (time.perf_counter() - started) / (2 * len(errors))
            results[method] = (errors, masks, seconds)
        trusted = [np.all([masks[i] > 0.5 for _, masks, _ in results.values()], axis=0) for i in range(len(frames) - 1)]
        for method, (errors, masks, seconds) in results.items():
            masked = np.sqrt(sum(float(e[m].sum()) for e, m in zip(errors, trusted)) / max(1, sum(int(m.sum()) for m in trusted)))
            unmasked = np.sqrt(np.mean([e.mean() for e in errors]))
            reliable = np.mean([(m > 0.5).mean() for m in masks])
            print(f"| {Path(gif).name} | {method} | {masked:.2f} | {unmasked:.2f} | {reliable:.1%} | {seconds * 1000:.0f} |")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--still-tolerances", type=lambda text: [float(v) for v in text.split(",")],
                        help="instead of the methods above: the product's DIS with each stillness tolerance "
                             "(e.g. 1,1.5,2), on the pan and the tuning GIFs only (bunny is held out)")
    args = parser.parse_args(argv)
    if args.still_tolerances:
        variants = {f"dis-tolerance-{t:g}": {"still_tolerance": t} for t in args.still_tolerances}
        known_motion(tuple(variants), variants)
        real_gifs(tuple(variants), variants, [gif for gif in GIFS if Path(gif).name not in HELD_OUT])
    else:
        known_motion((*DIS_VARIANTS, "farneback"))
        real_gifs((*DIS_VARIANTS, "farneback"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
