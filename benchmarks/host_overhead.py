"""A GIF's host work: what the temporal method does around its gradient steps, which a GPU does not speed up.

    .venv/bin/python benchmarks/host_overhead.py [--gif tests/data/newtonscradle.gif] [--frames 0] [--real-steps]

On the H200 (docs/benchmarks.md, "On a GPU") newtonscradle's 1440 gradient steps took 5.7 s painted frame
by frame and the temporal method 21.3 s: the rest is host work (flows, masks, warps, blends, the fast
paintings and the start's choice). This paints with the product's defaults but every gradient step
replaced by a no-op, so what remains is that host work as the product runs it, measured on any machine.

Phases are wall-clock seconds in the painting's own thread, each exclusive of the phases it calls (the
start's choice paints and runs VGG: those seconds go to fast_paintings and vgg_forward), so they add up
to the wall time with "other" (events, final frames, Python). Work the product starts on other threads
is not on that path; what those threads did is reported apart ("ahead_background": the next visit's
settled sums made while a visit's steps run, Painter.settled; "ahead_wait" is the painting's thread
waiting for them). VGG's forward passes outside the steps (content targets, the style
Grams, the start's content check) are device work on a GPU and are not counted in host_s. Compare two
checkouts with PYTHONPATH, as photo_quality.py does.

--real-steps keeps the gradient steps (on a GPU: what a user waits for, by phase); "steps" is then the
time spent in them and host_s leaves it out too. --device-step-ms N makes each no-op step wait N ms with
the host's cores free, as they are while an accelerator computes a step: on any machine, how much host
work hides under the steps of a GPU that takes N ms a step (the H200's 256 px step: about 4 ms); the
product then works ahead as on a GPU host (NST_WORK_AHEAD=1 unless set). --profile-out writes cProfile's
top functions as well (cProfile's cumulative figures double-count work on the pool's threads: use the
phases for figures). "warps_kept": the share of the visits' warps that were kept ones (temporal/warp_cache.py).
"""
import argparse
import contextlib
import cProfile
import functools
import json
import os
import pstats
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path
from unittest import mock

from stopwatch import Stopwatch

ROOT = Path(__file__).resolve().parents[1]
# (phase, what is timed: a name in stylizer.animation or a method of stylizer.temporal.passes.Painter)
TIMED = [
    ("flows_and_masks", "animation", "neighbourhoods"),
    ("start_choice", "animation", "start_strength"),
    ("fast_paintings", "animation", "fast_painting"),
    ("vgg_forward", "animation", "content_targets"),
    ("style_grams", "animation", "style_targets"),
    ("visit_targets", "painter", "targets"),
    ("visit_targets", "painter", "settled"),  # in the visit, or ahead on a thread of its own
    ("ahead_wait", "painter", "_made_ahead"),
    ("steps", "animation", "optimise"),
]
PHASES = list(dict.fromkeys(phase for phase, _, _ in TIMED))
DEVICE_WORK = ("vgg_forward", "style_grams", "steps")  # on a GPU, not the host's


class PhaseClock:
    """Exclusive wall seconds per phase: time in a phase called from another goes to the inner one. The
    painting's thread adds to `seconds`; other threads to `background`."""

    def __init__(self):
        self.seconds, self.background = defaultdict(float), defaultdict(float)
        self.local, self.main = threading.local(), threading.main_thread()

    @contextlib.contextmanager
    def phase(self, name: str):
        stack = self.local.__dict__.setdefault("stack", [])
        totals = self.seconds if threading.current_thread() is self.main else self.background
        now = time.perf_counter()
        if stack:  # the caller's phase stops counting while this one runs
            outer, since = stack[-1]
            totals[outer] += now - since
        stack.append((name, now))
        try:
            yield
        finally:
            end = time.perf_counter()
            totals[name] += end - stack.pop()[1]
            if stack:
                stack[-1] = (stack[-1][0], end)

    def wrap(self, name: str, function):
        @functools.wraps(function)
        def timed(*args, **kwargs):
            with self.phase(name):
                return function(*args, **kwargs)

        return timed

    def wrap_generator(self, name: str, function):
        """Each resumption of the generator timed; the consumer's time between them is not."""
        @functools.wraps(function)
        def timed(*args, **kwargs):
            iterator = function(*args, **kwargs)
            while True:
                with self.phase(name):
                    try:
                        item = next(iterator)
                    except StopIteration:
                        return
                yield item

        return timed


def timed_phases(clock: PhaseClock, animation, painter) -> contextlib.ExitStack:
    stack = contextlib.ExitStack()
    for phase, owner, name in TIMED:
        target = animation if owner == "animation" else painter
        original = getattr(target, name, None)
        if original is None:  # an older checkout (PYTHONPATH) without this piece
            continue
        wrap = clock.wrap_generator if phase == "steps" else clock.wrap
        stack.enter_context(mock.patch.object(target, name, wrap(phase, original)))
    return stack


def no_steps(pixels, state, targets, settings, iterations, rates=None, device_step_s: float = 0.0):
    """stylizer.transfer.optimise without the optimiser: the pixels stay as they are (`rates`, a step-size
    schedule, has nothing to act on). device_step_s: each
    step sleeps that long, as the host waits for an accelerator's step (its cores free meanwhile)."""
    for iteration in range(1, iterations + 1):
        if device_step_s:
            time.sleep(device_step_s)
        yield iteration, pixels, state, {}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gif", type=Path, default=ROOT / "tests/data/newtonscradle.gif")
    parser.add_argument("--style", default="starry_night")
    parser.add_argument("--frames", type=int, default=0, help="the first N frames (0: all)")
    parser.add_argument("--iterations", type=int, default=0, help="steps per frame (0: the product's)")
    parser.add_argument("--real-steps", action="store_true", help="keep the gradient steps (a GPU's profile)")
    parser.add_argument("--device-step-ms", type=float, default=0.0,
                        help="no-op steps that wait this long each, as for an accelerator's step")
    parser.add_argument("--profile-out", type=Path, help="also write cProfile's top functions to this file")
    args = parser.parse_args(argv)

    from stylizer import animation
    from stylizer.catalogue import load_style
    from stylizer.gif import Animation, read_gif
    from stylizer.settings import StyleSettings
    from stylizer.temporal.host import AHEAD_ENV_VAR, thread_count, work_ahead
    from stylizer.temporal.passes import Painter

    full = read_gif(args.gif)
    count = args.frames or len(full.frames)
    gif = Animation(full.frames[:count], full.durations_ms[:count], full.loop if not args.frames else None)
    styles = [(load_style(args.style)[0], 1.0)]
    settings = StyleSettings(iterations=args.iterations)
    profile = cProfile.Profile() if args.profile_out else None
    # the steps made no-ops for this painting only: the module is the product's, shared with its caller
    steps = contextlib.ExitStack()
    if not args.real_steps:
        steps.enter_context(mock.patch.object(
            animation, "optimise", functools.partial(no_steps, device_step_s=args.device_step_ms / 1000.0)))
        if args.device_step_ms and AHEAD_ENV_VAR not in os.environ:
            steps.enter_context(mock.patch.dict(os.environ, {AHEAD_ENV_VAR: "1"}))  # as on a GPU host
    with steps:
        # the first use of VGG and of the fast network loads them (and compiles the step): not host work
        list(animation.stylize_animation(Animation(gif.frames[:2], gif.durations_ms[:2], None), styles, settings))
        clock, ahead, painters = PhaseClock(), work_ahead(), []
        made = Painter.__init__

        def recorded(painter, *args, **kwargs):  # the painting's Painter, for its kept warps
            made(painter, *args, **kwargs)
            painters.append(painter)

        with timed_phases(clock, animation, Painter), mock.patch.object(Painter, "__init__", recorded), \
                Stopwatch() as watch, profile or contextlib.nullcontext():
            list(animation.stylize_animation(gif, styles, settings))
    wall = watch.wall_s
    if profile:
        with args.profile_out.open("w") as out:
            stats = pstats.Stats(profile, stream=out)
            stats.sort_stats("cumulative").print_stats(40)
            stats.sort_stats("tottime").print_stats(25)
    phases = {phase: round(clock.seconds[phase], 2) for phase in PHASES}
    if not (args.real_steps or args.device_step_ms):
        del phases["steps"]
    device = sum(clock.seconds[phase] for phase in DEVICE_WORK if phase in phases)
    # every level's passes (gif_coarse_steps adds a half-size one); an older checkout (PYTHONPATH) has one
    passes = animation.total_passes(settings.for_gif()) if hasattr(animation, "total_passes") else settings.gif_passes
    result = {"gif": args.gif.name, "frames": count, "visits": count * passes,
              "real_steps": args.real_steps, "device_step_ms": args.device_step_ms, "threads": thread_count(),
              "work_ahead": ahead, "wall_s": round(wall, 2),
              "cpu_s": round(watch.cpu_s, 2), "host_s": round(wall - device, 2), **phases,
              "other": round(wall - sum(clock.seconds.values()), 2),
              "ahead_background": round(sum(clock.background.values()), 2)}
    caches = [painter.warps for painter in painters if hasattr(painter, "warps")]  # an older checkout keeps none
    hits, misses = sum(cache.hits for cache in caches), sum(cache.misses for cache in caches)
    if hits + misses:
        result["warps_kept"] = round(hits / (hits + misses), 3)  # share of warps not made again, all levels
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
