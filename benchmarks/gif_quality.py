"""Benchmark: the seed system's per-frame GIF method against our temporal method, on the same machine.

    .venv/bin/python benchmarks/gif_temporal.py [--gif tests/data/newtonscradle.gif ...] [--out docs/results]

(a) "seed": every frame from scratch, fresh Adam, no temporal term, 30 iterations, the GIF post's layers.
(b) "temporal": ours (Ruder et al. 2016): frame 1 gets 60 steps, later frames start from the warped previous
    stylised frame, keep Adam's state, pay the temporal loss and get 20 steps each (about 70% of (a)'s
    gradient steps on a 36-frame GIF). Both with method "full" (optimisation only); fast mode and
    "fast+full" are compared in benchmarks/fast_mode.py.
Both are scored by the same evaluator: mean over frames of the raw (unweighted) style loss and content loss
on the GIF post's layers, the occlusion-masked warping error and the flicker on still pixels
(stylizer.metrics). Results go to a JSON file per run and a Markdown table on stdout.
"""
import argparse
import json
import platform
import sys
import time
from pathlib import Path

import numpy as np

from stylizer import metrics
from stylizer.animation import stylize_animation
from stylizer.catalogue import load_style
from stylizer.gif import Animation, read_gif, write_gif
from stylizer.settings import StyleSettings

ROOT = Path(__file__).resolve().parents[1]


def methods(seed_iterations: int, first_frame_iterations: int, later_iterations: int) -> dict[str, StyleSettings]:
    """(a) the seed system's settings; (b) ours: a full budget for frame 1, fewer steps for the warm-started
    frames after it (they start next to a solution), so (b) takes fewer gradient steps in total than (a)."""
    return {
        "seed": StyleSettings(iterations=seed_iterations, first_frame_multiplier=1.0, layer_preset="gif_post",
                              temporal=False, method="full"),
        "temporal": StyleSettings(iterations=later_iterations,
                                  first_frame_multiplier=first_frame_iterations / later_iterations,
                                  layer_preset="gif_post", temporal=True, method="full"),
    }


def run_method(name: str, animation: Animation, style: np.ndarray, settings: StyleSettings, out_dir: Path,
               gif_name: str) -> dict:
    frames, steps, started = [], 0, time.perf_counter()
    for event in stylize_animation(animation, [(style, 1.0)], settings):
        if event.kind == "iteration":
            steps += 1
        elif event.kind == "frame":
            frames.append(event.image)
            print(f"  {name}: frame {len(frames)}/{len(animation.frames)}", file=sys.stderr, end="\r")
    seconds = time.perf_counter() - started
    write_gif(out_dir / f"{gif_name}-{name}.gif", Animation(frames, animation.durations_ms, animation.loop))
    row = {
        "method": name,
        "gradient_steps": steps,
        "seconds": round(seconds, 1),
        "seconds_per_frame": round(seconds / len(frames), 3),
        "warping_error": metrics.warping_error(animation.frames, frames),
        "still_flicker": metrics.still_flicker(animation.frames, frames),
    }
    row.update(metrics.style_and_content_loss(animation.frames, frames, [(style, 1.0)], "gif_post"))
    return row


def to_markdown(gif_name: str, rows: list[dict]) -> str:
    head = "| GIF | method | steps | s/frame | style loss | content loss | warping error | still flicker |"
    lines = [head, "|" + " --- |" * 8]
    for r in rows:
        lines.append(f"| {gif_name} | {r['method']} | {r['gradient_steps']} | {r['seconds_per_frame']:.2f} | "
                     f"{r['style_loss']:.4g} | {r['content_loss']:.4g} | {r['warping_error']:.2f} | "
                     f"{r['still_flicker']:.2f} |")
    seed, ours = rows[0], rows[-1]
    lines.append(f"\nratios ours/seed: time {ours['seconds'] / seed['seconds']:.2f}, "
                 f"style loss {ours['style_loss'] / seed['style_loss']:.2f}, "
                 f"warping error {ours['warping_error'] / seed['warping_error']:.2f}, "
                 f"still flicker {ours['still_flicker'] / max(seed['still_flicker'], 1e-9):.2f}")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gif", action="append", type=Path, help="default: the two benchmark GIFs")
    parser.add_argument("--style", default="starry_night")
    parser.add_argument("--size", type=int, default=0, help="stylise at this longest side (0: the GIF's own)")
    parser.add_argument("--seed-iterations", type=int, default=30)
    parser.add_argument("--first-frame-iterations", type=int, default=60, help="ours: steps on frame 1")
    parser.add_argument("--later-iterations", type=int, default=20, help="ours: steps on each later frame")
    parser.add_argument("--frames", type=int, default=0, help="use only the first N frames (0: all)")
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "benchmarks")
    args = parser.parse_args(argv)
    gifs = args.gif or [ROOT / "tests/data/newtonscradle.gif", ROOT / "benchmarks/data/muybridge_120.gif"]
    args.out.mkdir(parents=True, exist_ok=True)
    style = load_style(args.style)[0]
    report = {"machine": f"{platform.machine()} {platform.processor() or ''} cores={__import__('os').cpu_count()}",
              "command": " ".join(sys.argv), "results": {}}
    for path in gifs:
        animation = read_gif(path)
        if args.frames:
            animation = Animation(animation.frames[:args.frames], animation.durations_ms[:args.frames], animation.loop)
        size = args.size or max(animation.frames[0].shape[:2])
        rows = []
        for name, settings in methods(args.seed_iterations, args.first_frame_iterations,
                                      args.later_iterations).items():
            rows.append(run_method(name, animation, style, settings.replace(size=size), args.out, path.stem))
        report["results"][path.name] = rows
        print(to_markdown(path.name, rows), flush=True)
    (args.out / "gif_temporal.json").write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
