"""Photo style transfer end to end on tiny images (a few iterations, 48 px)."""

import cv2
import numpy as np
import pytest

from stylizer.settings import StyleSettings
from stylizer.transfer import pyramid_steps, resize_longest, style_targets, stylize_image

TINY = StyleSettings(size=48, iterations=5, method="full")  # the optimisation itself; fast+full: test_fast.py


def run(content, style, settings):
    return list(stylize_image(content, [(style, 1.0)], settings))


def test_events_and_lower_loss(content_image, style_image):
    events = run(content_image, style_image, TINY.replace(preview_every=2))
    kinds = [event.kind for event in events]
    assert kinds == ["start"] + ["iteration"] * 5 + ["done"]
    steps = [event for event in events if event.kind == "iteration"]
    assert set(steps[0].losses) >= {"total", "content", "style", "tv", "laplacian"}
    assert steps[-1].losses["total"] < 0.9 * steps[0].losses["total"]  # measured 9.74 -> 7.82 (scale-free terms)
    losses = steps[-1].losses  # the photo's own style and Laplacian weights (the settings' "the mode's")
    paid = (TINY.content_weight * losses["content"] + TINY.photo_style_weight * losses["style"]
            + TINY.tv_weight * losses["tv"] + TINY.photo_laplacian_weight * losses["laplacian"])
    assert losses["total"] == pytest.approx(paid, rel=1e-4)
    assert [event.preview is not None for event in steps] == [False, True, False, True, False]
    image = events[-1].image
    assert image.dtype == np.uint8 and image.shape == (40, 48, 3)  # longest side = size
    assert not np.array_equal(image, content_image)


def test_a_panorama_and_a_style_strip_too_thin_for_vgg_are_painted_with_16_rows(content_image, style_image):
    panorama, strip = content_image[:4], style_image[:2]  # 48x4 and 48x2: 48 px would be 4 rows
    events = run(panorama, strip, TINY.replace(iterations=2, pyramid=2))  # the coarse level: 24x2
    assert events[-1].image.shape == (16, 192, 3)  # lengthened, not left with no rows at block5


def test_same_seed_same_result(content_image, style_image):
    settings = TINY.replace(init="noise", seed=3, iterations=2)
    first = run(content_image, style_image, settings)[-1].image
    again = run(content_image, style_image, settings)[-1].image
    other = run(content_image, style_image, settings.replace(seed=4))[-1].image
    np.testing.assert_array_equal(first, again)
    assert np.abs(first.astype(int) - other).mean() > 10


def test_a_photo_paints_the_same_with_the_temporal_pull_on_or_off(content_image, style_image):
    # a photo has no neighbours (its temporal mask is zero), so the pull after each step moves nothing. float32:
    # the two are different compiled steps, and bfloat16's rounding of the same sums may differ between them
    # (one grey level in 10 of 5760 values, seen once under CI's order)
    settings = TINY.replace(iterations=2, precision="float32")
    pulled = run(content_image, style_image, settings.replace(temporal_pull=1.0))[-1].image
    in_the_loss = run(content_image, style_image, settings.replace(temporal_pull=0.0))[-1].image
    np.testing.assert_array_equal(pulled, in_the_loss)


def structure_error(content, painting, pool=4):
    """The coarse outlines the Laplacian term keeps, measured with OpenCV (area downscale, cv2.Laplacian)
    rather than the term's own code: relative squared error of the two luminances' Laplacians."""
    def coarse(image):
        grey = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY).astype(np.float32)
        small = cv2.resize(grey, (grey.shape[1] // pool, grey.shape[0] // pool), interpolation=cv2.INTER_AREA)
        return cv2.Laplacian(small, cv2.CV_32F)
    target = coarse(content)
    return float(np.mean((coarse(painting) - target) ** 2) / np.mean(target ** 2))


def test_the_laplacian_term_keeps_the_photos_coarse_outlines(content_image, style_image):
    settings = TINY.replace(iterations=8, laplacian_pool=4)
    events = run(content_image, style_image, settings.replace(laplacian_weight=4.0))
    without = run(content_image, style_image, settings.replace(laplacian_weight=0.0))[-1].image
    steps = [event for event in events if event.kind == "iteration"]
    assert steps[0].losses["laplacian"] == pytest.approx(0.0, abs=1e-6)  # "full" starts from the photo itself
    paid = sum(weight * steps[-1].losses[name] for name, weight in (
        ("content", settings.content_weight), ("style", settings.photo_style_weight), ("tv", settings.tv_weight),
        ("laplacian", 4.0)))
    assert steps[-1].losses["total"] == pytest.approx(paid, rel=1e-4)
    content = resize_longest(content_image, 48)
    kept, lost = structure_error(content, events[-1].image), structure_error(content, without)
    assert kept < 0.5 * lost  # measured 0.074 against 0.697


def test_preserve_colors_keeps_the_content_chroma(content_image, style_image):
    settings = TINY.replace(iterations=4, learning_rate=20.0, optimizer="adam")  # lr: an Adam knob
    plain = run(content_image, style_image, settings)[-1].image
    kept = run(content_image, style_image, settings.replace(preserve_colors=True))[-1].image

    def chroma(image):
        return cv2.cvtColor(image, cv2.COLOR_RGB2YCrCb)[..., 1:].astype(float)

    assert np.abs(chroma(kept) - chroma(content_image)).mean() < 3  # uint8 round trips only
    assert np.abs(chroma(plain) - chroma(content_image)).mean() > 2 * np.abs(chroma(kept) - chroma(content_image)).mean()
    luma = [cv2.cvtColor(image, cv2.COLOR_RGB2YCrCb)[..., 0].astype(float) for image in (kept, plain)]
    assert np.abs(luma[0] - luma[1]).mean() < 3  # the stylised luminance (up to RGB gamut clipping)


def test_pyramid_ends_at_full_size(content_image, style_image):
    events = run(content_image, style_image, TINY.replace(size=64, pyramid=2, iterations=4))
    assert sum(event.kind == "iteration" for event in events) == 4
    assert events[-1].image.shape == (53, 64, 3)


def test_a_style_is_not_upscaled_past_its_own_size_when_style_upscale_is_off(style_image):
    small = resize_longest(style_image, 32)
    native = style_targets([(small, 1.0)], 32, 24, TINY)  # the style's own size
    capped = style_targets([(small, 1.0)], 64, 48, TINY.replace(style_upscale=False))
    upscaled = style_targets([(small, 1.0)], 64, 48, TINY)
    for layer in native:
        np.testing.assert_allclose(np.asarray(capped[layer]), np.asarray(native[layer]), rtol=1e-6)
    assert any(not np.allclose(np.asarray(upscaled[layer]), np.asarray(native[layer]), rtol=1e-2) for layer in native)


def test_pyramid_steps_split_the_total_between_levels():
    assert pyramid_steps(200, 1) == [200]
    assert pyramid_steps(200, 3) == [66, 66, 68]  # equal shares, the remainder to the finest level
    assert pyramid_steps(200, 3, finest_share=0.5) == [50, 50, 100]
    assert pyramid_steps(201, 3, finest_share=0.6) == [40, 40, 121]
    with pytest.raises(ValueError, match="pyramid_finest_share"):
        StyleSettings(pyramid_finest_share=1.0)


def test_unknown_layer_preset_is_refused():
    with pytest.raises(ValueError, match="gatys"):
        StyleSettings(layer_preset="nope")


def test_lbfgs_lowers_the_loss_with_one_event_per_evaluation(content_image, style_image):
    events = run(content_image, style_image, TINY.replace(optimizer="lbfgs", iterations=6, preview_every=3))
    steps = [event for event in events if event.kind == "iteration"]
    assert [event.iteration for event in steps] == list(range(1, 7))
    assert steps[-1].losses["total"] < steps[0].losses["total"]
    assert events[-1].kind == "done" and events[-1].image.shape == (40, 48, 3)
    assert sum(event.preview is not None for event in steps) == 2


def test_a_photos_last_steps_take_the_decaying_step_size(content_image, style_image, step_sizes):
    from stylizer import transfer

    run(content_image, style_image, TINY.replace(iterations=4, lr_decay_share=0.5, learning_rate=8.0))
    taken = [rate for _, rate in step_sizes]
    assert taken == [8.0, 8.0] + [round(rate, 4) for rate in transfer.learning_rates(8.0, 4, 0.5)[2:]]
    assert taken[-1] == pytest.approx(0.8)


def test_a_style_layer_weighted_zero_does_not_act(content_image, style_image):
    from keras import ops

    from stylizer.transfer import batch, make_loss_fn, make_targets, style_targets

    settings = TINY.replace(size=32, style_layer_weights=(1, 1, 1, 1, 0), precision="float32")
    grams = style_targets([(style_image, 1.0)], 27, 32, settings)
    content = resize_longest(content_image, 32)
    pixels = ops.convert_to_tensor(batch(content))
    moved = dict(grams, block5_conv3=grams["block5_conv3"] * 3.0)  # another target for block5 only

    def style_term(loss_settings, targets_grams):
        _, terms = make_loss_fn(loss_settings)(pixels, make_targets(content, targets_grams, loss_settings))
        return float(ops.convert_to_numpy(terms["style"]))

    assert style_term(settings, moved) == pytest.approx(style_term(settings, grams), rel=1e-6)
    equal = settings.replace(style_layer_weights=())
    assert style_term(equal, moved) != pytest.approx(style_term(equal, grams), rel=1e-3)  # where it does act
