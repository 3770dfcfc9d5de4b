"""Benchmark: the seed system's per-frame GIF method against our temporal method, same machine, one run.

    .venv/bin/python benchmarks/gif_quality.py [--gif PATH ...] [--stride 3] [--out docs/results]

(a) "seed": every frame from its content, fresh Adam, no temporal term, --iterations steps per frame, the
    photo's style weight (a frame painted as a photo is).
(b) "ours": the product's defaults (stylizer.settings) with the same --iterations steps per frame: fast
    painting start, multi-pass, long-term terms, loop closure, DIS flow, Lanczos warps, the colour check.
Both paint at --size (the product's GIF size) and are scored there by rulers neither optimises
(stylizer.metrics): warping error and still flicker with Farneback flow, Sobel edge correlation and
luminance SSIM with the input, later-frame detail and stylisation over frame 1's, the loop-seam jump, the
ghost ratio against each frame's fresh fast painting; plus the style loss (VGG, both methods' loss).
--stride N keeps every Nth frame (a loop stays a loop) to fit the run on a 2-core machine. Writes a JSON
file, a contact sheet per GIF (input / seed / ours, five frames) and a Markdown table on stdout.

--variant NAME:key=value,... adds a row painted with the product's defaults changed as given (StyleSettings
fields, e.g. `--variant content-start:method=full,temporal_weight=4000`): how a data scientist compares a
change against the seed and the defaults in one run. The input's own seam jump is reported with the rows:
a GIF whose seam is a cut (input seam ≫ 1) cannot loop smoothly whatever the method.

--equal-time: where ours took longer than the seed, one more row, "seed-equal-time": the seed given the steps
per frame that fill ours' wall time (equal_time_steps), and ours' ratios against it: the painting issue's
"same wall time" measured rather than bracketed between two step counts.
"""
import argparse
import dataclasses
import json
import math
import os
import platform
import sys
from pathlib import Path

from contact_sheet import pick, sheet
from stopwatch import Stopwatch

from stylizer import metrics
from stylizer.animation import stylize_animation
from stylizer.catalogue import load_style
from stylizer.gif import Animation, read_gif
from stylizer.settings import PHOTO_STYLE_WEIGHT, StyleSettings
from stylizer.temporal.neighbours import adjacent_flows
from stylizer.transfer import fast_painting, resize_longest

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_GIFS = ["tests/data/newtonscradle.gif", "benchmarks/data/muybridge_120.gif", "benchmarks/data/bunny.gif"]
HELD_OUT = {"bunny.gif"}  # never used while choosing weights or defaults


def methods(iterations: int) -> dict[str, StyleSettings]:
    # the seed paints every frame alone, as a photo is painted: the photo's style weight (GIFs weigh the
    # style more since the temporal pull, settings.GIF_STYLE_WEIGHT; a variant can give the seed theirs)
    return {"seed": StyleSettings(iterations=iterations, temporal=False, method="full",
                                  style_weight=PHOTO_STYLE_WEIGHT),
            "ours": StyleSettings(iterations=iterations)}


def parse_variant(text: str) -> tuple[str, StyleSettings]:
    """"NAME:key=value,key=value" → (NAME, the defaults with those StyleSettings fields changed)."""
    name, _, assignments = text.partition(":")
    return name, StyleSettings(**parse_changes(assignments, f"--variant {text!r}"))


def parse_changes(assignments: str, where: str) -> dict:
    """"key=value,key=value" → {StyleSettings field: value of the field's type} (a tuple's items split by /:
    integers, or numbers with a point)."""
    fields = {field.name for field in dataclasses.fields(StyleSettings)}
    changes = {}
    for assignment in filter(None, assignments.split(",")):
        key, _, value = assignment.partition("=")
        if key not in fields:
            raise SystemExit(f"{where}: {key!r} is not a StyleSettings field")
        default = getattr(StyleSettings(), key)
        if isinstance(default, bool):
            changes[key] = value.lower() in ("1", "true", "yes")
        elif isinstance(default, tuple):
            changes[key] = tuple(int(part) if part.isdigit() else float(part) for part in value.split("/") if part)
        else:
            changes[key] = type(default)(value)
    return changes


def run_method(animation: Animation, style, settings: StyleSettings, size: int) -> tuple[list, Stopwatch, float]:
    """(frames at the painting size, its Stopwatch, the start's fast-painting strength: 0 = the content)."""
    frames, strength = [], 0.0
    with Stopwatch() as watch:
        for event in stylize_animation(animation, [(style, 1.0)], settings.replace(size=size)):
            if event.kind == "start":
                strength = event.start_strength or 0.0
            if event.kind == "frame":
                frames.append(resize_longest(event.image, size))  # scored at the painting size
    return frames, watch, strength


def warm_up(animation: Animation, style, settings: StyleSettings, size: int) -> None:
    """Paint the first frames once, untimed, one step per pass: the gradient step is compiled for its shapes
    on first use (XLA on a GPU: seconds), which would otherwise be timed in whichever row runs first."""
    count = max(2, settings.batch_frames)
    short = Animation(animation.frames[:count], animation.durations_ms[:count], None)
    passes = settings.gif_passes
    run_method(short, style, settings.replace(iterations=passes, passes=passes), size)


def _number(value) -> float:
    return float("nan") if value is None else value


EQUAL_TIME = "seed-equal-time"


def equal_time_steps(iterations: int, ours_s: float, seed_s: float) -> int:
    """The seed's steps per frame that take at least ours' wall time, from the two rows' times at
    `iterations` steps each: ⌈iterations · ours_s / seed_s⌉ (a seed step costs what one of ours does; the
    rest of ours' time is its host work). Ratios against that row compare the two at equal wall time,
    with the rounding in the seed's favour."""
    return math.ceil(iterations * ours_s / seed_s - 1e-9)


def to_markdown(name: str, rows: dict, input_seam=None, input_rank=None, floor=None) -> str:
    keys = ["seconds", "cpu_seconds", "steal", "start_strength", "warping_error", "still_flicker",
            "edge_correlation", "edge_correlation_worst", "luminance_ssim", "detail_later_over_first",
            "painted_later_over_first", "seam_jump", "seam_rank", "ghost_ratio", "edge_frame_noise", "grain",
            "style_loss"]
    lines = ["| GIF | method | " + " | ".join(keys) + " |", "|" + " --- |" * (len(keys) + 2)]
    for method, row in rows.items():
        lines.append(f"| {name} | {method} | " + " | ".join(f"{_number(row.get(k)):.3g}" for k in keys) + " |")
    if input_seam is not None:
        lines.append(f"\nthe input's own seam jump: {input_seam:.3g} (rank {input_rank:.3g})")
    if floor:
        lines.append(f"the input's own warping error {floor['warping_error']:.3g}, still flicker "
                     f"{floor['still_flicker']:.3g}, grain {floor['grain']:.3g} (the rulers' floor for a painting that "
                     "follows the motion)")
    seed = rows.get("seed")
    for method, row in rows.items():
        if seed is not None and row is not seed and method != EQUAL_TIME:
            lines.append(ratio_line(method, row, "seed", seed, floor))
    if EQUAL_TIME in rows and "ours" in rows:  # the same wall time: the seed given ours' time in steps
        lines.append(ratio_line("ours", rows["ours"], EQUAL_TIME, rows[EQUAL_TIME], floor))
    return "\n".join(lines)


def ratio_line(method: str, row: dict, base_name: str, base: dict, floor=None) -> str:
    cpu = (f" (CPU {row['cpu_seconds'] / base['cpu_seconds']:.2f})"
           if row.get("cpu_seconds") and base.get("cpu_seconds") else "")
    line = (f"ratios {method}/{base_name}: time {row['seconds'] / base['seconds']:.2f}{cpu}, warping error "
            f"{row['warping_error'] / base['warping_error']:.2f}, still flicker "
            f"{row['still_flicker'] / max(base['still_flicker'], 1e-9):.2f}, style loss "
            f"{row['style_loss'] / base['style_loss']:.2f}")
    if floor:
        line += ", above the input's floor: warping " + ", flicker ".join(
            f"{above_floor(row[key], base[key], floor[key]):.2f}" for key in ("warping_error", "still_flicker"))
    return line


def above_floor(ours: float, seed: float, floor: float) -> float:
    """(ours − floor) / (seed − floor): the share of the seed's excess over the input's own figure that is
    left (0 = as steady as the input itself, by a ruler that scores the input's own motion as imperfect)."""
    return (ours - floor) / seed_excess if (seed_excess := seed - floor) > 1e-9 else float("nan")


# the figures printed as each row is scored (the table comes when a GIF's rows are done)
SUMMARY = ("warping_error", "still_flicker", "edge_correlation", "style_loss")


def save(report: dict, out: Path) -> None:
    (out / "gif_quality.json").write_text(json.dumps(report, indent=2))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gif", action="append", type=Path)
    parser.add_argument("--style", default="starry_night")
    parser.add_argument("--size", type=int, default=StyleSettings().gif_size)
    parser.add_argument("--iterations", type=int, default=30, help="steps per frame, both methods")
    parser.add_argument("--stride", type=int, default=1, help="keep every Nth frame")
    parser.add_argument("--frames", type=int, default=0, help="keep the first N frames after --stride")
    parser.add_argument("--variant", action="append", default=[], help="NAME:key=value,... (see above)")
    parser.add_argument("--warm-up", action="store_true",
                        help="paint two frames of each row untimed first (a GPU's compilation out of the times)")
    parser.add_argument("--no-seed", action="store_true", help="skip the seed row (ratios need it)")
    parser.add_argument("--no-ours", action="store_true", help="skip the defaults' row (only --variant rows)")
    parser.add_argument("--equal-time", action="store_true",
                        help=f"where ours took longer than the seed, add a row {EQUAL_TIME!r}: the seed given the "
                             "steps per frame that take ours' wall time (ratios at equal wall time)")
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "benchmarks")
    args = parser.parse_args(argv)
    style = load_style(args.style)[0]
    args.out.mkdir(parents=True, exist_ok=True)
    report = {"machine": f"{platform.machine()} cores={os.cpu_count()} load={os.getloadavg()[0]:.1f}",
              "command": " ".join(["benchmarks/gif_quality.py"] + sys.argv[1:]), "results": {}}
    for path in args.gif or [ROOT / p for p in DEFAULT_GIFS]:
        full = read_gif(path)
        kept = slice(0, args.frames * args.stride if args.frames else None, args.stride)
        animation = Animation(full.frames[kept], full.durations_ms[kept], full.loop if not args.frames else None)
        work = [resize_longest(frame[..., :3], args.size) for frame in animation.frames]
        # the input scored as if it were a painting: no painting that follows its motion at its contrast
        # scores much below these (muybridge_120's own warping error is half the seed's)
        # the ruler's flows between the input's frames: once per GIF, shared by every row and the floor
        ruler_flows = adjacent_flows(work, metrics.RULER_FLOW)
        floor = {"warping_error": metrics.warping_error(work, work, ruler_flows),
                 "still_flicker": metrics.still_flicker(work, work),
                 "grain": sum(metrics.grain(frame) for frame in work) / len(work)}
        fresh = [fast_painting(frame, [(style, 1.0)]) for frame in work]
        rows, painted = {}, {}
        # every row on disk as soon as it is scored: a run cut short (a timeout) keeps what it measured
        entry = report["results"][path.name] = {"held_out": path.name in HELD_OUT, "rows": rows, "partial": True,
                                                "input_warping_error": floor["warping_error"],
                                                "input_still_flicker": floor["still_flicker"],
                                                "input_grain": floor["grain"]}
        runs = methods(args.iterations)
        if args.no_seed:
            del runs["seed"]
        if args.no_ours:
            del runs["ours"]
        for variant in args.variant:
            name, settings = parse_variant(variant)
            runs[name] = settings.replace(iterations=settings.iterations or args.iterations)
        def paint_and_score(name: str, settings: StyleSettings) -> dict:
            if args.warm_up:
                warm_up(animation, style, settings, args.size)
            frames, watch, strength = run_method(animation, style, settings, args.size)
            row = {"seconds": round(watch.wall_s, 1), "cpu_seconds": round(watch.cpu_s, 1),
                   "steal": None if watch.steal is None else round(watch.steal, 3),
                   "frames": len(frames), "start_strength": strength, "iterations": settings.iterations}
            row.update(metrics.animation_report(work, frames, animation.loop is not None, fresh, ruler_flows))
            row.update(metrics.style_and_content_loss(work, frames, [(style, 1.0)]))
            row["edge_correlation_frames"] = [round(value, 3) for value in metrics.edge_correlations(work, frames)]
            rows[name], painted[name] = row, frames
            print(f"  {path.name} {name}: {watch.wall_s:.0f} s (CPU {watch.cpu_s:.0f} s, steal "
                  f"{watch.steal or 0:.0%}), " + ", ".join(
                f"{key} {row[key]:.3g}" for key in SUMMARY if isinstance(row.get(key), (int, float))),
                file=sys.stderr, flush=True)
            save(report, args.out)
            return row

        for name, settings in runs.items():
            paint_and_score(name, settings)
        if args.equal_time and "seed" in rows and "ours" in rows:
            steps = equal_time_steps(args.iterations, rows["ours"]["seconds"], rows["seed"]["seconds"])
            if steps > args.iterations:  # ours took longer: the seed gets the steps that fill ours' time
                paint_and_score(EQUAL_TIME, runs["seed"].replace(iterations=steps))
        del entry["partial"]
        if animation.loop is not None and len(work) >= 3:
            own = metrics.seam_report(work, work, ruler_flows)
            entry["input_seam_jump"], entry["input_seam_rank"] = own["seam_jump"], own["seam_rank"]
        sheet({"input": pick(work), **{name: pick(frames) for name, frames in painted.items()}},
              args.out / f"{path.stem}-sheet.png")
        print(to_markdown(path.name, rows, entry.get("input_seam_jump"), entry.get("input_seam_rank"), floor), flush=True)
        save(report, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
