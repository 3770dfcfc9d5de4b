"""Where a GIF's frames start: their fast painting, toned down until it still holds the content.

Starting every frame from its fast painting (Ghiasi et al. 2017) gives the optimisation a painted,
flicker-free head start, but on some GIFs that painting has already lost the picture: on muybridge_120
(a 30x20 px photograph upscaled) the fast painting keeps almost no outline, and 20 steps per frame under a
temporal term that ties the frames together cannot bring the horse back (docs/benchmarks.md, "GIF
start"). Ghiasi's strength s interpolates the style vector between the content's own (0) and the style's
(1); here s is lowered in steps of STRENGTH_STEP until the method's own content term of the painting,

    L_content(fast_s(I), I) = ‖F(fast_s(I)) − F(I)‖² / ‖F(I)‖²       (losses.content_loss, block2_conv2),

averaged over up to SAMPLE_FRAMES frames, is at most `limit`. Between the first candidate that passes,
s_k with term t_k, and the one above it that failed, s_k + STRENGTH_STEP with t_(k+1), the strength is
interpolated to where a straight line through the two meets the limit,

    s = s_k + STRENGTH_STEP (limit − t_k) / (t_(k+1) − t_k),

so the choice moves a little when the term moves a little: on the grid alone, newtonscradle's term at
s = 0.5 (0.82, 3% under the 0.85 limit) went over it on another machine and the start fell a whole step to
0.25 (style loss 0.92x → 1.09x the per-frame method's; docs/benchmarks.md). The term is close to linear in s
(table below). When no s > 0 passes, the frames start from their content (the seed method's start). The
content term is the loss's, not a ruler of stylizer.metrics: the choice never looks at the edges or SSIM the
benchmarks score.

Before that, the flow decides: fast paintings of consecutive frames differ (each is painted alone), and
only the temporal term removes that flicker, only where a neighbour is reliable. Where the method's own
masks trust less than settings.start_min_trust of the frame on average (adjacent neighbours), the
frames start from their content, which flickers only as much as the GIF itself.

The chosen painting then takes part of each frame's large-scale light and dark (keep_values,
settings.start_values): the fast painting lifts dark regions to the style's mid tones, and the few steps a
frame gets do not bring them back.
"""
from __future__ import annotations

from typing import Callable

import cv2
import numpy as np

from .neighbours import Neighbour

STRENGTH_STEP = 0.25
SAMPLE_FRAMES = 4
# Behind settings.start_content_limit's default, 0.85. The fast painting's content term, starry_night, frames
# at 256 px (mean of every 6th frame):
#   strength      1.0   0.75  0.5   0.25
#   newtonscradle 1.96  1.36  0.81  0.41     (the_scream 1.09 0.81 0.56 0.33; great_wave 1.01 0.70 0.47 0.28)
#   muybridge_120 3.71  2.50  1.47  0.68     (the_scream 2.25 1.66 1.07 0.59; great_wave 2.47 1.68 1.00 0.48)
# At 20 steps/frame, starry_night, every 6th frame: newtonscradle from s = 1 keeps edge correlation 0.73
# with style loss 0.80x the per-frame method's, from s = 0.5 0.86 and 0.95x; muybridge from s = 1 0.42 and
# warping error 1.11x per-frame's, from its content 0.75 and 0.97x. 0.85 picked s = 0.5 and 0.25 for them on
# the grid; interpolated (every frame: 0.824 at 0.5, 1.365 at 0.75, float32 and bfloat16 alike) newtonscradle
# starts at 0.51.

# The trust gate's history (settings.start_min_trust). Mean reliability of adjacent neighbours
# (masks.reliability, DIS, 256 px): newtonscradle 0.86 (every 6th frame 0.83), muybridge_120 0.17 (0.13).
# From s = 0.25, muybridge still ended 1.2x the per-frame method's warping error and flicker; from its
# content 0.97x and 0.99x. With the stillness prior (flow.py) the two GIFs are trusted 0.97 and 0.42;
# muybridge from s = 0.32 ended warping 17.0 and edge 0.74, from its content 13.1 and 0.85
# (docs/benchmarks.md, "Optical flow"), so the gate stayed at 0.5 while the temporal term was in the loss.
# With the pull (settings.temporal_pull) muybridge takes its fast start: the gate is 0.25.


def mean_adjacent_reliability(neighbourhoods: list[list[Neighbour]]) -> float:
    """Mean weight of every frame's adjacent neighbours (offset ±1): how much of the GIF the flow trusts."""
    weights = [float(n.weight.mean()) for hood in neighbourhoods for n in hood if abs(n.offset) == 1]
    return float(np.mean(weights)) if weights else 0.0


def candidate_strengths(strength: float) -> list[float]:
    """strength, strength − STRENGTH_STEP, … while > 0 (at least `strength` itself when it is > 0)."""
    steps = int(np.floor(strength / STRENGTH_STEP + 1e-9))
    values = [round(strength - k * STRENGTH_STEP, 6) for k in range(steps + 1)]
    return [value for value in values if value > 1e-6]


def sample_indices(count: int, samples: int = SAMPLE_FRAMES) -> list[int]:
    return sorted(set(np.linspace(0, count - 1, min(samples, count)).round().astype(int).tolist()))


def choose_strength(frames: list[np.ndarray], paint: Callable[[np.ndarray, float], np.ndarray],
                    content_term: Callable[[np.ndarray, np.ndarray], float], strength: float,
                    limit: float) -> float:
    """The strength whose paintings' mean content term meets `limit`, interpolated between the first
    candidate under it and the one above (see the module docstring), `strength` itself when that passes,
    else 0.0 (start from the content). paint(frame, s) → the fast painting; content_term(painting, frame)
    → L_content."""
    sampled = [frames[i] for i in sample_indices(len(frames))]
    above = None  # (strength, term) of the last candidate that kept too little of the content
    for candidate in candidate_strengths(strength):
        term = float(np.mean([content_term(paint(frame, candidate), frame) for frame in sampled]))
        if term <= limit:
            return candidate if above is None else interpolate_strength((candidate, term), above, limit)
        above = (candidate, term)
    return 0.0


def interpolate_strength(passed: tuple[float, float], failed: tuple[float, float], limit: float) -> float:
    """Where the line through (s_pass, t_pass) and (s_fail, t_fail) meets t = limit, to 0.01 and kept in
    [s_pass, s_fail) (a term that does not grow with s, or a rounding up to s_fail, keeps s_pass)."""
    (low, low_term), (high, high_term) = passed, failed
    if high_term <= low_term:
        return low
    value = round(low + (high - low) * (limit - low_term) / (high_term - low_term), 2)
    return value if low <= value < high else low


# The low band that keep_values takes from the content: a Gaussian of this share of the longest side (4 px at
# the GIF size, 256 px: about a fast-painting stroke).
VALUE_SIGMA_SHARE = 1 / 64


def keep_values(painting: np.ndarray, content: np.ndarray, amount: float,
                sigma_share: float = VALUE_SIGMA_SHARE) -> np.ndarray:
    """The fast painting with the content's large-scale light and dark: with Y the luminance
    (0.299 R + 0.587 G + 0.114 B) and G_σ a Gaussian blur,

        P' = clip(P + a · (G_σ * Y(I) − G_σ * Y(P)), 0, 255)        (the same shift in R, G and B)

    so the painting keeps its strokes and colours (everything finer than σ, and the hue) while its
    low-frequency values move towards the content's by `amount` a. The fast painting lifts a dark region
    (bunny's burrow) to the style's mid tones, and a few steps under the content term (VGG features, which
    care for edges more than for values) do not bring it back. Gatys et al. (2016, "Preserving color in
    neural artistic style transfer") transfer the style to the luminance only; here only its low band is
    the content's. float32 HxWx3 on 0..255."""
    painting = np.asarray(painting, np.float32)
    if amount <= 0:
        return painting
    sigma = max(0.5, sigma_share * max(painting.shape[:2]))

    def low_band(image: np.ndarray) -> np.ndarray:
        luma = cv2.cvtColor(np.ascontiguousarray(image[..., :3], np.float32), cv2.COLOR_RGB2GRAY)  # Y as above
        return cv2.GaussianBlur(luma, (0, 0), sigma, borderType=cv2.BORDER_REFLECT)

    shift = amount * (low_band(content) - low_band(painting))
    return np.clip(painting + shift[..., None], 0.0, 255.0)
