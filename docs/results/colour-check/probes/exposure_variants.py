"""Probe: the seam pairs and two ordinary pairs of muybridge_120 and bunny, mean weight with the colour
check as shipped ("none"), with the median difference taken out ("median"), and with a low-pass of the
difference taken out (σ = 32 / 16 px). Mismatched pixels set to 0 before softening (an approximation).

    .venv/bin/python docs/results/colour-check/probes/exposure_variants.py
"""
import numpy as np, cv2
from stylizer.gif import read_gif
from stylizer.transfer import resize_longest
from stylizer.temporal.flow import optical_flow, warp
from stylizer.temporal import masks
def frames_of(p, stride): return [resize_longest(np.asarray(f)[..., :3], 256) for f in read_gif(p).frames][::stride]
def mism(frame, nb, flow, mode):
    d = frame.astype(np.float32) - warp(nb.astype(np.float32), flow, "bilinear")
    inside = ~masks.out_of_frame(flow)
    if mode == "median": d = d - np.median(d[inside], axis=0)
    elif mode.startswith("blur"):
        s = float(mode[4:]); d = d - np.median(d[inside], axis=0)
        d = d - cv2.GaussianBlur(d, (0, 0), s)
    return np.abs(d).mean(-1) > 24
for name, p, stride, pairs in [("muy", "benchmarks/data/muybridge_120.gif", 1, [(0, 14), (14, 0), (3, 2), (9, 10)]), ("bunny", "benchmarks/data/bunny.gif", 3, [(0, 10), (10, 0), (1, 0), (3, 4)])]:
    fr = frames_of(p, stride)
    for i, n in pairs:
        fb, ff = optical_flow(fr[i], fr[n]), optical_flow(fr[n], fr[i])
        base = masks.reliability(ff, fb, trust_stillness=True)
        out = [f"{name} {i}<-{n} off {base.mean():.2f}"]
        for mode in ("none", "median", "blur32", "blur16"):
            m = mism(fr[i], fr[n], fb, mode)
            w = base.copy(); w[m] = 0
            out.append(f"{mode} {w.mean():.2f}")
        print("  ".join(out))
