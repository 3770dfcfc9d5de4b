"""Benchmark: fast mode (Ghiasi et al. 2017 feed-forward network) against the optimisation, per method.

    .venv/bin/python benchmarks/fast_mode.py [--image-iterations 200] [--frames 12] [--gif-iterations 20]

Methods: "full" (optimise from the content), "fast" (one network pass; GIFs blended along the flow),
"fast+full" (optimise from the fast painting). Photo demo/chelsea.png at 256 px; GIFs
tests/data/newtonscradle.gif and benchmarks/data/muybridge_120.gif, first --frames frames (CPU time), at
their own size, full/fast+full with the temporal method (--gif-iterations steps per frame over its passes).
Reported: seconds per frame, raw style and content loss (metrics.style_and_content_loss, gif_post layers),
warping error and still-pixel flicker for GIFs, and for the photo the iterations fast+full needs to reach
full's final total loss. JSON per run under --out, a Markdown table on stdout.
"""
import argparse
import json
import platform
import time
from pathlib import Path


from stylizer import metrics
from stylizer.animation import stylize_animation
from stylizer.catalogue import load_style
from stylizer.gif import Animation, read_gif, read_image
from stylizer.settings import StyleSettings
from stylizer.transfer import resize_longest, style_weight, stylize_image

ROOT = Path(__file__).resolve().parents[1]
METHODS = ("full", "fast", "fast+full")


def total_loss(losses: dict, settings: StyleSettings) -> float:
    return (settings.content_weight * losses["content"] + style_weight(settings) * losses["style"]
            + settings.tv_weight * losses["tv"])


def run_photo(path: Path, style, settings: StyleSettings) -> tuple[dict, list[float]]:
    content = read_image(path)
    started, image, curve = time.perf_counter(), None, []
    for event in stylize_image(content, [(style, 1.0)], settings):
        if event.kind == "iteration":
            curve.append(total_loss(event.losses, settings))
        image = event.image if event.kind == "done" else image
    seconds = time.perf_counter() - started
    scores = metrics.style_and_content_loss([resize_longest(content, settings.size)], [image], [(style, 1.0)])
    return {"seconds_per_frame": round(seconds, 2), **scores}, curve


def run_gif(path: Path, style, settings: StyleSettings, frames: int) -> dict:
    anim = read_gif(path)
    anim = Animation(anim.frames[:frames], anim.durations_ms[:frames], anim.loop)
    started, out = time.perf_counter(), []
    for event in stylize_animation(anim, [(style, 1.0)], settings):
        if event.kind == "frame":
            out.append(event.image)
    seconds = time.perf_counter() - started
    scores = metrics.style_and_content_loss(anim.frames, out, [(style, 1.0)])
    return {"seconds_per_frame": round(seconds / len(out), 3), **scores,
            "warping_error": metrics.warping_error(anim.frames, out),
            "still_flicker": metrics.still_flicker(anim.frames, out)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--style", default="starry_night")
    parser.add_argument("--image-iterations", type=int, default=200)
    parser.add_argument("--frames", type=int, default=12)
    parser.add_argument("--gif-iterations", type=int, default=20, help="GIFs: steps per frame, all passes")
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "benchmarks")
    args = parser.parse_args(argv)
    style, _ = load_style(args.style)
    rows, curves = [], {}
    for method in METHODS:
        settings = StyleSettings(size=256, iterations=args.image_iterations, method=method)
        row, curves[method] = run_photo(ROOT / "demo" / "chelsea.png", style, settings)
        rows.append({"input": "chelsea.png (256 px)", "method": method, **row})
        print(rows[-1], flush=True)
    for gif in (ROOT / "tests" / "data" / "newtonscradle.gif", ROOT / "benchmarks" / "data" / "muybridge_120.gif"):
        for method in METHODS:
            settings = StyleSettings(iterations=args.gif_iterations, method=method)
            rows.append({"input": f"{gif.name} ({args.frames} frames)", "method": method,
                         **run_gif(gif, style, settings, args.frames)})
            print(rows[-1], flush=True)
    final = curves["full"][-1]
    reached = next((i + 1 for i, loss in enumerate(curves["fast+full"]) if loss <= final), None)
    report = {"machine": f"{platform.machine()} cores={__import__('os').cpu_count()}", "args": vars(args) | {
        "out": str(args.out)}, "rows": rows, "full_final_total_loss": final,
        "fast_full_iterations_to_reach_it": reached, "curves": curves}
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"fast_mode-{time.strftime('%Y%m%d-%H%M%S')}.json").write_text(json.dumps(report, indent=1))
    print("\n| input | method | s/frame | style loss | content loss | warping error | still flicker |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for row in rows:
        gif = [f"{row[k]:.2f}" if k in row else "–" for k in ("warping_error", "still_flicker")]
        print(f"| {row['input']} | {row['method']} | {row['seconds_per_frame']} | {row['style_loss']:.3e} | "
              f"{row['content_loss']:.3e} | {gif[0]} | {gif[1]} |")
    print(f"\nfull's final total loss after {args.image_iterations} its: {final:.4g}; fast+full reaches it after "
          f"{reached} its")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
