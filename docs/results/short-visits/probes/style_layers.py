"""Probe (not a benchmark of record): each style layer's relative Gram error, the seed against ours.

    PYTHONPATH=containers/stylizer .venv/bin/python docs/results/short-visits/probes/style_layers.py [GIF]

Paints the GIF with the seed's per-frame method and with the defaults (20 steps per frame, 256 px,
starry_night), scores every frame as gif_quality.py does (the GIF-size frame scaled back to the painting
size), and prints the mean of losses.style_layer_loss per layer in float32: which layers hold the gap.
"""
import sys
from pathlib import Path

import numpy as np

from stylizer.animation import stylize_animation
from stylizer.catalogue import load_style
from stylizer.gif import read_gif
from stylizer.losses import style_layer_loss
from stylizer.settings import StyleSettings
from stylizer.transfer import batch, feature_extractor, resize_longest, style_targets

SIZE = 256
gif = Path(sys.argv[1] if len(sys.argv) > 1 else "benchmarks/data/muybridge_120.gif")
animation = read_gif(gif.read_bytes())
style = load_style("starry_night")[0]
methods = {"seed": StyleSettings(iterations=20, temporal=False, method="full"), "ours": StyleSettings(iterations=20)}
paintings = {name: [resize_longest(event.image, SIZE)
                    for event in stylize_animation(animation, [(style, 1.0)], settings.replace(size=SIZE))
                    if event.kind == "frame"]
             for name, settings in methods.items()}

ruler = StyleSettings(precision="float32")
height, width = paintings["seed"][0].shape[:2]
grams = style_targets([(style, 1.0)], height, width, ruler)
extract = feature_extractor(ruler.style_layers, precision="float32")
for name, frames in paintings.items():
    errors = {layer: [] for layer in ruler.style_layers}
    for frame in frames:
        features = extract(batch(frame))
        for layer in ruler.style_layers:
            errors[layer].append(float(np.asarray(style_layer_loss(features[layer], grams[layer]))))
    means = {layer: float(np.mean(values)) for layer, values in errors.items()}
    print(name, {layer: round(value, 4) for layer, value in means.items()},
          "style loss", round(float(np.mean(list(means.values()))), 4))
