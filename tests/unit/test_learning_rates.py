"""Adam's step-size schedule for photos (transfer.learning_rates)."""
import math

import pytest

from stylizer.settings import StyleSettings
from stylizer.transfer import learning_rates


def test_constant_without_a_decay():
    assert learning_rates(8.0, 5, 0.0) == [8.0] * 5


def test_the_last_share_falls_by_a_half_cosine_to_the_floor():
    rates = learning_rates(8.0, 20, 0.25)
    assert len(rates) == 20 and rates[:15] == [8.0] * 15
    decaying = rates[15:]
    assert all(later < earlier for earlier, later in zip([8.0] + decaying, decaying))  # strictly falling
    assert decaying[-1] == pytest.approx(0.8)  # a tenth of the base
    # the third of five decaying steps is 3/5 of the way: 0.1 + 0.9 (1 + cos 0.6π) / 2 of the base
    assert decaying[2] == pytest.approx(8.0 * (0.1 + 0.9 * 0.5 * (1 + math.cos(0.6 * math.pi))))


def test_a_whole_run_can_decay_and_the_share_is_checked():
    rates = learning_rates(4.0, 4, 1.0)
    assert rates[-1] == pytest.approx(0.4) and rates[0] < 4.0
    with pytest.raises(ValueError, match="lr_decay_share"):
        StyleSettings(lr_decay_share=1.5)
    with pytest.raises(ValueError, match="gif_lr_decay_share must be between 0 and 1"):
        StyleSettings(gif_lr_decay_share=-0.1)
    assert StyleSettings().gif_lr_decay_share == 0.0  # GIF frames keep a constant step (measured)
