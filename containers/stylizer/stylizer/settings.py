"""Settings as data: everything that changes a stylisation, in one dataclass the front ends fill in."""
import dataclasses
from dataclasses import dataclass
from typing import Literal

# Which VGG19 activations define "style" (Gram matrices) and "content" (activations themselves).
LAYER_PRESETS: dict[str, dict[str, tuple[str, ...]]] = {
    # The layers of the GIF post this project started from: conv2/conv3 of each block, content early
    # (block2_conv2) so small GIF frames keep their outlines.
    "gif_post": {
        "style": ("block1_conv2", "block2_conv2", "block3_conv3", "block4_conv3", "block5_conv3"),
        "content": ("block2_conv2",),
    },
    # Gatys, Ecker, Bethge 2016: conv1 of every block for style, conv4_2 for content (they use conv4_2;
    # the Keras NST example uses block5_conv2, which we follow).
    "gatys": {
        "style": ("block1_conv1", "block2_conv1", "block3_conv1", "block4_conv1", "block5_conv1"),
        "content": ("block5_conv2",),
    },
}

# Default preset, measured at 128 px, 60 its, lr 8, style weight 1e-4, newtonscradle frame 0 + starry_night:
# both reduce their own style loss ~98% (gif_post 2.6e10 -> 6.1e8, gatys 1.3e11 -> 1.9e9), but gatys' deep
# content layer lets the cradle's outlines dissolve at GIF sizes, while gif_post keeps them. Visual call.
DEFAULT_PRESET = "gif_post"

METHODS = ("full", "fast", "fast+full")


@dataclass(frozen=True)
class StyleSettings:
    """One stylisation's knobs. Weights multiply the mean-normalised losses of losses.py."""

    iterations: int = 200  # optimiser steps per image / per GIF frame after the first
    first_frame_multiplier: float = 2.0  # frame 1 of a GIF gets iterations * this (Ruder et al. 2016)
    size: int = 256  # longest side of the stylised image in pixels (never upscales a GIF frame)
    content_weight: float = 1.0
    # 128 px, 60 its, starry_night: 1e-3 and 1e-2 erase the content, 1e-5 barely stylises; 1e-4 balances
    # (content 7.6e4 vs weighted style 7.8e4 at the end).
    style_weight: float = 1e-4
    tv_weight: float = 1e-1
    temporal_weight: float = 50.0
    style_scale: float = 1.0  # style image's longest side = style_scale * stylised image's longest side
    preserve_colors: bool = False  # keep the content's chroma, take only the stylised luminance
    init: Literal["content", "noise"] = "content"
    seed: int = 0
    # Adam step on 0..255 pixels. Total loss after 60 its at 128 px: lr 1: 2.41e5, 2: 1.85e5, 4: 1.54e5,
    # 8: 1.33e5, 16: 1.24e5 but visibly noisier (TV 2.5e3 vs 1.6e3). No schedule: not measured to help yet.
    learning_rate: float = 8.0
    # Photos only: "lbfgs" (scipy L-BFGS-B on the pixels, one iteration = one loss+gradient evaluation) or
    # "adam". GIF frames always use Adam, whose state carries over. 256 px, 100 its, 2 photos x 2 styles
    # (benchmarks/optimiser_study.py): L-BFGS total loss 0.89x Adam lr 8's (0.84-0.96, all 4 lower), time 0.87x,
    # from the content start; the default stays Adam until it is measured from the fast painting (fast+full).
    optimizer: Literal["adam", "lbfgs"] = "adam"
    layer_preset: str = DEFAULT_PRESET  # a key of LAYER_PRESETS
    pyramid: int = 1  # coarse-to-fine levels (1 = single scale), each level half the size of the next
    temporal: bool = True  # GIFs: Ruder et al.'s warped init + temporal loss; False = per-frame baseline
    preview_every: int = 0  # attach a uint8 preview every this many iterations (0 = never)
    # Gradient step: "graph" (tf.function), "xla" (jit_compile=True) or "eager". Measured on the 2-core dev
    # box, 256x192 px, gif_post: graph 0.44 s/it, xla 0.59 s/it (+4 s compile), eager 0.76 s/it; TF's
    # oneDNN convolutions beat XLA's on CPU. Try "xla" on a GPU.
    compile: str = "graph"
    # "full": the optimisation; "fast": one pass of the feed-forward network (fast.py, Ghiasi et al. 2017);
    # "fast+full": the optimisation started from the fast painting (see transfer.stylize_image). Default, as
    # measured on chelsea.png at 256 px, starry_night, 200 its (benchmarks/fast_mode.py): from the content,
    # total loss 5.60e4 after 200 its; from the fast painting that is reached after 161 its (full's 50-it loss
    # after 28, its 100-it loss after 64), ending at 5.49e4; the fast pass costs less than one iteration.
    method: Literal["full", "fast", "fast+full"] = "fast+full"
    strength: float = 1.0  # fast painting: 1 = the style's vector, 0 = the content's own (Ghiasi et al. 2017)

    def __post_init__(self):
        if self.layer_preset not in LAYER_PRESETS:
            raise ValueError(f"Unknown layer preset {self.layer_preset!r}; choose one of {sorted(LAYER_PRESETS)}")
        if self.init not in ("content", "noise"):
            raise ValueError(f"init must be 'content' or 'noise', not {self.init!r}")
        if not 0.0 <= self.strength <= 1.0:
            raise ValueError(f"strength must be between 0 and 1, not {self.strength}")
        if self.optimizer not in ("adam", "lbfgs"):
            raise ValueError(f"optimizer must be 'adam' or 'lbfgs', not {self.optimizer!r}")
        if self.method not in METHODS:
            raise ValueError(f"method must be one of {', '.join(METHODS)}, not {self.method!r}")
        if self.iterations < 1 or self.size < 16 or self.pyramid < 1:
            raise ValueError("iterations >= 1, size >= 16 px and pyramid >= 1 are required")

    @property
    def style_layers(self) -> tuple[str, ...]:
        return LAYER_PRESETS[self.layer_preset]["style"]

    @property
    def content_layers(self) -> tuple[str, ...]:
        return LAYER_PRESETS[self.layer_preset]["content"]

    def to_json(self) -> dict:
        return dataclasses.asdict(self)

    def replace(self, **changes) -> "StyleSettings":
        return dataclasses.replace(self, **changes)
