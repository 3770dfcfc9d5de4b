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
from .transfer import (Styles, finish, initial_pixels, make_targets, optimise, resize_longest, resize_to,
                       style_targets)


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
    total = sum(frame_iterations(index, settings) for index in range(count))
    yield ProgressEvent("start", frames=count, iterations=total)

    style_grams = style_targets(styles, height, width, settings)  # once: every frame has the same size
    flows = flows_for(work) if settings.temporal and count > 1 else []
    rng = np.random.default_rng(settings.seed)
    pixels = state = image = None
    for index, content in enumerate(work):
        if index == 0 or not settings.temporal:
            pixels = initial_pixels(content, settings, rng)
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
    yield ProgressEvent("done", frame=count - 1, frames=count, iterations=total,
                        elapsed_s=time.monotonic() - started, image=image)
