"""Style transfer for one image by optimising its pixels (Gatys, Ecker, Bethge 2016), as a generator of events.

The pieces (targets, loss, optimisation loop, colour preservation) are functions of their own so that
animation.py reuses them frame by frame with the same compiled gradient step.
"""
import functools
import math
import time
from typing import Iterator

import cv2
import numpy as np
from keras import ops

from .events import ProgressEvent
from .features import feature_extractor
from .rules.geometry import VGG_MIN_SIDE, paint_shape
from .losses import (content_loss, gram_matrix, laplacian_loss, laplacian_map, style_loss,
                     temporal_loss, total_variation_loss, weighted_sum)
from .optimize import adam_init, lbfgs, make_step, make_value_and_grad
from .settings import StyleSettings

Styles = list[tuple[np.ndarray, float]]  # (uint8 HxWx3 style image, blend weight)


def resize_longest(image: np.ndarray, size: int, min_side: int = VGG_MIN_SIDE) -> np.ndarray:
    """The image scaled so its longest side is `size` px (area filter down, cubic up), dtype kept; a strip
    whose shortest side would be under `min_side` (what VGG19 needs) is scaled to that instead
    (rules.geometry.paint_shape). min_side=1 for a shape that no network sees."""
    return resize_to(image, *paint_shape(*image.shape[:2], size, min_side))


def resize_to(image: np.ndarray, height: int, width: int) -> np.ndarray:
    if image.shape[:2] == (height, width):
        return image
    shrinking = height * width < image.shape[0] * image.shape[1]
    resized = cv2.resize(image, (width, height), interpolation=cv2.INTER_AREA if shrinking else cv2.INTER_CUBIC)
    return np.clip(resized, 0, 255).astype(image.dtype) if image.dtype == np.uint8 else resized


def to_uint8(pixels) -> np.ndarray:
    """(1, H, W, 3) float tensor 0..255 -> uint8 HxWx3."""
    return np.clip(np.rint(ops.convert_to_numpy(pixels)[0]), 0, 255).astype(np.uint8)


def preserve_colors(stylised: np.ndarray, content: np.ndarray) -> np.ndarray:
    """The stylised luminance Y with the content's chroma (Cr, Cb): luminance-only transfer.

    Gatys, Bethge, Hertzmann, Shechtman 2016, "Preserving Color in Neural Artistic Style Transfer".
    """
    luma = cv2.cvtColor(stylised, cv2.COLOR_RGB2YCrCb)
    chroma = cv2.cvtColor(resize_to(content, *stylised.shape[:2]), cv2.COLOR_RGB2YCrCb)
    chroma[..., 0] = luma[..., 0]
    return cv2.cvtColor(chroma, cv2.COLOR_YCrCb2RGB)


def batch(image: np.ndarray) -> np.ndarray:
    return np.asarray(image, dtype=np.float32)[None]


def style_targets(styles: Styles, height: int, width: int, settings: StyleSettings) -> dict:
    """{layer: blended Gram (1, C, C)}: each style scaled to style_scale x the output's longest side (no
    larger than its own when settings.style_upscale is off)."""
    extractor = settings_extractor(settings.style_layers, settings)
    total_weight = sum(weight for _, weight in styles)
    if not styles or total_weight <= 0:
        raise ValueError("At least one style with a positive weight is needed")
    blended = {}
    for image, weight in styles:
        side = round(settings.style_scale * max(height, width))
        if not settings.style_upscale:
            side = min(side, max(image.shape[:2]))
        scaled = resize_longest(image, max(16, side))
        for layer, features in extractor(batch(scaled)).items():
            gram = gram_matrix(features) * (weight / total_weight)
            blended[layer] = gram if layer not in blended else blended[layer] + gram
    return blended


# content_targets' key for the Laplacian term's target, beside the content layers' names
LAPLACIAN = "laplacian"


def content_targets(content: np.ndarray, settings: StyleSettings) -> dict:
    """{content layer: its activations of `content`}, and with a Laplacian term {LAPLACIAN: D(P(content))}."""
    targets = dict(settings_extractor(settings.content_layers, settings)(batch(content)))
    if laplacian_weight(settings):
        targets[LAPLACIAN] = laplacian_map(batch(content), settings.laplacian_pool)
    return targets


def settings_extractor(layers: tuple, settings: StyleSettings):
    """The VGG19 extractor of `layers` as these settings compute it: their precision, padding and pooling
    (features.feature_extractor, one per combination per process)."""
    return feature_extractor(tuple(layers), precision=settings.precision, padding=vgg_padding(settings),
                             pooling=settings.vgg_pooling)


def vgg_padding(settings: StyleSettings) -> str:
    """The padding VGG's convolutions use for these settings. stylize_image and stylize_animation set the
    mode's own (settings.for_photo, for_gif); an "auto" that reaches the losses otherwise
    (the rulers, the benchmarks' own loops) is VGG's trained zeros."""
    return "zeros" if settings.vgg_padding == "auto" else settings.vgg_padding


def style_weight(settings: StyleSettings) -> float:
    """The style weight of these settings' loss. stylize_image and stylize_animation set the mode's own
    (settings.for_photo, for_gif); a 0 ("the mode's") that reaches the losses otherwise
    (the benchmarks' own loops) is the photo's."""
    return settings.photo_style_weight


def laplacian_weight(settings: StyleSettings) -> float:
    """The Laplacian term's weight for these settings: as style_weight, the mode's is set by stylize_image and
    stylize_animation, and a "the mode's" (< 0) that reaches the losses otherwise is the photo's."""
    return settings.photo_laplacian_weight


def style_layer_weights(settings: StyleSettings) -> dict[str, float] | None:
    """{style layer: its share w_l of the style term} from settings.style_layer_weights, normalised so that
    Σ w_l = 1 as with equal shares (so the style weight keeps its meaning); None = equal shares, 1/L: what
    () means where no mode resolved it (stylize_image and stylize_animation do; the rulers rely on this)."""
    if not settings.style_layer_weights:
        return None
    total = sum(settings.style_layer_weights)
    return {layer: weight / total for layer, weight in zip(settings.style_layers, settings.style_layer_weights)}


def make_loss_fn(settings: StyleSettings):
    """loss_fn(pixels, targets) -> (total, {content, style, tv, temporal[, laplacian]}) with one VGG forward
    pass; the Laplacian term only where settings.laplacian_weight is set (its target is in content_targets)."""
    extractor = settings_extractor(tuple(dict.fromkeys(settings.style_layers + settings.content_layers)), settings)
    # with a temporal pull the term acts after each step (optimize.temporal_proximal_step), not in the loss
    weights = {"content": settings.content_weight, "style": style_weight(settings), "tv": settings.tv_weight,
               "temporal": 0.0 if settings.temporal_pull else settings.temporal_weight,
               "laplacian": laplacian_weight(settings)}

    layer_weights = style_layer_weights(settings)

    def loss_fn(pixels, targets):
        features = extractor(pixels)
        terms = {
            "content": weighted_sum({layer: content_loss(features[layer], targets["content"][layer])
                                     for layer in settings.content_layers},
                                    {layer: 1.0 / len(settings.content_layers) for layer in settings.content_layers}),
            "style": style_loss(features, targets["style"], layer_weights),
            "tv": total_variation_loss(pixels),
            "temporal": temporal_loss(pixels, targets["warped"], targets["mask"]),
        }
        if weights["laplacian"]:
            terms["laplacian"] = laplacian_loss(pixels, targets["content"][LAPLACIAN], settings.laplacian_pool)
        return weighted_sum(terms, weights), terms

    return loss_fn


# The settings that change the loss function or how it is compiled: one compiled step per combination.
LOSS_FIELDS = ("layer_preset", "style_layer_weights", "content_weight", "style_weight", "tv_weight",
               "temporal_weight", "precision", "vgg_padding", "vgg_pooling", "temporal_pull", "free_pull",
               "laplacian_weight", "laplacian_pool")


def loss_key(settings: StyleSettings) -> tuple:
    return tuple(getattr(settings, name) for name in LOSS_FIELDS) + (settings.compile,)


def _loss_settings(key: tuple) -> StyleSettings:
    return StyleSettings(**dict(zip(LOSS_FIELDS, key)), compile=key[-1])


@functools.lru_cache(maxsize=4)
def _cached_step(key: tuple):
    settings = _loss_settings(key)
    return make_step(make_loss_fn(settings), key[-1], settings.temporal_pull, settings.free_pull)


def gradient_step(settings: StyleSettings):
    """The compiled step for these loss weights, shared by every image and frame of the process."""
    return _cached_step(loss_key(settings))


def make_targets(content: np.ndarray, style_grams: dict, settings: StyleSettings,
                 warped: np.ndarray | None = None, mask: np.ndarray | None = None) -> dict:
    """Everything the loss compares against; no temporal term unless `warped` and `mask` are given."""
    height, width = content.shape[:2]
    return {
        "content": content_targets(content, settings),
        "style": style_grams,
        "warped": batch(warped) if warped is not None else np.zeros((1, height, width, 3), np.float32),
        # (1, H, W) always: the compiled step is traced for one rank (a batch of frames has (B, H, W)).
        "mask": np.asarray(mask, np.float32)[None] if mask is not None else np.zeros((1, height, width), np.float32),
    }


def fast_painting(content: np.ndarray, styles: Styles, size: int | None = None, strength: float = 1.0) -> np.ndarray:
    """The feed-forward painting of `content`, longest side `size` (default its own; fast.py, imported
    lazily: onnxruntime). Painted from the full-resolution content, not from a downscaled copy."""
    from .fast import fast_stylize

    return fast_stylize(content, styles, strength=strength, size=size or max(content.shape[:2]))


def initial_pixels(content: np.ndarray, settings: StyleSettings, rng: np.random.Generator,
                   painting: np.ndarray | None = None) -> np.ndarray:
    """Where the optimisation starts: noise when asked for (init "noise"), else the fast `painting` (method
    "fast+full") in place of the content, else the content."""
    if settings.init == "noise":  # white noise, as in Gatys et al.; the seed makes it repeatable
        return rng.uniform(0.0, 255.0, size=(1,) + content.shape).astype(np.float32)
    if painting is not None:
        return batch(resize_to(painting, *content.shape[:2]))
    return batch(content)


def optimise(pixels, state, targets, settings: StyleSettings, iterations: int, rates: list[float] | None = None):
    """Yields (iteration 1-based, pixels, adam_state, {loss name: float}) for each gradient step, at
    settings.learning_rate or, given, `rates[iteration - 1]` (a schedule: learning_rates)."""
    step = gradient_step(settings)
    pixels = ops.convert_to_tensor(pixels)
    rates = rates or [settings.learning_rate] * iterations
    for iteration in range(1, iterations + 1):
        learning_rate = ops.convert_to_tensor(rates[iteration - 1], dtype="float32")
        pixels, state, losses = step(pixels, state, targets, learning_rate)
        yield iteration, pixels, state, {name: float(ops.convert_to_numpy(v)) for name, v in losses.items()}


@functools.lru_cache(maxsize=4)
def _cached_value_and_grad(key: tuple):
    return make_value_and_grad(make_loss_fn(_loss_settings(key)), key[-1])


def image_steps(pixels, targets, settings: StyleSettings, iterations: int):
    """One photo's (or pyramid level's) optimisation from `pixels`: yields (iteration, pixels, losses) per
    loss+gradient evaluation, with a fresh Adam or, for settings.optimizer "lbfgs", scipy's L-BFGS-B."""
    if settings.optimizer == "lbfgs":
        value_and_grad = _cached_value_and_grad(loss_key(settings))
        yield from lbfgs(value_and_grad, ops.convert_to_tensor(pixels), targets, iterations)
        return
    state = adam_init(ops.convert_to_tensor(pixels))
    rates = learning_rates(settings.learning_rate, iterations, settings.lr_decay_share)
    for iteration, pixels, _, losses in optimise(pixels, state, targets, settings, iterations, rates):
        yield iteration, pixels, losses


def learning_rates(base: float, iterations: int, decay_share: float, floor: float = 0.1) -> list[float]:
    """Adam's step size per iteration: `base`, then over the last round(decay_share · iterations) steps a
    half cosine from base down to floor · base (SGDR's annealing, Loshchilov & Hutter 2017, once), so the
    last steps settle instead of ending wherever constant steps leave the pixels; decay_share 0 = constant."""
    decaying = round(decay_share * iterations)
    rates = [base] * (iterations - decaying)
    for index in range(decaying):  # index 0 still close to base, the last at floor · base
        progress = (index + 1) / decaying
        rates.append(base * (floor + (1 - floor) * 0.5 * (1 + math.cos(math.pi * progress))))
    return rates


def pyramid_sizes(size: int, levels: int) -> list[int]:
    """Coarse-to-fine longest sides, each level twice the previous, ending at `size`."""
    return [max(16, size >> (levels - 1 - level)) for level in range(levels)]


def pyramid_steps(total: int, levels: int, finest_share: float = 0.0) -> list[int]:
    """Steps per level, coarse to fine, summing to `total`: the finest level round(finest_share · total), the
    coarser levels the rest in equal parts (an equal part each when finest_share is 0). The remainder of an
    uneven split goes to the finest level, whose steps cost the most and show."""
    if levels == 1:
        return [total]
    if finest_share <= 0:
        per_level = [total // levels] * levels
    else:
        coarse = (total - round(finest_share * total)) // (levels - 1)
        per_level = [coarse] * (levels - 1) + [0]
    per_level[-1] += total - sum(per_level)
    return per_level


def stylize_image(content: np.ndarray, styles: Styles, settings: StyleSettings) -> Iterator[ProgressEvent]:
    """Stylise a photo: "start", an "iteration" event per step, "done" with the uint8 image.

    The output's longest side is settings.photo_size (the content is scaled up or down to it). With
    settings.pyramid > 1 the first levels run at halved sizes and each result initialises the next level.
    settings.method "fast": "start" carries the feed-forward painting as its preview, "done" the same image,
    no iterations; "fast+full": that painting is the "start" preview and the optimisation's initial pixels.
    """
    started = time.monotonic()
    settings = settings.for_photo()
    if settings.method == "fast":  # one forward pass: the preview is the result
        image = finish(batch(fast_painting(content, styles, settings.photo_size, settings.strength)), content, settings)
        yield ProgressEvent("start", elapsed_s=time.monotonic() - started, preview=image)
        yield ProgressEvent("done", elapsed_s=time.monotonic() - started, image=image)
        return
    rng = np.random.default_rng(settings.seed)
    sizes = pyramid_sizes(settings.photo_size, settings.pyramid)
    per_level = pyramid_steps(settings.photo_iterations, len(sizes), settings.pyramid_finest_share)
    painting = preview = None
    if settings.method == "fast+full":  # shown at once, then refined by the optimisation
        painting = fast_painting(content, styles, settings.photo_size, settings.strength)
        preview = finish(batch(painting), content, settings)
    yield ProgressEvent("start", iterations=settings.photo_iterations, elapsed_s=time.monotonic() - started,
                        preview=preview)
    done, pixels, level_content, losses = 0, None, None, {}
    for size, iterations in zip(sizes, per_level):
        level_content = resize_longest(content, size)
        height, width = level_content.shape[:2]
        if pixels is None:
            pixels = initial_pixels(level_content, settings, rng, painting)
        else:
            pixels = batch(resize_to(ops.convert_to_numpy(pixels)[0], height, width))
        targets = make_targets(level_content, style_targets(styles, height, width, settings), settings)
        for _, pixels, losses in image_steps(pixels, targets, settings, iterations):
            done += 1
            preview = None
            if settings.preview_every and done % settings.preview_every == 0:
                preview = finish(pixels, level_content, settings)
            yield ProgressEvent("iteration", iteration=done, iterations=settings.photo_iterations, losses=losses,
                                elapsed_s=time.monotonic() - started, preview=preview)
    image = finish(pixels, level_content, settings)
    yield ProgressEvent("done", iteration=done, iterations=settings.photo_iterations, losses=losses,
                        elapsed_s=time.monotonic() - started, image=image)


def finish(pixels, content: np.ndarray, settings: StyleSettings) -> np.ndarray:
    """Optimised pixels -> uint8 image, with the content's colours when settings.preserve_colors."""
    image = to_uint8(pixels)
    return preserve_colors(image, content) if settings.preserve_colors else image
