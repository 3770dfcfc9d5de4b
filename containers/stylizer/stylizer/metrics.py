"""Temporal-quality metrics of a stylised animation (reported in metrics.json and the benchmarks).

Both compare the OUTPUT frames against motion measured on the INPUT frames, on the 0..255 scale of uint8
pixels, lower = steadier. Reference for the warping error: Ruder, Dosovitskiy, Brox (2016), "Artistic style
transfer for videos" (temporal consistency measured as the masked difference between a frame and its
warped predecessor); the same measure is used by Lai et al. (2018), "Learning blind video temporal
consistency".
"""
from __future__ import annotations

import cv2
import numpy as np

from .flow import flows_for, warp

DEFAULT_STILL_THRESHOLD = 2  # on 0..255: GIF inputs repeat exact palette colours where nothing moves


def _match_size(input_frames: list[np.ndarray], output_frames: list[np.ndarray]) -> list[np.ndarray]:
    """Input frames resized to the output size (the engine may stylise at a smaller working size)."""
    if len(input_frames) != len(output_frames):
        raise ValueError(f"{len(input_frames)} input frames but {len(output_frames)} output frames")
    height, width = output_frames[0].shape[:2]
    if input_frames[0].shape[:2] == (height, width):
        return list(input_frames)
    return [cv2.resize(np.asarray(frame), (width, height), interpolation=cv2.INTER_AREA)
            for frame in input_frames]


def warping_error(input_frames: list[np.ndarray], output_frames: list[np.ndarray], flows=None) -> float:
    """Mean over t of the occlusion-masked RMS difference between output t+1 and output t warped by the
    input's flow, on the 0..255 scale:

        E = 1/(T-1) Σ_t sqrt( Σ_x c_t(x) · mean_channels (O_{t+1}(x) - warp(O_t, ŵ_t)(x))² / Σ_x c_t(x) )

    with ŵ_t = optical_flow(I_{t+1}, I_t) and c_t the occlusion mask (flow.occlusion_mask). 0 for identical
    outputs; a stylisation that follows the motion scores close to the input's own error (~2.7 on
    newtonscradle.gif). `flows`: precomputed `flow.flows_for(input_frames)` to save the flow computation.
    """
    inputs = _match_size(input_frames, output_frames)
    if len(inputs) < 2:
        return 0.0
    flows = flows if flows is not None else flows_for(inputs)
    errors = []
    for (flow, mask), previous, current in zip(flows, output_frames[:-1], output_frames[1:]):
        warped = warp(np.asarray(previous, np.float32), flow)
        squared = np.mean((np.asarray(current, np.float32) - warped) ** 2, axis=-1)
        errors.append(np.sqrt(np.sum(squared * mask) / max(float(np.sum(mask)), 1.0)))
    return float(np.mean(errors))


def still_flicker(input_frames: list[np.ndarray], output_frames: list[np.ndarray],
                  threshold: float = DEFAULT_STILL_THRESHOLD) -> float:
    """Mean absolute change (0..255, averaged over channels) of output pixels between consecutive frames,
    over the pixels whose input did not change (|I_{t+1} - I_t| <= threshold in every channel):

        F = Σ_t Σ_{x still} mean_c |O_{t+1}(x) - O_t(x)| / Σ_t |still_t|

    0 when the stylisation keeps still regions still; per-frame stylisation without temporal terms
    typically scores several units. Returns 0.0 when no pixel is still.
    """
    inputs = _match_size(input_frames, output_frames)
    total, count = 0.0, 0
    for t in range(len(inputs) - 1):
        input_change = np.abs(inputs[t + 1].astype(np.int16) - inputs[t].astype(np.int16))
        still = np.all(input_change.reshape(*input_change.shape[:2], -1) <= threshold, axis=-1)
        if not still.any():
            continue
        output_change = np.abs(np.asarray(output_frames[t + 1], np.float32)
                               - np.asarray(output_frames[t], np.float32))
        output_change = output_change.reshape(*output_change.shape[:2], -1).mean(axis=-1)
        total += float(output_change[still].sum())
        count += int(still.sum())
    return total / count if count else 0.0


def style_and_content_loss(input_frames: list[np.ndarray], output_frames: list[np.ndarray],
                           styles: list[tuple[np.ndarray, float]], layer_preset: str = "gif_post") -> dict:
    """Mean over frames of the raw (unweighted) style and content losses of losses.py, at the output's size.

    L_style = Σ_l w_l ‖G_l(out) − Σ_s a_s G_l(style_s)‖²,  L_content = ‖F_l(out) − F_l(in)‖² (means over
    elements; Gatys, Ecker, Bethge 2016), on `layer_preset`'s layers, so two methods are scored by one ruler
    whatever weights and layers they optimised with. Imports the engine lazily: the temporal metrics above
    must stay usable without Keras.
    """
    from .settings import StyleSettings
    from .transfer import batch, make_loss_fn, make_targets, style_targets

    settings = StyleSettings(layer_preset=layer_preset)
    loss_fn = make_loss_fn(settings)
    height, width = output_frames[0].shape[:2]
    grams = style_targets(styles, height, width, settings)
    style, content = [], []
    for source, result in zip(_match_size(input_frames, output_frames), output_frames):
        _, terms = loss_fn(batch(result), make_targets(source, grams, settings))
        style.append(float(np.asarray(terms["style"])))
        content.append(float(np.asarray(terms["content"])))
    return {"style_loss": float(np.mean(style)), "content_loss": float(np.mean(content))}
