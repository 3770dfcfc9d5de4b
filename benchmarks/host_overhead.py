"""A GIF's host work: what the temporal method does around its gradient steps, which a GPU does not speed up.

    .venv/bin/python benchmarks/host_overhead.py [--gif tests/data/newtonscradle.gif] [--frames 0]

On the H200 (docs/benchmarks.md, "On a GPU") newtonscradle's 1440 gradient steps took 5.7 s painted frame
by frame and the temporal method 21.3 s: the rest is host work (flows, masks, warps, blends, the fast
paintings and the start's choice). This paints with the product's defaults but every gradient step
replaced by a no-op, so what remains is that host work as the product runs it, measured on any machine;
cProfile splits it by phase (cumulative seconds, so the phases overlap where one calls another). VGG's
forward passes outside the steps (content targets, the start's content check) are device work on a GPU:
they are reported apart and not counted as host work. Compare two checkouts with PYTHONPATH, as
photo_quality.py does.
"""
import argparse
import cProfile
import json
import pstats
import sys
import time
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parents[1]
# phase name -> (file suffix, function name) as cProfile records them
PHASES = {
    "flows_and_masks": ("temporal/neighbours.py", "neighbourhoods"),
    "start_choice": ("temporal/start.py", "choose_strength"),
    "fast_paintings": ("stylizer/fast.py", "fast_stylize"),
    "visit_targets": ("temporal/passes.py", "targets"),
    "warps": ("temporal/flow.py", "warp"),
    "vgg_forward": ("stylizer/features.py", "__call__"),
}


def no_steps(pixels, state, targets, settings, iterations):
    """stylizer.transfer.optimise without the optimiser: the pixels stay as they are."""
    for iteration in range(1, iterations + 1):
        yield iteration, pixels, state, {}


def phase_seconds(profile: cProfile.Profile) -> dict[str, float]:
    stats = pstats.Stats(profile).stats
    seconds = dict.fromkeys(PHASES, 0.0)
    for (filename, _, function), (_, _, _, cumulative, _) in stats.items():
        for phase, (suffix, name) in PHASES.items():
            if function == name and filename.endswith(suffix):
                seconds[phase] += cumulative
    return {phase: round(value, 2) for phase, value in seconds.items()}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gif", type=Path, default=ROOT / "tests/data/newtonscradle.gif")
    parser.add_argument("--style", default="starry_night")
    parser.add_argument("--frames", type=int, default=0, help="the first N frames (0: all)")
    parser.add_argument("--iterations", type=int, default=0, help="steps per frame (0: the product's)")
    args = parser.parse_args(argv)

    from stylizer import animation
    from stylizer.catalogue import load_style
    from stylizer.gif import Animation, read_gif
    from stylizer.settings import StyleSettings

    full = read_gif(args.gif)
    count = args.frames or len(full.frames)
    gif = Animation(full.frames[:count], full.durations_ms[:count], full.loop if not args.frames else None)
    styles = [(load_style(args.style)[0], 1.0)]
    settings = StyleSettings(iterations=args.iterations)
    profile = cProfile.Profile()
    # the steps made no-ops for this painting only: the module is the product's, shared with its caller
    with mock.patch.object(animation, "optimise", no_steps):
        # the first use of VGG and of the fast network loads them: not host work of a painting
        list(animation.stylize_animation(Animation(gif.frames[:2], gif.durations_ms[:2], None), styles, settings))
        started, cpu = time.perf_counter(), time.process_time()
        profile.enable()
        list(animation.stylize_animation(gif, styles, settings))
        profile.disable()
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    phases = phase_seconds(profile)
    result = {"gif": args.gif.name, "frames": count, "visits": count * settings.gif_passes,
              "wall_s": round(wall, 2), "cpu_s": round(cpu, 2),
              "host_s": round(wall - phases["vgg_forward"], 2), **phases}
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
