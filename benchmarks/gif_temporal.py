"""Benchmark: the seed system's per-frame GIF method against our temporal method, on the same machine.

    .venv/bin/python benchmarks/gif_temporal.py [--gif tests/data/newtonscradle.gif ...] [--out docs/results]

(a) "seed": every frame from scratch, fresh Adam, no temporal term, 30 iterations, the GIF post's layers.
(b) "temporal": ours (Ruder et al. 2016): frame 1 full budget, later frames start from the warped previous
    stylised frame, keep Adam's state and pay the temporal loss; its iteration budget is chosen so its total
    number of gradient steps is no larger than (a)'s.
Both are scored by the same evaluator: mean over frames of the raw (unweighted) style loss and content loss
on the GIF post's layers, the occlusion-masked warping error and the flicker on still pixels
(stylizer.metrics). Results go to a JSON file per run and a Markdown table on stdout.
"""
import argparse
import json
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np

from stylizer import metrics
from stylizer.animation import stylize_animation
from stylizer.catalogue import load_style
from stylizer.gif import Animation, read_gif, write_gif
from stylizer.settings import StyleSettings
from stylizer.transfer import batch, make_loss_fn, make_targets, resize_to, style_targets

ROOT = Path(__file__).resolve().parents[1]


def methods(frames: int, seed_iterations: int, first_frame_multiplier: float) -> dict[str, StyleSettings]:
    """The two methods at equal or smaller total gradient steps for (b)."""
    seed_total = frames * seed_iterations
    # (b) spends first_frame_multiplier x on frame 1, the rest spread evenly, never more than (a) in total.
    later = max(1, int((seed_total - seed_iterations * first_frame_multiplier) // max(1, frames - 1)))
    return {
        "seed": StyleSettings(iterations=seed_iterations, first_frame_multiplier=1.0, layer_preset="gif_post",
                              temporal=False),
        "temporal": StyleSettings(iterations=later, first_frame_multiplier=first_frame_multiplier * seed_iterations / later,
                                  layer_preset="gif_post", temporal=True),
    }


def evaluate_losses(inputs: list[np.ndarray], outputs: list[np.ndarray], style: np.ndarray) -> dict:
    """Mean raw style and content loss per frame, on the GIF post's layers, at the output's size."""
    settings = StyleSettings(layer_preset="gif_post")
    loss_fn = make_loss_fn(settings)
    height, width = outputs[0].shape[:2]
    grams = style_targets([(style, 1.0)], height, width, settings)
    style_losses, content_losses = [], []
    for source, result in zip(inputs, outputs):
        targets = make_targets(resize_to(source, height, width), grams, settings)
        _, terms = loss_fn(batch(result), targets)
        style_losses.append(float(np.asarray(terms["style"])))
        content_losses.append(float(np.asarray(terms["content"])))
    return {"style_loss": statistics.fmean(style_losses), "content_loss": statistics.fmean(content_losses)}


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
    row.update(evaluate_losses(animation.frames, frames, style))
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
    parser.add_argument("--first-frame-multiplier", type=float, default=2.0)
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
        for name, settings in methods(len(animation.frames), args.seed_iterations,
                                      args.first_frame_multiplier).items():
            rows.append(run_method(name, animation, style, settings.replace(size=size), args.out, path.stem))
        report["results"][path.name] = rows
        print(to_markdown(path.name, rows), flush=True)
    (args.out / "gif_temporal.json").write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
