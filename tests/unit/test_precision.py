"""bfloat16 only on CPUs that compute it natively; GPUs compute float32 (stylizer.precision)."""
import pytest

from stylizer import precision


def test_native_bf16_from_cpu_flags_or_gpu_capability():
    assert precision.bf16_is_native(frozenset({"avx2", "amx_bf16"}), gpu_capabilities=[])
    assert precision.bf16_is_native(frozenset({"avx512f", "avx512_bf16"}), gpu_capabilities=[])
    assert not precision.bf16_is_native(frozenset({"avx", "avx2", "fma"}), gpu_capabilities=[])
    assert precision.bf16_is_native(frozenset(), gpu_capabilities=[9.0])  # H100/H200
    assert not precision.bf16_is_native(frozenset({"amx_bf16"}), gpu_capabilities=[7.5])  # T4: the GPU computes


def test_auto_chooses_bf16_on_native_cpus_only_never_on_a_gpu():
    assert precision.bf16_pays(frozenset({"amx_bf16"}), gpu_capabilities=[])
    assert not precision.bf16_pays(frozenset({"avx2"}), gpu_capabilities=[])
    # an H200's step was as fast in float32 at 512 px, and its painting the better one
    assert not precision.bf16_pays(frozenset(), gpu_capabilities=[9.0])
    assert not precision.bf16_pays(frozenset({"amx_bf16"}), gpu_capabilities=[7.5])  # the GPU computes


def test_cpu_flags_read_from_cpuinfo(tmp_path):
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text("processor\t: 0\nflags\t\t: fpu avx2 avx512_bf16\n")
    assert precision.cpu_flags(cpuinfo) >= {"avx2", "avx512_bf16"}
    assert precision.cpu_flags(tmp_path / "missing") == frozenset()


def test_forced_and_invalid_precision(monkeypatch):
    precision.resolve.cache_clear()
    monkeypatch.setenv(precision.ENV_VAR, "float32")
    assert precision.resolve("auto") == "float32" and precision.dtype_policy("auto") == "float32"
    assert precision.resolve("bfloat16") == "bfloat16" and precision.dtype_policy("bfloat16") == "mixed_bfloat16"
    with pytest.raises(ValueError, match="precision must be one of"):
        precision.resolve("fp8")
    precision.resolve.cache_clear()


def test_lbfgs_computes_in_float32_unless_bfloat16_is_asked_for():
    from stylizer.settings import StyleSettings

    assert StyleSettings(optimizer="lbfgs").precision == "float32"  # its line search needs exact values
    assert StyleSettings(optimizer="lbfgs", precision="bfloat16").precision == "bfloat16"
    assert StyleSettings().precision == "auto"
