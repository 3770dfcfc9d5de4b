"""Benchmark: a GIF larger than the painting size: scaled up from GIF_SIZE, its last steps at its own size,
or painted at its own size throughout.

    NST_PRECISION=float32 .venv/bin/python benchmarks/gif_size.py --sizes 256 \
        --variant scaled-up:gif_own_size_steps=0 --out out/gif-size            # today's default, and before
    ... --input astronaut ...                                                   # the held-out input
    ... --sizes 480 --variant 480-full:size=480,method=full     (rows of other settings: gif_quality's --variant)

GIFs are painted at a longest side of `size` (GIF_SIZE, 256 px). A GIF that is smaller is area-scaled down
from a painting that has room for VGG's deeper layers; one that is larger (a 480 px GIF, common on the web)
takes its last few steps at its own size (settings.gif_own_size_steps) where it used to be scaled *up* from
the painting: this measures both and a painting at the GIF's own size throughout. The inputs are made of real
photographs (no GIF study's GIF is touched): `--input coffee`, a 480x320 window panning 15 px per frame over
demo/coffee.png (600x400), or `--input astronaut`, 400x400 drifting over demo/astronaut.png; 8 frames.

Every row is scored at the GIF's own size with the rulers the method does not optimise (stylizer.metrics):
Sobel edge correlation and luminance SSIM with the input, warping error and flicker (Farneback), and the
painting's fine detail (mean |Laplacian|, `metrics.detail`) and grain. The sheet shows three frames of each
row and a crop at 1:1 (the GIF's own pixels) where softness shows.
"""
import argparse
import json
import sys
from pathlib import Path

import numpy as np
from contact_sheet import sheet
from pan_gif import read_rgb
from stopwatch import Stopwatch

ROOT = Path(__file__).resolve().parents[1]

FRAMES = 8
# name: (photo, window (height, width), motion per frame (down, right) in px). coffee: the study's pan (the
# own-size steps were tuned on it); astronaut: held out, a diagonal drift over another photo.
PANS = {"coffee": ("demo/coffee.png", (320, 480), (0, 15)),
        "astronaut": ("demo/astronaut.png", (400, 400), (8, 12))}
CROP = 160  # px of the 1:1 crop on the sheet


def pan_animation(count: int = FRAMES, name: str = "coffee"):
    """`count` (at most 8) frames of a window moving over a photo (PANS: coffee, 480x320 panning 15 px per
    frame over coffee.png, 600x400; astronaut, 400x400 drifting 8 px down and 12 right per frame over
    astronaut.png, 512x512); plays once."""
    from stylizer.gif import Animation

    photo, (height, width), (down, right) = PANS[name]
    image = read_rgb(ROOT / photo)
    top = (image.shape[0] - height) // 2 if not down else 0
    frames = [np.ascontiguousarray(image[top + down * t:top + down * t + height, right * t:right * t + width])
              for t in range(count)]
    return Animation(frames, [100] * count, None)


def paint(animation, style, settings):
    """The GIF painted with `settings`; (frames at its own size, Stopwatch)."""
    from stylizer.animation import stylize_animation

    with Stopwatch() as watch:
        frames = [event.image for event in stylize_animation(animation, [(style, 1.0)], settings)
                  if event.kind == "frame"]
    return frames, watch


def crop(frame: np.ndarray) -> np.ndarray:
    """A CROP x CROP piece at 1:1 from the frame's centre, enlarged 2x (nearest) so the sheet shows pixels."""
    top, left = (frame.shape[0] - CROP) // 2, (frame.shape[1] - CROP) // 2
    return np.repeat(np.repeat(frame[top:top + CROP, left:left + CROP], 2, axis=0), 2, axis=1)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="256,480", help="painting sizes (longest side), comma-separated")
    parser.add_argument("--input", choices=sorted(PANS), default="coffee", help="the photo the window moves over")
    parser.add_argument("--style", default="starry_night")
    parser.add_argument("--iterations", type=int, default=40, help="steps per frame (the product's 40)")
    parser.add_argument("--frames", type=int, default=FRAMES, choices=range(2, FRAMES + 1), metavar="2..8",
                        help="the first N frames (a quicker probe)")
    parser.add_argument("--variant", action="append", default=[], help="NAME:key=value,... (StyleSettings)")
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "gif-size")
    args = parser.parse_args(argv)

    from gif_quality import parse_variant
    from stylizer import metrics
    from stylizer.catalogue import load_style
    from stylizer.settings import StyleSettings

    animation = pan_animation(args.frames, args.input)
    style, _ = load_style(args.style)
    shown = sorted({0, len(animation.frames) // 2, len(animation.frames) - 1})
    rows, pictures = {}, {"input": [animation.frames[i] for i in shown] + [crop(animation.frames[shown[1]])]}
    runs = {f"painted at {size}": StyleSettings(size=int(size), iterations=args.iterations)
            for size in filter(None, args.sizes.split(","))}
    runs.update(parse_variant(text) for text in args.variant)
    for name, settings in runs.items():
        frames, watch = paint(animation, style, settings)
        report = metrics.animation_report(animation.frames, frames, loops=False)
        rows[name] = {
            "seconds": round(watch.wall_s, 1), "cpu_seconds": round(watch.cpu_s, 1), "steal": watch.steal,
            "detail": float(np.mean([metrics.detail(frame) for frame in frames])),
            **{key: report[key] for key in ("edge_correlation", "luminance_ssim", "warping_error", "still_flicker",
                                            "grain", "detail_later_over_first")}}
        pictures[name] = [frames[i] for i in shown] + [crop(frames[shown[1]])]
        print(f"{name}: " + ", ".join(f"{k} {v:.3g}" for k, v in rows[name].items() if isinstance(v, float)),
              flush=True)
    input_detail = float(np.mean([metrics.detail(frame) for frame in animation.frames]))
    input_grain = float(np.mean([metrics.grain(frame) for frame in animation.frames]))
    args.out.mkdir(parents=True, exist_ok=True)
    photo, (height, width), motion = PANS[args.input]
    result = {"command": "benchmarks/gif_size.py " + " ".join(argv if argv is not None else sys.argv[1:]),
              "gif": f"{width}x{height} window moving {motion} px a frame over {photo}, {args.frames} frames",
              "style": args.style,
              "iterations": args.iterations, "input_detail": input_detail, "input_grain": input_grain,
              "rows": rows}
    (args.out / "gif_size.json").write_text(json.dumps(result, indent=2))
    for name, frames in pictures.items():  # the crop is twice CROP high: pad the frames' row to one height
        height = max(frame.shape[0] for frame in frames)
        pictures[name] = [np.pad(f, ((0, height - f.shape[0]), (0, 0), (0, 0)), constant_values=255) for f in frames]
    sheet(pictures, args.out / "gif-size-sheet.png")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
