"""Each neighbour's warp onto a frame, kept until that neighbour is painted again.

A visit's start and temporal target need every painted neighbour warped onto the frame (passes.py), and
the warp of a neighbour that has not changed since the frame's last visit is the same image again. With
passes in alternating directions that is half of them: in a forward pass the frames before i were painted
just before i's visit, and no frame before i is visited again until i's next visit (the backward pass
reaches i first). So each warp is kept, keyed by the frame and the neighbour's place in its neighbourhood,
and dropped the moment that neighbour's value changes (Painter.visit calls `changed`).

The kept image is the one the warp would compute again (same pixels, same flow, same maps), so a painting
is the same pixel for pixel with the cache or without it. Memory: at most one image per neighbour, and in
practice the half that will be read again (the other half is dropped when those neighbours are painted):
about 3 frames' worth per frame with offsets 1/2/4.

Threads: a visit's settled sums may be made on a thread of their own (Painter.settled) while the visit's
steps run; they read and keep warps of the frames the visit does not paint, and `changed` drops only the
warps of frames it did paint, so the two never touch the same entry.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Sequence

import numpy as np

from .neighbours import Neighbour

Key = tuple[int, int]  # (frame, the neighbour's position in the frame's neighbourhood)


class WarpCache:
    """Warped neighbour values by (frame, position), valid until the neighbour's value changes."""

    def __init__(self, neighbourhoods: Sequence[Sequence[Neighbour]], enabled: bool = True):
        self.enabled = enabled
        self._images: dict[Key, np.ndarray] = {}
        self._readers: dict[int, list[Key]] = defaultdict(list)  # neighbour -> the keys that warp it
        for index, hood in enumerate(neighbourhoods):
            for position, neighbour in enumerate(hood):
                self._readers[neighbour.index].append((index, position))
        self.hits = self.misses = 0  # how many warps were kept ones (tests; approximate when threads read at once)

    def get(self, key: Key) -> np.ndarray | None:
        image = self._images.get(key) if self.enabled else None
        if image is None:
            self.misses += 1
        else:
            self.hits += 1
        return image

    def put(self, key: Key, image: np.ndarray) -> None:
        if self.enabled:
            self._images[key] = image

    def changed(self, index: int) -> None:
        """Frame `index` has a new value: every warp of it is stale."""
        for key in self._readers.get(index, ()):
            self._images.pop(key, None)

    def __len__(self) -> int:
        return len(self._images)
