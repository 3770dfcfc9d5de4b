"""How much each style layer contributes to the style loss and to its pixel gradient.

    .venv/bin/python benchmarks/layer_balance.py [--size 128]

chelsea.png painted with starry_night, measured at three points of a painting (the photo itself, its fast
painting, the painting after 60 steps with today's defaults) with the GIF post's layers: each layer's share of Σ_l E_l and of Σ_l ‖∂E_l/∂x‖, for the scale-free terms of losses.py and for
the unnormalised ones this project used before (Gram/(H W), mean over C², no division by ‖A‖²).
"""
import argparse
import sys
from pathlib import Path

import tensorflow as tf
from keras import ops

from stylizer.catalogue import load_style
from stylizer.features import feature_extractor
from stylizer.gif import read_image
from stylizer.losses import gram_matrix, style_layer_loss
from stylizer.settings import StyleSettings
from stylizer.transfer import batch, fast_painting, resize_longest, style_targets, stylize_image

ROOT = Path(__file__).resolve().parents[1]


def unnormalised(features, target):
    return ops.mean(ops.square(gram_matrix(features) - target))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=128)
    args = parser.parse_args(argv)
    settings = StyleSettings(size=args.size)
    content = resize_longest(read_image(ROOT / "demo/chelsea.png"), args.size)
    grams = style_targets([(load_style("starry_night")[0], 1.0)], *content.shape[:2], settings)
    extractor = feature_extractor(settings.style_layers)
    style = [(load_style("starry_night")[0], 1.0)]
    points = {"photo": content, "fast painting": fast_painting(content, style)}
    for event in stylize_image(content, style, settings.replace(iterations=60)):
        points["after 60 steps"] = event.image
    for point, image in points.items():
        print(f"\n{point}:\n")
        table(image, grams, extractor, settings)
    return 0


def table(image, grams, extractor, settings) -> None:
    print("| layer | loss share, before | gradient share, before | loss share, now | gradient share, now |")
    print("| --- | --- | --- | --- | --- |")
    shares = {}
    for name, term in (("before", unnormalised), ("now", style_layer_loss)):
        losses, grads = {}, {}
        for layer in settings.style_layers:
            pixels = tf.convert_to_tensor(batch(image))
            with tf.GradientTape() as tape:
                tape.watch(pixels)
                value = term(extractor(pixels)[layer], grams[layer])
            losses[layer], grads[layer] = float(value), float(tf.norm(tape.gradient(value, pixels)))
        shares[name] = ({k: v / sum(losses.values()) for k, v in losses.items()},
                        {k: v / sum(grads.values()) for k, v in grads.items()})
    for layer in settings.style_layers:
        print(f"| {layer} | {shares['before'][0][layer]:.1%} | {shares['before'][1][layer]:.1%} | "
              f"{shares['now'][0][layer]:.1%} | {shares['now'][1][layer]:.1%} |")


if __name__ == "__main__":
    sys.exit(main())
