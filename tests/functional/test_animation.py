"""GIF stylisation: the temporal method (Ruder et al. 2016) against the per-frame baseline."""
import numpy as np
import pytest

from stylizer.animation import stylize_animation
from stylizer.gif import Animation
from stylizer.metrics import warping_error
from stylizer.settings import StyleSettings


def stylise(frames, style, settings):
    events = list(stylize_animation(Animation(frames, [100] * len(frames), 0), [(style, 1.0)], settings))
    return events, [event.image for event in events if event.kind == "frame"]


def test_events_frames_and_budget(moving_square_frames, style_image):
    small = [frame[:, :40] for frame in moving_square_frames[:2]]  # 48x40
    events, frames = stylise(small, style_image, StyleSettings(size=32, iterations=2, first_frame_multiplier=2))
    assert [event.kind for event in events] == ["start"] + ["iteration"] * 4 + ["frame"] + ["iteration"] * 2 + ["frame", "done"]
    assert [event.frame for event in events if event.kind == "iteration"] == [0] * 4 + [1] * 2
    assert all(frame.shape == (48, 40, 3) and frame.dtype == np.uint8 for frame in frames)  # input size back
    assert np.array_equal(events[-1].image, frames[-1])


@pytest.mark.slow
def test_temporal_method_flickers_less_than_per_frame(moving_square_frames, style_image):
    settings = StyleSettings(size=48, iterations=12, learning_rate=8.0, first_frame_multiplier=2, seed=0)
    _, temporal = stylise(moving_square_frames, style_image, settings)
    _, per_frame = stylise(moving_square_frames, style_image, settings.replace(temporal=False))
    temporal_error = warping_error(moving_square_frames, temporal)
    per_frame_error = warping_error(moving_square_frames, per_frame)
    # measured: 23.1 vs 42.6 (the input frames themselves: 17.7, the flow is not perfect)
    assert temporal_error < 0.8 * per_frame_error, (temporal_error, per_frame_error)
    # Not asserted: still_flicker is HIGHER for the temporal method here (37.5 vs 16.0). With 24 iterations the
    # first frame is far from converged, so each later frame keeps stylising the same pixels (drift), while
    # the deterministic per-frame baseline reproduces the same unchanged background every frame.
