"""`nst stylize INPUT --style NAME|PATH [--style ...] -o OUTPUT`: paint a photo (PNG/JPEG) or an animated GIF."""
import argparse
import sys
from pathlib import Path

from stylizer.options import add_style_arguments, parse_style_specs, settings_from_args

NAME = "stylize"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("input", type=Path, help="photo (PNG/JPEG) or animated GIF")
    parser.add_argument("--style", action="append", required=True, metavar="NAME|PATH[:WEIGHT]",
                        help="catalogue name (see `nst styles`) or image path; repeat to blend, e.g. a:0.7 --style b:0.3")
    parser.add_argument("-o", "--output", type=Path, required=True, help="output file (.gif for GIFs, .png/.jpg for photos)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.add_argument("--metrics", type=Path, metavar="JSON", help="also write losses and temporal metrics here")
    add_style_arguments(parser)


def run(args: argparse.Namespace) -> int:
    from stylizer.exceptions import StylizerError

    try:
        return _stylize(args)
    except (StylizerError, ValueError) as error:  # bad input or options: one line, exit 2
        print(f"nst stylize: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("nst stylize: interrupted", file=sys.stderr)
        return 130


def _read_input(path: Path, limits):
    from stylizer.exceptions import InputError
    from stylizer.gif import read_gif, read_image
    from stylizer.gifheader import sniff_format

    try:
        with path.open("rb") as handle:
            head = handle.read(16)
    except OSError as error:
        raise InputError(f"Cannot read {path}: {error.strerror}.") from error
    if sniff_format(head) == "gif":
        return read_gif(path, limits), True
    return read_image(path, limits), False


def _stylize(args: argparse.Namespace) -> int:
    import json

    from stylizer.catalogue import load_style
    from stylizer.limits import Limits

    animation, is_gif = _read_input(args.input, Limits.from_env())
    if is_gif != (args.output.suffix.lower() == ".gif"):
        kind = "a GIF" if is_gif else "a photo"
        raise ValueError(f"The input is {kind}; name the output {'*.gif' if is_gif else '*.png or *.jpg'}.")
    styles = [(load_style(name)[0], weight) for name, weight in parse_style_specs(args.style)]
    settings = settings_from_args(args)
    progress = _ProgressBar(disabled=args.quiet)
    if is_gif:
        summary = _stylize_gif(animation, styles, settings, args.output, progress)
    else:
        summary = _stylize_photo(animation, styles, settings, args.output, progress)
    progress.close()
    if args.metrics:
        args.metrics.write_text(json.dumps(summary, indent=2))
    print(f"wrote {args.output}")
    return 0


def _stylize_photo(image, styles, settings, output: Path, progress) -> dict:
    from stylizer.gif import write_image
    from stylizer.transfer import stylize_image

    for event in stylize_image(image, styles, settings):
        progress.update(event)
    write_image(output, event.image)
    return {"final_losses": event.losses, "seconds": event.elapsed_s}


def _stylize_gif(animation, styles, settings, output: Path, progress) -> dict:
    from stylizer import metrics
    from stylizer.animation import stylize_animation
    from stylizer.gif import Animation, write_gif

    frames = []
    for event in stylize_animation(animation, styles, settings):
        progress.update(event)
        if event.kind == "frame":
            frames.append(event.image)
    write_gif(output, Animation(frames=frames, durations_ms=animation.durations_ms, loop=animation.loop))
    return {
        "final_losses": event.losses,
        "seconds": event.elapsed_s,
        "seconds_per_frame": event.elapsed_s / len(frames),
        # every ruler the method does not optimise (stylizer.metrics): flow, edges, SSIM, detail, seam
        **metrics.animation_report(animation.frames, frames, loops=animation.loop is not None),
    }


class _ProgressBar:
    """A tqdm bar over all iterations of all frames (the "start" event announces the total), with the frame
    and the losses in its postfix."""

    def __init__(self, disabled: bool):
        self.disabled = disabled
        self.bar = None

    def update(self, event) -> None:
        if self.disabled:
            return
        if event.kind == "start":  # fast+full starts twice: one bar per stage, the last one closed first
            from tqdm import tqdm

            self.close()
            self.bar = tqdm(total=event.iterations, unit="it", file=sys.stderr, dynamic_ncols=True)
        elif event.kind == "iteration" and self.bar is not None:
            self.bar.update(1)
            postfix = {"frame": f"{event.frame + 1}/{event.frames}"} if event.frames > 1 else {}
            postfix.update({k: f"{v:.3g}" for k, v in event.losses.items() if v})
            self.bar.set_postfix(postfix, refresh=False)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
