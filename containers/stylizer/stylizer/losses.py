"""Loss terms of neural style transfer as small pure functions on backend tensors (keras.ops: TF or JAX).

Feature maps are channels-last (N, H, W, C); images are (N, H, W, 3) on the 0..255 scale.

Every term is scale-free, so that one weight means the same thing whatever the layer, image size or style:
content, style and Laplacian terms are relative errors (divided by the target's own energy), TV and
temporal terms are on pixels divided by 255². Measured before this change (GIF post's layers, Gram/(H W),
mean over C²): block3_conv3 carried ~88% of the style loss and ~90% of its gradient, block1 and block5
~0.2% and 0.02%, because a layer's term grows with the square of its activations. Divided by ‖A_l‖², a layer whose
features are k times another's contributes the same, and every chosen layer acts (tests/unit/test_losses.py).
"""
from keras import ops

PIXEL_SCALE_SQ = 255.0 ** 2


def _energy(tensor):
    """Mean of squares over all but the batch axis, with a floor so an all-zero target cannot divide by 0."""
    axes = tuple(range(1, len(ops.shape(tensor))))
    return ops.mean(ops.square(tensor), axis=axes) + 1e-12


def content_loss(features, target):
    """L_content = ‖F − P‖² / ‖P‖², the squared error of the activations relative to the target's energy.

    Gatys, Ecker, Bethge 2016, "Image Style Transfer Using Convolutional Neural Networks", eq. 1, divided
    by ‖P‖² so the weight does not depend on which layer holds the content. Mean over the batch.
    """
    axes = tuple(range(1, len(ops.shape(features))))
    return ops.mean(ops.mean(ops.square(features - target), axis=axes) / _energy(target))


def gram_matrix(features):
    """G_ij = 1/(H W) * sum_k F_ik F_jk per image: (N, H, W, C) -> (N, C, C), computed in float32.

    Gatys et al. 2016, eq. 3, normalised by the number of positions M = H W so that styles and outputs of
    different sizes give comparable Gram matrices. bfloat16 activations are cast first: the sum over H W
    positions needs float32's mantissa.
    """
    features = ops.cast(features, "float32")
    shape = ops.shape(features)
    flat = ops.reshape(features, (shape[0], shape[1] * shape[2], shape[3]))
    return ops.matmul(ops.transpose(flat, (0, 2, 1)), flat) / ops.cast(shape[1] * shape[2], "float32")


def style_layer_loss(features, target_gram):
    """E_l = ‖G_l − A_l‖² / ‖A_l‖², the Gram error relative to the target Gram's energy.

    Gatys et al. 2016, eq. 4 uses 1/(4 N² M²) ‖G − A‖², which leaves a layer's term proportional to the
    fourth power of its activations' scale; the relative error is scale-free (Gram of kF is k² G), so every
    layer is weighed by how far its statistics are from the style's, not by how large its activations are.
    Mean over the batch (every image of a batch shares the one target).
    """
    gram = gram_matrix(features)
    return ops.mean(ops.mean(ops.square(gram - target_gram), axis=(1, 2)) / _energy(target_gram))


def style_loss(features_by_layer, target_grams_by_layer, layer_weights=None):
    """L_style = sum_l w_l E_l over the style layers (Gatys et al. 2016, eq. 5); w_l = 1/L by default."""
    layers = list(target_grams_by_layer)
    if layer_weights is None:
        layer_weights = {layer: 1.0 / len(layers) for layer in layers}
    return weighted_sum({layer: style_layer_loss(features_by_layer[layer], target_grams_by_layer[layer])
                         for layer in layers}, layer_weights)


def total_variation_loss(images):
    """L_tv = [mean (x[i+1,j] − x[i,j])² + mean (x[i,j+1] − x[i,j])²] / 255², the squared total variation.

    Smoothness prior of Johnson, Alahi, Fei-Fei 2016, "Perceptual Losses for Real-Time Style Transfer and
    Super-Resolution" (after Mahendran & Vedaldi 2015): suppresses the optimiser's high-frequency grain.
    """
    vertical = images[:, 1:, :, :] - images[:, :-1, :, :]
    horizontal = images[:, :, 1:, :] - images[:, :, :-1, :]
    return (ops.mean(ops.square(vertical)) + ops.mean(ops.square(horizontal))) / PIXEL_SCALE_SQ


def temporal_loss(images, warped, mask):
    """L_temporal = 1/(N H W C) Σ c_ij (x_ijk − w_ijk)² / 255² over pixels i,j and channels k.

    Ruder, Dosovitskiy, Brox 2016, "Artistic style transfer for videos", eq. 2: `warped` is a neighbouring
    stylised frame warped onto this one by the input's optical flow and `mask` c its
    reliability in [0, 1], shaped (N, H, W). Several neighbours at once: pass
    temporal.passes.NeighbourSums.target's result
    (Σ_k c_k (x − w_k)² = (Σ c_k)(x − w̄)² + const with w̄ = Σ c_k w_k / Σ c_k: the same gradient).
    """
    weights = ops.expand_dims(mask, -1)
    return ops.mean(weights * ops.square(images - warped)) / PIXEL_SCALE_SQ


def laplacian_map(images, pool: int):
    """D(P_p(x)): the 4-neighbour Laplacian [[0,1,0],[1,-4,1],[0,1,0]] of the p x p average-pooled image, per
    channel: (N, H, W, 3) -> (N, ⌈H/p⌉, ⌈W/p⌉, 3).

    Li, Xu, Zhang, Huang 2017, "Laplacian-Steered Neural Style Transfer" (ACM MM), section 3: the pooling
    makes the term see the picture's structure (outlines, the shapes of a face) at a scale of p px, not its
    pixel texture, which is the style's to change. Pooling "same" and the pooled image's edge repeated for
    the stencil, so any size works (the compiled step does not know its frames' size; a 32 px test frame
    with p = 16 is 2 x 2 pooled).
    """
    images = ops.cast(images, "float32")
    pooled = ops.average_pool(images, pool, strides=pool, padding="same") if pool > 1 else images
    padded = ops.pad(pooled, ((0, 0), (1, 1), (1, 1), (0, 0)), mode="symmetric")
    return (padded[:, :-2, 1:-1, :] + padded[:, 2:, 1:-1, :] + padded[:, 1:-1, :-2, :] + padded[:, 1:-1, 2:, :]
            - 4.0 * pooled)


def laplacian_loss(images, target_map, pool: int):
    """L_lap = ‖D(P(x)) − D(P(c))‖² / ‖D(P(c))‖², with `target_map` D(P(c)) = laplacian_map(content, pool).

    Li et al. 2017's Laplacian loss (Σ_ij (D(x_c) − D(x̂))²), divided by the target's energy like every term
    here, so that its weight means the same at every painting size. Mean over the batch.
    """
    difference = laplacian_map(images, pool) - target_map
    axes = tuple(range(1, len(ops.shape(difference))))
    return ops.mean(ops.mean(ops.square(difference), axis=axes) / _energy(target_map))


def weighted_sum(terms, weights):
    """sum_k weights[k] * terms[k] over the keys of `terms` (the total loss of eq. 7 in Gatys et al.)."""
    items = list(terms.items())
    total = weights[items[0][0]] * items[0][1]
    for name, value in items[1:]:
        total = total + weights[name] * value
    return total
