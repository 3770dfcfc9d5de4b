"""Loss terms of neural style transfer as small pure functions on backend tensors (keras.ops: TF or JAX).

Feature maps are channels-last (N, H, W, C); images are (N, H, W, 3).
"""
from keras import ops


def content_loss(features, target):
    """L_content = 1/(N H W C) * sum (F - P)^2, the mean squared error of the activations.

    Gatys, Ecker, Bethge 2016, "Image Style Transfer Using Convolutional Neural Networks", eq. 1 (they use
    1/2 sum; the mean keeps the weight independent of the image size).
    """
    return ops.mean(ops.square(features - target))


def gram_matrix(features):
    """G_ij = 1/(H W) * sum_k F_ik F_jk per image: (N, H, W, C) -> (N, C, C).

    Gatys et al. 2016, eq. 3, normalised by the number of positions M = H W so that styles and outputs of
    different sizes give comparable Gram matrices.
    """
    shape = ops.shape(features)
    flat = ops.reshape(features, (shape[0], shape[1] * shape[2], shape[3]))
    return ops.matmul(ops.transpose(flat, (0, 2, 1)), flat) / ops.cast(shape[1] * shape[2], features.dtype)


def style_layer_loss(features, target_gram):
    """E_l = 1/C^2 * sum (G - A)^2, the mean squared error of the Gram matrices (Gatys et al. 2016, eq. 4)."""
    return ops.mean(ops.square(gram_matrix(features) - target_gram))


def style_loss(features_by_layer, target_grams_by_layer, layer_weights=None):
    """L_style = sum_l w_l E_l over the style layers (Gatys et al. 2016, eq. 5); w_l = 1/L by default."""
    layers = list(target_grams_by_layer)
    if layer_weights is None:
        layer_weights = {layer: 1.0 / len(layers) for layer in layers}
    return weighted_sum({layer: style_layer_loss(features_by_layer[layer], target_grams_by_layer[layer])
                         for layer in layers}, layer_weights)


def total_variation_loss(images):
    """L_tv = mean (x[i+1,j] - x[i,j])^2 + mean (x[i,j+1] - x[i,j])^2, the squared total variation.

    Smoothness prior of Johnson, Alahi, Fei-Fei 2016, "Perceptual Losses for Real-Time Style Transfer and
    Super-Resolution" (after Mahendran & Vedaldi 2015): suppresses high-frequency optimisation noise.
    """
    vertical = images[:, 1:, :, :] - images[:, :-1, :, :]
    horizontal = images[:, :, 1:, :] - images[:, :, :-1, :]
    return ops.mean(ops.square(vertical)) + ops.mean(ops.square(horizontal))


def temporal_loss(images, warped_previous, mask):
    """L_temporal = 1/(H W C) * sum c_ij (x_ijk - w_ijk)^2 over pixels i,j and channels k.

    Ruder, Dosovitskiy, Brox 2016, "Artistic style transfer for videos", eq. 2: `warped_previous` is the
    previous stylised frame warped onto this one by the optical flow of the input frames, `mask` c (H, W)
    is 1 where that flow is reliable and 0 at occlusions and motion boundaries.
    """
    weights = ops.expand_dims(mask, -1)
    if len(ops.shape(weights)) < len(ops.shape(images)):
        weights = ops.expand_dims(weights, 0)
    return ops.mean(weights * ops.square(images - warped_previous))


def weighted_sum(terms, weights):
    """sum_k weights[k] * terms[k] over the keys of `terms` (the total loss of eq. 7 in Gatys et al.)."""
    items = list(terms.items())
    total = weights[items[0][0]] * items[0][1]
    for name, value in items[1:]:
        total = total + weights[name] * value
    return total
