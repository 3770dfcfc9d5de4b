"""Each mode's defaults and the choices they are made from: the layer presets, the photo's and the GIF's
weights, sizes and steps, each with the measurement that chose it (docs/benchmarks.md names the runs).
settings.py builds StyleSettings on them; GIF_SIZE and GIF_ITERATIONS live in rules/options.py, which the
Lambdas that start a GIF job read too.
"""

# Which VGG19 activations define "style" (Gram matrices) and "content" (activations themselves).
LAYER_PRESETS: dict[str, dict[str, tuple[str, ...]]] = {
    # The layers of the GIF post this project started from: conv2/conv3 of each block, content early
    # (block2_conv2) so small GIF frames keep their outlines.
    "gif_post": {
        "style": ("block1_conv2", "block2_conv2", "block3_conv3", "block4_conv3", "block5_conv3"),
        "content": ("block2_conv2",),
    },
    # Gatys, Ecker, Bethge 2016 (and neural-style's defaults): relu1_1..relu5_1 for style, relu4_2 for
    # content. Keras' conv layers include their ReLU, so block4_conv2's output is relu4_2.
    "gatys": {
        "style": ("block1_conv1", "block2_conv1", "block3_conv1", "block4_conv1", "block5_conv1"),
        "content": ("block4_conv2",),
    },
}

# Default preset, measured at 128 px, 60 its, lr 8, style weight 1e-4, newtonscradle frame 0 + starry_night:
# both reduce their own style loss ~98% (gif_post 2.6e10 -> 6.1e8, gatys 1.3e11 -> 1.9e9), but gatys' deep
# content layer lets the cradle's outlines dissolve at GIF sizes, while gif_post keeps them. Visual call.
DEFAULT_PRESET = "gif_post"

METHODS = ("full", "fast", "fast+full")
PRECISIONS = ("auto", "float32", "bfloat16")  # see precision.py
VGG_PADDINGS = ("auto", "zeros", "mirror")  # see features.py
VGG_POOLINGS = ("max", "avg")  # see features.py
# Zeros (as VGG was trained) for both modes, for now. Zeros leave a frame of colour noise a few pixels wide
# along a photo's edge (1.7-2.2x the interior's); "mirror" removes it (0.8-1.0x) and keeps the interior's
# style on chelsea and coffee, but on astronaut x the_scream it cost edges (0.879 -> 0.844), SSIM (0.542 ->
# 0.499) and interior style (+21%), and it adds 5-9% per step (docs/benchmarks.md, "The painted frame").
# GIF frames: on 8 frames of the held-out bunny mirror raised the flicker 9% and the warping error 3%.
PHOTO_VGG_PADDING = "zeros"
GIF_VGG_PADDING = "zeros"
PHOTO_SIZE = 512  # default longest side of a painted photo (a GPU serves it: the container, the endpoint)
# GIF_SIZE (256): default longest side GIF frames are painted at, even when the GIF is smaller; GIF_ITERATIONS
# (40) below. Both live in rules/options.py, which the Lambdas that start a GIF job read too.
# Style weights (settings.style_weight 0 = the mode's). Photos: chelsea at 128 px, 60 steps, TV weight 0:
# 1 keeps the photo, 10 paints it; at 5 (TV 20) edge 0.846 (docs/benchmarks.md, "Loss balance").
# GIF frames: with the temporal pull (temporal_pull) the frames paint less than when painted alone, so they
# weigh the style more. muybridge_120, every frame, 16 steps, κ = 1: style weight 10 / 15 / 20: style loss
# 0.417 / 0.390 / 0.376 (the per-frame method at 10: 0.395), still flicker 3.61 / 4.01 / 4.23 (target 4.11),
# edges 0.805 / 0.770 / 0.751 (docs/benchmarks.md, "The temporal pull by default").
PHOTO_STYLE_WEIGHT = 10.0
GIF_STYLE_WEIGHT = 15.0
# The Laplacian term's weight (settings.laplacian_weight < 0 = the mode's). Photos, 512 px, 200 steps, bf16,
# weight 1 at an 8 px pool against none: edge correlation chelsea 0.853 -> 0.846, astronaut 0.868 -> 0.902,
# held-out coffee 0.771 -> 0.794, style loss +3-4%, the same time; lowering the style weight to 8.5 instead
# buys coffee the same edges for +20% style loss (docs/benchmarks.md, "The Laplacian term"). GIFs: 40 steps,
# float32, the same term: newtonscradle edges +0.013 for +8% style loss, where a style weight of 13 gave
# +0.011 for +4% and steadier frames; held-out bunny +0.027 for +6% and a 3% higher warping error: off.
PHOTO_LAPLACIAN_WEIGHT = 1.0
GIF_LAPLACIAN_WEIGHT = 0.0
# The deepest style layer's share of the style term against each other layer's 1 (settings.style_layer_weights
# () = the mode's). block5's Gram places the style's largest motifs wherever they cost least: Starry
# Night's moons over a GIF's faces (its cells 16 px at 256 px), a small Scream face in a photo's flat sky.
# GIFs, 40 steps, float32, a quarter against equal shares, newtonscradle | held-out bunny | muybridge_120:
# edges 0.854 -> 0.882 | 0.814 -> 0.860 | 0.767 -> 0.778, style loss (the equal-share ruler) 0.191 -> 0.182
# | 0.0988 -> 0.0980 | 0.379 -> 0.358, still flicker +11% | -3% | -1%. Photos, 512 px, bf16, chelsea |
# astronaut | held-out coffee: edges 0.850 -> 0.848 | 0.922 -> 0.944 | 0.797 -> 0.810, SSIM -0.003 |
# +0.054 | +0.047, style loss -11% | +10% | +1%, objective -1% | -5% | -3% (docs/benchmarks.md, "The
# deepest style layer at a quarter").
PHOTO_DEEPEST_STYLE_SHARE = 0.25
GIF_DEEPEST_STYLE_SHARE = 0.25
LAPLACIAN_POOL = 8  # px. 16: newtonscradle flicker +12% against 8's +1%; Li et al. use 4 and 16 at 512 px
# From the fast painting, full's 200-iteration loss is reached after ~165 (benchmarks/fast_mode.py).
PHOTO_ITERATIONS = 200
# GIF_ITERATIONS, per frame, all passes. docs/benchmarks.md ("GIF quality") at 20 steps per frame already
# meets the steadiness targets; 40 buys the style loss back on held-out GIFs.
# Passes when settings.passes is 0: visits of GIF_VISIT_STEPS steps, and at least GIF_MIN_PASSES passes
# (fewer only where a frame has fewer steps). Many short visits paint better at the same steps; at 40 steps
# 20 passes of 2 against 10 of 4, muybridge_120 every frame: warping 15.7 -> 14.7, flicker 3.77 -> 3.45,
# style loss 0.400 -> 0.389 (docs/benchmarks.md, "At the product's 40 steps").
GIF_MIN_PASSES = 10
GIF_VISIT_STEPS = 2
# Of a GIF frame's steps, those painted at half the size first (settings.gif_coarse_steps).
GIF_COARSE_STEPS = 8
