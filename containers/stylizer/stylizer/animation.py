"""Style transfer for animated GIFs: the temporal method of stylizer.temporal, the per-frame baseline and
fast mode, as generators of progress events.

The temporal method (settings.temporal, the default), after Ruder, Dosovitskiy, Brox 2016/2018,
"Artistic style transfer for videos (and spherical images)":
1. frames painted at settings.gif_size (upscaled when the GIF is smaller), area-scaled back at the end; a
   GIF larger than that takes its last steps at its own size (settings.gif_own_size_steps), not scaled up;
2. every frame starts from its own fast painting (method "fast+full"), toned down until it still holds
   the content (temporal/start.py), or from its content ("full");
3. flows and reliability weights to the neighbours at settings.long_term offsets, wrapping around for a
   GIF that loops (loop closure), DIS flow, Lanczos warps (temporal/);
4. passes over all frames in alternating directions (temporal/passes.py), each frame visited a few steps
   per pass with a fresh or kept Adam state (settings.keep_frame_state), tied only to neighbours that hold
   a painting (settings.wait_for_neighbours: a content start is not);
5. coarse to fine (settings.gif_levels_for the GIF's shape): settings.gif_coarse_steps of each frame's
   steps at half the size first (not for a strip too thin for VGG at half size: rules/geometry.py), with that
   size's own frames, flows, style and passes; the full size then starts from the result, upscaled with
   the start's finer band (fine_band), and takes the rest of the steps; so does a larger GIF's own size.

settings.temporal=False is the per-frame baseline of the seed system: each frame from its own start,
fresh Adam, no temporal term, settings.gif_iterations steps each.
"""
import time
from typing import Iterator

import numpy as np
from keras import ops

from .events import ProgressEvent
from .optimize import adam_init
from .settings import StyleSettings
from .losses import content_loss
from .temporal.neighbours import adjacent_flows, neighbourhoods
from .temporal.passes import Painter
from .temporal.start import choose_strength, keep_values, mean_adjacent_reliability
from .transfer import (Styles, batch, content_targets, fast_painting, finish, initial_pixels, learning_rates,
                       make_targets, optimise, resize_longest, resize_to, style_targets)

# Fast mode's α in out_t = m α warp(out_{t-1}) + (1 - m α) fast(frame_t) (fast.fast_frames). Measured with
# starry_night (newtonscradle 36 frames at 200 px | muybridge_120 first 40 frames at 120 px; warping error /
# still-pixel flicker on 0..255, raw style loss), with the bilinear warp and binary mask of the time:
#   α 0 (per-frame)  18.6 / 12.7, 2.99e9  |  36.5 / 28.1, 3.83e9
#   α 0.5             8.1 /  6.3, 3.45e9  |  17.1 / 22.1, 3.79e9
#   α 0.7             4.8 /  4.3, 3.62e9  |  10.3 / 20.6, 3.80e9
#   α 0.9             1.7 /  2.5, 3.86e9  |   3.6 / 19.7, 3.75e9
# 0.7 keeps the strokes and cuts the flicker ~3-4x at the cost of one flow pair per frame.
FAST_TEMPORAL_BLEND = 0.7


def total_steps(count: int, settings: StyleSettings) -> int:
    """Optimiser steps of the whole GIF: gif_iterations per frame, whether in one go (per frame) or split
    over the sizes and passes (settings.gif_levels and pass_split sum to gif_iterations)."""
    return count * settings.gif_iterations


def total_passes(settings: StyleSettings, levels=None) -> int:
    """The temporal method's passes over the frames, all sizes together: `levels` are tuples whose last item
    is a size's steps per frame, settings.gif_levels_for the GIF's shape (None: settings.gif_levels,
    ordinary proportions)."""
    return sum(settings.passes_for(steps) for *_, steps in (levels or settings.gif_levels))


def stylize_animation(anim, styles: Styles, settings: StyleSettings) -> Iterator[ProgressEvent]:
    """Stylise `anim` (gif.Animation): "start", "iteration" events (with `frame` and `pass_index`), a
    "frame" event with each finished uint8 frame at the input size (in frame order), and "done" whose
    `image` is the last frame."""
    started = time.monotonic()
    settings = settings.for_gif()
    frames = [np.asarray(frame)[..., :3] for frame in anim.frames]
    count = len(frames)
    in_shape = frames[0].shape[:2]
    if settings.method == "fast":
        work = [resize_longest(frame, settings.gif_size) for frame in frames]
        yield from _fast_animation(work, styles, settings, in_shape, started)
        return
    temporal = settings.temporal and count > 1
    # each size's (longest side, steps per frame), coarse to fine; the starts are made at the last
    plan = settings.gif_levels_for(*in_shape) if temporal else ((settings.gif_size, settings.gif_iterations),)
    work = [resize_longest(frame, plan[-1][0]) for frame in frames]
    loops = anim.loop is not None and settings.loop_closure and count > 2
    hoods = frame_neighbourhoods(work, loops, settings) if temporal else None
    strength = start_strength(work, styles, settings, hoods) if settings.method == "fast+full" else 0.0
    yield ProgressEvent("start", frames=count, iterations=total_steps(count, settings),
                        passes=total_passes(settings, plan) if temporal else 1, start_strength=strength)
    height, width = work[0].shape[:2]
    style_grams = style_targets(styles, height, width, settings)  # once: every frame has the same size
    rng = np.random.default_rng(settings.seed)
    paintings = ([keep_values(fast_painting(frame, styles, strength=strength), frame, settings.start_values)
                  for frame in work] if strength > 0 else [None] * count)
    starts = [initial_pixels(frame, settings, rng, painting)[0] for frame, painting in zip(work, paintings)]
    if temporal:
        # each size's (frames, neighbourhoods, style Grams, steps), coarse to fine: gif_coarse_steps at half
        # size, gif_size (the starts' size), a larger GIF's own size (gif_own_size_steps)
        *coarser, (_, last_steps) = plan
        levels = []
        for size, steps in coarser:
            level = [resize_longest(frame, size) for frame in frames]
            levels.append((level, frame_neighbourhoods(level, loops, settings),
                           style_targets(styles, *level[0].shape[:2], settings), steps))
        levels.append((work, hoods, style_grams, last_steps))
        own_size = plan[-1][0] > settings.gif_size
        painted, losses = yield from _temporal(levels, starts, paintings, settings, started, own_size)
    else:
        painted, losses = yield from _per_frame(work, starts, style_grams, settings, started)
    image = None
    for index, (pixels, content) in enumerate(zip(painted, work)):
        image = resize_to(finish(batch(pixels), content, settings), *in_shape)
        yield ProgressEvent("frame", frame=index, frames=count, elapsed_s=time.monotonic() - started, image=image)
    yield ProgressEvent("done", frame=count - 1, frames=count, iterations=total_steps(count, settings),
                        losses=losses, elapsed_s=time.monotonic() - started, image=image)


def frame_neighbourhoods(work: list[np.ndarray], loops: bool, settings: StyleSettings):
    """Each frame's neighbours (flows, reliability) at settings.long_term offsets (temporal/neighbours.py)."""
    return neighbourhoods(work, settings.long_term, loops, photometric=settings.photometric_check,
                          trust_stillness=settings.trust_stillness)


def start_strength(work: list[np.ndarray], styles: Styles, settings: StyleSettings, hoods=None) -> float:
    """The fast painting's strength the frames start from (temporal/start.py): 0.0 = the content where the
    flow trusts less of the GIF than settings.start_min_trust (`hoods`: its neighbourhoods), else
    settings.strength lowered until the painting keeps the content (settings.start_content_limit; 0 = no
    check)."""
    if not settings.start_content_limit:
        return settings.strength
    if hoods is not None and mean_adjacent_reliability(hoods) < settings.start_min_trust:
        return 0.0
    layer = settings.content_layers[0]
    frame_features: dict[int, object] = {}  # id(frame) -> its features: once per sampled frame, not per candidate

    def content_term(painting, frame):
        if id(frame) not in frame_features:
            frame_features[id(frame)] = content_targets(frame, settings)[layer]
        painted = content_targets(painting, settings)[layer]
        return float(ops.convert_to_numpy(content_loss(painted, frame_features[id(frame)])))

    return choose_strength(work, lambda frame, s: fast_painting(frame, styles, strength=s), content_term,
                           settings.strength, settings.start_content_limit)


def _temporal(levels, starts, paintings, settings: StyleSettings, started, own_size: bool = False):
    """The multi-pass method over the frames' neighbourhoods, at each level's size in turn (coarse to fine,
    settings.gif_levels_for: `levels` holds each one's (frames, neighbourhoods, style Grams, steps per
    frame)); returns (pixels per frame at the last level, the last losses). `starts` are at the last level's
    size; `paintings`: each frame's fast painting, or None where it starts from its content. A coarser
    level's result, upscaled (with the start's own finer band: settings.coarse_start_detail), starts the
    next, every frame then holding a painting. `own_size`: the last level is a larger GIF's own size, which
    starts from the gif_size result upscaled alone: the fast painting's band at that size carries the
    network's crosshatch, which its few steps leave (docs/benchmarks.md, "GIFs larger than the painting
    size"). Each "iteration" event's `progress` weighs a step by its level's pixels."""
    painted = [painting is not None for painting in paintings]
    passes_before, all_passes, losses = 0, total_passes(settings, levels), {}
    values = starts
    # the work of each size: its steps times its pixels (a half-size step costs about a quarter)
    costs = [steps * work[0].shape[0] * work[0].shape[1] for work, _, _, steps in levels]
    cost_before, total_cost = 0, sum(costs)

    def optimise_steps(pixels, state, targets, iterations, rates=None):
        return optimise(pixels, state, targets, settings, iterations, rates=rates)

    for level, ((work, hoods, style_grams, steps), cost) in enumerate(zip(levels, costs)):
        height, width = work[0].shape[:2]
        frame_steps = 0  # of this size's steps × frames
        level_starts = [resize_to(value, height, width) for value in values]
        own_level = own_size and level == len(levels) - 1
        if level > 0 and settings.coarse_start_detail and not own_level:
            # the start's detail that the coarser size cannot hold
            level_starts = [start + fine_band(resize_to(frame_start, height, width), values[0].shape[:2])
                            for start, frame_start in zip(level_starts, starts)]
        painter = Painter([np.clip(start, 0.0, 255.0) for start in level_starts],
                          [content_targets(frame, settings) for frame in work], style_grams, hoods,
                          painted=painted, blend=settings.blend_weight)
        passes = settings.passes_for(steps)
        last_level = level == len(levels) - 1  # the size that ships: its last steps settle
        rates = (learning_rates(settings.learning_rate, steps, settings.gif_lr_decay_share)
                 if last_level and settings.gif_lr_decay_share else None)
        for visit in painter.run(optimise_steps, passes=passes, iterations_per_pass=settings.pass_split(steps),
                                 batch_frames=settings.batch_frames, keep_state=settings.keep_frame_state,
                                 temporal_from_pass=min(settings.temporal_from_pass, passes - 1),
                                 wait_for_neighbours=settings.wait_for_neighbours, rates=rates):
            losses, frame_steps = visit.losses, frame_steps + len(visit.frames)
            progress = (cost_before + cost * frame_steps / (steps * len(work))) / total_cost
            preview = None
            if settings.preview_every and visit.iteration % settings.preview_every == 0:
                preview = finish(visit.pixels[:1], work[visit.frames[0]], settings)
            yield ProgressEvent("iteration", frame=visit.frames[0], frames=len(work), iteration=visit.iteration,
                                iterations=visit.iterations, pass_index=passes_before + visit.pass_index,
                                passes=all_passes, losses=losses, elapsed_s=time.monotonic() - started,
                                preview=preview, progress=progress)
        values, painted, passes_before = painter.values, [True] * len(work), passes_before + passes
        cost_before += cost
    return values, losses


def fine_band(image: np.ndarray, coarse_shape: tuple[int, int]) -> np.ndarray:
    """What `image` holds finer than `coarse_shape` can: image − up(down(image)), one band of a Laplacian
    pyramid (Burt & Adelson 1983, "The Laplacian Pyramid as a Compact Image Code"; area down, cubic up)."""
    image = np.asarray(image, np.float32)
    return image - resize_to(resize_to(image, *coarse_shape), *image.shape[:2])


def _per_frame(work, starts, style_grams, settings: StyleSettings, started):
    """The baseline: every frame alone, fresh Adam, no temporal term; returns (pixels, last losses)."""
    painted, losses = [], {}
    for index, (content, start) in enumerate(zip(work, starts)):
        pixels = ops.convert_to_tensor(batch(start))
        targets = make_targets(content, style_grams, settings)
        for iteration, pixels, _, losses in optimise(pixels, adam_init(pixels), targets, settings,
                                                     settings.gif_iterations):
            preview = None
            if settings.preview_every and iteration % settings.preview_every == 0:
                preview = finish(pixels, content, settings)
            yield ProgressEvent("iteration", frame=index, frames=len(work), iteration=iteration,
                                iterations=settings.gif_iterations, losses=losses,
                                elapsed_s=time.monotonic() - started, preview=preview)
        painted.append(np.asarray(ops.convert_to_numpy(pixels), np.float32)[0])
    return painted, losses


def _fast_animation(work, styles: Styles, settings: StyleSettings, in_shape, started) -> Iterator[ProgressEvent]:
    """settings.method "fast": feed-forward frames, blended along the flow (fast.fast_frames) unless
    settings.temporal is False (the per-frame baseline)."""
    from .fast import fast_frames

    count = len(work)
    yield ProgressEvent("start", frames=count)
    flows = adjacent_flows(work) if settings.temporal and count > 1 else []
    image = None
    for index, painted in enumerate(fast_frames(work, styles, flows, FAST_TEMPORAL_BLEND, settings.strength)):
        image = resize_to(finish(painted[None], work[index], settings), *in_shape)
        yield ProgressEvent("frame", frame=index, frames=count, elapsed_s=time.monotonic() - started, image=image)
    yield ProgressEvent("done", frame=count - 1, frames=count, elapsed_s=time.monotonic() - started, image=image)
