"""benchmarks/gif_size.py: a GIF larger than the painting size, scored at its own size per painting size."""
import json

import pytest


@pytest.mark.slow
def test_each_row_is_scored_at_the_gifs_own_size_and_shown_with_a_crop(load_benchmark, tmp_path, capsys):
    gif_size = load_benchmark("gif_size")
    animation = gif_size.pan_animation()
    assert len(animation.frames) == 8 and animation.frames[0].shape == (320, 480, 3) and animation.loop is None
    assert not (animation.frames[0] == animation.frames[1]).all()  # the window pans
    held_out = gif_size.pan_animation(8, "astronaut")  # 400x400 drifting 8 px down, 12 right per frame
    assert held_out.frames[-1].shape == (400, 400, 3)
    assert (held_out.frames[1][:-8, :-12] == held_out.frames[0][8:, 12:]).all()
    assert gif_size.main(["--sizes", "32", "--iterations", "1", "--variant", "v:size=48,iterations=1",
                          "--out", str(tmp_path)]) == 0
    result = json.loads((tmp_path / "gif_size.json").read_text())
    assert list(result["rows"]) == ["painted at 32", "v"]
    for row in result["rows"].values():
        assert 0 < row["detail"] < result["input_detail"]  # a toy painting, upscaled 10-15x: softer than the photo
        assert -1 <= row["edge_correlation"] <= 1 and row["seconds"] > 0
    assert (tmp_path / "gif-size-sheet.png").stat().st_size > 0
