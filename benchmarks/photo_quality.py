"""Photos: the product's defaults against another checkout's (e.g. before a change), as contact sheets.

    # today's painting, then a checkout from before, into one folder; then the sheet and the table
    .venv/bin/python benchmarks/photo_quality.py paint --label after --out docs/results/photos
    PYTHONPATH=OLD/containers/stylizer .venv/bin/python benchmarks/photo_quality.py paint --label before ...
    .venv/bin/python benchmarks/photo_quality.py sheet --out docs/results/photos

`paint` uses only StyleSettings' defaults (size, iterations unless --iterations, method) of the stylizer it
imports, so each checkout paints with its own defaults; --size and --pyramid change them (the large-size
study: `paint --size 1024 --label 1024-single`, `paint --size 1024 --pyramid 3 --label 1024-pyramid`, then
`sheet --labels 1024-single 1024-pyramid --show-width 1024`). Rulers neither optimises: Sobel edge correlation and
luminance SSIM with the photo, grain (mean |luminance − its 3x3 median|: isolated pixel noise) beside the
style's own grain at the size the style loss sees it (the style image scaled to the painting's longest side:
what of the grain is the style's texture, not the optimiser's noise), the edge
frame (metrics.edge_frame_noise: colour noise along the edge over the interior's, ~1 for a photo); and the VGG
losses in float32, the objective among them: the ruler for comparing optimisers, which all minimise it.

The optimiser study (docs/benchmarks.md, "Photo optimiser"): `paint --pair N --label adam-200`, then
`paint --pair N --label lbfgs-200 --optimizer lbfgs --snapshot 110` (the same run stopped at 110
evaluations is saved too, as `<label>-at110`: scipy's trajectory does not depend on its budget). Each call
adds its pair to the label's record (`<label>.json`: seconds, iterations, the optimiser's own loss every 10).
"""
import argparse
import json
import sys
import time
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
PAIRS = [("demo/chelsea.png", "starry_night"), ("demo/astronaut.png", "the_scream"),
         ("demo/coffee.png", "great_wave")]  # the third: held out of every earlier photo study (--pair 3)
TUNING_PAIRS = 2
INTERIOR_MARGIN = 16  # px: beyond the few pixels that the edge's padding paints


def painting_name(photo: str, style: str, label: str, suffix: str = ".png") -> str:
    """The file a painting of `photo` in `style` is saved as under a run's label; `sheet` reads it back."""
    return f"{Path(photo).stem}-{style}-{label}{suffix}"


def vgg_losses(content: np.ndarray, painting: np.ndarray, style: str) -> dict:
    """The painting's VGG losses at its own size, float32, gif_post layers, one ruler for all: the style and
    content terms unweighted (as metrics.style_and_content_loss), and `objective`, their total with the
    default weights and the TV term: what every optimiser minimises, the ruler to compare optimisers by."""
    from stylizer.catalogue import load_style
    from stylizer.settings import StyleSettings
    from stylizer.transfer import batch, make_loss_fn, make_targets, resize_to, style_targets

    # the ruler keeps VGG as trained, and the objective of the studies before the Laplacian term (without it)
    settings = StyleSettings(precision="float32", vgg_pooling="max", laplacian_weight=0.0)
    grams = style_targets([(load_style(style)[0], 1.0)], *painting.shape[:2], settings)
    targets = make_targets(resize_to(content, *painting.shape[:2]), grams, settings)
    total, terms = make_loss_fn(settings)(batch(painting), targets)
    return {"style": float(np.asarray(terms["style"])), "content": float(np.asarray(terms["content"])),
            "objective": float(np.asarray(total))}


def interior(content: np.ndarray, painting: np.ndarray, margin: int = INTERIOR_MARGIN) -> tuple:
    """(content at the painting's size, painting), both without their outer `margin` pixels: a style ruler
    that no painting's edge decides, whatever VGG padding the painting was optimised with (the ruler's
    own zeros then meet the picture's inside, the same for every painting)."""
    from stylizer.transfer import resize_to

    content = resize_to(content, *painting.shape[:2])
    return content[margin:-margin, margin:-margin], painting[margin:-margin, margin:-margin]


def chosen_pairs(args) -> list[tuple[str, str]]:
    """--pair N: that pair alone (1-based); else the first --pairs."""
    return [PAIRS[args.pair - 1]] if args.pair else PAIRS[:args.pairs]


def paint(args) -> None:
    from stylizer.catalogue import load_style
    from stylizer.gif import read_image
    from stylizer.settings import StyleSettings
    from stylizer.transfer import stylize_image

    changes = {name: value for name, value in (("iterations", args.iterations), ("size", args.size),
                                                ("pyramid", args.pyramid)) if value}
    if args.finest_share is not None:
        changes["pyramid_finest_share"] = args.finest_share
    if args.no_style_upscale:
        changes["style_upscale"] = False
    if args.optimizer:
        changes["optimizer"] = args.optimizer
    if args.precision:
        changes["precision"] = args.precision
    if args.vgg_padding:
        changes["vgg_padding"] = args.vgg_padding
    if args.vgg_pooling:
        changes["vgg_pooling"] = args.vgg_pooling
    if args.snapshot:
        changes["preview_every"] = args.snapshot
    if args.set:
        from gif_quality import parse_changes

        changes.update(parse_changes(args.set, f"--set {args.set!r}"))
    settings = StyleSettings(**changes)
    record = args.out / f"{args.label}.json"
    results = json.loads(record.read_text()) if record.exists() else {}  # one pair per call adds to the label's file
    for photo, style in chosen_pairs(args):
        started, event, trace = time.perf_counter(), None, {}
        for event in stylize_image(read_image(ROOT / photo), [(load_style(style)[0], 1.0)], settings):
            if event.kind == "iteration" and event.iteration % 10 == 0:  # the optimiser's own loss, its precision
                trace[event.iteration] = round(event.losses["total"], 1)
            if event.kind == "iteration" and event.iteration == args.snapshot:  # the painting had it stopped here
                cv2.imwrite(str(args.out / painting_name(photo, style, f"{args.label}-at{args.snapshot}")),
                            cv2.cvtColor(event.preview, cv2.COLOR_RGB2BGR))
        name = painting_name(photo, style, args.label)
        cv2.imwrite(str(args.out / name), cv2.cvtColor(event.image, cv2.COLOR_RGB2BGR))
        results[name] = {"seconds": round(time.perf_counter() - started, 1), "iterations": event.iteration,
                         "size": list(event.image.shape[1::-1]), "total_loss_every_10": trace}
        print(name, results[name], flush=True)
    record.write_text(json.dumps(results, indent=2))


def sheet_and_table(args) -> None:
    sys.path.insert(0, str(ROOT / "containers" / "stylizer"))
    from contact_sheet import sheet

    from stylizer import metrics
    from stylizer.catalogue import load_style
    from stylizer.gif import read_image
    from stylizer.transfer import resize_longest

    table = []
    for photo, style in chosen_pairs(args):
        content, style_image = read_image(ROOT / photo), load_style(style)[0]
        rows = {}
        for label in args.labels:
            painting = cv2.cvtColor(cv2.imread(str(args.out / painting_name(photo, style, label))),
                                    cv2.COLOR_BGR2RGB)
            # shown at one size (--show-width) so grain and detail compare at the same scale
            width = args.show_width
            shown = cv2.resize(painting, (width, round(width * content.shape[0] / content.shape[1])),
                               interpolation=cv2.INTER_CUBIC if painting.shape[1] < width else cv2.INTER_AREA)
            losses = vgg_losses(content, painting, style)
            inner = vgg_losses(*interior(content, painting), style)
            # the style at the painting's size (style_scale 1): its own fine texture, which the loss asks for
            style_grain = metrics.grain(resize_longest(style_image, max(painting.shape[:2])))
            rows[f"{label}: painted at {painting.shape[1]}x{painting.shape[0]}"] = [shown]
            table.append(f"| {Path(photo).name} | {style} | {label} | {painting.shape[1]}x{painting.shape[0]} | "
                         f"{metrics.edge_correlation(content, painting):.3f} | "
                         f"{metrics.luminance_ssim(content, painting):.3f} | {metrics.grain(painting):.2f} | "
                         f"{style_grain:.2f} | "
                         f"{metrics.edge_frame_noise(painting):.2f} | "
                         f"{losses['style']:.4g} | {inner['style']:.4g} | {losses['content']:.4g} | "
                         f"{losses['objective']:.4g} |")
        sheet(rows, args.out / f"{Path(photo).stem}-{style}-sheet.png")
    print("| photo | style | run | size | edge correlation | luminance SSIM | grain | the style's grain | edge frame "
          "| style loss | style loss, interior | content loss | objective |\n"
          "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    print("\n".join(table))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["paint", "sheet"])
    parser.add_argument("--label", default="after")
    parser.add_argument("--labels", nargs="+", default=["before", "after"])
    parser.add_argument("--iterations", type=int, default=0, help="0: the checkout's default")
    parser.add_argument("--size", type=int, default=0, help="0: the checkout's default")
    parser.add_argument("--pyramid", type=int, default=0, help="coarse-to-fine levels (0: the default)")
    parser.add_argument("--finest-share", type=float, default=None,
                        help="pyramid: the finest level's share of the steps (0: equal shares; omitted: the default)")
    parser.add_argument("--no-style-upscale", action="store_true",
                        help="never scale a style image above its own size (StyleSettings.style_upscale)")
    parser.add_argument("--optimizer", choices=["adam", "lbfgs"], default=None, help="omitted: the default")
    parser.add_argument("--precision", choices=["auto", "float32", "bfloat16"], default=None,
                        help="VGG's compute type (omitted: the default, auto; L-BFGS's auto is float32)")
    parser.add_argument("--vgg-padding", choices=["zeros", "mirror"], default=None, help="omitted: the default")
    parser.add_argument("--vgg-pooling", choices=["max", "avg"], default=None, help="omitted: the default")
    parser.add_argument("--set", default="", metavar="KEY=VALUE,...",
                        help="any other StyleSettings fields, e.g. laplacian_weight=2,laplacian_pool=4")
    parser.add_argument("--snapshot", type=int, default=0,
                        help="paint: also save the painting as it was after this many iterations (<label>-atN)")
    parser.add_argument("--show-width", type=int, default=512, help="sheet: every painting shown this wide")
    parser.add_argument("--pairs", type=int, default=TUNING_PAIRS,
                        help="the first N (photo, style) pairs (default: the two the earlier studies used)")
    parser.add_argument("--pair", type=int, default=0, choices=range(1, len(PAIRS) + 1),
                        help="only the Nth (photo, style) pair")
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "photos")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    paint(args) if args.command == "paint" else sheet_and_table(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
