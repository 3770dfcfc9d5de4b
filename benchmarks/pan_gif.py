"""A tuning GIF with large, known motion made of real photographs (no GIF held out is touched).

    .venv/bin/python benchmarks/pan_gif.py out/pan.gif

12 frames of 256x144: a window panning 10 px per frame over demo/coffee.png while demo/chelsea.png's face
(72x72) crosses it at 15 px per frame, so every frame has disoccluded background behind the face and new
columns at the edge. Not a loop. Used by `gif_quality.py --gif out/pan.gif` to try knobs at large motion,
by flow_choice.py (its true flow) and by tests/unit/test_temporal_flow.py.
"""
import sys
from pathlib import Path

import cv2
import imageio.v2 as imageio

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "demo"  # the shared catalogue's coffee.png and chelsea.png, kept in the repository


def read_rgb(path: Path):
    image = cv2.imread(str(path))
    if image is None:
        raise SystemExit(f"cannot read {path}")
    return cv2.cvtColor(image, cv2.COLOR_BGR2RGB)


FACE_SIDE, FACE_TOP = 72, 40  # chelsea's face, pasted at these rows of every frame
PAN_PX, FACE_PX = 10, 15  # per frame: the window moves right over coffee.png, the face moves right in it


def face_left(t: int) -> int:
    """The face's first column in frame t (benchmarks/flow_choice.py compares flows with this truth)."""
    return 10 + FACE_PX * t


def pan_frames(count: int = 12):
    coffee, cat = read_rgb(CONTENT / "coffee.png"), read_rgb(CONTENT / "chelsea.png")
    face = cv2.resize(cat[40:260, 120:340], (FACE_SIDE, FACE_SIDE), interpolation=cv2.INTER_AREA)
    frames = []
    for t in range(count):
        frame = coffee[100:244, 20 + PAN_PX * t:276 + PAN_PX * t].copy()
        frame[FACE_TOP:FACE_TOP + FACE_SIDE, face_left(t):face_left(t) + FACE_SIDE] = face
        frames.append(frame)
    return frames


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "out" / "pan.gif")
    out.parent.mkdir(parents=True, exist_ok=True)
    imageio.mimsave(out, pan_frames(), duration=0.1)
    print(out)
