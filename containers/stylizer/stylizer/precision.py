"""Which floating-point type the VGG forward and backward pass runs in: bfloat16 on CPUs that compute it
natively, float32 elsewhere (GPUs included). Pixels, Gram targets, losses and the optimiser's state stay float32
(losses.gram_matrix casts; optimize.py never sees bfloat16).

Measured on this project's 2-core dev/CI machine (AMD EPYC, AVX2 only: no AVX512-BF16, no AMX), one
VGG19 step to block4_conv2 at 256x256 under tf.function: float32 2.27 s, mixed_bfloat16 31.0 s (13.6x
slower: TensorFlow emulates bfloat16 convolutions without the instructions; the machine was loaded by
a test run, the ratio is what counts). So "auto" must not assume bfloat16 helps: it asks the hardware.
On an Intel Xeon with AMX a bfloat16 VGG19 step was 3.2x faster than float32.

GPUs compute float32: on an H200 (JAX, docs/benchmarks.md "On a GPU") a 512 px photo's step took 4.43 ms
in bfloat16 and 4.57 ms in float32 (both a ninth of the card's bf16 matrix rate: arithmetic does not set the
pace of a step that size), and the float32 painting was the better one (chelsea x starry_night, 200 steps: edge
correlation 0.849 vs 0.820, SSIM 0.604 vs 0.544, objective 2.50 vs 2.74). Only at 2048 px did bfloat16
pay (21.8 vs 30.2 ms per step): NST_PRECISION=bfloat16 asks for it there.
"""
from __future__ import annotations

import functools
import os
from pathlib import Path

PRECISIONS = ("auto", "float32", "bfloat16")
# CPU feature flags (Linux /proc/cpuinfo) with native bfloat16 matrix arithmetic: Intel AMX, AVX512-BF16.
BF16_CPU_FLAGS = frozenset({"amx_bf16", "avx512_bf16"})
# NVIDIA GPUs with bfloat16 tensor cores: compute capability 8.0 (Ampere) and later.
BF16_MIN_COMPUTE_CAPABILITY = 8.0
ENV_VAR = "NST_PRECISION"  # forces a choice for a whole process (the container, a benchmark)


def cpu_flags(cpuinfo: Path = Path("/proc/cpuinfo")) -> frozenset[str]:
    try:
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("flags"):
                return frozenset(line.split(":", 1)[1].split())
    except OSError:
        pass
    return frozenset()


def gpu_compute_capabilities() -> list[float]:
    """Compute capabilities of the GPUs the active Keras backend sees (empty on a CPU-only machine)."""
    import keras

    backend = keras.backend.backend()
    if backend == "jax":
        import jax

        return [float(getattr(d, "compute_capability", 0) or 0) for d in jax.devices() if d.platform == "gpu"]
    if backend == "tensorflow":
        import tensorflow as tf

        capabilities = []
        for device in tf.config.list_physical_devices("GPU"):
            major, minor = tf.config.experimental.get_device_details(device).get("compute_capability", (0, 0))
            capabilities.append(major + minor / 10)
        return capabilities
    return []


def bf16_is_native(flags: frozenset[str] | None = None, gpu_capabilities: list[float] | None = None) -> bool:
    """True where bfloat16 convolutions run on hardware made for them (a GPU first: that is what computes)."""
    gpus = gpu_compute_capabilities() if gpu_capabilities is None else gpu_capabilities
    if gpus:
        return min(gpus) >= BF16_MIN_COMPUTE_CAPABILITY
    return bool(BF16_CPU_FLAGS & (cpu_flags() if flags is None else flags))


def bf16_pays(flags: frozenset[str] | None = None, gpu_capabilities: list[float] | None = None) -> bool:
    """True where "auto" should choose bfloat16: a CPU that computes it natively, and no GPU (which
    computes float32: see above)."""
    gpus = gpu_compute_capabilities() if gpu_capabilities is None else gpu_capabilities
    return not gpus and bf16_is_native(flags, gpu_capabilities=[])


@functools.lru_cache(maxsize=None)
def resolve(precision: str = "auto") -> str:
    """"float32" or "bfloat16" for a requested precision; NST_PRECISION overrides "auto"."""
    if precision == "auto":
        precision = os.environ.get(ENV_VAR, "auto")
    if precision not in PRECISIONS:
        raise ValueError(f"precision must be one of {', '.join(PRECISIONS)}, not {precision!r}")
    if precision == "auto":
        return "bfloat16" if bf16_pays() else "float32"
    return precision


def dtype_policy(precision: str) -> str:
    """The Keras dtype policy of VGG's layers: variables stay float32, compute in bfloat16 when asked."""
    return "mixed_bfloat16" if resolve(precision) == "bfloat16" else "float32"
