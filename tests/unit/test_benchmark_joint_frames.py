"""benchmarks/joint_frames.py's differentiable warp: its gather reproduces the product's bilinear warp."""
import numpy as np

from stylizer.temporal.flow import warp
from stylizer.temporal.neighbours import Neighbour


def test_the_gather_of_bilinear_edges_is_the_bilinear_warp_of_the_neighbour(load_benchmark):
    joint = load_benchmark("joint_frames")
    rng = np.random.default_rng(5)
    frames = rng.uniform(0, 255, (2, 12, 16, 3)).astype(np.float32)
    flow = rng.uniform(-2.5, 2.5, (12, 16, 2)).astype(np.float32)  # sub-pixel, some samples off the frame
    weight = rng.uniform(0, 1, (12, 16)).astype(np.float32)
    hoods = [[Neighbour(1, 1, flow, weight)], []]
    corners, weights, own, reliability = joint.bilinear_edges(hoods, 12, 16)
    flat = frames.reshape(-1, 3)
    gathered = (flat[corners] * weights[..., None]).sum(axis=1).reshape(12, 16, 3)
    assert np.allclose(gathered, warp(frames[1], flow, "bilinear"), atol=0.05)
    assert np.array_equal(own, np.arange(12 * 16)) and np.array_equal(reliability, weight.ravel())
