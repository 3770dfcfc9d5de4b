"""Optical flow conventions and warping (stylizer.temporal.flow), and the temporal rulers (stylizer.metrics)."""
from pathlib import Path

import cv2
import numpy as np
import pytest

from stylizer.gif import read_gif
from stylizer.metrics import animation_report, seam_jump, seam_rank, still_flicker, warping_error
from stylizer.temporal.flow import STILL_TOLERANCE, dis_flow, optical_flow, to_gray_uint8, warp, warp_maps
from stylizer.temporal.neighbours import adjacent_flows
from synthetic import texture, translate

DATA = Path(__file__).resolve().parents[1] / "data"


def test_warp_convention_with_a_known_flow():
    image = np.arange(4 * 5 * 6, dtype=np.float32).reshape(4, 5, 6)  # 6 channels: more than cv2 takes
    flow = np.zeros((4, 5, 2), np.float32)
    flow[..., 0] = 1  # out[y, x] = image[y, x + 1]
    out = warp(image, flow)  # Lanczos: exact at integer shifts
    assert out.dtype == np.float32 and out.shape == image.shape
    assert np.array_equal(out[:, :4], image[:, 1:])
    assert np.array_equal(out[:, 4], image[:, 4])  # border replicated
    as_uint8 = warp(np.arange(20, dtype=np.uint8).reshape(4, 5, 1), flow)
    assert as_uint8.dtype == np.uint8 and as_uint8.shape == (4, 5, 1)


@pytest.mark.parametrize("method", ["farneback", "dis"])
def test_flow_recovers_a_shift_and_warp_aligns(method):
    a = texture()
    b = translate(a, 3, -2)  # a[y, x] = b[y - 2, x + 3]: flow from a to b is (+3, -2)
    flow = optical_flow(a, b, method)
    interior = flow[12:-12, 12:-12]
    assert flow.dtype == np.float32 and flow.shape == (96, 128, 2)
    assert abs(np.median(interior[..., 0]) - 3) < 0.5
    assert abs(np.median(interior[..., 1]) + 2) < 0.5
    aligned = warp(b, flow).astype(float)[12:-12, 12:-12]
    assert np.abs(aligned - a[12:-12, 12:-12]).mean() < 0.25 * np.abs(b.astype(float) - a)[12:-12, 12:-12].mean()


def test_warping_error_zero_for_still_output_and_larger_for_shuffled():
    frames = read_gif(DATA / "newtonscradle.gif").frames[:10]
    flows = adjacent_flows(frames, "farneback")
    own = warping_error(frames, frames, flows)
    shuffled = [frames[i] for i in (0, 7, 2, 9, 4, 1, 6, 3, 8, 5)]
    assert 1.0 < own < 4.0  # measured 2.7 over the whole GIF
    assert warping_error(frames, shuffled, flows) > 2 * own
    still = [texture()] * 4
    assert warping_error(still, still) < 0.5


def test_still_flicker():
    frames = read_gif(DATA / "muybridge_tiny.gif").frames
    constant = [frames[0]] * len(frames)
    assert still_flicker(frames, constant) == 0.0
    rng = np.random.default_rng(0)
    noisy = [np.clip(f.astype(int) + rng.integers(-20, 21, f.shape), 0, 255).astype(np.uint8) for f in frames]
    assert still_flicker(frames, noisy) > 5
    half = [cv2.resize(f, (15, 10), interpolation=cv2.INTER_AREA) for f in noisy]
    assert still_flicker(frames, half) > 2  # outputs at a smaller working size are compared too
    with pytest.raises(ValueError, match="15 input frames but 3 output frames"):
        still_flicker(frames, noisy[:3])


def test_lanczos_warp_of_an_integer_shift_is_exact_and_keeps_texture_where_bilinear_blurs():
    noise = np.random.default_rng(3).uniform(0, 255, (64, 64, 3)).astype(np.float32)
    image = np.clip((cv2.GaussianBlur(noise, (0, 0), 1.0) - 127.5) * 3 + 127.5, 0, 255)  # fine brush strokes
    shift = np.zeros((64, 64, 2), np.float32)
    shift[..., 0], shift[..., 1] = 2, -3
    assert np.allclose(warp(image, shift)[3:, :-2], image[:-3, 2:], atol=1e-3)

    def laplacian(img):
        return np.abs(cv2.Laplacian(img.mean(-1), cv2.CV_32F))[8:-8, 8:-8].mean()

    half = np.full((64, 64, 2), 0.4, np.float32)
    lanczos, bilinear = image, image
    for _ in range(5):  # five chained sub-pixel warps, as from frame to frame
        lanczos, bilinear = warp(lanczos, half), warp(bilinear, half, "bilinear")
    assert laplacian(lanczos) > 0.8 * laplacian(image)
    assert laplacian(bilinear) < 0.5 * laplacian(image)  # measured 34.4 -> Lanczos 32.9, bilinear 10.6
    assert lanczos.min() >= image.min() and lanczos.max() <= image.max()  # ringing clipped


@pytest.mark.parametrize("interpolation", ["lanczos", "bilinear", "cubic"])
@pytest.mark.parametrize("channels", [None, 3, 7])
def test_warp_with_precomputed_maps_is_bit_identical(interpolation, channels):
    rng = np.random.default_rng(11)
    shape = (40, 56) if channels is None else (40, 56, channels)
    flow = rng.normal(0, 3, (40, 56, 2)).astype(np.float32)  # sub-pixel, some samples off the frame
    maps = warp_maps(flow, interpolation)
    for image in (rng.uniform(0, 255, shape).astype(np.float32), rng.integers(0, 256, shape, dtype=np.uint8)):
        plain, fixed = warp(image, flow, interpolation), warp(image, flow, interpolation, maps)
        assert plain.dtype == fixed.dtype == image.dtype and plain.shape == image.shape
        assert np.array_equal(plain, fixed)


@pytest.mark.parametrize("interpolation", ["lanczos", "bilinear"])
def test_a_warp_in_row_bands_is_the_whole_warp(interpolation):
    rng = np.random.default_rng(5)
    flow = rng.normal(0, 4, (45, 33, 2)).astype(np.float32)  # bands sample rows outside their own
    image = rng.uniform(0, 255, (45, 33, 3)).astype(np.float32)
    maps = warp_maps(flow, interpolation)
    whole = warp(image, flow, interpolation, maps)
    bands = [warp(image, flow, interpolation, maps, rows=slice(top, top + 11)) for top in range(0, 45, 11)]
    assert [band.shape[0] for band in bands] == [11, 11, 11, 11, 1]
    assert np.array_equal(np.concatenate(bands), whole)


def test_seam_jump_is_small_for_a_smooth_loop_and_large_for_a_cut():
    base = texture(64, 96)
    angles = 2 * np.pi * np.arange(8) / 8  # a circular path: every step, the seam's too, ~3 px
    loop = [translate(base, round(4 * np.cos(a)), round(4 * np.sin(a))) for a in angles]
    assert seam_jump(loop, loop) < 1.5
    cut = loop[:-1] + [texture(64, 96, seed=5)]
    assert seam_jump(loop, cut) > 3


def test_seam_rank_places_the_seam_among_the_ordinary_steps():
    assert seam_rank(2.0, [1.0, 3.0, 4.0, 1.5]) == 0.5
    assert seam_rank(9.0, [1.0, 3.0]) == 1.0 and seam_rank(0.5, [1.0, 3.0]) == 0.0
    base = texture(64, 96)
    angles = 2 * np.pi * np.arange(8) / 8
    loop = [translate(base, round(4 * np.cos(a)), round(4 * np.sin(a))) for a in angles]
    assert animation_report(loop, loop, loops=True)["seam_rank"] < 1.0
    cut = loop[:-1] + [texture(64, 96, seed=5)]
    assert animation_report(loop, cut, loops=True)["seam_rank"] == 1.0


def test_dis_tracks_a_face_crossing_a_panning_photo(load_benchmark):
    """benchmarks/pan_gif.py's scene: the window pans 10 px per frame over coffee.png while chelsea's face
    crosses it at +15 px, 25 px against the background. With DIS's MEDIUM preset as it comes (25 descent
    iterations) the face of one pair took the background's flow (error 25 px); the product's
    DIS_DESCENT_ITERATIONS tracks it in every pair."""
    pan = load_benchmark("pan_gif")
    frames = pan.pan_frames()
    inner = slice(pan.FACE_TOP + 8, pan.FACE_TOP + pan.FACE_SIDE - 8)  # the face's interior, 8 px in
    for t in range(len(frames) - 1):
        flow = optical_flow(frames[t], frames[t + 1], "dis")
        on_face = flow[inner, pan.face_left(t) + 8:pan.face_left(t) + pan.FACE_SIDE - 8]
        background = flow[120:, 100:]  # below the face's rows
        assert np.median(np.abs(on_face[..., 0] - pan.FACE_PX)) < 1 and np.median(np.abs(on_face[..., 1])) < 1, t
        assert np.median(np.abs(background[..., 0] + pan.PAN_PX)) < 1, t


def test_the_stillness_prior_keeps_a_flat_noisy_background_still_and_tracks_what_moves():
    """A textured square moves 3 px over a flat grey background with sensor noise (σ 1.5 grey levels), as in
    muybridge_120's blank background. DIS alone matches the noise there (median 2.8 px of motion, 18%
    trusted by the method's masks); with the stillness prior the background is still and trusted, and the
    square's motion is kept."""
    from stylizer.temporal.masks import reliability

    rng = np.random.default_rng(0)

    def scene(dx):
        frame = np.clip(128 + rng.normal(0, 1.5, (96, 128, 3)), 0, 255).astype(np.uint8)
        frame[32:64, 40 + dx:72 + dx] = texture(32, 32, seed=4)
        return to_gray_uint8(frame)

    a, b = scene(0), scene(3)
    background = np.ones((96, 128), bool)
    background[24:72, 32:84] = False
    for tolerance, expected_still in ((0.0, False), (STILL_TOLERANCE, True)):
        back, forward = dis_flow(a, b, still_tolerance=tolerance), dis_flow(b, a, still_tolerance=tolerance)
        trusted = reliability(forward, back)[background].mean()
        motion = np.median(np.linalg.norm(back[background], axis=-1))
        assert (motion == 0.0 and trusted > 0.95) == expected_still, (tolerance, motion, trusted)
        assert abs(np.median(back[38:58, 46:66, 0]) - 3) < 0.5  # the square: +3 px either way


def test_one_dissolved_frame_shows_in_the_worst_frame_edge_correlation_not_only_in_the_mean():
    frames = [translate(texture(64, 96), step, 0) for step in range(6)]
    dissolved = frames[:2] + [np.full_like(frames[2], 128) + texture(64, 96, seed=7) // 16] + frames[3:]
    report = animation_report(frames, dissolved, loops=False)
    assert report["edge_correlation_worst"] < 0.3 < 0.8 < report["edge_correlation"]
    assert animation_report(frames, frames, loops=False)["edge_correlation_worst"] > 0.99
