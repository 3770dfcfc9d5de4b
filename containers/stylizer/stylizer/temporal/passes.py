"""Multi-pass optimisation of all frames of an animation (Ruder, Dosovitskiy, Brox 2018, section 5).

A single forward pass paints frame 1 alone and every later frame from its predecessor: frame 1 differs
from the rest and errors drift forward. Here every frame is visited `passes` times, in alternating
directions (forward, backward, …); on each visit it starts from

    x ← (x + Σ_n c_n warp(x_n)) / (1 + Σ_n c_n)        over the adjacent frames n (eq. 10 of the paper)

and pays the temporal loss towards all its neighbours (long-term offsets too: neighbours.py), with the
neighbours' latest values: those that hold a painting, when waiting for neighbours (Painter.run), so that
a frame is not pulled towards the unpainted content of a neighbour the first pass has not reached. Frame 1
is no different from the rest, and a loop's seam is one more pair.

Frames start from `starts` (the fast painting of each frame: never the ghost of a moved object, since a
frame's own painting is what fills what no neighbour sees reliably).

Many short visits (settings.gif_passes: visits of 2 steps, at least 10 passes): while a frame is optimised
its neighbours hold still, and in the pixels it trusts Adam's normalised step follows the temporal term,
so a frame moves towards the style only as far as its neighbours already have; the frames progress
together from visit to visit. More, shorter visits lowered both flicker and style loss at the same steps
(docs/benchmarks.md, "Many short visits, still pixels trusted" and "At the product's 40 steps").

Host work: a visit's start and target are sums over its neighbours (NeighbourSums). A visit changes only
its own frames, so the part of the next visit's sums that it cannot change is made on another thread while
its steps run (Painter.settled; on a GPU the host is otherwise idle then), and the next visit adds only the
frames just painted. The same sums in the same order either way: the painting does not depend on threads.
A neighbour's warp is kept until that neighbour is painted again (warp_cache.py): with alternating
directions half of a visit's neighbours have not changed since the frame's last visit.

Batches: a visit optimises `batch_frames` consecutive frames (in pass order) as one batch, each against
its neighbours' values from before the batch: on a GPU one step then fills the device; batch_frames = 1
is the sequential (Gauss–Seidel) order that propagates furthest per pass.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Iterator, Sequence

import numpy as np
from keras import ops

from ..optimize import AdamState, adam_init
from .flow import warp, warp_maps
from .host import in_background, parallel_map, thread_count
from .neighbours import Neighbour
from .warp_cache import WarpCache


@dataclass
class Visit:
    """One optimiser step on a batch of frames in one pass (what Painter.run yields)."""

    pass_index: int
    frames: list[int]
    iteration: int
    iterations: int
    losses: dict[str, float]
    pixels: object  # backend tensor (B, H, W, 3)


def pass_orders(count: int, passes: int) -> list[list[int]]:
    """Frame order of each pass: forward, backward, forward, …"""
    forward = list(range(count))
    return [forward if p % 2 == 0 else forward[::-1] for p in range(passes)]


MIN_BAND_ROWS = 16  # a warp is split into row bands of at least this many rows


@dataclass
class NeighbourSums:
    """Sums over some of a frame's neighbours n, each with its warped value w_n and weight c_n (b = the
    Painter's blend): weighted = Σ c_n w_n and total = Σ c_n (the temporal target), and over the adjacent
    neighbours only blended = Σ b c_n w_n and blend_total = Σ b c_n (the start). Sums over disjoint sets of
    neighbours add up, so the part a visit cannot change is summed while that visit runs (Painter.settled)."""

    weighted: np.ndarray  # (H, W, 3)
    total: np.ndarray  # (H, W)
    blended: np.ndarray
    blend_total: np.ndarray

    @classmethod
    def empty(cls, shape) -> "NeighbourSums":
        return cls(np.zeros(shape, np.float32), np.zeros(shape[:2], np.float32), np.zeros(shape, np.float32),
                   np.zeros(shape[:2], np.float32))

    def add(self, image: np.ndarray, weight: np.ndarray, adjacent: bool, blend: float = 1.0) -> None:
        self.weighted += weight[..., None] * image
        self.total += weight
        if adjacent:
            self.blended += (blend * weight)[..., None] * image
            self.blend_total += blend * weight

    def __add__(self, other: "NeighbourSums") -> "NeighbourSums":
        return NeighbourSums(self.weighted + other.weighted, self.total + other.total,
                             self.blended + other.blended, self.blend_total + other.blend_total)

    def start(self, own: np.ndarray) -> np.ndarray:
        """(x + Σ b c_n w_n) / (1 + Σ b c_n) per pixel: the frame's own value where no neighbour is reliable."""
        return (own.astype(np.float32) + self.blended) / (1.0 + self.blend_total)[..., None]

    def target(self) -> tuple[np.ndarray, np.ndarray]:
        """(w̄, Σ c) with w̄ = Σ c_n w_n / Σ c_n: one temporal target with the same gradient as the sum of the
        neighbours' terms (losses.temporal_loss). Zero weight, zero target where no neighbour is reliable."""
        return self.weighted / np.maximum(self.total, 1e-6)[..., None], self.total


def _stack_states(states: list[AdamState]) -> AdamState:
    return AdamState(ops.concatenate([s.m for s in states]), ops.concatenate([s.v for s in states]), states[0].t)


class Painter:
    """The state of a multi-pass painting: every frame's current pixels (float32 HxWx3) and Adam state."""

    def __init__(self, starts: list[np.ndarray], content_targets: list[dict], style_grams: dict,
                 neighbourhoods: list[list[Neighbour]], interpolation: str = "lanczos",
                 painted: list[bool] | None = None, blend: float = 1.0, reuse_warps: bool = True):
        self.values = [np.asarray(start, np.float32) for start in starts]
        self.content_targets = content_targets
        self.style_grams = style_grams
        self.neighbourhoods = neighbourhoods
        self.interpolation = interpolation
        self.blend = blend  # scales the neighbours' weights c_n in a visit's start (1 = eq. 10, 0 = no blend)
        self.states: list[AdamState | None] = [None] * len(starts)
        # each neighbour's flow as remap maps, once: it warps on every visit of its frame
        self.maps = [[warp_maps(n.flow, interpolation) for n in hood] for hood in neighbourhoods]
        # which frames hold a painting (a fast-painting start, or a first visit): see run(wait_for_neighbours)
        self.painted = list(painted) if painted is not None else [False] * len(starts)
        self.warps = WarpCache(neighbourhoods, enabled=reuse_warps)  # a neighbour's warp until it is painted again

    def warped(self, index: int, include=lambda neighbour: True) -> list[tuple[int, np.ndarray, np.ndarray]]:
        """Frame `index`'s neighbours' current values warped onto it: (offset, image, weight) each; only
        the neighbours that hold a painting (all of them unless run() waits for neighbours) and that
        include(neighbour's index) keeps."""
        hood = self.neighbourhoods[index]
        positions = [position for position, n in enumerate(hood) if self.painted[n.index] and include(n.index)]
        images = {position: self.warps.get((index, position)) for position in positions}  # unchanged ones
        missing = [position for position in positions if images[position] is None]

        # each warp in row bands when there are fewer warps than threads (a visit's one fresh neighbour):
        # the bands run side by side and make exactly the whole warp (flow.warp's rows)
        height = self.values[index].shape[0]
        bands = max(1, min(thread_count() // max(1, len(missing)), height // MIN_BAND_ROWS))
        edges = np.linspace(0, height, bands + 1).round().astype(int)

        def warped_band(task: tuple[int, slice]) -> np.ndarray:
            position, rows = task
            neighbour = hood[position]
            return warp(self.values[neighbour.index], neighbour.flow, self.interpolation,
                        self.maps[index][position], rows=rows)

        tasks = [(position, slice(top, bottom)) for position in missing for top, bottom in zip(edges[:-1], edges[1:])]
        pieces = parallel_map(warped_band, tasks)  # independent warps and bands, side by side (host.py)
        for k, position in enumerate(missing):
            images[position] = np.concatenate(pieces[k * bands:(k + 1) * bands]) if bands > 1 else pieces[k]
            self.warps.put((index, position), images[position])
        return [(hood[position].offset, images[position], hood[position].weight) for position in positions]

    def sums(self, index: int, include=lambda neighbour: True) -> NeighbourSums:
        sums = NeighbourSums.empty(self.values[index].shape)
        for offset, image, weight in self.warped(index, include):
            sums.add(image, weight, adjacent=abs(offset) == 1, blend=self.blend)
        return sums

    def settled(self, group: list[int], busy: list[int]) -> dict[int, NeighbourSums]:
        """Each of `group`'s frames summed over its neighbours that a visit of `busy` cannot change (a visit
        changes only its own frames' values and painted flags). run() makes them while `busy`'s steps
        run, so the next visit warps and adds only the frames that `busy` painted."""
        busy = frozenset(busy)
        return {index: self.sums(index, lambda neighbour: neighbour not in busy) for index in group}

    def _made_ahead(self, ahead) -> dict | None:
        """The sums settled() made during the last visit, once they are done (None when none were made)."""
        return ahead.result() if ahead is not None else None

    def targets(self, group: list[int], temporal: bool, busy: list[int] = (),
                settled: dict[int, NeighbourSums] | None = None) -> tuple[np.ndarray, dict]:
        """(initial pixels (B, H, W, 3), the loss targets) of a batch of frames, the last visit having
        painted `busy`; `settled`: settled(group, busy), when made already. Summed in the same order
        whether or not `settled` was made ahead: the painting does not depend on the host's threads."""
        settled = settled if settled is not None else self.settled(group, busy)
        starts, warped, masks = [], [], []
        for index in group:
            sums = settled[index]
            if any(n.index in busy for n in self.neighbourhoods[index]):  # else adding zeros: skipped, exact
                sums = sums + self.sums(index, lambda neighbour: neighbour in busy)
            starts.append(sums.start(self.values[index]))
            target, weight = sums.target()
            warped.append(target)
            masks.append(weight if temporal else np.zeros_like(weight))
        content = {layer: ops.concatenate([self.content_targets[i][layer] for i in group])
                   for layer in self.content_targets[group[0]]}
        # on the device once, not with every step (under JAX a NumPy argument is copied at each call)
        targets = {"content": content, "style": self.style_grams, "warped": ops.convert_to_tensor(np.stack(warped)),
                   "mask": ops.convert_to_tensor(np.stack(masks))}
        return np.stack(starts), targets

    def visit(self, group: list[int], pass_index: int, optimise, iterations: int, keep_state: bool,
              pixels: np.ndarray, targets: dict, rates: Sequence[float] | None = None) -> Iterator[Visit]:
        """`iterations` steps of `group` from `pixels` towards `targets` (both from targets()); `rates`: the
        step size of each, passed on to `optimise` when given."""
        pixels = ops.convert_to_tensor(pixels)
        if keep_state and all(self.states[i] is not None for i in group):
            state = _stack_states([self.states[i] for i in group])
        else:
            state = adam_init(pixels)
        steps = (optimise(pixels, state, targets, iterations, list(rates)) if rates
                 else optimise(pixels, state, targets, iterations))
        for iteration, pixels, state, losses in steps:
            yield Visit(pass_index, group, iteration, iterations, losses, pixels)
        values = np.asarray(ops.convert_to_numpy(pixels), np.float32)
        for position, index in enumerate(group):
            self.values[index] = values[position]
            self.warps.changed(index)
            self.states[index] = AdamState(state.m[position:position + 1], state.v[position:position + 1], state.t)
            self.painted[index] = True

    def run(self, optimise, *, passes: int, iterations_per_pass: int | Sequence[int], batch_frames: int = 1,
            keep_state: bool = True, temporal_from_pass: int = 0,
            wait_for_neighbours: bool = False, rates: Sequence[float] | None = None) -> Iterator[Visit]:
        """All passes; yields a Visit per optimiser step. The result is `self.values`.
        iterations_per_pass: steps per frame in every pass, or one count per pass. rates: a frame's step size
        for each of its steps over all passes (a schedule: transfer.learning_rates); each visit then calls
        optimise(pixels, state, targets, iterations, its passes' slice of rates).

        wait_for_neighbours: a neighbour blends into a frame's start and pays the temporal term only once
        it holds a painting (its start was one, or it has been visited). Frames that start from their
        content would otherwise be pulled back towards the unpainted content of the neighbours the first
        pass has not reached yet; the first pass is then Ruder et al.'s single pass, each frame tied to
        the ones painted before it."""
        if not wait_for_neighbours:  # every neighbour counts from its start, painted or not
            self.painted = [True] * len(self.values)
        steps = ([iterations_per_pass] * passes if isinstance(iterations_per_pass, int)
                 else list(iterations_per_pass))
        schedule = [(pass_index, order[start:start + batch_frames])
                    for pass_index, order in enumerate(pass_orders(len(self.values), passes))
                    for start in range(0, len(order), batch_frames)]
        ahead, previous = None, []
        for position, (pass_index, group) in enumerate(schedule):
            pixels, targets = self.targets(group, pass_index >= temporal_from_pass, busy=previous,
                                           settled=self._made_ahead(ahead))
            # the next visit's settled sums, made on the host while this visit's steps run (host.py)
            following = schedule[position + 1][1] if position + 1 < len(schedule) else None
            ahead = in_background(functools.partial(self.settled, following, busy=group)) if following else None
            done = sum(steps[:pass_index])  # the frame's steps before this pass
            yield from self.visit(group, pass_index, optimise, steps[pass_index], keep_state, pixels, targets,
                                  rates[done:done + steps[pass_index]] if rates else None)
            previous = group
