"""Rulers for a stylised animation or photo that the method does not optimise (metrics.json, benchmarks).

Temporal rulers compare OUTPUT frames against motion measured on the INPUT frames with RULER_FLOW
(Farneback), not the DIS flow the temporal loss is built on, so a method cannot score well by agreeing with
its own flow. Content rulers use Sobel edges and luminance SSIM, not VGG features. All on 0..255 pixels.
References: warping error as in Ruder, Dosovitskiy, Brox (2016) and Lai et al. (2018), "Learning blind video
temporal consistency"; SSIM: Wang, Bovik, Sheikh, Simoncelli (2004).
"""
from __future__ import annotations

import cv2
import numpy as np

from .temporal.flow import warp
from .temporal.neighbours import adjacent_flows

RULER_FLOW = "farneback"  # the method's flow is temporal.flow.FLOW_METHOD ("dis")
DEFAULT_STILL_THRESHOLD = 2  # on 0..255: GIF inputs repeat exact palette colours where nothing moves
RELIABLE = 0.5  # a ruler weight above this counts the pixel as seen by the flow


def _match_size(input_frames: list[np.ndarray], output_frames: list[np.ndarray]) -> list[np.ndarray]:
    """Input frames resized to the output size (the engine may stylise at another working size)."""
    if len(input_frames) != len(output_frames):
        raise ValueError(f"{len(input_frames)} input frames but {len(output_frames)} output frames")
    height, width = output_frames[0].shape[:2]
    if input_frames[0].shape[:2] == (height, width):
        return list(input_frames)
    return [cv2.resize(np.asarray(frame), (width, height), interpolation=cv2.INTER_AREA)
            for frame in input_frames]


def _pair_errors(inputs, outputs, pairs, flows):
    """RMS of O_b − warp(O_a) over the ruler-reliable pixels of b, for (a, b) index pairs."""
    errors = []
    for (a, b), (flow, weight) in zip(pairs, flows):
        warped = warp(np.asarray(outputs[a], np.float32), flow, "bilinear")
        squared = np.mean((np.asarray(outputs[b], np.float32) - warped) ** 2, axis=-1)
        mask = (weight > RELIABLE).astype(np.float32)
        errors.append(float(np.sqrt(np.sum(squared * mask) / max(float(mask.sum()), 1.0))))
    return errors


def warping_error(input_frames: list[np.ndarray], output_frames: list[np.ndarray], flows=None) -> float:
    """E = 1/(T−1) Σ_t sqrt( Σ_x c_t(x) · mean_channels (O_{t+1}(x) − warp(O_t, ŵ_t)(x))² / Σ_x c_t(x) )

    with ŵ_t = optical_flow(I_{t+1}, I_t) by RULER_FLOW and c_t its reliability (> 0.5). 0 for identical
    outputs; a stylisation that follows the motion scores close to the input's own error. `flows`:
    precomputed `adjacent_flows(inputs at the output size, RULER_FLOW)`.
    """
    inputs = _match_size(input_frames, output_frames)
    if len(inputs) < 2:
        return 0.0
    flows = flows if flows is not None else adjacent_flows(inputs, RULER_FLOW)
    return float(np.mean(_ordinary_errors(inputs, output_frames, flows)))


def seam_jump(input_frames: list[np.ndarray], output_frames: list[np.ndarray], flows=None) -> float:
    """The warping error of the loop's seam (last frame → first) divided by the median warping error of the
    ordinary frame-to-frame steps: ≤ 1 means the loop does not jump where it wraps. For a GIF that loops."""
    return seam_report(input_frames, output_frames, flows)["seam_jump"]


def seam_report(input_frames: list[np.ndarray], output_frames: list[np.ndarray], flows=None) -> dict:
    """{"seam_jump": seam_jump's ratio, "seam_rank": seam_rank} of a GIF that loops (0.0 each under 3
    frames). `flows`: precomputed `adjacent_flows(inputs at the output size, RULER_FLOW)`."""
    inputs = _match_size(input_frames, output_frames)
    if len(inputs) < 3:
        return {"seam_jump": 0.0, "seam_rank": 0.0}
    flows = flows if flows is not None else adjacent_flows(inputs, RULER_FLOW)
    return _seam_figures(inputs, output_frames, _ordinary_errors(inputs, output_frames, flows))


def _ordinary_errors(inputs, outputs, flows) -> list[float]:
    return _pair_errors(inputs, outputs, [(t, t + 1) for t in range(len(inputs) - 1)], flows)


def _seam_figures(inputs, outputs, ordinary: list[float]) -> dict:
    last_to_first = adjacent_flows([inputs[-1], inputs[0]], RULER_FLOW)
    seam = _pair_errors(inputs, outputs, [(len(inputs) - 1, 0)], last_to_first)[0]
    return {"seam_jump": seam / max(float(np.median(ordinary)), 1e-6), "seam_rank": seam_rank(seam, ordinary)}


def seam_rank(seam: float, ordinary: list[float]) -> float:
    """The share of the ordinary frame-to-frame steps whose warping error is below the seam's: 0.5 = a
    median step, 1.0 = a jump larger than every ordinary step. "No larger than an ordinary step" is < 1:
    unlike seam_jump's ratio to the median, this does not call a seam a jump because the GIF's own steps
    vary (a pendulum is fast in the middle of its swing and still at its ends)."""
    return float(np.mean(np.asarray(ordinary) < seam)) if ordinary else 0.0


def still_flicker(input_frames: list[np.ndarray], output_frames: list[np.ndarray],
                  threshold: float = DEFAULT_STILL_THRESHOLD) -> float:
    """F = Σ_t Σ_{x still} mean_c |O_{t+1}(x) − O_t(x)| / Σ_t |still_t|, over the pixels whose input did
    not change (|I_{t+1} − I_t| ≤ threshold in every channel). 0.0 when no pixel is still."""
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


def luminance(image: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(np.asarray(image, np.uint8)[..., :3], cv2.COLOR_RGB2GRAY).astype(np.float32)


def edge_map(image: np.ndarray) -> np.ndarray:
    """Sobel gradient magnitude of the luminance, after a σ=1 px blur so texture grain is not an edge."""
    gray = cv2.GaussianBlur(luminance(image), (0, 0), 1.0)
    return np.hypot(cv2.Sobel(gray, cv2.CV_32F, 1, 0, ksize=3), cv2.Sobel(gray, cv2.CV_32F, 0, 1, ksize=3))


def edge_correlation(content: np.ndarray, painting: np.ndarray) -> float:
    """Pearson correlation of the Sobel edge maps of content and painting (1 = the same outlines)."""
    a = edge_map(_match_size([content], [painting])[0]).ravel()
    b = edge_map(painting).ravel()
    if a.std() == 0 or b.std() == 0:
        return 0.0
    return float(np.corrcoef(a, b)[0, 1])


def edge_correlations(input_frames: list[np.ndarray], output_frames: list[np.ndarray]) -> list[float]:
    """edge_correlation of each frame with its input (the inputs at the output's size)."""
    return [edge_correlation(i, o) for i, o in zip(_match_size(input_frames, output_frames), output_frames)]


def luminance_ssim(content: np.ndarray, painting: np.ndarray) -> float:
    """Mean SSIM of the luminance (Gaussian window σ = 1.5, C1 = (0.01·255)², C2 = (0.03·255)²)."""
    x, y = luminance(_match_size([content], [painting])[0]), luminance(painting)

    def blur(image):
        return cv2.GaussianBlur(image, (0, 0), 1.5)

    mx, my = blur(x), blur(y)
    vx, vy, cov = blur(x * x) - mx * mx, blur(y * y) - my * my, blur(x * y) - mx * my
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2
    ssim = ((2 * mx * my + c1) * (2 * cov + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2))
    return float(ssim.mean())


def detail(image: np.ndarray) -> float:
    """Mean |Laplacian| of the luminance: the high-frequency energy of strokes and texture."""
    return float(np.mean(np.abs(cv2.Laplacian(luminance(image), cv2.CV_32F))))


def grain(image: np.ndarray) -> float:
    """Isolated pixel noise: mean |Y − median₃ₓ₃(Y)| of the luminance Y on 0..255 (0 for anything smooth or
    made of strokes wider than a pixel). What the TV term is there to remove (docs/benchmarks.md, "Loss
    balance"); a painting's grain next to its input's says what the optimisation added."""
    gray = np.asarray(luminance(image)).round().astype(np.uint8)
    return float(np.mean(np.abs(gray.astype(np.float32) - cv2.medianBlur(gray, 3).astype(np.float32))))


def edge_frame_noise(image: np.ndarray, ring: int = 3, margin: int = 8) -> float:
    """Colour noise in the outermost `ring` pixels over that of the interior (`margin` px and more in):
    ~1 for a photo, > 1 where the painting has a frame of noise along its edge (VGG's zero padding).
    Colour noise = mean |ab − its 5x5 box mean| of the CIELAB chroma channels (edge pixels: mirrored box)."""
    side = min(np.shape(image)[:2])
    if side < 8:
        return 1.0  # no interior to compare with
    ring, margin = min(ring, max(1, side // 8)), min(margin, side // 4)  # small frames: thinner rings
    lab = cv2.cvtColor(np.asarray(image, np.uint8), cv2.COLOR_RGB2LAB).astype(np.float32)
    chroma = lab[..., 1:]
    noise = np.abs(chroma - cv2.blur(chroma, (5, 5), borderType=cv2.BORDER_REFLECT_101)).sum(axis=-1)
    outer = np.ones(noise.shape, bool)
    outer[ring:-ring, ring:-ring] = False
    inner = np.zeros(noise.shape, bool)
    inner[margin:-margin, margin:-margin] = True
    return float(noise[outer].mean() / max(noise[inner].mean(), 1e-6))


def painted(content: np.ndarray, painting: np.ndarray) -> float:
    """Mean |painting − content| over pixels and channels: how far the style moved the picture."""
    content = _match_size([content], [painting])[0]
    return float(np.mean(np.abs(np.asarray(painting, np.float32) - np.asarray(content, np.float32))))


def later_over_first(values: list[float]) -> float:
    """Mean of the later half of per-frame values over frame 1's: < 1 where later frames wash out."""
    later = values[len(values) // 2:] if len(values) > 1 else values
    return float(np.mean(later)) / max(values[0], 1e-6)


def ghost_ratio(input_frames, output_frames, fresh_frames, flows=None) -> float:
    """Mean |O − F| over the pixels of each frame that no flow from its predecessor sees (disoccluded:
    ruler weight ≤ 0.5), over the same mean on the reliable pixels; F is the frame's own fresh painting
    (e.g. its fast painting). ≈ 1 when newly uncovered regions are painted like the rest of the frame;
    > 1 where they keep something else, such as the ghost of the object that left. 1.0 when nothing is
    disoccluded."""
    inputs = _match_size(input_frames, output_frames)
    fresh = _match_size(fresh_frames, output_frames)
    flows = flows if flows is not None else adjacent_flows(inputs, RULER_FLOW)
    hidden, seen = [], []
    for t, (_, weight) in enumerate(flows, start=1):
        difference = np.abs(np.asarray(output_frames[t], np.float32) - np.asarray(fresh[t], np.float32)).mean(-1)
        uncovered = weight <= RELIABLE
        if uncovered.sum() >= 16:
            hidden.append(float(difference[uncovered].mean()))
            seen.append(float(difference[~uncovered].mean()))
    return float(np.mean(hidden) / max(np.mean(seen), 1e-6)) if hidden else 1.0


def animation_report(input_frames, output_frames, loops: bool, fresh_frames=None, flows=None) -> dict:
    """Every ruler of an animation, for metrics.json and the benchmarks (inputs at any size). `flows`:
    precomputed `adjacent_flows(inputs at the output size, RULER_FLOW)` (a benchmark scores several
    paintings of one input)."""
    inputs = _match_size(input_frames, output_frames)
    if flows is None:
        flows = adjacent_flows(inputs, RULER_FLOW)  # none for a single frame
    ordinary = _ordinary_errors(inputs, output_frames, flows) if flows else []  # once, for both rulers
    edges = edge_correlations(inputs, output_frames)
    report = {
        "warping_error": float(np.mean(ordinary)) if ordinary else 0.0,
        "still_flicker": still_flicker(inputs, output_frames),
        "edge_correlation": float(np.mean(edges)),
        # a frame whose content dissolved hides in the mean: the worst frame on its own
        "edge_correlation_worst": float(np.min(edges)),
        "luminance_ssim": float(np.mean([luminance_ssim(i, o) for i, o in zip(inputs, output_frames)])),
        "detail_later_over_first": later_over_first([detail(o) for o in output_frames]),
        "painted_later_over_first": later_over_first([painted(i, o) for i, o in zip(inputs, output_frames)]),
        "edge_frame_noise": float(np.mean([edge_frame_noise(o) for o in output_frames])),
        "grain": float(np.mean([grain(o) for o in output_frames])),
        "ruler_flow": RULER_FLOW,
    }
    if loops:
        report.update(_seam_figures(inputs, output_frames, ordinary) if len(inputs) >= 3
                      else {"seam_jump": 0.0, "seam_rank": 0.0})
    if fresh_frames is not None and flows:
        report["ghost_ratio"] = ghost_ratio(inputs, output_frames, fresh_frames, flows)
    return report


def style_and_content_loss(input_frames: list[np.ndarray], output_frames: list[np.ndarray],
                           styles: list[tuple[np.ndarray, float]], layer_preset: str = "gif_post") -> dict:
    """Mean over frames of the unweighted style and content losses of losses.py, at the output's size, on
    `layer_preset`'s layers, so two methods are scored by one ruler whatever weights they optimised with,
    in float32 whatever the machine (precision "auto" would be bfloat16 on a CPU with AVX512-BF16).
    Imports the engine lazily: the rulers above must stay usable without Keras."""
    from .settings import StyleSettings
    from .transfer import batch, make_loss_fn, make_targets, style_targets

    # VGG as trained; the Laplacian term is not a ruler's (it is not reported)
    settings = StyleSettings(layer_preset=layer_preset, precision="float32", vgg_pooling="max", laplacian_weight=0.0)
    loss_fn = make_loss_fn(settings)
    height, width = output_frames[0].shape[:2]
    grams = style_targets(styles, height, width, settings)
    style, content = [], []
    for source, result in zip(_match_size(input_frames, output_frames), output_frames):
        _, terms = loss_fn(batch(result), make_targets(source, grams, settings))
        style.append(float(np.asarray(terms["style"])))
        content.append(float(np.asarray(terms["content"])))
    return {"style_loss": float(np.mean(style)), "content_loss": float(np.mean(content))}
