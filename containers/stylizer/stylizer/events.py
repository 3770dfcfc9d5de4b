"""Progress events: stylisation is a generator of these, so every front end reports from one source."""
from dataclasses import dataclass, field
from typing import Any, Literal

Kind = Literal["start", "iteration", "frame", "done"]


@dataclass
class ProgressEvent:
    """One step of a stylisation.

    kind: "start" (once), "iteration" (every optimiser step), "frame" (a GIF frame finished: `image` is it),
    "done" (last event: `image` is the stylised image, or for a GIF the last frame; `losses` the last step's).
    `frame` is 0-based, `frames` is 1 for a photo; `preview` is set every `preview_every` iterations.
    GIFs are painted in several passes over all frames (stylizer.temporal.passes): `pass_index` (0-based) of
    `passes`; `iteration`/`iterations` count the steps of this frame's visit in this pass, and "frame"
    events come once each frame is final (after the last pass), in frame order.
    """

    kind: Kind
    frame: int = 0
    frames: int = 1
    iteration: int = 0
    iterations: int = 0
    pass_index: int = 0
    passes: int = 1
    losses: dict[str, float] = field(default_factory=dict)
    elapsed_s: float = 0.0
    preview: Any = None  # uint8 HxWx3 numpy array or None
    image: Any = None  # uint8 HxWx3 numpy array or None
    # GIFs, "start": the fast painting's strength the frames start from (temporal/start.py; 0 = the content)
    start_strength: float | None = None
    # Share of the whole painting's work done, where its source weighs the steps unequally (a GIF's half-size
    # steps cost a quarter of a full-size one); None: count passes, frames and steps (job_progress.fraction_done).
    progress: float | None = None

    def to_json(self) -> dict:
        """The event without its arrays, for logs and status objects."""
        return {
            "kind": self.kind,
            "frame": self.frame,
            "frames": self.frames,
            "iteration": self.iteration,
            "iterations": self.iterations,
            "pass_index": self.pass_index,
            "passes": self.passes,
            "losses": {k: float(v) for k, v in self.losses.items()},
            "elapsed_s": round(self.elapsed_s, 3),
            **({"start_strength": self.start_strength} if self.start_strength is not None else {}),
            **({"progress": round(self.progress, 4)} if self.progress is not None else {}),
        }
