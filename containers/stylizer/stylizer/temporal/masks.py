"""Where a warped neighbour can be trusted: per-pixel reliability weights c in [0, 1] on a frame's grid.

After Ruder, Dosovitskiy, Brox (2016/2018), "Artistic style transfer for videos (and spherical images)",
section 3.2, and the consistency check of their code, re-derived here:

* occluded: forward and backward flow disagree, |w̃ + ŵ|² > 0.01 (|w̃|² + |ŵ|²) + 0.5;
* motion boundary: the flow changes sharply, |∇û|² + |∇v̂|² > 0.01 |ŵ|² + 0.002;
* out of frame: the flow samples outside the neighbour's image (what enters at a pan's edge was never
  painted there: a border-replicated warp would smear the last column into it);
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


def occluded(flow_fwd: np.ndarray, flow_bwd: np.ndarray) -> np.ndarray:
    """bool HxW on flow_bwd's grid: the forward–backward check fails. flow_bwd = optical_flow(i, n) (the
    flow that brings n onto i), flow_fwd = optical_flow(n, i); w̃(x) = flow_fwd(x + ŵ(x))."""
    carried = warp(flow_fwd.astype(np.float32), flow_bwd, "bilinear")
    mismatch = np.sum((carried + flow_bwd) ** 2, axis=-1)
    magnitude = np.sum(carried ** 2, axis=-1) + np.sum(flow_bwd ** 2, axis=-1)
    return mismatch > 0.01 * magnitude + 0.5


def motion_boundary(flow: np.ndarray) -> np.ndarray:
    """bool HxW: |∇u|² + |∇v|² > 0.01 |w|² + 0.002."""
    du_dy, du_dx = np.gradient(flow[..., 0])
    dv_dy, dv_dx = np.gradient(flow[..., 1])
    gradient = du_dx ** 2 + du_dy ** 2 + dv_dx ** 2 + dv_dy ** 2
    return gradient > 0.01 * np.sum(flow ** 2, axis=-1) + 0.002


def out_of_frame(flow: np.ndarray) -> np.ndarray:
    """bool HxW: the backward warp along `flow` samples outside the source image (beyond half a pixel)."""
    height, width = flow.shape[:2]
    map_x, map_y = sample_points(flow)
    return (map_x < -0.5) | (map_x > width - 0.5) | (map_y < -0.5) | (map_y > height - 0.5)


def reliability(flow_fwd: np.ndarray, flow_bwd: np.ndarray, sigma: float = SOFTEN_SIGMA_PX) -> np.ndarray:
    """float32 HxW in [0, 1] on flow_bwd's grid: how far warp(neighbour, flow_bwd) can be trusted."""
    weights = np.ones(flow_bwd.shape[:2], np.float32)
    outside = out_of_frame(flow_bwd)
    weights[motion_boundary(flow_bwd) | outside] = 0.0
    weights[occluded(flow_fwd, flow_bwd)] = OCCLUDED
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
