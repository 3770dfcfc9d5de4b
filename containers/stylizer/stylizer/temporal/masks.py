"""Where a warped neighbour can be trusted: per-pixel reliability weights c in [0, 1] on a frame's grid.

After Ruder, Dosovitskiy, Brox (2016/2018), "Artistic style transfer for videos (and spherical images)",
section 3.2, and the consistency check of their code, re-derived here:

* occluded: forward and backward flow disagree, |w̃ + ŵ|² > 0.01 (|w̃|² + |ŵ|²) + 0.5;
* motion boundary: the flow changes sharply, |∇û|² + |∇v̂|² > 0.01 |ŵ|² + 0.002;
* out of frame: the flow samples outside the neighbour's image (what enters at a pan's edge was never
  painted there: a border-replicated warp would smear the last column into it);
* colour mismatch (settings.photometric_check, on by default; neither reference has it): the warped
  neighbour's INPUT does not look like this frame,
  mean_c |I_i − warp(I_n, ŵ)| > PHOTOMETRIC_THRESHOLD. Forward and backward flow can agree and still be
  wrong: where an object leaves a flat background both flows are ~0, the check passes, and the temporal
  loss would pin the object's painting where it no longer is (the ghost). The inputs say so directly;
* still by the prior (the method's masks only, `trust_stillness`): a pixel whose flow the stillness prior
  set to zero (temporal/flow.py: zero motion explains its neighbourhood as well as DIS's estimate) is not a
  motion boundary, however much its neighbours' estimates differ from zero. The boundary test exists for
  flows that are smeared across an object's edge; the prior's zero was checked against the pixels
  themselves. Without this, every edge of a zeroed patch in DIS's noise counted as a boundary: on
  muybridge_120 22% of the pixels whose input did not change at all;
* then the map is softened: reliable 1, boundary and out-of-frame 0, occluded −1, a Gaussian blur
  (σ = 0.8 px) and a clip to [0, 1], so the unreliable zone grows about a pixel around occlusions and
  fades instead of stopping at a hard edge where the flow is least right.
"""
from __future__ import annotations

import cv2
import numpy as np

from .flow import sample_points, warp

OCCLUDED = -1.0
SOFTEN_SIGMA_PX = 0.8
# On 0..255, mean over channels. Where DIS and its consistency check agree (weight > 0.5), every 3rd frame at
# 256 px, offsets 1/2/4: newtonscradle's median 0.6, 99th percentile 6.8-8.4, 99.9th 25-45 (muybridge_120's
# median 7, 99th 35-60: a blurred, upscaled GIF). 24 marks what is clearly another surface.
PHOTOMETRIC_THRESHOLD = 24.0


def occluded(flow_fwd: np.ndarray, flow_bwd: np.ndarray) -> np.ndarray:
    """bool HxW on flow_bwd's grid: the forward–backward check fails. flow_bwd = optical_flow(i, n) (the
    flow that brings n onto i), flow_fwd = optical_flow(n, i); w̃(x) = flow_fwd(x + ŵ(x))."""
    carried = warp(flow_fwd.astype(np.float32), flow_bwd, "bilinear")
    mismatch = np.sum((carried + flow_bwd) ** 2, axis=-1)
    magnitude = np.sum(carried ** 2, axis=-1) + np.sum(flow_bwd ** 2, axis=-1)
    return mismatch > 0.01 * magnitude + 0.5


def motion_boundary(flow: np.ndarray) -> np.ndarray:
    """bool HxW: |∇u|² + |∇v|² > 0.01 |w|² + 0.002."""
    du_dy, du_dx = _derivatives(flow[..., 0])
    dv_dy, dv_dx = _derivatives(flow[..., 1])
    gradient = du_dx ** 2 + du_dy ** 2 + dv_dx ** 2 + dv_dy ** 2
    return gradient > 0.01 * np.sum(flow ** 2, axis=-1) + 0.002


def _derivatives(channel: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(∂/∂y, ∂/∂x) by central differences (np.gradient); zero along a side of one pixel, which has no
    neighbour to differ from (a 1-px-high GIF, scored at its own size by stylizer.metrics)."""
    return tuple(np.gradient(channel, axis=axis) if channel.shape[axis] > 1 else np.zeros_like(channel)
                 for axis in (0, 1))


def out_of_frame(flow: np.ndarray) -> np.ndarray:
    """bool HxW: the backward warp along `flow` samples outside the source image (beyond half a pixel)."""
    height, width = flow.shape[:2]
    map_x, map_y = sample_points(flow)
    return (map_x < -0.5) | (map_x > width - 0.5) | (map_y < -0.5) | (map_y > height - 0.5)


def colour_mismatch(frame: np.ndarray, neighbour: np.ndarray, flow_bwd: np.ndarray,
                    threshold: float = PHOTOMETRIC_THRESHOLD) -> np.ndarray:
    """bool HxW on frame's grid: mean_c |frame − warp(neighbour, flow_bwd)| > threshold (0..255 inputs)."""
    warped = warp(np.asarray(neighbour, np.float32), flow_bwd, "bilinear")
    difference = np.abs(np.asarray(frame, np.float32) - warped)
    return (difference.mean(axis=-1) if difference.ndim == 3 else difference) > threshold


def still_by_prior(flow: np.ndarray) -> np.ndarray:
    """bool HxW: the flow is exactly zero, as only the stillness prior sets it (DIS's estimates are never
    exactly 0 in both components)."""
    return (flow[..., 0] == 0) & (flow[..., 1] == 0)


def reliability(flow_fwd: np.ndarray, flow_bwd: np.ndarray, sigma: float = SOFTEN_SIGMA_PX,
                frames: tuple[np.ndarray, np.ndarray] | None = None, trust_stillness: bool = False) -> np.ndarray:
    """float32 HxW in [0, 1] on flow_bwd's grid: how far warp(neighbour, flow_bwd) can be trusted.
    `frames` = (input_i, input_n) adds the colour-mismatch check; `trust_stillness` exempts the prior's
    still pixels from the motion-boundary test (both the method's masks; the rulers of stylizer.metrics
    keep Ruder et al.'s flow-only check)."""
    weights = np.ones(flow_bwd.shape[:2], np.float32)
    outside = out_of_frame(flow_bwd)
    boundary = motion_boundary(flow_bwd)
    if trust_stillness:
        boundary &= ~still_by_prior(flow_bwd)
    weights[boundary | outside] = 0.0
    unreliable = occluded(flow_fwd, flow_bwd)
    if frames is not None:
        unreliable |= colour_mismatch(frames[0], frames[1], flow_bwd)
    weights[unreliable] = OCCLUDED
    if sigma > 0:
        weights = cv2.GaussianBlur(weights, (0, 0), sigmaX=sigma, sigmaY=sigma, borderType=cv2.BORDER_REPLICATE)
    weights[outside] = 0.0  # never painted: no blur may lend it weight
    return np.clip(weights, 0.0, 1.0)


def exclusive(masks_nearest_first: list[np.ndarray]) -> list[np.ndarray]:
    """Long-term weights where each pixel counts once: c'_j = max(c_j − Σ_{k nearer} c'_k, 0).

    After Ruder et al. 2018, eq. 8 (which subtracts the unreduced c_k): a pixel seen reliably by the nearest
    neighbour takes no weight from farther ones; a pixel occluded in the nearest (a ball that just passed)
    takes it from the first that sees it. Subtracting the reduced weights keeps Σ_j c'_j = max over the
    prefix, at most 1, also for the soft masks of `reliability`.
    """
    seen = np.zeros_like(masks_nearest_first[0]) if masks_nearest_first else None
    result = []
    for mask in masks_nearest_first:
        result.append(np.maximum(mask - seen, 0.0).astype(np.float32))
        seen = seen + result[-1]
    return result
