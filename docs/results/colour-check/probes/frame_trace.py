"""Probe (not a benchmark): frame 1 of bunny (every 3rd frame, 16 steps) after each of its visits, to see
where the crouching rabbit is lost. Run from the repository root with the stylizer on the path:

    .venv/bin/python docs/results/colour-check/probes/frame_trace.py LABEL [setting=value ...]

Prints the Sobel edge correlation of the frame and of the rabbit's crop with the input after every pass and
writes the crops side by side to /tmp/probe/trace-LABEL.png."""
import sys
from pathlib import Path

import numpy as np
from PIL import Image

from stylizer import metrics
from stylizer.animation import stylize_animation
from stylizer.catalogue import load_style
from stylizer.gif import Animation, read_gif
from stylizer.settings import StyleSettings
from stylizer.temporal import passes
from stylizer.transfer import resize_longest

CROP = slice(20, 100), slice(20, 120)  # rows, columns of frame 1 at 256 px: the crouching rabbit


def main(label: str, assignments: list[str]) -> None:
    full = read_gif("benchmarks/data/bunny.gif")
    animation = Animation(full.frames[::3], full.durations_ms[::3], full.loop)
    changes = {key: (value == "true") if value in ("true", "false") else float(value)
               for key, value in (assignment.split("=") for assignment in assignments)}
    settings = StyleSettings(iterations=16).replace(**changes)
    trace = []  # (pass, frame 1's pixels after its visit)
    visit = passes.Painter.visit

    def traced_visit(self, group, pass_index, *args, **kwargs):
        yield from visit(self, group, pass_index, *args, **kwargs)
        if 0 in group:
            trace.append((pass_index, self.values[0].copy()))

    passes.Painter.visit = traced_visit
    for _ in stylize_animation(animation, [(load_style("starry_night")[0], 1.0)], settings):
        pass
    content = resize_longest(np.asarray(animation.frames[0])[..., :3], 256)
    for pass_index, pixels in trace:
        print(label, "pass", pass_index, "edge frame", round(metrics.edge_correlation(content, pixels), 3),
              "edge crop", round(metrics.edge_correlation(content[CROP], pixels[CROP]), 3))
    Path("/tmp/probe").mkdir(exist_ok=True)
    crops = [np.clip(pixels[CROP], 0, 255).astype(np.uint8) for _, pixels in trace]
    Image.fromarray(np.concatenate(crops, 1)).save(f"/tmp/probe/trace-{label}.png")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
