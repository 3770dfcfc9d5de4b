"""One photo and one GIF painted with the Keras backend of this process (KERAS_BACKEND), printed as JSON:
test_backends.py runs it under TensorFlow and under JAX and compares. A script, not a test module, because
Keras fixes its backend when it is first imported: each backend needs a process of its own.

    KERAS_BACKEND=jax python tests/functional/backend_case.py IMAGES.npz
"""
import json
import sys

import numpy as np

from stylizer.animation import stylize_animation
from stylizer.gif import Animation
from stylizer.settings import StyleSettings
from stylizer.transfer import stylize_image

# float32 on both sides: "auto" would take bfloat16 on a CPU that computes it, where the backends round
# differently; every term the photo default pays, the Laplacian one included (the mode's weight, 1).
PHOTO = StyleSettings(size=48, iterations=3, method="full", precision="float32")
# the temporal method: two frames per batch, loop closure, the half size first, the Laplacian term asked for
GIF = StyleSettings(size=48, iterations=6, gif_coarse_steps=2, passes=2, batch_frames=2, laplacian_weight=1.0,
                    method="full", precision="float32")


def main(path: str) -> None:
    images = np.load(path)
    styles = [(images["style"], 1.0)]
    photo = [event.losses for event in stylize_image(images["content"], styles, PHOTO) if event.kind == "iteration"]
    animation = Animation(list(images["frames"]), [100] * len(images["frames"]), 0)
    events = list(stylize_animation(animation, styles, GIF))
    steps = [event.losses for event in events if event.kind == "iteration"]
    frames = np.stack([event.image for event in events if event.kind == "frame"])
    print(json.dumps({"photo": photo, "gif": steps, "frames": frames.astype(float).round().tolist()}))


if __name__ == "__main__":
    main(sys.argv[1])
