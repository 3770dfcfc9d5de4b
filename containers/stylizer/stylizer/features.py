"""VGG19 features keyed by layer name: one batched forward pass for every image that needs them."""
import functools

import keras
from keras import ops

from .precision import dtype_policy
from .weights import load_vgg19

# Keras' VGG19 was converted from the caffe model: it expects BGR, mean-subtracted, 0..255 input
# (keras.applications.vgg19.preprocess_input, mode="caffe").
CAFFE_MEAN_BGR = (103.939, 116.779, 123.68)

# Max pooling, as trained. Gatys et al. 2016 report slightly smoother results with average pooling, but the
# network was never trained with it: feature statistics shift in the deeper blocks and the style/content
# weights tuned for max pooling no longer balance. Max pooling is also what the Keras NST example uses, so
# our weights stay comparable. `pooling="avg"` is kept for experiments.
DEFAULT_POOLING = "max"


def caffe_preprocess(rgb):
    """RGB float 0..255 (N, H, W, 3) -> BGR minus the ImageNet mean, as the caffe-trained VGG19 expects."""
    bgr = ops.flip(rgb, axis=-1)
    return bgr - ops.convert_to_tensor(CAFFE_MEAN_BGR, dtype=bgr.dtype)


class FeatureExtractor:
    """`extractor(batch) -> {layer: activations}` for float32 RGB 0..255 batches of any size.

    The sub-model stops at the deepest requested layer, so a content layer in block 2 and style layers up to
    block 4 never pay for block 5.
    """

    def __init__(self, layer_names, pooling=DEFAULT_POOLING, precision="auto"):
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
            elif policy != "float32":  # the same layer computing in bfloat16, its float32 weights shared
                layer = _with_policy(layer, policy)
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


def _with_policy(layer, policy: str):
    """A copy of `layer` whose computations run under the dtype policy `policy`, sharing its weights."""
    clone = layer.__class__.from_config({**layer.get_config(), "dtype": policy})
    if layer.weights:
        clone.build(layer.input.shape)
        clone.set_weights(layer.get_weights())
    return clone


@functools.lru_cache(maxsize=8)
def feature_extractor(layer_names: tuple, pooling: str = DEFAULT_POOLING, precision: str = "auto") -> FeatureExtractor:
    """One extractor per layer set per process: building VGG19 and loading 80 MB of weights takes seconds."""
    return FeatureExtractor(tuple(layer_names), pooling, precision)
