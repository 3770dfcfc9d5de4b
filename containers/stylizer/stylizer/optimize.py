"""The gradient step: the only backend-specific code of the stylizer (TensorFlow or JAX via KERAS_BACKEND).

The optimiser is a small Adam (Kingma & Ba 2015) written in keras.ops with its state as explicit arrays,
so the state of one GIF frame can seed the next (Ruder et al. 2016) and the same code runs on both
backends. Pixels are 0..255 floats and are clipped to that range after every step (a box constraint:
outside it the image is not an image, and VGG features of impossible colours only mislead the loss).
"""
from typing import Callable, NamedTuple

import keras
from keras import ops

COMPILE_MODES = ("xla", "graph", "eager")  # TF: jit_compile=True, plain tf.function, no tf.function


class AdamState(NamedTuple):
    m: object  # first-moment estimate, same shape as the pixels
    v: object  # second-moment estimate
    t: object  # step count (float32 scalar) for the bias correction


def adam_init(pixels) -> AdamState:
    zeros = ops.zeros_like(pixels)
    return AdamState(zeros, ops.zeros_like(pixels), ops.convert_to_tensor(0.0, dtype="float32"))


def adam_update(pixels, grad, state: AdamState, learning_rate, beta_1=0.9, beta_2=0.999, epsilon=1e-8):
    """One Adam step followed by clipping to 0..255; returns (pixels, state)."""
    t = state.t + 1.0
    m = beta_1 * state.m + (1.0 - beta_1) * grad
    v = beta_2 * state.v + (1.0 - beta_2) * ops.square(grad)
    m_hat = m / (1.0 - ops.power(beta_1, t))
    v_hat = v / (1.0 - ops.power(beta_2, t))
    pixels = ops.clip(pixels - learning_rate * m_hat / (ops.sqrt(v_hat) + epsilon), 0.0, 255.0)
    return pixels, AdamState(m, v, t)


def temporal_proximal_step(pixels, warped, mask, pull):
    """The temporal term applied after a step instead of through Adam: per pixel and channel

        x ← (x + κ c w̄) / (1 + κ c),

    the proximal step of (κ/2) c (x − w̄)² (Parikh & Boyd 2014, "Proximal Algorithms", §1.1: argmin_z of
    that term plus ½ (z − x)²), with w̄ the neighbours' weighted mean warped onto the frame (`warped`,
    (N, H, W, 3)), c their summed reliability (`mask`, (N, H, W)) and κ = `pull`. In the loss, the term's
    gradient shares Adam's per-pixel normalisation with the style's, so wherever it is large the style's
    step shrinks with it; applied apart (as AdamW decouples weight decay from Adam's normalisation:
    Loshchilov & Hutter 2019), Adam normalises the style and content gradients alone and each pixel then
    moves towards its neighbours by the fraction κ c / (1 + κ c). c = 0: unchanged; a convex mix of two
    0..255 images stays one. Measured against the term in the loss: docs/benchmarks.md, "The temporal term
    as a pull after each step"."""
    weight = pull * ops.expand_dims(mask, -1)
    return (pixels + weight * warped) / (1.0 + weight)


def free_pixel_proximal_step(pixels, warped, mask, pull, previous, free_pull):
    """temporal_proximal_step with the pixels that lack reliable neighbours pulled towards their own value
    before the step (`previous`) by what they lack: per pixel and channel

        x ← (x + κ c w̄ + κ φ (1 − c)₊ x₀) / (1 + κ c + κ φ (1 − c)₊),

    the proximal step of (κ/2) [c (x − w̄)² + φ (1 − c)₊ (x − x₀)²], the second term a proximal-point
    term (Rockafellar 1976) of strength φ = `free_pull`. A pixel tied to its neighbours (c ≥ 1) keeps only
    1/(1 + κ c) of each Adam step; without this a pixel with none keeps all of it, and paints
    further (the GIFs' style weight is raised to make up for the tied pixels' damping) and changes more
    from frame to frame than its tied surroundings. φ = 1 damps both alike. Measured, not the default
    (settings.free_pull; docs/benchmarks.md, "Free pixels held like tied ones")."""
    weight = pull * ops.expand_dims(mask, -1)
    inertia = pull * free_pull * ops.expand_dims(ops.relu(1.0 - mask), -1)
    return (pixels + weight * warped + inertia * previous) / (1.0 + weight + inertia)


# loss_fn(pixels, targets) -> (total loss scalar, {name: scalar}); targets is a dict of tensors passed as an
# argument (not captured), so one compiled step serves every frame of a GIF.
LossFn = Callable[[object, dict], tuple[object, dict]]
StepFn = Callable[[object, AdamState, dict, object], tuple[object, AdamState, dict]]


def make_step(loss_fn: LossFn, compile: str = "xla", temporal_pull: float = 0.0, free_pull: float = 0.0) -> StepFn:
    """`step(pixels, adam_state, targets, learning_rate) -> (pixels, adam_state, losses)` for this backend.
    temporal_pull > 0: each Adam step is followed by temporal_proximal_step towards targets["warped"], or
    with free_pull > 0 by free_pixel_proximal_step (no pull: free_pull does nothing, _after_adam)."""
    if compile not in COMPILE_MODES:
        raise ValueError(f"compile must be one of {COMPILE_MODES}, not {compile!r}")
    backend = keras.backend.backend()
    if backend == "tensorflow":
        return _tensorflow_step(loss_fn, compile, temporal_pull, free_pull)
    if backend == "jax":
        return _jax_step(loss_fn, compile, temporal_pull, free_pull)
    raise RuntimeError(f"The stylizer supports the tensorflow and jax Keras backends, not {backend!r}")


def _after_adam(pixels, previous, targets, temporal_pull, free_pull):
    if not temporal_pull:
        return pixels
    if free_pull:
        return free_pixel_proximal_step(pixels, targets["warped"], targets["mask"], temporal_pull, previous, free_pull)
    return temporal_proximal_step(pixels, targets["warped"], targets["mask"], temporal_pull)


def _tensorflow_step(loss_fn, compile, temporal_pull=0.0, free_pull=0.0):
    import tensorflow as tf

    def step(pixels, state, targets, learning_rate):
        with tf.GradientTape() as tape:
            tape.watch(pixels)
            total, parts = loss_fn(pixels, targets)
        grad = tape.gradient(total, pixels)
        stepped, state = adam_update(pixels, grad, state, learning_rate)
        return _after_adam(stepped, pixels, targets, temporal_pull, free_pull), state, dict(parts, total=total)

    if compile == "eager":
        return step
    # reduce_retracing: pyramid levels change the image size; one generic trace beats one per size.
    return tf.function(step, jit_compile=(compile == "xla"), reduce_retracing=True)


def _jax_step(loss_fn, compile, temporal_pull=0.0, free_pull=0.0):
    import jax

    def step(pixels, state, targets, learning_rate):
        (total, parts), grad = jax.value_and_grad(loss_fn, has_aux=True)(pixels, targets)
        stepped, state = adam_update(pixels, grad, state, learning_rate)
        return _after_adam(stepped, pixels, targets, temporal_pull, free_pull), state, dict(parts, total=total)

    return step if compile == "eager" else jax.jit(step)


# --- L-BFGS-B (images only; a GIF frame carries Adam's state to the next, which L-BFGS has no use for) ------

ValueAndGradFn = Callable[[object, dict], tuple[object, object, dict]]


def make_value_and_grad(loss_fn: LossFn, compile: str = "graph") -> ValueAndGradFn:
    """`value_and_grad(pixels, targets) -> (total, grad, {name: scalar})` for this backend: L-BFGS's oracle."""
    if compile not in COMPILE_MODES:
        raise ValueError(f"compile must be one of {COMPILE_MODES}, not {compile!r}")
    backend = keras.backend.backend()
    if backend == "tensorflow":
        import tensorflow as tf

        def value_and_grad(pixels, targets):
            with tf.GradientTape() as tape:
                tape.watch(pixels)
                total, parts = loss_fn(pixels, targets)
            return total, tape.gradient(total, pixels), parts

        if compile == "eager":
            return value_and_grad
        return tf.function(value_and_grad, jit_compile=(compile == "xla"), reduce_retracing=True)
    if backend == "jax":
        import jax

        def value_and_grad(pixels, targets):
            (total, parts), grad = jax.value_and_grad(loss_fn, has_aux=True)(pixels, targets)
            return total, grad, parts

        return value_and_grad if compile == "eager" else jax.jit(value_and_grad)
    raise RuntimeError(f"The stylizer supports the tensorflow and jax Keras backends, not {backend!r}")


class _Stop(Exception):
    pass


def lbfgs(value_and_grad: ValueAndGradFn, pixels, targets, evaluations: int, history: int = 10):
    """Yields (evaluation 1-based, best pixels so far, their {loss name: float}) once per loss+gradient
    evaluation of scipy's L-BFGS-B on the 0..255 pixels (box bounds), `evaluations` in all (the same budget
    unit as an Adam iteration). scipy drives the search in a worker thread; closing the generator stops it."""
    import queue
    import threading

    import numpy as np
    from scipy.optimize import Bounds, minimize

    shape = tuple(ops.shape(pixels))
    start = np.asarray(ops.convert_to_numpy(pixels), np.float64).ravel()
    results, resume, stop = queue.Queue(maxsize=1), threading.Semaphore(0), threading.Event()

    def fun(x):
        if stop.is_set():
            raise _Stop
        total, grad, parts = value_and_grad(ops.convert_to_tensor(x.reshape(shape), dtype="float32"), targets)
        losses = {name: float(ops.convert_to_numpy(v)) for name, v in dict(parts, total=total).items()}
        results.put((x.copy(), losses))
        resume.acquire()  # wait until the consumer has taken this evaluation (and wants another)
        if stop.is_set():
            raise _Stop
        return losses["total"], np.asarray(ops.convert_to_numpy(grad), np.float64).ravel()

    def worker():
        try:
            minimize(fun, start, jac=True, method="L-BFGS-B", bounds=Bounds(0.0, 255.0),
                     options={"maxfun": evaluations, "maxiter": evaluations, "maxcor": history,
                              "ftol": 0.0, "gtol": 0.0})
        except _Stop:
            pass
        except BaseException as error:  # surfaces in the consumer's thread
            results.put(error)
            return
        results.put(None)

    thread = threading.Thread(target=worker, name="lbfgs", daemon=True)
    thread.start()
    best_x, best = None, None
    try:
        for evaluation in range(1, evaluations + 1):
            item = results.get()
            if item is None:  # converged early (projected gradient 0): nothing more to evaluate
                break
            if isinstance(item, BaseException):
                raise item
            x, losses = item
            if best is None or losses["total"] <= best["total"]:
                best_x, best = x, losses
            if evaluation < evaluations:
                resume.release()
            yield evaluation, ops.convert_to_tensor(best_x.reshape(shape), dtype="float32"), best
    finally:
        stop.set()
        resume.release()
        thread.join()
