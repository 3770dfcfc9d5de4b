"""Which frames constrain which: the temporal neighbourhood of every frame, with flows and weights.

Frame i is tied to frames i ± j for each offset j of `offsets` (1 = the adjacent frames; larger offsets are
Ruder et al. 2018's long-term consistency, J = {1, 10, 20, 40} on 24 fps video; GIFs are short, so a few
frames). Each direction's weights are made exclusive nearest-first (masks.exclusive): a pixel counts once
per side.

Loop closure (neither reference has it): a GIF that loops plays frame 0 right after frame N−1, so when
`cyclic` the neighbourhood wraps around and the seam is optimised like any other pair of frames. Where
the GIF's own seam is a cut (the last frame does not flow into the first), the masks keep only what the two
frames share: on bunny, whose rabbit crouches in frame 1 and stands in the last, the flows across the seam
agree on 70% of the frame (most of it the still background), and the colour check (masks.py) takes out
3 points more, where the rabbit's colours differ.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from .flow import optical_flow
from .host import parallel_map
from .masks import exclusive, reliability


@dataclass(frozen=True)
class Neighbour:
    index: int  # the neighbouring frame
    offset: int  # signed: -1 = the previous frame, +2 = two frames later
    flow: np.ndarray  # optical_flow(input_i, input_n): warp(out_n, flow) lands on frame i
    weight: np.ndarray  # float32 HxW in [0, 1], exclusive within its side


def neighbour_index(index: int, offset: int, count: int, cyclic: bool) -> int | None:
    target = index + offset
    if cyclic:
        return target % count if abs(offset) < count else None
    return target if 0 <= target < count else None


def neighbourhoods(frames: list[np.ndarray], offsets=(1,), cyclic: bool = False,
                   method: str | None = None, photometric: bool = False,
                  trust_stillness: bool = True) -> list[list[Neighbour]]:
    """For each frame, its neighbours (nearest first on each side) with flows and exclusive weights.
    `photometric`: the weights include masks.colour_mismatch of the input frames; `trust_stillness`: the
    stillness prior's zeros are no motion boundaries (masks.reliability).

    Each unordered pair of frames costs two flows, shared by both ends.
    """
    count = len(frames)
    # each frame's neighbours per side, nearest first: (n, signed offset)
    links = []
    for i in range(count):
        taken, sides = {i}, []
        for side in (-1, 1):
            found = []
            for offset in sorted(set(offsets)):
                n = neighbour_index(i, side * offset, count, cyclic)
                if n is None or n in taken:  # a short loop reaches one frame from both sides: once
                    continue
                taken.add(n)
                found.append((n, side * offset))
            sides.append(found)
        links.append(sides)
    tied = [(i, n) for i, sides in enumerate(links) for found in sides for n, _ in found]
    # every flow and every mask is independent of the others: computed side by side (host.py)
    pairs = sorted({pair for i, n in tied for pair in ((i, n), (n, i))})
    flows = dict(zip(pairs, parallel_map(lambda pair: optical_flow(frames[pair[0]], frames[pair[1]], method), pairs)))

    def weight(pair: tuple[int, int]) -> np.ndarray:
        i, n = pair
        return reliability(flows[(n, i)], flows[(i, n)], frames=(frames[i], frames[n]) if photometric else None,
                           trust_stillness=trust_stillness)

    weights = dict(zip(tied, parallel_map(weight, tied)))
    result = []
    for i, sides in enumerate(links):
        mine = []
        for found in sides:
            for (n, offset), exclusive_weight in zip(found, exclusive([weights[(i, n)] for n, _ in found])):
                mine.append(Neighbour(n, offset, flows[(i, n)], exclusive_weight))
        result.append(mine)
    return result



def adjacent_flows(frames: list[np.ndarray], method: str | Callable | None = None) -> list[tuple[np.ndarray, np.ndarray]]:
    """For each consecutive pair (t, t+1): (optical_flow(frame_t+1, frame_t), its reliability weights), so
    warp(out_t, flow) ≈ out_t+1 where the weight is high (fast mode's blending; the metrics' ruler).
    `method`: optical_flow's, or a function flow(a, b) in its convention (benchmarks/ruler_choice.py's
    candidate rulers)."""
    estimate = method if callable(method) else lambda a, b: optical_flow(a, b, method)
    pairs = []
    for previous, following in zip(frames[:-1], frames[1:]):
        flow_back = np.asarray(estimate(following, previous), np.float32)
        pairs.append((flow_back, reliability(np.asarray(estimate(previous, following), np.float32), flow_back)))
    return pairs
