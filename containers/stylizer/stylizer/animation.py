"""Style transfer for animated GIFs with temporal coherence, after Ruder, Dosovitskiy, Brox 2016,
"Artistic style transfer for videos" (GCPR, arXiv:1604.08610).

Frame 1 is stylised like a photo with first_frame_multiplier x iterations. Every later frame starts from
the previous stylised frame warped along the optical flow of the INPUT frames, keeps the Adam state of
the previous frame, and adds the temporal loss that pulls it towards that warped frame wherever the
forward-backward check trusts the flow. This is what stops the flicker of per-frame stylisation: the
optimiser starts next to the last solution instead of at a new random local optimum.

settings.temporal=False is the per-frame baseline of the seed system: each frame from its own content,
fresh Adam, no temporal term, settings.iterations each.

Sizes: frames are stylised at min(settings.size, the GIF's longest side) (GIFs are never upscaled; VGG
features of upscaled pixels only add cost) and every "frame" event carries the frame at the INPUT size.
"""
import time
from typing import Iterator

import numpy as np
from keras import ops

from .events import ProgressEvent
from .flow import flows_for, warp
from .optimize import adam_init
from .settings import StyleSettings
from .transfer import (Styles, fast_painting, finish, initial_pixels, make_targets, optimise, resize_longest, resize_to,
                       style_targets)

# Fast mode's α in out_t = m α warp(out_{t-1}) + (1 - m α) fast(frame_t) (fast.fast_frames). Measured with
# starry_night (newtonscradle 36 frames at 200 px | muybridge_120 first 40 frames at 120 px; warping error /
# still-pixel flicker on 0..255, raw style loss):
#   α 0 (per-frame)  18.6 / 12.7, 2.99e9  |  36.5 / 28.1, 3.83e9
#   α 0.5             8.1 /  6.3, 3.45e9  |  17.1 / 22.1, 3.79e9
#   α 0.7             4.8 /  4.3, 3.62e9  |  10.3 / 20.6, 3.80e9
#   α 0.9             1.7 /  2.5, 3.86e9  |   3.6 / 19.7, 3.75e9
# Higher α keeps more of the warped past: steadier, but each bilinear warp softens the strokes and at 0.9 the
# galloping horse's legs leave visible ghosts. 0.7 keeps the strokes and cuts the flicker ~3-4x. Cost: the
# flow (~10 ms per pair) on top of ~0.25 s per painted frame.
FAST_TEMPORAL_BLEND = 0.7


def frame_iterations(index: int, settings: StyleSettings) -> int:
    """Optimiser steps for frame `index`: the first frame of the temporal method gets the larger budget."""
    if index == 0 and settings.temporal:
        return max(1, round(settings.iterations * settings.first_frame_multiplier))
    return settings.iterations


def stylize_animation(anim, styles: Styles, settings: StyleSettings) -> Iterator[ProgressEvent]:
    """Stylise `anim` (gif.Animation): "start", "iteration" events (with `frame`), a "frame" event with each
    finished uint8 frame at the input size, and "done" whose `image` is the last frame."""
    started = time.monotonic()
    frames = [np.asarray(frame)[..., :3] for frame in anim.frames]
    count = len(frames)
    in_height, in_width = frames[0].shape[:2]
    size = min(settings.size, max(in_height, in_width))
    work = [resize_longest(frame, size) for frame in frames]
    height, width = work[0].shape[:2]
    if settings.method == "fast":
        yield from _fast_animation(work, styles, settings, (in_height, in_width), started)
        return
    total = sum(frame_iterations(index, settings) for index in range(count))
    yield ProgressEvent("start", frames=count, iterations=total)

    style_grams = style_targets(styles, height, width, settings)  # once: every frame has the same size
    flows = flows_for(work) if settings.temporal and count > 1 else []
    rng = np.random.default_rng(settings.seed)
    pixels = state = image = None
    losses = {}  # the last step's, reported again by "done"
    for index, content in enumerate(work):
        if index == 0 or not settings.temporal:
            painting = fast_painting(content, styles, strength=settings.strength) if settings.method == "fast+full" else None
            pixels = initial_pixels(content, settings, rng, painting)
            state = adam_init(ops.convert_to_tensor(pixels))
            targets = make_targets(content, style_grams, settings)
        else:
            flow_to_previous, mask = flows[index - 1]
            warped = warp(ops.convert_to_numpy(pixels)[0], flow_to_previous)
            pixels = warped[None]
            targets = make_targets(content, style_grams, settings, warped=warped, mask=mask)
        iterations = frame_iterations(index, settings)
        for iteration, pixels, state, losses in optimise(pixels, state, targets, settings, iterations):
            preview = None
            if settings.preview_every and iteration % settings.preview_every == 0:
                preview = finish(pixels, content, settings)
            yield ProgressEvent("iteration", frame=index, frames=count, iteration=iteration, iterations=iterations,
                                losses=losses, elapsed_s=time.monotonic() - started, preview=preview)
        image = resize_to(finish(pixels, content, settings), in_height, in_width)
        yield ProgressEvent("frame", frame=index, frames=count, iteration=iterations, iterations=iterations,
                            elapsed_s=time.monotonic() - started, image=image)
    yield ProgressEvent("done", frame=count - 1, frames=count, iterations=total, losses=losses,
                        elapsed_s=time.monotonic() - started, image=image)


def _fast_animation(work, styles: Styles, settings: StyleSettings, in_shape, started) -> Iterator[ProgressEvent]:
    """settings.method "fast": feed-forward frames, blended along the flow (fast.fast_frames) unless
    settings.temporal is False (the per-frame baseline)."""
    from .fast import fast_frames

    count = len(work)
    yield ProgressEvent("start", frames=count)
    flows = flows_for(work) if settings.temporal and count > 1 else []
    image = None
    for index, painted in enumerate(fast_frames(work, styles, flows, FAST_TEMPORAL_BLEND, settings.strength)):
        image = resize_to(finish(painted[None], work[index], settings), *in_shape)
        yield ProgressEvent("frame", frame=index, frames=count, elapsed_s=time.monotonic() - started, image=image)
    yield ProgressEvent("done", frame=count - 1, frames=count, elapsed_s=time.monotonic() - started, image=image)
