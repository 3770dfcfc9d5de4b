"""benchmarks/photo_quality.py: its rulers and the record `paint` keeps (the optimiser study's tool)."""
import json

import numpy as np
import pytest


@pytest.fixture()
def photo_quality(load_benchmark):
    return load_benchmark("photo_quality")


@pytest.mark.slow
def test_paint_adds_each_pair_to_the_labels_record_and_keeps_the_snapshot(photo_quality, tmp_path):
    common = ["paint", "--out", str(tmp_path), "--size", "32", "--iterations", "3", "--label", "probe"]
    assert photo_quality.main(common + ["--pair", "1", "--optimizer", "lbfgs", "--snapshot", "2"]) == 0
    assert photo_quality.main(common + ["--pair", "3"]) == 0
    record = json.loads((tmp_path / "probe.json").read_text())
    assert sorted(record) == ["chelsea-starry_night-probe.png", "coffee-great_wave-probe.png"]
    assert all(entry["iterations"] == 3 and max(entry["size"]) == 32 for entry in record.values())
    assert (tmp_path / "chelsea-starry_night-probe-at2.png").is_file()
    assert not (tmp_path / "coffee-great_wave-probe-at2.png").exists()


@pytest.mark.slow
def test_the_objective_adds_the_weighted_terms_and_a_photo_keeps_its_own_content(photo_quality):
    from stylizer.gif import read_image
    from stylizer.settings import StyleSettings
    from stylizer.transfer import resize_longest

    photo = resize_longest(read_image(photo_quality.ROOT / "demo" / "chelsea.png"), 48)
    own = photo_quality.vgg_losses(photo, photo, "starry_night")
    assert own["content"] == pytest.approx(0.0, abs=1e-6)
    assert own["style"] > 0 and own["objective"] > StyleSettings().photo_style_weight * own["style"]  # + the TV term
    flipped = photo_quality.vgg_losses(photo, photo[::-1].copy(), "starry_night")
    assert flipped["content"] > 0
