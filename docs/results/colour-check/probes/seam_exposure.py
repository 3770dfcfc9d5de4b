"""Probe: each adjacent pair of muybridge_120 (every frame, 256 px), the flow-only and the colour-checked
mean weight, and the inputs' signed mean difference on trusted pixels (the seam: an exposure change).

    .venv/bin/python docs/results/colour-check/probes/seam_exposure.py
"""
import numpy as np
from stylizer.gif import read_gif
from stylizer.transfer import resize_longest
from stylizer.temporal.neighbours import neighbourhoods
from stylizer.temporal.flow import warp
frames = [resize_longest(np.asarray(f)[..., :3], 256) for f in read_gif("benchmarks/data/muybridge_120.gif").frames]
n = len(frames)
off = neighbourhoods(frames, (1, 2, 4), True, photometric=False, trust_stillness=True)
on = neighbourhoods(frames, (1, 2, 4), True, photometric=True, trust_stillness=True)
for i in range(n):
    for a, b in zip(off[i], on[i]):
        if abs(a.offset) != 1: continue
        w = warp(frames[a.index].astype(np.float32), a.flow, "bilinear")
        d = (frames[i].astype(np.float32) - w).mean(-1)
        t = a.weight > 0.5
        print(f"{i:2d}<-{a.index:2d} trust off {a.weight.mean():.2f} on {b.weight.mean():.2f}  signed mean diff (trusted) {d[t].mean():+.1f}  median |d| {np.median(np.abs(d[t])):.1f}  frame mean lum {frames[i].mean():.1f}")
