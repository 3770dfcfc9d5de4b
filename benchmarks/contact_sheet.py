"""Contact sheets: rows of frames (input, then each method) side by side, labelled, as one PNG."""
from pathlib import Path

import cv2
import numpy as np


def label(image: np.ndarray, text: str) -> np.ndarray:
    """The image with `text` on a dark band above it."""
    band = np.full((18, image.shape[1], 3), 32, np.uint8)
    cv2.putText(band, text, (4, 13), cv2.FONT_HERSHEY_SIMPLEX, 0.42, (235, 235, 235), 1, cv2.LINE_AA)
    return np.vstack([band, image])


def sheet(rows: dict[str, list[np.ndarray]], path: Path, gap: int = 4) -> Path:
    """One row per entry of `rows` (uint8 RGB frames of one size), its name on each frame."""
    lines = []
    for name, frames in rows.items():
        cells = [label(frame, f"{name} {i + 1}" if len(frames) > 1 else name) for i, frame in enumerate(frames)]
        spacer = np.full((cells[0].shape[0], gap, 3), 255, np.uint8)
        line = cells[0]
        for cell in cells[1:]:
            line = np.hstack([line, spacer, cell])
        lines.append(line)
    width = max(line.shape[1] for line in lines)
    padded = [np.pad(line, ((0, gap), (0, width - line.shape[1]), (0, 0)), constant_values=255) for line in lines]
    path.parent.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(path), cv2.cvtColor(np.vstack(padded), cv2.COLOR_RGB2BGR))
    return path


def pick(frames: list, count: int = 5) -> list:
    """`count` frames spread evenly from the first to the last."""
    indices = np.linspace(0, len(frames) - 1, min(count, len(frames))).round().astype(int)
    return [frames[i] for i in indices]
