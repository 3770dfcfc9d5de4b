"""Dense optical flow and backward warping (the geometry of the temporal method).

Conventions (used by every module of stylizer.temporal and by stylizer.metrics):

* A flow is float32 HxWx2, channel 0 = horizontal displacement u (x, columns), channel 1 = vertical v
  (y, rows), in pixels, defined on the grid of the FIRST argument of `optical_flow`.
* `f = optical_flow(a, b)` means  a[y, x] ≈ b[y + f[y, x, 1], x + f[y, x, 0]].
* `warp(b, f)[y, x] = b[y + f[y, x, 1], x + f[y, x, 0]]` (backward warp), so `warp(b, optical_flow(a, b)) ≈ a`:
  to bring stylised frame n onto frame i, warp it with optical_flow(input_i, input_n).

Two OpenCV estimators: DIS (Kroeger et al. 2016, inverse search with variational refinement) and
Farneback (2003, polynomial expansion). One drives the method (FLOW_METHOD), the other is the ruler that
scores it (stylizer.metrics.RULER_FLOW), so a result is never judged by the flow it was optimised against.
The choice between them is measured in docs/benchmarks.md ("Optical flow").
"""
from __future__ import annotations

import cv2
import numpy as np

FLOW_METHODS = ("dis", "farneback")
FLOW_METHOD = "dis"  # see docs/benchmarks.md, "Optical flow"

# Lanczos (8x8 taps) keeps texture through chained warps; bilinear averages neighbours on every warp.
# Measured here (mean |Laplacian| of a textured image, 0.3-0.5 px shifts): bilinear 21.4 -> 5.2 after 5
# warps, 1.2 after 20; Lanczos 20.5, 19.8, 20.2 (tests/unit/test_temporal_flow.py keeps it).
INTERPOLATIONS = {"lanczos": cv2.INTER_LANCZOS4, "bilinear": cv2.INTER_LINEAR, "cubic": cv2.INTER_CUBIC}
DEFAULT_INTERPOLATION = "lanczos"

# DIS's gradient-descent iterations per patch at each scale: twice its MEDIUM preset's 25. On the pan GIF of
# benchmarks/pan_gif.py, whose true flow is known (background −10 px, a face +15 px per frame), the mean
# endpoint error on the face falls 2.80 → 0.56 px (background 0.47 → 0.51) at the same ~15 ms per flow
# (docs/benchmarks.md, "Optical flow"); more refinement iterations or larger patches did not do better.
DIS_DESCENT_ITERATIONS = 50

# Farneback's parameters as the rulers use it (benchmarks/ruler_choice.py varies them).
FARNEBACK_PARAMS = dict(pyr_scale=0.5, levels=4, winsize=15, iterations=3, poly_n=5, poly_sigma=1.2, flags=0)

# The stillness prior on DIS's flow (prefer_stillness): zero motion wherever it explains a pixel's
# neighbourhood (STILL_WINDOW_PX square) within STILL_TOLERANCE grey levels of the estimate. 0 = off.
STILL_TOLERANCE = 1.0
STILL_WINDOW_PX = 7


def to_gray_uint8(image: np.ndarray) -> np.ndarray:
    """HxWx3 RGB or HxW image (uint8, or float on the 0..255 scale) -> HxW uint8 luminance."""
    image = np.asarray(image)
    if image.dtype != np.uint8:
        image = np.clip(np.rint(image), 0, 255).astype(np.uint8)
    if image.ndim == 3 and image.shape[2] == 1:
        image = image[:, :, 0]
    if image.ndim == 3:
        image = cv2.cvtColor(np.ascontiguousarray(image[:, :, :3]), cv2.COLOR_RGB2GRAY)
    return np.ascontiguousarray(image)


def optical_flow(a: np.ndarray, b: np.ndarray, method: str | None = None) -> np.ndarray:
    """Dense flow f from image `a` to image `b`: a[y, x] ≈ b[y + f[..., 1], x + f[..., 0]].

    a, b: HxWx3 RGB or HxW, uint8 or float on 0..255, same size. Returns float32 HxWx2 on a's grid.
    method: "dis" (dis_flow: DIS with DIS_DESCENT_ITERATIONS, then the stillness prior) or "farneback" (as
    it comes: the rulers' flow); default FLOW_METHOD.
    """
    gray_a, gray_b = to_gray_uint8(a), to_gray_uint8(b)
    if gray_a.shape != gray_b.shape:
        raise ValueError(f"optical_flow needs images of one size, got {gray_a.shape} and {gray_b.shape}")
    method = method or FLOW_METHOD
    if method == "dis":
        flow = dis_flow(gray_a, gray_b)
    elif method == "farneback":
        flow = cv2.calcOpticalFlowFarneback(gray_a, gray_b, None, **FARNEBACK_PARAMS)
    else:
        raise ValueError(f"Unknown flow method {method!r}; use one of {', '.join(FLOW_METHODS)}.")
    return np.asarray(flow, dtype=np.float32)


def dis_flow(gray_a: np.ndarray, gray_b: np.ndarray, descent_iterations: int = DIS_DESCENT_ITERATIONS,
             still_tolerance: float = STILL_TOLERANCE) -> np.ndarray:
    """The method's flow between two HxW uint8 luminance images of one size (optical_flow's "dis"): DIS's
    MEDIUM preset refined down to full resolution (GIF frames are small) with `descent_iterations`, then
    the stillness prior when still_tolerance > 0. benchmarks/flow_choice.py varies the two."""
    dis = cv2.DISOpticalFlow_create(cv2.DISOPTICAL_FLOW_PRESET_MEDIUM)
    dis.setFinestScale(0)
    dis.setGradientDescentIterations(descent_iterations)
    flow = dis.calc(gray_a, gray_b, None)
    if still_tolerance > 0:
        flow = prefer_stillness(flow, gray_a, gray_b, still_tolerance, STILL_WINDOW_PX)
    return flow


def prefer_stillness(flow: np.ndarray, gray_a: np.ndarray, gray_b: np.ndarray, tolerance: float,
                     window: int) -> np.ndarray:
    """The flow with zero motion wherever zero explains `a` as well as the estimate does, up to `tolerance`:

        f'(x) = 0   where  B(|a − b|)(x) ≤ B(|a − warp(b, f)|)(x) + τ,   else f(x),

    B a window×window box mean of the luminance error (0..255), τ = tolerance. In flat regions the flow is
    not determined by the pixels, and DIS's mean-normalised patches match noise there: in the blank
    background of muybridge_120 it returns 3–7 px of arbitrary motion (median), which fails the
    forward–backward check, so the method trusted 16% of that GIF. Zero explains those pixels as well, is
    the simplest motion, and agrees with itself both ways. Where something moves, |a − b| exceeds the
    warped error by more than τ and the estimate stays. docs/benchmarks.md, "Optical flow"."""
    a, b = gray_a.astype(np.float32), gray_b.astype(np.float32)
    still_error = cv2.blur(np.abs(a - b), (window, window))
    moved_error = cv2.blur(np.abs(a - warp(b, flow)), (window, window))
    out = flow.copy()
    out[still_error <= moved_error + tolerance] = 0.0
    return out


def sample_points(flow: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(map_x, map_y): where each output pixel of a backward warp samples its source image."""
    height, width = flow.shape[:2]
    grid_x, grid_y = np.meshgrid(np.arange(width, dtype=np.float32), np.arange(height, dtype=np.float32))
    return grid_x + flow[..., 0].astype(np.float32), grid_y + flow[..., 1].astype(np.float32)


def warp_maps(flow: np.ndarray, interpolation: str = DEFAULT_INTERPOLATION) -> tuple[np.ndarray, np.ndarray]:
    """The flow's sample points as cv2.remap maps, for a flow that warps many times (a neighbour on every
    visit of a multi-pass painting). For Lanczos, OpenCV's fixed-point form (cv2.convertMaps, CV_16SC2),
    which remap otherwise converts float maps to on every call: converted once, the warp is bit-identical
    and ~25% faster. Bilinear and cubic remap interpolate float maps exactly (no 1/32 px rounding), so
    they keep them: fixed maps would change their result by up to a few grey levels."""
    points = sample_points(flow)
    if INTERPOLATIONS[interpolation] == cv2.INTER_LANCZOS4:
        return cv2.convertMaps(*points, cv2.CV_16SC2)
    return points


def warp(image: np.ndarray, flow: np.ndarray, interpolation: str = DEFAULT_INTERPOLATION,
         maps: tuple[np.ndarray, np.ndarray] | None = None, rows: slice | None = None) -> np.ndarray:
    """Backward warp: out[y, x] = image[y + flow[y, x, 1], x + flow[y, x, 0]], border replicated.

    image: HxW or HxWxC, uint8 or float32 (dtype kept; C may exceed 4). flow: float32 HxWx2 on the output
    grid. Lanczos by default (see INTERPOLATIONS); its overshoot is clipped to the input's range, so a
    0..255 image stays one. An integer shift is reproduced exactly. `maps`: warp_maps(flow, interpolation), precomputed.
    `rows`: only those rows of the output, each pixel exactly as in the whole warp (remap samples the whole
    image for each output pixel on its own), so bands of one warp can run on several cores.
    """
    image = np.asarray(image)
    if image.shape[:2] != flow.shape[:2]:
        raise ValueError(f"warp: image {image.shape[:2]} and flow {flow.shape[:2]} differ in size")
    map_x, map_y = maps if maps is not None else sample_points(flow)
    if rows is not None:
        map_x, map_y = map_x[rows], map_y[rows]
    dtype = image.dtype
    work = image if dtype in (np.uint8, np.float32) else image.astype(np.float32)
    mode = INTERPOLATIONS[interpolation]

    def remap(plane: np.ndarray) -> np.ndarray:
        return cv2.remap(np.ascontiguousarray(plane), map_x, map_y, interpolation=mode,
                         borderMode=cv2.BORDER_REPLICATE)

    if work.ndim == 3 and work.shape[2] > 4:  # cv2.remap handles at most 4 channels at once
        out = np.stack([remap(work[..., c]) for c in range(work.shape[2])], axis=-1)
    else:
        out = remap(work)
        if work.ndim == 3 and out.ndim == 2:  # cv2 drops a trailing channel axis of size 1
            out = out[..., None]
    if mode != cv2.INTER_LINEAR and dtype == np.float32:  # Lanczos/cubic ring past the extremes
        out = np.clip(out, float(work.min()), float(work.max()))
    return out.astype(dtype, copy=False)
