"""Synthetic images with known motion for the flow, mask and metric tests."""
import cv2
import numpy as np


def texture(height=96, width=128, seed=0):
    """Smooth random RGB texture: trackable by any flow method."""
    noise = np.random.default_rng(seed).uniform(0, 255, (height, width, 3)).astype(np.float32)
    return np.clip(cv2.GaussianBlur(noise, (0, 0), 2.0) * 3 - 255, 0, 255).astype(np.uint8)


def translate(image, dx, dy):
    """b with b[y, x] = image[y - dy, x - dx] (content moves by (dx, dy)), border replicated."""
    matrix = np.float32([[1, 0, dx], [0, 1, dy]])
    return cv2.warpAffine(image, matrix, image.shape[1::-1], borderMode=cv2.BORDER_REPLICATE)
