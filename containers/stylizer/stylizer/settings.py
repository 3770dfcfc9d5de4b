"""Settings as data: everything that changes a stylisation, in one dataclass the front ends fill in."""
import dataclasses
from dataclasses import dataclass
from typing import Literal

# each mode's defaults, measured (defaults.py); also settings.* for the front ends and benchmarks
from .defaults import (DEFAULT_PRESET, GIF_COARSE_STEPS, GIF_DEEPEST_STYLE_SHARE, GIF_LAPLACIAN_WEIGHT,  # noqa: F401
                       GIF_MIN_PASSES, GIF_STYLE_WEIGHT, GIF_VGG_PADDING, GIF_VISIT_STEPS, LAPLACIAN_POOL,
                       LAYER_PRESETS, METHODS, PHOTO_DEEPEST_STYLE_SHARE, PHOTO_ITERATIONS, PHOTO_LAPLACIAN_WEIGHT,
                       PHOTO_SIZE, PHOTO_STYLE_WEIGHT, PHOTO_VGG_PADDING, PRECISIONS, VGG_PADDINGS, VGG_POOLINGS)
from .rules.geometry import own_size_side, thinner_than
# the GIF job's defaults, also settings.GIF_*
from .rules.options import (GIF_ITERATIONS, GIF_OWN_SIZE_MAX_SCALE, GIF_OWN_SIZE_STEPS, GIF_SIZE,  # noqa: F401
                            level_steps)


def split_steps(total: int, parts: int) -> tuple[int, ...]:
    """`total` steps in `parts` near-equal counts, the larger first: split_steps(16, 10) = (2,)*6 + (1,)*4."""
    base, extra = divmod(total, parts)
    return tuple(base + 1 if part < extra else base for part in range(parts))


@dataclass(frozen=True)
class StyleSettings:
    """One stylisation's knobs. Weights multiply the mean-normalised losses of losses.py."""

    # Optimiser steps per photo / per GIF frame (all passes together); 0 = the mode's default
    # (PHOTO_ITERATIONS, GIF_ITERATIONS).
    iterations: int = 0
    # Longest side of the painting in pixels; 0 = the mode's default (PHOTO_SIZE, GIF_SIZE). GIF frames are
    # painted at this size even when the GIF is smaller (block5's maps of a 128 px frame are 8x6 cells),
    # then area-scaled to the GIF's own size.
    size: int = 0
    content_weight: float = 1.0
    style_weight: float = 0.0  # 0 = the mode's default (PHOTO_STYLE_WEIGHT, GIF_STYLE_WEIGHT)
    tv_weight: float = 20.0
    # The Laplacian term (losses.laplacian_loss, Li et al. 2017): the content's outlines at laplacian_pool px
    # kept in pixel space, beside the VGG content layer; 0 = off, < 0 = the mode's (PHOTO_LAPLACIAN_WEIGHT,
    # GIF_LAPLACIAN_WEIGHT).
    laplacian_weight: float = -1.0
    laplacian_pool: int = LAPLACIAN_POOL  # px: the average pooling before the Laplacian's stencil
    temporal_weight: float = 2000.0  # GIFs: the temporal term's weight in the loss (used when temporal_pull is 0)
    # GIFs: > 0 takes the temporal term out of the loss and applies it after every Adam step as its proximal
    # step with this strength κ (optimize.temporal_proximal_step); temporal_weight is then unused. 0 = the
    # term in the loss, where its gradient shares Adam's per-pixel normalisation with the style's. Against
    # the term in the loss (every 3rd frame, 16 steps, style weight 10): κ = 1 newtonscradle flicker 1.04 ->
    # 0.906, edges 0.877 -> 0.884; bunny 3.29 -> 2.93, 0.800 -> 0.824; style loss 3-5% higher, which the
    # GIFs' own style weight (GIF_STYLE_WEIGHT) buys back (docs/benchmarks.md, "The temporal term as a pull").
    temporal_pull: float = 1.0
    # GIFs, with the pull: how far a pixel without reliable neighbours is held to its own value before each
    # step (optimize.free_pixel_proximal_step; 0 = not at all, 1 = as far as a pixel tied to its neighbours).
    # Only a temporal painting has it: for_photo() and the per-frame method (temporal=False) resolve it to 0.
    # Every frame, 16 steps, φ 1 with style weight 21 against today's 0 / 15: muybridge_120 flicker 4.01 ->
    # 3.92 at the same style loss, but bunny (held out) 2.10 -> 2.16 and edges 0.805 -> 0.792 for style loss
    # 0.113 -> 0.109: a trade, not a gain (docs/benchmarks.md, "Free pixels held like tied ones").
    free_pull: float = 0.0
    style_scale: float = 1.0  # style image's longest side = style_scale * stylised image's longest side
    # False: a style image is never scaled above its own size (style_scale's target capped at its longest
    # side), so a painting larger than the artwork's file takes its texture from the file's own pixels rather
    # than from an upscaled, blurred copy. At 2048 px (starry_night's file is 1024) neither was better by
    # edge, SSIM or eye, so today's upscaling stays the default (docs/benchmarks.md, "Large photos").
    style_upscale: bool = True
    preserve_colors: bool = False  # keep the content's chroma, take only the stylised luminance
    init: Literal["content", "noise"] = "content"
    seed: int = 0
    # Adam step on 0..255 pixels. Total loss after 60 its at 128 px: lr 1: 2.41e5, 2: 1.85e5, 4: 1.54e5,
    # 8: 1.33e5, 16: 1.24e5 but visibly noisier (TV 2.5e3 vs 1.6e3). Its fall at the end: lr_decay_share.
    learning_rate: float = 8.0
    # Photos (Adam): the share of the steps at the end over which the step size falls, a half cosine, to a
    # tenth (transfer.learning_rates); 0 = constant (GIF frames: gif_lr_decay_share). At a constant lr 8 a
    # photo's loss wobbles by ~±4% over its last 100 steps and the painting is wherever step 200 lands; 512
    # px, 200 steps, bf16, 0.25 against 0: chelsea | astronaut | held-out coffee objective -1.5% | -17% |
    # -4%, style loss -0.5% | -25% | -7%, SSIM +0.009 | +0.046 | +0.016, grain -1% | -15% | -4%, the same
    # time (docs/benchmarks.md, "The last steps settle").
    lr_decay_share: float = 0.25
    # GIFs, the temporal method: the same fall over the last share of each frame's steps at the last size (the
    # passes share one Adam state per frame, so the schedule runs over the passes); 0 = constant. Tried, not
    # kept: at the product's 40 steps a frame is still descending and smaller last steps stop it short; 0.25
    # against 0, newtonscradle | held-out bunny | muybridge_120: still flicker -22% | -6% | -3%, style loss
    # +1% | +8% | +2% (muybridge's then above the seed's), edges -0.007 | -0.008 | -0.006 (docs/benchmarks.md,
    # "GIFs: the same fall of the step size").
    gif_lr_decay_share: float = 0.0
    # Photos only: "lbfgs" (scipy L-BFGS-B on the pixels, one iteration = one loss+gradient evaluation) or
    # "adam". GIF frames always use Adam, whose state carries over. From the fast painting at 512 px, 200
    # evaluations (docs/benchmarks.md, "Photo optimiser"): L-BFGS's objective 0.98x / 0.88x Adam's, better
    # edges, SSIM and grain; but it computes float32, and at 110 evaluations (Adam's 200 bfloat16 steps'
    # time on a bf16 CPU) it ties (1.01x / 0.95x). Photos are painted on GPUs, where on an H200 L-BFGS's line
    # search gave up after 17 of 200 evaluations (docs/benchmarks.md, "On a GPU"): Adam stays.
    optimizer: Literal["adam", "lbfgs"] = "adam"
    layer_preset: str = DEFAULT_PRESET  # a key of LAYER_PRESETS
    # Each style layer's share of the style term, in the preset's order (normalised to sum to 1: transfer.
    # style_layer_weights); () = the mode's: 1 for each layer and PHOTO_DEEPEST_STYLE_SHARE /
    # GIF_DEEPEST_STYLE_SHARE for the deepest (all 1: Gatys et al.'s equal shares, w_l = 1/L).
    style_layer_weights: tuple[float, ...] = ()
    # What VGG's convolutions see beyond the image's edge: "zeros" as trained, "mirror" the picture's own edge
    # (features.py), "auto" the mode's: PHOTO_VGG_PADDING, GIF_VGG_PADDING.
    vgg_padding: Literal["auto", "zeros", "mirror"] = "auto"
    # VGG's four poolings: "max" as trained, "avg" (Gatys et al. 2016, features.py).
    vgg_pooling: Literal["max", "avg"] = "max"
    pyramid: int = 1  # coarse-to-fine levels (1 = single scale), each level half the size of the next
    # Pyramid: the share of the steps the finest level gets, the coarser levels splitting the rest equally;
    # 0 = an equal share per level (transfer.pyramid_steps). At 1024 px, 3 levels, 200 steps, half on the
    # finest level against equal shares: chelsea + starry_night edge 0.72 vs 0.59, grain 7.3 vs 8.8, style
    # loss +4.6%; astronaut + the_scream edge 0.84 vs 0.82, grain 2.1 vs 2.4, style +1.7%; 1.15-1.28x the
    # time (docs/benchmarks.md, "Large photos").
    pyramid_finest_share: float = 0.5
    temporal: bool = True  # GIFs: the temporal method (stylizer.temporal); False = the per-frame baseline
    # GIFs: multi-pass over all frames, alternating direction (temporal/passes.py). Many short visits: a frame
    # visited while its neighbours hold still can only move as far as the temporal term lets it, so the
    # frames progress together in small steps. Every frame, 20 steps, 10 passes of 2 against 4 of 5, same
    # time: newtonscradle warping 2.69 -> 2.32, flicker 1.33 -> 1.10, style loss 0.232 -> 0.202; muybridge_120
    # 11.8 -> 11.9, 4.15 -> 3.80, 0.452 -> 0.448; held-out bunny 6.39 -> 6.20, 2.52 -> 2.38, 0.132 -> 0.122
    # (docs/benchmarks.md, "Many short visits, still pixels trusted"). 0 = visits of GIF_VISIT_STEPS steps,
    # at least GIF_MIN_PASSES passes (passes_for), no more than the steps, at each size: 10 passes at 16
    # steps; at the product's 40 (gif_coarse_steps: 8 + 32) 8 passes of 1 at half size, then 16 of 2.
    passes: int = 0
    # GIFs, the temporal method: of each frame's steps, this many are painted at half the size first (a
    # coarse-to-fine start, neural-style's multires), at most a fifth of them (gif_levels: a quick run of
    # a few steps stays at one size); 0 = none. A half-size step costs about a quarter of a full-size one
    # (TF, float32: 0.14 against 0.50 s), its passes are its own (pass_split) and its Adam state fresh; the
    # full size starts from its result upscaled. 40 steps as 8 + 32 against 40 at full size, every frame of
    # muybridge_120 | every 3rd of held-out bunny | of newtonscradle: style loss 0.398 -> 0.379 | 0.101 ->
    # 0.0988 | 0.204 -> 0.191 (the seed's 0.384 | 0.113 | 0.221), flicker 3.48 -> 3.39 | 2.78 -> 2.78 |
    # 0.687 -> 0.691, edges 0.797 -> 0.767 | 0.847 -> 0.814 | 0.885 -> 0.855, time 1.04x -> 0.90x | 0.87x |
    # 0.88x the seed's (docs/benchmarks.md, "Half-size steps first"). 20 half-size steps paint more still
    # and lose more of the picture (newtonscradle's lettering).
    gif_coarse_steps: int = GIF_COARSE_STEPS
    # GIFs larger than gif_size, the temporal method: of each frame's steps, this many are painted last at the
    # GIF's own size (at most GIF_OWN_SIZE_MAX_SCALE x gif_size, and a fifth of the full size's steps), from
    # the full size's result upscaled; the starts (fast paintings) are made at that size too. 0 = painted at
    # gif_size and scaled up, soft at 1:1 (docs/benchmarks.md, "GIFs larger than the painting size").
    gif_own_size_steps: int = GIF_OWN_SIZE_STEPS
    # GIFs with coarse steps: the full size starts from the half size's result upscaled plus the start's own
    # finer band (animation.fine_band: the detail the half size cannot hold), not from the upscaled result
    # alone. newtonscradle, 20 + 30 steps: edge correlation 0.820 -> 0.841, style loss 0.174 -> 0.181.
    coarse_start_detail: bool = True
    # GIFs: the share of each frame's steps spent in the first pass, the later passes splitting the rest
    # equally (pass_iterations); 0 = an equal share per pass.
    first_pass_share: float = 0.0
    # GIFs: the first pass (0-based) that pays the temporal term; earlier passes only blend each start from
    # the neighbours. artistic-videos' multi-pass adds it at pass 8 of 15; 0 = every pass.
    temporal_from_pass: int = 0
    # GIFs: a neighbour blends into a frame's start and pays the temporal term only once it holds a painting
    # (a fast-painting start, or after its first visit), so a GIF that starts from its content is not pulled
    # back towards its later frames' unpainted content in the first pass (temporal/passes.py). False:
    # every neighbour from its start.
    wait_for_neighbours: bool = True
    # GIFs: how much of the painted neighbours a visit's start takes, x <- (x + b Σ c_n w_n) / (1 + b Σ c_n)
    # (temporal/passes.py; 1 = Ruder et al.'s eq. 10, 0 = each visit starts from the frame's own value).
    blend_weight: float = 1.0
    long_term: tuple[int, ...] = (1, 2, 4)  # GIFs: frame offsets with a temporal term (1 = adjacent)
    loop_closure: bool = True  # GIFs that loop: the last frame and the first are neighbours too
    # GIFs: trust a neighbour's pixel only where its input also looks like this frame's (masks.py, colour
    # mismatch: flows that agree and are wrong, as where an object leaves a flat background or across a
    # cut). 16 steps, off -> on: edge correlation newtonscradle 0.872 -> 0.877, muybridge_120 0.798
    # -> 0.817, bunny 0.765 -> 0.800 (its worst frame 0.725 -> 0.778), still flicker 1.08 -> 1.04, 3.76 ->
    # 3.66, 3.37 -> 3.29, style loss within 0.001 or lower; the Farneback warping error, whose ruler trusts
    # the same wrong flow, rises 1-11%, up to the input's own (docs/benchmarks.md, "The colour check is on").
    photometric_check: bool = True
    # GIFs: the stillness prior's zero-motion pixels are no motion boundaries (masks.reliability). Pixels
    # trusted, adjacent pairs: muybridge_120 42% -> 45%, bunny 84% -> 90%, the input's own error on them
    # unchanged; 4 passes, muybridge flicker 4.41 -> 4.15 (docs/benchmarks.md, "Many short visits, still
    # pixels trusted").
    trust_stillness: bool = True
    keep_frame_state: bool = True  # GIFs: each frame's Adam state carries over from its last pass
    batch_frames: int = 1  # GIFs: frames optimised as one batch (1 on a CPU; a GPU fills up with more)
    precision: str = "auto"  # VGG's compute type: auto (bfloat16 on CPUs with it native), float32, bfloat16
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
    # GIFs, "fast+full": the start's strength is lowered from `strength` until the fast painting's content
    # term is at most this (temporal/start.py); 0 = always `strength`.
    start_content_limit: float = 0.85
    # GIFs, "fast+full": a fast-painting start only where the flow trusts at least this share of the GIF
    # (the mean weight of adjacent neighbours, temporal/start.mean_adjacent_reliability); under it every
    # frame starts from its content, the per-frame method's start (a GIF of cuts or unrelated frames has
    # little for the temporal method to hold). 0 = always the fast painting. Trusted (DIS, 256 px):
    # newtonscradle 0.97, bunny 0.90, muybridge_120 0.45. muybridge, every frame, 16 steps, κ = 1, style
    # weight 15, from its content / from the fast painting (s = 0.29): style loss 0.439 / 0.390 (the
    # per-frame method's 0.395), flicker 3.40 / 4.01, edges 0.827 / 0.770 (docs/benchmarks.md, "The temporal
    # pull by default"). Was 0.5 while the term was in the loss: muybridge's fast start then cost 1.2x the
    # per-frame method's flicker.
    start_min_trust: float = 0.25
    # GIFs, "fast+full": how much of the content's large-scale light and dark the fast-painting start takes
    # (temporal/start.keep_values; 0 = the fast painting as it is). newtonscradle (tuning), every 3rd frame,
    # 16 steps, 0 / 0.5 / 1: edge correlation 0.858 / 0.873 / 0.885, flicker 1.24 / 1.05 / 1.25, style loss
    # 0.82x / 0.90x / 1.06x the per-frame method's (docs/benchmarks.md, "The start keeps the frame's light and dark").
    start_values: float = 0.5

    def __post_init__(self):
        if self.layer_preset not in LAYER_PRESETS:
            raise ValueError(f"Unknown layer preset {self.layer_preset!r}; choose one of {sorted(LAYER_PRESETS)}")
        weights = tuple(float(weight) for weight in self.style_layer_weights)  # a JSON list too: hashable
        object.__setattr__(self, "style_layer_weights", weights)
        if weights and (len(weights) != len(self.style_layers) or min(weights) < 0 or not sum(weights) > 0):
            raise ValueError(f"style_layer_weights must be one weight >= 0 per style layer of the preset "
                             f"({', '.join(self.style_layers)}), not all 0, or () for the mode's; not {weights}")
        if self.init not in ("content", "noise"):
            raise ValueError(f"init must be 'content' or 'noise', not {self.init!r}")
        if self.start_content_limit < 0:
            raise ValueError(f"start_content_limit must be >= 0 (0 = off), not {self.start_content_limit}")
        if not 0.0 <= self.start_min_trust <= 1.0:
            raise ValueError(f"start_min_trust must be between 0 and 1 (0 = always), not {self.start_min_trust}")
        if not 0.0 <= self.start_values <= 1.0:
            raise ValueError(f"start_values must be between 0 and 1, not {self.start_values}")
        if not 0.0 <= self.strength <= 1.0:
            raise ValueError(f"strength must be between 0 and 1, not {self.strength}")
        if self.optimizer not in ("adam", "lbfgs"):
            raise ValueError(f"optimizer must be 'adam' or 'lbfgs', not {self.optimizer!r}")
        if self.method not in METHODS:
            raise ValueError(f"method must be one of {', '.join(METHODS)}, not {self.method!r}")
        if not 0.0 <= self.pyramid_finest_share < 1.0:
            raise ValueError(f"pyramid_finest_share must be in [0, 1) (0 = equal shares), not {self.pyramid_finest_share}")
        if self.iterations < 0 or (self.size and self.size < 16) or self.pyramid < 1:
            raise ValueError("iterations >= 1 (or 0: the default), size >= 16 px (or 0: the default) and pyramid >= 1 are required")
        if self.passes < 0 or self.batch_frames < 1 or not self.long_term or min(self.long_term) < 1:
            raise ValueError(f"passes >= 1 (or 0: visits of {GIF_VISIT_STEPS} steps), batch_frames >= 1 and long_term "
                             "offsets >= 1 are required")
        if not (self.laplacian_weight >= 0 or self.laplacian_weight == -1) or self.laplacian_pool < 1:
            raise ValueError(f"laplacian_weight must be >= 0 (0 = off; -1 = the mode's) and laplacian_pool >= 1 "
                             f"px, not {self.laplacian_weight} and {self.laplacian_pool}")
        if self.gif_own_size_steps < 0:
            raise ValueError(f"gif_own_size_steps must be >= 0 (0 = scaled up from gif_size), not "
                             f"{self.gif_own_size_steps}")
        if self.gif_coarse_steps < 0:
            raise ValueError(f"gif_coarse_steps must be >= 0 (0 = no half-size level), not {self.gif_coarse_steps}")
        for name in ("lr_decay_share", "gif_lr_decay_share"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1 (0 = a constant step size), not "
                                 f"{getattr(self, name)}")
        if not 0.0 <= self.first_pass_share < 1.0:
            raise ValueError(f"first_pass_share must be in [0, 1) (0 = equal shares), not {self.first_pass_share}")
        if self.temporal_pull < 0:
            raise ValueError(f"temporal_pull must be >= 0 (0 = the term in the loss), not {self.temporal_pull}")
        if self.free_pull < 0:
            raise ValueError(f"free_pull must be >= 0 (0 = free pixels keep every step), not {self.free_pull}")
        if not 0.0 <= self.blend_weight:
            raise ValueError(f"blend_weight must be >= 0 (0 = no blend), not {self.blend_weight}")
        if self.temporal_from_pass < 0 or (self.passes and self.temporal_from_pass >= self.passes):
            raise ValueError(f"temporal_from_pass must be in [0, passes), not {self.temporal_from_pass}")
        if self.vgg_padding not in VGG_PADDINGS:
            raise ValueError(f"vgg_padding must be one of {', '.join(VGG_PADDINGS)}, not {self.vgg_padding!r}")
        if self.vgg_pooling not in VGG_POOLINGS:
            raise ValueError(f"vgg_pooling must be one of {', '.join(VGG_POOLINGS)}, not {self.vgg_pooling!r}")
        if self.precision not in PRECISIONS:
            raise ValueError(f"precision must be one of {', '.join(PRECISIONS)}, not {self.precision!r}")
        if self.optimizer == "lbfgs" and self.precision == "auto":
            # L-BFGS-B's line search compares loss values against the gradient's prediction; bfloat16's
            # rounding makes them disagree and it stops at its first step (on an AVX512-BF16 CPU, 40x48 px:
            # 6 evaluations, no decrease). So "auto" means float32 for L-BFGS; bfloat16 only when asked.
            object.__setattr__(self, "precision", "float32")

    @property
    def photo_size(self) -> int:
        return self.size or PHOTO_SIZE

    @property
    def photo_style_weight(self) -> float:
        return self.style_weight or PHOTO_STYLE_WEIGHT

    @property
    def gif_style_weight(self) -> float:
        return self.style_weight or GIF_STYLE_WEIGHT

    @property
    def photo_laplacian_weight(self) -> float:
        return PHOTO_LAPLACIAN_WEIGHT if self.laplacian_weight < 0 else self.laplacian_weight

    @property
    def gif_laplacian_weight(self) -> float:
        return GIF_LAPLACIAN_WEIGHT if self.laplacian_weight < 0 else self.laplacian_weight

    @property
    def photo_vgg_padding(self) -> str:
        return PHOTO_VGG_PADDING if self.vgg_padding == "auto" else self.vgg_padding

    @property
    def gif_vgg_padding(self) -> str:
        return GIF_VGG_PADDING if self.vgg_padding == "auto" else self.vgg_padding

    @property
    def gif_size(self) -> int:
        return self.size or GIF_SIZE

    @property
    def photo_iterations(self) -> int:
        return self.iterations or PHOTO_ITERATIONS

    @property
    def gif_iterations(self) -> int:
        return self.iterations or GIF_ITERATIONS

    @property
    def gif_passes(self) -> int:
        """The passes a GIF's full-size level gets (passes_for its steps; gif_levels: ordinary proportions)."""
        return self.passes_for(self.gif_levels[-1][1])

    @property
    def pass_iterations(self) -> tuple[int, ...]:
        """Steps per frame in each pass of the full-size level (pass_split of its steps; gif_levels)."""
        return self.pass_split(self.gif_levels[-1][1])

    @property
    def gif_levels(self) -> tuple[tuple[int, int], ...]:
        """(longest side, steps per frame) of each size a GIF is painted at, coarse to fine, the steps summing
        to gif_iterations: gif_coarse_steps (at most a fifth of them) at half gif_size, the rest at gif_size.
        The per-frame method (temporal False) paints at gif_size only."""
        # no half size under 32 px: too small a painting to start a smaller one from (a GIF too thin for VGG
        # at half size, whatever its size, is gif_levels_for's case)
        coarse = level_steps(self.gif_coarse_steps, self.gif_iterations) if self.temporal and self.gif_size >= 64 else 0
        half = ((self.gif_size // 2, coarse),) if coarse else ()
        return half + ((self.gif_size, self.gif_iterations - coarse),)

    def gif_levels_for(self, height: int, width: int) -> tuple[tuple[int, int], ...]:
        """gif_levels for a GIF of height x width: a strip too thin for VGG at half size (a side under
        VGG_MIN_SIDE, e.g. a 10:1 banner at 256 px: 128x13) is painted at the full size only, all its steps
        there; the full size, if that thin too, is lengthened by resize_longest (rules.geometry.paint_shape).
        A GIF larger than gif_size then takes gif_own_size_steps of the full size's steps (at most a fifth)
        at its own size, last: a 480x320 GIF at the product's 40 steps is painted 8 + 28 + 4, at 128, 256
        and 480 px."""
        levels = self.gif_levels
        if len(levels) > 1 and thinner_than(height, width, levels[0][0]):
            levels = ((self.gif_size, self.gif_iterations),)
        side = own_size_side(height, width, self.gif_size, GIF_OWN_SIZE_MAX_SCALE) if self.temporal else 0
        own = level_steps(self.gif_own_size_steps, levels[-1][1]) if side else 0
        if own:
            levels = levels[:-1] + ((self.gif_size, levels[-1][1] - own), (side, own))
        return levels

    def passes_for(self, steps: int) -> int:
        """The passes a level of `steps` steps per frame gets: `passes` (0: one per GIF_VISIT_STEPS steps,
        at least GIF_MIN_PASSES), but no more than its steps, so that a run asked for fewer steps than
        passes (a quick look, a test) takes the steps it was asked for, one per pass."""
        passes = self.passes or max(GIF_MIN_PASSES, -(-steps // GIF_VISIT_STEPS))
        return max(1, min(passes, steps))

    def pass_split(self, steps: int) -> tuple[int, ...]:
        """Steps per frame in each pass, summing to `steps`: an equal split (the earlier passes take the
        remainder), or first_pass_share of the steps in the first pass and the rest split so over the
        others, at least 1 step per pass."""
        passes = self.passes_for(steps)
        if not self.first_pass_share or passes == 1:
            return split_steps(steps, passes)
        first = min(max(1, round(steps * self.first_pass_share)), steps - (passes - 1))
        return (first,) + split_steps(steps - first, passes - 1)

    def _deepest_at(self, share: float) -> tuple[float, ...]:
        if self.style_layer_weights or share == 1.0:
            return self.style_layer_weights  # set, or equal shares: ()
        return (1.0,) * (len(self.style_layers) - 1) + (share,)

    @property
    def photo_style_layer_weights(self) -> tuple[float, ...]:
        return self._deepest_at(PHOTO_DEEPEST_STYLE_SHARE)

    @property
    def gif_style_layer_weights(self) -> tuple[float, ...]:
        """The temporal method's; the per-frame baseline (temporal False) keeps equal shares, as it was."""
        return self._deepest_at(GIF_DEEPEST_STYLE_SHARE if self.temporal else 1.0)

    @property
    def style_layers(self) -> tuple[str, ...]:
        return LAYER_PRESETS[self.layer_preset]["style"]

    @property
    def content_layers(self) -> tuple[str, ...]:
        return LAYER_PRESETS[self.layer_preset]["content"]

    def for_photo(self) -> "StyleSettings":
        """These settings with each "the mode's default" (0, "auto") resolved as a photo gets it."""
        return self.replace(size=self.photo_size, iterations=self.photo_iterations,
                            style_weight=self.photo_style_weight, vgg_padding=self.photo_vgg_padding, free_pull=0.0,
                            laplacian_weight=self.photo_laplacian_weight,
                            style_layer_weights=self.photo_style_layer_weights)

    def for_gif(self) -> "StyleSettings":
        """These settings with each "the mode's default" (0, "auto") resolved as a GIF gets it."""
        return self.replace(size=self.gif_size, iterations=self.gif_iterations, style_weight=self.gif_style_weight,
                            vgg_padding=self.gif_vgg_padding, free_pull=self.free_pull if self.temporal else 0.0,
                            laplacian_weight=self.gif_laplacian_weight,
                            style_layer_weights=self.gif_style_layer_weights)

    def to_json(self) -> dict:
        return dataclasses.asdict(self)

    def replace(self, **changes) -> "StyleSettings":
        return dataclasses.replace(self, **changes)
