"""The GPU figures in one call: photos and GIFs painted by the product's code on a lent accelerator.

    KERAS_BACKEND=jax python3 benchmarks/gpu_check.py --out OUT [--budget 400] [--only NAME ...]
    KERAS_BACKEND=jax .venv/bin/python benchmarks/gpu_check.py --smoke --out /tmp/gpu   # the same, tiny, on a CPU

The device machine has JAX but no TensorFlow, so this is the stylizer under KERAS_BACKEND=jax (the same
losses and steps: tests/functional/test_transfer.py checks JAX's losses against TensorFlow's). Each job
runs in a process of its own, so a job that fails or runs out of memory costs only itself and each job's
peak device memory is its own; the jobs run in priority order until --budget seconds are spent, and each
writes `jobs/NAME.json` as soon as it ends, so a call cut short keeps what it measured.

- photo jobs: `stylize_image` with the product's photo defaults unless the job changes them; wall time,
  the first step apart (it holds XLA's compilation), the median step, peak device memory; the painting
  under `photos/` named as benchmarks/photo_quality.py's `sheet` reads it (label = the job's name), so the
  rulers (edges, SSIM, grain, VGG losses) are computed afterwards on any machine.
- gif jobs: benchmarks/gif_quality.py itself (seed per-frame method against the product's defaults, or
  --variant rows), its JSON and contact sheet under `gifs/NAME/`; the product's GIFs with --equal-time (the
  seed given the steps that fill ours' wall time: the painting issue's "same wall time" on the GPU too).
The last lines printed are a table of every job; `photos.tar` and `gifs.tar` hold the files.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS = Path(__file__).resolve().parent
GIFS = {"newtonscradle": "tests/data/newtonscradle.gif", "muybridge": "benchmarks/data/muybridge_120.gif",
        "bunny": "benchmarks/data/bunny.gif"}
GIF_STEPS = 40  # the product's GIF_ITERATIONS, for both the seed method and ours


def photo_job(pair: int, **changes) -> dict:
    return {"kind": "photo", "pair": pair, "changes": changes}


def gif_job(gif: str, *extra: str) -> dict:
    return {"kind": "gif", "gif": gif, "extra": list(extra)}


# Priority order: what the product ships first (photos at 512 px, GIFs at 256 px in bfloat16), then what a
# deployment must know (float32 for GPUs without bfloat16 such as the T4 of ml.g4dn, large photos' memory),
# then studies (L-BFGS's per-evaluation cost, frames batched).
JOBS = {
    "env": {"kind": "env"},
    "photo-chelsea-512": photo_job(1),
    "gif-newtonscradle": gif_job("newtonscradle", "--equal-time"),
    "photo-chelsea-512-float32": photo_job(1, precision="float32"),
    "photo-chelsea-2048-pyramid4": photo_job(1, size=2048, pyramid=4),
    "photo-chelsea-512-lbfgs": photo_job(1, optimizer="lbfgs"),
    "gif-bunny": gif_job("bunny", "--equal-time"),
    "photo-astronaut-512": photo_job(2),
    "photo-chelsea-1024-pyramid3": photo_job(1, size=1024, pyramid=3),
    "photo-chelsea-2048-pyramid4-float32": photo_job(1, size=2048, pyramid=4, precision="float32"),
    "gif-newtonscradle-batched": gif_job("newtonscradle", "--no-seed", "--no-ours",
                                         "--variant", "batch4:batch_frames=4", "--variant", "batch12:batch_frames=12"),
    "gif-muybridge": gif_job("muybridge", "--equal-time"),
    "photo-coffee-512": photo_job(3),
}
SMOKE = {"size": 48, "iterations": 3}  # --smoke: every job, tiny (a CPU check of this script)


def device_memory() -> dict:
    """Peak and current bytes of the first JAX device (empty under another backend, or where JAX's device
    does not report them: its CPU)."""
    import keras

    if keras.backend.backend() != "jax":
        return {}
    import jax

    stats = jax.devices()[0].memory_stats() or {}
    return {key: stats[key] for key in ("peak_bytes_in_use", "bytes_in_use", "bytes_limit") if key in stats}


def run_env(job: dict, out: Path, smoke: bool) -> dict:
    import keras  # first: the backend it is told to use decides everything else

    import jax

    from stylizer import precision

    device = jax.devices()[0]
    smi = subprocess.run(["nvidia-smi", "--query-gpu=name,driver_version,clocks.sm,clocks.max.sm,memory.total",
                          "--format=csv,noheader"], capture_output=True, text=True) if shutil.which("nvidia-smi") else None
    return {"nvidia_smi": smi.stdout.strip() if smi else None, "jax": jax.__version__, "keras": keras.__version__, "backend": keras.backend.backend(),
            "device": str(device.device_kind), "platform": device.platform,
            "compute_capability": getattr(device, "compute_capability", None),
            "precision_auto": precision.resolve("auto"), "cpu_count": os.cpu_count()}


def run_photo(job: dict, out: Path, smoke: bool, name: str) -> dict:
    import cv2

    from photo_quality import PAIRS, painting_name
    from stylizer.catalogue import load_style
    from stylizer.gif import read_image
    from stylizer.precision import resolve
    from stylizer.settings import StyleSettings
    from stylizer.transfer import stylize_image

    photo, style = PAIRS[job["pair"] - 1]
    changes = dict(job["changes"], **(SMOKE if smoke else {}))
    settings = StyleSettings(**changes)
    stamps, event = [], None
    started = time.perf_counter()
    for event in stylize_image(read_image(ROOT / photo), [(load_style(style)[0], 1.0)], settings):
        if event.kind in ("start", "iteration"):
            stamps.append(time.perf_counter())
    seconds = time.perf_counter() - started
    steps = [b - a for a, b in zip(stamps, stamps[1:])]
    # PNG for the rulers; above 1024 px a JPEG to look at (a 2048 px PNG would not fit what comes back)
    suffix = ".png" if max(event.image.shape) <= 1024 else ".jpg"
    path = out / "photos" / painting_name(photo, style, name, suffix)
    path.parent.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(path), cv2.cvtColor(event.image, cv2.COLOR_RGB2BGR))
    median = statistics.median(steps[1:]) if len(steps) > 1 else float("nan")
    return {"photo": photo, "style": style, "settings": changes, "precision": resolve(settings.precision),
            "size": list(event.image.shape[1::-1]), "iterations": event.iteration, "seconds": round(seconds, 2),
            "until_first_step_s": round(stamps[0] - started, 2) if stamps else None,
            "first_step_s": round(steps[0], 2) if steps else None, "median_step_ms": round(1000 * median, 2),
            # a warm process (the endpoint after its first photo of this size): the first step at the median
            "warm_seconds": round(seconds - steps[0] + median, 2) if steps else None,
            # steps over 5x the median: XLA compiling a new size; in a pyramid also the finest level's own
            # steps, since the median mixes the levels (docs/benchmarks.md, "On a GPU")
            "slow_steps_s": round(sum(s for s in steps if s > 5 * median), 2),
            **device_memory()}


def run_gif(job: dict, out: Path, smoke: bool, name: str) -> dict:
    folder = out / "gifs" / name
    iterations = SMOKE["iterations"] if smoke else GIF_STEPS
    command = [sys.executable, str(BENCHMARKS / "gif_quality.py"), "--gif", str(ROOT / GIFS[job["gif"]]),
               "--iterations", str(iterations), "--out", str(folder), "--warm-up", *job["extra"]]
    if smoke:
        command += ["--size", str(SMOKE["size"]), "--frames", "4"]
    completed = subprocess.run(command, capture_output=True, text=True)
    (folder / "log.txt").write_text(completed.stdout + completed.stderr)
    if completed.returncode:
        raise RuntimeError(completed.stderr[-1500:])
    results = json.loads((folder / "gif_quality.json").read_text())["results"]
    entry = next(iter(results.values()))
    keys = ("seconds", "cpu_seconds", "iterations", "warping_error", "still_flicker", "edge_correlation",
            "style_loss", "seam_rank", "detail_later_over_first")
    return {"gif": GIFS[job["gif"]], "iterations": iterations, "command": " ".join(command[1:]),
            "input_warping_error": entry["input_warping_error"],
            "rows": {row: {k: v for k, v in values.items() if k in keys} for row, values in entry["rows"].items()}}


def run_job(name: str, out: Path, smoke: bool) -> dict:
    job = JOBS[name]
    if job["kind"] == "env":
        return run_env(job, out, smoke)
    return (run_photo if job["kind"] == "photo" else run_gif)(job, out, smoke, name)


def summary_line(name: str, result: dict) -> str:
    if "error" in result or "skipped" in result:
        return f"| {name} | {result.get('skipped') or result['error'][-300:]} |"
    if JOBS[name]["kind"] == "photo":
        peak = result.get("peak_bytes_in_use")
        return (f"| {name} | {result['seconds']} s, first step {result['first_step_s']} s, median step "
                f"{result['median_step_ms']} ms, {result['size'][0]}x{result['size'][1]} {result['precision']}, "
                f"peak {peak / 2**30:.2f} GiB |" if peak else f"| {name} | {result['seconds']} s |")
    if JOBS[name]["kind"] == "gif":
        rows = "; ".join(f"{row}: {v['seconds']} s, warping {v['warping_error']:.3g}, flicker "
                         f"{v['still_flicker']:.3g}, edge {v['edge_correlation']:.3g}, style {v['style_loss']:.3g}"
                         for row, v in result["rows"].items())
        return f"| {name} | {rows} |"
    return f"| {name} | {json.dumps(result)} |"


def drive(args) -> int:
    """Every job in its own process, in priority order, while the budget lasts; then the table and tars."""
    deadline = time.monotonic() + args.budget
    (args.out / "jobs").mkdir(parents=True, exist_ok=True)
    results = {}
    for name in args.only or JOBS:
        left = deadline - time.monotonic()
        if left < 15:
            results[name] = {"skipped": "out of budget"}
            continue
        started = time.monotonic()
        command = [sys.executable, __file__, "--job", name, "--out", str(args.out)] + (["--smoke"] if args.smoke else [])
        try:
            completed = subprocess.run(command, capture_output=True, text=True, timeout=left)
            path = args.out / "jobs" / f"{name}.json"
            results[name] = (json.loads(path.read_text()) if completed.returncode == 0 and path.exists()
                             else {"error": completed.stderr[-1500:] or f"exit {completed.returncode}"})
        except subprocess.TimeoutExpired:
            results[name] = {"error": f"stopped at the budget after {time.monotonic() - started:.0f} s"}
        results[name]["job_wall_s"] = round(time.monotonic() - started, 1)
        print(summary_line(name, results[name]), f"({results[name]['job_wall_s']} s)", flush=True)
        (args.out / "gpu_check.json").write_text(json.dumps(results, indent=2))
    (args.out / "gpu_check.json").write_text(json.dumps(results, indent=2))
    for folder in ("photos", "gifs"):
        if (args.out / folder).is_dir():
            with tarfile.open(args.out / f"{folder}.tar", "w") as tar:
                tar.add(args.out / folder, arcname=folder)
    print("\n".join(["| job | result |", "| --- | --- |"] + [summary_line(n, r) for n, r in results.items()]))
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--budget", type=float, default=400, help="seconds for all jobs together")
    parser.add_argument("--only", nargs="+", choices=list(JOBS), help="these jobs, in this order")
    parser.add_argument("--smoke", action="store_true", help="every job tiny: a check of this script on a CPU")
    parser.add_argument("--job", choices=list(JOBS), help=argparse.SUPPRESS)  # the driver's child process
    args = parser.parse_args(argv)
    if not args.job:
        return drive(args)
    result = run_job(args.job, args.out, args.smoke)
    (args.out / "jobs" / f"{args.job}.json").write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
