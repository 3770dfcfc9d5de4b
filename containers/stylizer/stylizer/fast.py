"""Fast mode: one forward pass of Magenta's arbitrary-stylisation network instead of an optimisation.

Ghiasi, Lee, Kudlur, Dumoulin, Shlens (2017), "Exploring the structure of a real-time, arbitrary neural
artistic stylization network" (BMVC, arXiv:1705.06830): a style-prediction network P maps a style image to
a 100-d vector S = P(style); a transformer network T, whose conditional instance norms take their scales and
shifts from S, paints the content c:  out = T(c, S).  The networks come from fast_model.py.

  blend of styles    S = Σ_i w_i P(s_i) / Σ_i w_i           (the paper's §5 interpolation between styles)
  strength α ∈ [0,1]  S_α = α S + (1 − α) P(c)                (Magenta's "content_blending_ratio": 0 = the
                                                              content's own style, close to the photo)

Painting size, measured once during development (a throwaway script, not kept in benchmarks/): starry_night,
style_and_content_loss at the output size, lower = better; CPU seconds with another job on the 2 cores:

  output               (a) 384 square + pad    (b) 384 tiles, native    (c) own size (dynamic graph)
  chelsea 256 px       1.56e9 / 8.3e4          2.11e9 / 1.14e5          2.09e9 / 1.15e5    style / content
  chelsea 451 px       2.44e9 / 1.19e5         1.37e9 / 9.8e4  1.56 s   1.63e9 / 1.12e5  0.81 s
  astronaut 512 px     4.01e9 / 1.17e5         1.70e9 / 1.10e5 1.20 s   1.63e9 / 1.16e5  0.51 s
  coffee 600 px        4.73e9 / 1.15e5         1.51e9 / 1.15e5 0.96 s   1.66e9 / 1.17e5  0.42 s

Above 384 px, (a) shrinks the photo and upsamples the painting: soft, 2–3x the style loss. Tiles (b) and
the whole image (c) score alike, but (c) is half the time and cannot show seams (each tile's instance norm
has its own statistics). Below 384 px, painting at the output's own size makes strokes too coarse for the
image (visibly blotchy); painting at a longest side of 384 and shrinking is better: chelsea 256 px
(c) at 256: 2.09e9 / 1.15e5, at 384: 1.35e9 / 8.6e4, at 512: 1.23e9 / 7.9e4 (1.5x the time of 384);
newtonscradle 200 px: 2.72e9 / 1.25e5, 2.99e9 / 8.5e4, 2.92e9 / 8.5e4 (and far less noise to the eye).
Hence: paint at the content's own aspect ratio, longest side max(output size, MIN_PAINT_SIDE), reflect-
padded to a multiple of 8 (three stride-2 convs), then crop and resize to the output.
"""
import hashlib
import threading
from collections import OrderedDict

import cv2
import numpy as np

from . import fast_model
from .transfer import resize_longest, resize_to

STYLE_SIDE = 256  # the prediction network's input size
MIN_PAINT_SIDE = 384  # see the measurement above
STRIDE = 8  # the transformer downsamples 3x by 2
_VECTORS: OrderedDict = OrderedDict()  # image hash -> style vector, newest last
_VECTORS_MAX = 64
_vectors_lock = threading.Lock()


def _run(name: str, feeds: list[np.ndarray]) -> np.ndarray:
    session = fast_model.session(name)
    inputs = [item.name for item in session.get_inputs()]
    return session.run(None, dict(zip(inputs, feeds)))[0]


def style_vector(image: np.ndarray) -> np.ndarray:
    """S = P(image): the (100,) float32 style vector of a uint8 HxWx3 image, from its central square
    scaled to 256x256 (Magenta's preprocessing). Cached by the image's hash: a style costs one pass."""
    image = np.ascontiguousarray(np.asarray(image, np.uint8)[..., :3])
    key = hashlib.sha1(image.tobytes() + repr(image.shape).encode()).hexdigest()
    with _vectors_lock:
        if key in _VECTORS:
            _VECTORS.move_to_end(key)
            return _VECTORS[key]
    height, width = image.shape[:2]
    side = min(height, width)
    top, left = (height - side) // 2, (width - side) // 2
    square = resize_to(image[top:top + side, left:left + side], STYLE_SIDE, STYLE_SIDE)
    vector = _run(fast_model.PREDICT, [square[None].astype(np.float32) / 255.0]).reshape(-1)
    with _vectors_lock:
        _VECTORS[key] = vector
        while len(_VECTORS) > _VECTORS_MAX:
            _VECTORS.popitem(last=False)
    return vector


def blended_vector(styles, content: np.ndarray | None = None, strength: float = 1.0) -> np.ndarray:
    """S_α = α Σ_i w_i P(s_i) / Σ_i w_i + (1 − α) P(content) for styles [(uint8 image, weight)...]."""
    total = sum(weight for _, weight in styles)
    if not styles or total <= 0:
        raise ValueError("At least one style with a positive weight is needed")
    if not 0.0 <= strength <= 1.0:
        raise ValueError(f"strength must be from 0 to 1, not {strength}")
    vector = sum(style_vector(image) * (weight / total) for image, weight in styles)
    if strength < 1.0:
        vector = strength * vector + (1.0 - strength) * style_vector(content)
    return vector.astype(np.float32)


def paint(content: np.ndarray, vector: np.ndarray) -> np.ndarray:
    """out = T(content, S) at the content's own size: uint8 HxWx3 in, uint8 HxWx3 out."""
    height, width = content.shape[:2]
    pad_h, pad_w = -height % STRIDE, -width % STRIDE
    # reflect needs pad < side; tiny inputs (a few px) fall back to edge replication
    mode = "reflect" if pad_h < height and pad_w < width else "edge"
    padded = np.pad(content[..., :3], ((0, pad_h), (0, pad_w), (0, 0)), mode=mode)
    out = _run(fast_model.TRANSFORM, [padded[None].astype(np.float32) / 255.0, vector.reshape(1, 1, 1, -1)])
    return np.clip(np.rint(out[0, :height, :width] * 255.0), 0, 255).astype(np.uint8)


def fast_stylize(content: np.ndarray, styles, strength: float = 1.0, size: int | None = None) -> np.ndarray:
    """The stylised uint8 image with longest side `size` (default: the content's), aspect ratio kept.

    Painted at a longest side of max(size, MIN_PAINT_SIDE) (see the module docstring), then resized.
    """
    content = np.asarray(content, np.uint8)[..., :3]
    vector = blended_vector(styles, content, strength)
    size = size or max(content.shape[:2])
    target = resize_longest(content, size, min_side=1)  # the shape asked for; the network paints larger
    painted = paint(resize_longest(content, max(size, MIN_PAINT_SIDE)), vector)
    return resize_to(painted, *target.shape[:2])


def fast_frames(frames: list[np.ndarray], styles, flows, blend: float, strength: float = 1.0):
    """Yields the stylised frames of an animation, temporally smoothed after Ruder et al. (2016):

        out_t = m_t α warp(out_{t−1}, ŵ_t) + (1 − m_t α) T(frame_t, S)

    with ŵ_t the flow from input frame t back to t−1 and m_t its occlusion mask (temporal.neighbours.adjacent_flows), so
    each pixel that the flow trusts keeps a fraction α of the previous painting moved along the motion,
    and per-frame feed-forward flicker averages out, while occluded/new regions take the fresh painting.
    `flows` = [] (or blend = 0) is the per-frame baseline. Frames at the flows' size; S computed once.
    """
    from .temporal.flow import warp

    vector = blended_vector(styles, frames[0], strength)
    previous = None
    for index, frame in enumerate(frames):
        size = max(frame.shape[:2])
        fresh = resize_to(paint(resize_longest(frame, max(size, MIN_PAINT_SIDE)), vector), *frame.shape[:2])
        if previous is None or not flows or blend <= 0:
            out = fresh.astype(np.float32)
        else:
            flow, mask = flows[index - 1]
            keep = (mask * blend)[..., None]
            out = keep * warp(previous, flow) + (1.0 - keep) * fresh
        previous = out
        yield np.clip(np.rint(out), 0, 255).astype(np.uint8)
