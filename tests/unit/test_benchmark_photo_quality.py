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


@pytest.mark.slow
def test_the_table_sets_the_paintings_grain_beside_the_styles_own_at_that_size(photo_quality, tmp_path, capsys):
    from stylizer import metrics
    from stylizer.catalogue import load_style
    from stylizer.transfer import resize_longest

    out = ["--out", str(tmp_path), "--pair", "1"]
    # 96 px: the interior's style loss cuts a 16 px margin and needs VGG's pools to fit what is left
    assert photo_quality.main(["paint", "--size", "96", "--iterations", "2", "--label", "tiny"] + out) == 0
    assert photo_quality.main(["sheet", "--labels", "tiny", "--show-width", "96"] + out) == 0
    header, _, row = capsys.readouterr().out.strip().splitlines()[-3:]
    columns = [cell.strip() for cell in header.strip("|").split("|")]
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    style_grain = metrics.grain(resize_longest(load_style("starry_night")[0], 96))  # the painting's longest side
    assert float(cells[columns.index("the style's grain")]) == pytest.approx(style_grain, abs=0.005)
    assert float(cells[columns.index("grain")]) != float(cells[columns.index("the style's grain")])
    assert (tmp_path / "chelsea-starry_night-sheet.png").is_file()
