"""SageMaker Processing entrypoint: stylise the GIF of the `gif` channel.

    python3 -m stylizer.process --style starry_night [--size 256 --iterations 30 ...]

Inputs (SageMaker's Processing contract, `stylizer.contract`): the one file under
`/opt/ml/processing/input/gif/` and, unless `--style` names a catalogue painting, the one image under
`/opt/ml/processing/input/style/`. Outputs under `/opt/ml/processing/output/result/`: `stylized.gif`,
`preview.png` (first stylised frame) and `metrics.json`. Progress goes to stdout as `PROGRESS {json}` lines
(CloudWatch Logs in AWS, the terminal locally) and to `status.json` next to the results (job_progress.py).
On failure the reason goes to `/opt/ml/output/message`, which SageMaker reports as the job's FailureReason,
and the exit status is 2 for bad input, 1 otherwise.
"""
import argparse
import json
import sys
import time
import traceback
from pathlib import Path

from stylizer import contract
from stylizer.exceptions import InputError
from stylizer.options import add_style_arguments, parse_style_specs, settings_from_args

EXIT_FAILED = 1
EXIT_BAD_INPUT = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="stylizer.process", description=__doc__.splitlines()[0])
    parser.add_argument("--style", action="append", default=[], metavar="NAME[:WEIGHT]",
                        help="catalogue style; repeat to blend; omit to use the image in the style channel")
    parser.add_argument("--input-dir", type=Path, default=contract.PROCESSING_INPUT)
    parser.add_argument("--output-dir", type=Path, default=contract.PROCESSING_OUTPUT / contract.RESULT_CHANNEL)
    parser.add_argument("--failure-file", type=Path, default=contract.FAILURE_FILE)
    add_style_arguments(parser)
    return parser


def only_file(channel: Path, what: str) -> Path:
    """The single file SageMaker downloaded into a channel folder."""
    files = sorted(p for p in channel.rglob("*") if p.is_file()) if channel.is_dir() else []
    if len(files) != 1:
        raise InputError(f"Expected exactly one {what} in {channel}, found {len(files)}.")
    return files[0]


def load_styles(args) -> list:
    """[(image, weight, StyleInfo)]: catalogue names from --style, else the uploaded style image."""
    from stylizer.catalogue import load_style

    specs = parse_style_specs(args.style) if args.style else [
        (str(only_file(args.input_dir / contract.STYLE_CHANNEL, "style image")), 1.0)
    ]
    return [(*load_style(name), weight) for name, weight in specs]


def report(event) -> None:
    print("PROGRESS " + json.dumps(event.to_json()), flush=True)


def run(args, progress=None) -> dict:
    """Stylise and write the outputs; returns the metrics written to metrics.json. `progress`: a JobProgress."""
    from stylizer.animation import stylize_animation
    from stylizer.gif import Animation, read_gif, write_gif, write_image
    from stylizer.limits import Limits

    started = time.monotonic()
    gif_path = only_file(args.input_dir / contract.GIF_CHANNEL, "GIF")
    animation = read_gif(gif_path, Limits.from_env())
    styles = load_styles(args)
    settings = settings_from_args(args)
    frames, start_strength = [], None
    for event in stylize_animation(animation, [(image, weight) for image, _, weight in styles], settings):
        if event.kind == "start":
            start_strength = event.start_strength
        if event.kind == "frame":
            frames.append(event.image)
        if event.kind != "iteration" or event.iteration == event.iterations:
            report(event)
        if progress is not None:
            progress.update(event)
    stylize_seconds = time.monotonic() - started
    result = Animation(frames=frames, durations_ms=animation.durations_ms, loop=animation.loop)

    args.output_dir.mkdir(parents=True, exist_ok=True)
    write_gif(args.output_dir / contract.RESULT_GIF, result)
    write_image(args.output_dir / contract.RESULT_PREVIEW, frames[0])
    summary = {
        "frames": len(frames),
        "width": int(frames[0].shape[1]),
        "height": int(frames[0].shape[0]),
        "seconds": round(stylize_seconds, 2),
        "seconds_per_frame": round(stylize_seconds / len(frames), 3),
        "styles": [{"name": info.name, "title": info.title, "credit": info.credit, "weight": weight}
                   for _, info, weight in styles],
        "final_losses": event.losses,
        "start_strength": start_strength,  # the fast painting's strength frames started from (0 = content)
        # every ruler the method does not optimise (stylizer.metrics): flow, edges, SSIM, detail, seam
        **rulers(animation, frames),
        "settings": settings.for_gif().to_json(),  # as painted: the mode's defaults resolved
    }
    (args.output_dir / contract.RESULT_METRICS).write_text(json.dumps(summary, indent=2))
    return summary


def rulers(animation, frames) -> dict:
    """metrics.animation_report's figures, or {"rulers_failed": why}: the painted GIF is written by then,
    and a ruler that fails on an input nobody foresaw (a 1-px-high GIF once did) must not fail the job."""
    from stylizer import metrics

    try:
        return metrics.animation_report(animation.frames, frames, loops=animation.loop is not None)
    except Exception as error:  # noqa: BLE001 - the figures are for operators; the GIF is the product
        traceback.print_exc(file=sys.stderr)
        return {"rulers_failed": f"{type(error).__name__}: {error}"}


def write_failure(path: Path, message: str) -> None:
    """SageMaker reports the first 1 KB of this file as the job's failure reason."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(message[:1024])
    except OSError:
        pass  # stderr still has it


def main(argv=None) -> int:
    import os

    from stylizer.job_progress import JobProgress
    from stylizer.quiet import quiet_libraries

    quiet_libraries(verbose=os.environ.get("NST_VERBOSE") == "1")  # the job's log: progress, not TF chatter
    args = build_parser().parse_args(argv)
    progress = JobProgress.from_environment()  # status.json next to the results, for the page and operators
    try:
        summary = run(args, progress)
    except InputError as error:
        write_failure(args.failure_file, f"{type(error).__name__}: {error}")
        progress.finish("failed", reason=str(error))
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as error:  # noqa: BLE001 - every failure must reach SageMaker's report
        traceback.print_exc()
        write_failure(args.failure_file, f"Stylizer failed: {type(error).__name__}: {error}")
        progress.finish("failed", reason=f"{type(error).__name__}: {error}")
        return EXIT_FAILED
    progress.finish("done", frames=summary["frames"], seconds=summary["seconds"])
    print("DONE " + json.dumps({k: summary[k] for k in ("frames", "seconds", "seconds_per_frame")}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
