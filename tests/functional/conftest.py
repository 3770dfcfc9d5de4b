"""Tiny synthetic images and a moving-square GIF for the stylizer's functional tests."""
import numpy as np
import pytest


def textured(height, width, seed):
    """A smooth colourful texture: gradients plus low-frequency noise (VGG sees edges and colour)."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    noise = rng.uniform(0, 255, size=(height // 4 + 1, width // 4 + 1, 3)).repeat(4, 0).repeat(4, 1)[:height, :width]
    base = np.stack([x / width * 255, y / height * 255, (x + y) / (width + height) * 255], axis=-1)
    return np.clip(0.6 * base + 0.4 * noise, 0, 255).astype(np.uint8)


@pytest.fixture
def content_image():
    return textured(40, 48, seed=1)


@pytest.fixture
def style_image():
    """Diagonal black/orange stripes: a style whose Gram matrix is far from the content's."""
    y, x = np.mgrid[0:48, 0:48]
    stripes = ((x + y) // 4) % 2 == 0
    image = np.zeros((48, 48, 3), np.uint8)
    image[stripes] = (250, 140, 20)
    return image


@pytest.fixture
def moving_square_frames():
    """4 frames 48x48: a white square moving 3 px/frame to the right over a still textured background."""
    background = textured(48, 48, seed=2)
    frames = []
    for t in range(4):
        frame = background.copy()
        frame[16:32, 8 + 3 * t:24 + 3 * t] = (240, 240, 240)
        frames.append(frame)
    return frames


@pytest.fixture
def circling_square_frames():
    """6 frames 48x48 of a loop: a square circling over a still texture, so the last frame flows into the
    first like any other pair."""
    background = textured(48, 48, seed=3)
    frames = []
    for t in range(6):
        angle = 2 * np.pi * t / 6
        x, y = round(16 + 6 * np.cos(angle)), round(16 + 6 * np.sin(angle))
        frame = background.copy()
        frame[y:y + 14, x:x + 14] = (240, 240, 240)
        frames.append(frame)
    return frames


@pytest.fixture
def step_sizes(monkeypatch):
    """Every gradient step's (painting width, Adam step size), in order: transfer.gradient_step wrapped so that
    each compiled step records what it was given before it runs."""
    from stylizer import transfer

    taken = []
    compile_step = transfer.gradient_step

    def recording_step(settings):
        compiled = compile_step(settings)

        def record(pixels, state, targets, learning_rate):
            taken.append((int(pixels.shape[2]), round(float(np.asarray(learning_rate)), 4)))
            return compiled(pixels, state, targets, learning_rate)
        return record

    monkeypatch.setattr(transfer, "gradient_step", recording_step)
    return taken
