"""The shape an image is painted at: scaled to a longest side, never thinner than VGG19 can see.

VGG19 halves its maps four times before block5 (block1_pool .. block4_pool, 2x2 windows, "valid"): a side
of 16 px leaves block5 one cell; under 16, nothing is left and TF's MaxPool fails ("Negative dimension
size"). A 300x30 banner GIF at 128 px would be 128x13. So a strip is painted longer than it was asked,
at its own proportions, rather than not at all; its result is resized to the output's shape as any other
(a GIF's frames to the GIF's own size). The limits' max_side (1024) bounds the cost: a 1024x1 strip is
painted at 16384x16, four times the pixels of a 256 px square.
"""
from __future__ import annotations

VGG_MIN_SIDE = 16


def paint_shape(height: int, width: int, longest: int, min_side: int = VGG_MIN_SIDE) -> tuple[int, int]:
    """(height, width) of a height x width image scaled so its longest side is `longest`, or, where its
    shortest side would then round to less than `min_side`, so that the shortest side is `min_side`."""
    scale = longest / max(height, width)
    if thinner_than(height, width, longest, min_side):
        scale = min_side / min(height, width)
    return max(1, round(height * scale)), max(1, round(width * scale))


def thinner_than(height: int, width: int, longest: int, min_side: int = VGG_MIN_SIDE) -> bool:
    """Whether height x width scaled to a longest side of `longest` has a side that rounds to less than
    `min_side`."""
    return min(height, width) * longest / max(height, width) < min_side - 0.5


def own_size_side(height: int, width: int, size: int, max_scale: float) -> int:
    """The longest side a GIF larger than its painting `size` takes its last steps at: its own, at most
    `max_scale` x `size` (a larger one is scaled up from that); 0 where the GIF is no larger than `size`."""
    longest = max(height, width)
    return min(longest, int(max_scale * size)) if longest > size else 0
