"""VGG19 features keyed by layer name: one batched forward pass for every image that needs them."""
import functools

import keras
from keras import ops

from .precision import dtype_policy
from .weights import load_vgg19

# Keras' VGG19 was converted from the caffe model: it expects BGR, mean-subtracted, 0..255 input
# (keras.applications.vgg19.preprocess_input, mode="caffe").
CAFFE_MEAN_BGR = (103.939, 116.779, 123.68)

# Max pooling, as trained (StyleSettings.vgg_pooling). Gatys et al. 2016 report slightly smoother results
# with average pooling. Measured with the losses scale-free (docs/benchmarks.md, "Average pooling"): a
# little less grain on photos at 512 px (3-22%; GIFs at 256 px -9% to +4%), but less of the style by a ruler at
# max pooling (photos' style loss 1.5-3.1x) and GIFs' still-pixel flicker 5-21% higher; by eye flatter
# and more smeared. So max stays; "avg" is there for experiments.
DEFAULT_POOLING = "max"

# What the 3x3 convolutions see beyond the image's edge. VGG19 was trained with zeros ("same"): in an
# optimised image the outermost pixels then face a black frame in every layer, and the style loss paints
# a coloured frame of noise a few pixels wide (colour noise 1.8-2.2x the interior's in 512 px photos,
# docs/benchmarks.md, "The painted frame"). "mirror" pads each layer's input with the picture mirrored
# about its edge instead (MirrorPad), so the border continues the picture; the weights are unchanged.
PADDINGS = ("zeros", "mirror")


def caffe_preprocess(rgb):
    """RGB float 0..255 (N, H, W, 3) -> BGR minus the ImageNet mean, as the caffe-trained VGG19 expects."""
    bgr = ops.flip(rgb, axis=-1)
    return bgr - ops.convert_to_tensor(CAFFE_MEAN_BGR, dtype=bgr.dtype)


class FeatureExtractor:
    """`extractor(batch) -> {layer: activations}` for float32 RGB 0..255 batches of any size.

    The sub-model stops at the deepest requested layer, so a content layer in block 2 and style layers up to
    block 4 never pay for block 5.
    """

    def __init__(self, layer_names, pooling=DEFAULT_POOLING, precision="auto", padding="zeros"):
        if padding not in PADDINGS:
            raise ValueError(f"padding must be one of {', '.join(PADDINGS)}, not {padding!r}")
        self.layer_names = tuple(layer_names)
        policy = dtype_policy(precision)
        vgg = load_vgg19()
        names = [layer.name for layer in vgg.layers]
        missing = set(self.layer_names) - set(names)
        if missing:
            raise ValueError(f"VGG19 has no layers {sorted(missing)}; it has {names[1:]}")
        deepest = max(names.index(name) for name in self.layer_names)
        inputs = keras.Input(shape=(None, None, 3))
        x, outputs = inputs, {}
        for layer in vgg.layers[1:deepest + 1]:  # layers[0] is the InputLayer
            if pooling == "avg" and isinstance(layer, keras.layers.MaxPooling2D):
                layer = keras.layers.AveragePooling2D(pool_size=2, strides=2, name=layer.name, dtype=policy)
            elif padding == "mirror" and isinstance(layer, keras.layers.Conv2D):
                x = MirrorPad(layer.kernel_size, dtype=policy, name=f"{layer.name}_pad")(x)
                layer = _clone(layer, dtype=policy, padding="valid")
            elif policy != "float32":  # the same layer computing in bfloat16, its float32 weights shared
                layer = _clone(layer, dtype=policy)
            x = layer(x)
            if layer.name in self.layer_names:
                outputs[layer.name] = x
        self.model = keras.Model(inputs, outputs)
        self.model.trainable = False

    def __call__(self, batch):
        """`batch`: float32 (N, H, W, 3) RGB 0..255 (numpy or backend tensor). Differentiable. Activations
        come back float32 whatever the compute precision (the losses need float32 sums)."""
        outputs = self.model(caffe_preprocess(ops.convert_to_tensor(batch, dtype="float32")), training=False)
        return {name: ops.cast(outputs[name], "float32") for name in self.layer_names}


class MirrorPad(keras.layers.Layer):
    """Pads (N, H, W, C) by half a kernel on each side with the map mirrored about its edge pixel (numpy's
    "reflect"), so that a "valid" convolution of the result has the map's size, as "same" has, with the
    picture instead of zeros. A map 1 pixel across (block5 of a 512x20 photo) repeats that pixel, where
    tf.pad's "REFLECT" would fail: the indices are clipped, not the op's."""

    def __init__(self, kernel_size, **kwargs):
        super().__init__(**kwargs)
        self.kernel_size = tuple(kernel_size)

    def call(self, x):
        for axis, half in ((1, self.kernel_size[0] // 2), (2, self.kernel_size[1] // 2)):
            if half:
                x = ops.take(x, mirrored_indices(ops.shape(x)[axis], half), axis=axis)
        return x

    def compute_output_shape(self, shape):
        grown = [None if size is None else size + 2 * (k // 2) for size, k in zip(shape[1:3], self.kernel_size)]
        return (shape[0], *grown, shape[3])


def mirrored_indices(size, half: int):
    """Source index of each of the size + 2·half padded positions: p = −half … size − 1 + half reflected,
    −p below 0 and 2(size − 1) − p above size − 1, then clipped to [0, size − 1] (size 1: all 0).
    `size` may be a traced tensor: every op is the backend's."""
    positions = ops.arange(-half, size + half, dtype="int32")
    last = size - 1
    reflected = ops.where(positions < 0, -positions, ops.where(positions > last, 2 * last - positions, positions))
    return ops.clip(reflected, 0, last)


def _clone(layer, **config):
    """A copy of `layer` with these config entries changed (its dtype policy, its padding), sharing its
    weights."""
    clone = layer.__class__.from_config({**layer.get_config(), **config})
    if layer.weights:
        clone.build(layer.input.shape)
        clone.set_weights(layer.get_weights())
    return clone


@functools.lru_cache(maxsize=8)
def feature_extractor(layer_names: tuple, pooling: str = DEFAULT_POOLING, precision: str = "auto",
                      padding: str = "zeros") -> FeatureExtractor:
    """One extractor per layer set per process: building VGG19 and loading 80 MB of weights takes seconds."""
    return FeatureExtractor(tuple(layer_names), pooling, precision, padding)
