"""Benchmark: which optimiser (Adam constant / scheduled, coarse-to-fine pyramid, L-BFGS) and which layer preset.

    .venv/bin/python benchmarks/optimiser_study.py [--part optimiser presets] [--iterations 100] [--out out/optimiser]

Part "optimiser": demo/chelsea.png and demo/coffee.png at 256 px x starry_night and the_scream, method "full"
from the content, the same budget of gradient evaluations for every variant:
  adam-const   Adam lr 8 (today's default), stylize_image as shipped
  adam-cosine  Adam, lr cosine-annealed from 8 to 1 over the budget
  adam-step    Adam, lr 8 for the first half, 4 to 3/4, 2 after
  pyramid-2/3  stylize_image with pyramid=2/3 (iterations split evenly over the levels, Adam lr 8)
  lbfgs        scipy L-BFGS-B on the pixels, bounds 0..255, value-and-gradient from a tf.function;
               maxfun = the budget (every loss+gradient evaluation counts as one iteration)
Ruler: the total loss of the uint8 output at 256 px with the default weights and the GIF post's layers (the
loss every variant optimises, evaluated the same way for all), and wall time (tracing excluded: a warm-up
runs every size first). Ratios against adam-const per case, then the median over the 4 cases.

Part "presets": the same 4 cases at 160 px (GIF size) and at 256 px (chelsea only by default, to save time:
--preset-images-256 chelsea coffee for both), plus newtonscradle.gif's first frame at
its own 200 px, stylised with layer_preset "gif_post" and "gatys" (Adam lr 8, same budget, the shipped
weights). Scored by a neutral ruler: the style loss on BOTH presets' style layers divided by the content
image's own style loss on those layers (1 = not stylised, lower = closer to the style), and content
preservation independent of VGG: SSIM of the luminance and the correlation of Sobel edge magnitudes, output
against content. Contact sheets: <out>/optimiser_sheet.png, <out>/presets_sheet.png; raw: <out>/study.json.
"""
import argparse
import json
import math
import statistics
import sys
import time
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
IMAGES = ("chelsea.png", "coffee.png")
STYLES = ("starry_night", "the_scream")


# --- scores independent of VGG ----------------------------------------------------------------------------

def luminance(image: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(image, cv2.COLOR_RGB2GRAY).astype(np.float64)


def ssim(a: np.ndarray, b: np.ndarray) -> float:
    """Mean SSIM (Wang et al. 2004) of two uint8 RGB images' luminance, 11x11 Gaussian window, sigma 1.5."""
    x, y = luminance(a), luminance(b)
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2
    blur = lambda img: cv2.GaussianBlur(img, (11, 11), 1.5)  # noqa: E731
    mx, my = blur(x), blur(y)
    sxx, syy, sxy = blur(x * x) - mx * mx, blur(y * y) - my * my, blur(x * y) - mx * my
    s = ((2 * mx * my + c1) * (2 * sxy + c2)) / ((mx * mx + my * my + c1) * (sxx + syy + c2))
    return float(s[5:-5, 5:-5].mean())


def edge_correlation(a: np.ndarray, b: np.ndarray) -> float:
    """Pearson correlation of the Sobel gradient magnitudes of the two images' (lightly blurred) luminance."""
    def edges(image):
        y = cv2.GaussianBlur(luminance(image), (3, 3), 0)
        return np.hypot(cv2.Sobel(y, cv2.CV_64F, 1, 0), cv2.Sobel(y, cv2.CV_64F, 0, 1)).ravel()
    return float(np.corrcoef(edges(a), edges(b))[0, 1])


# --- the ruler ----------------------------------------------------------------------------------------------

class Ruler:
    """Raw losses of an image on one preset's layers, with the default weights, at the image's own size."""

    def __init__(self, preset: str):
        from stylizer.settings import StyleSettings
        from stylizer.transfer import make_loss_fn

        self.settings = StyleSettings(layer_preset=preset, method="full")
        self.loss_fn = make_loss_fn(self.settings)

    def __call__(self, image: np.ndarray, content: np.ndarray, styles) -> dict:
        from stylizer.transfer import batch, make_targets, resize_to, style_targets

        content = resize_to(content, *image.shape[:2])
        grams = style_targets(styles, *image.shape[:2], self.settings)
        total, terms = self.loss_fn(batch(image), make_targets(content, grams, self.settings))
        return {"total": float(np.asarray(total)), **{k: float(np.asarray(v)) for k, v in terms.items()
                                                       if k != "temporal"}}


# --- the variants -------------------------------------------------------------------------------------------

def run_shipped(content, styles, settings) -> np.ndarray:
    from stylizer.transfer import stylize_image

    for event in stylize_image(content, styles, settings):
        if event.kind == "done":
            return event.image
    raise RuntimeError("no result")


def cosine(lr0: float, lr1: float):
    return lambda i, n: lr1 + 0.5 * (lr0 - lr1) * (1 + math.cos(math.pi * i / max(1, n - 1)))


def step_decay(lr0: float):
    return lambda i, n: lr0 if i < n // 2 else lr0 / 2 if i < 3 * n // 4 else lr0 / 4


def run_scheduled(content, styles, settings, schedule) -> np.ndarray:
    """Adam at one scale with the learning rate of iteration i = schedule(i, iterations)."""
    from keras import ops

    from stylizer.optimize import adam_init
    from stylizer.transfer import (batch, finish, gradient_step, make_targets, resize_longest, style_targets)

    level = resize_longest(content, settings.size)
    targets = make_targets(level, style_targets(styles, *level.shape[:2], settings), settings)
    pixels = ops.convert_to_tensor(batch(level))
    state, step = adam_init(pixels), gradient_step(settings)
    for i in range(settings.iterations):
        lr = ops.convert_to_tensor(schedule(i, settings.iterations), dtype="float32")
        pixels, state, _ = step(pixels, state, targets, lr)
    return finish(pixels, level, settings)


_LBFGS_FN = {}


def run_lbfgs(content, styles, settings) -> np.ndarray:
    """L-BFGS-B on the 0..255 pixels (box bounds), budget = settings.iterations loss+gradient evaluations."""
    import tensorflow as tf
    from scipy.optimize import Bounds, minimize

    from stylizer.transfer import batch, make_loss_fn, make_targets, resize_longest, style_targets, to_uint8

    if settings.layer_preset not in _LBFGS_FN:
        loss_fn = make_loss_fn(settings)

        @tf.function(reduce_retracing=True)
        def value_and_grad(pixels, targets):
            with tf.GradientTape() as tape:
                tape.watch(pixels)
                total, _ = loss_fn(pixels, targets)
            return total, tape.gradient(total, pixels)
        _LBFGS_FN[settings.layer_preset] = value_and_grad
    value_and_grad = _LBFGS_FN[settings.layer_preset]
    level = resize_longest(content, settings.size)
    targets = make_targets(level, style_targets(styles, *level.shape[:2], settings), settings)
    targets = tf.nest.map_structure(tf.convert_to_tensor, targets)
    shape = (1,) + level.shape

    def fun(x):
        total, grad = value_and_grad(tf.constant(x.reshape(shape), tf.float32), targets)
        return float(total), grad.numpy().astype(np.float64).ravel()

    result = minimize(fun, batch(level).astype(np.float64).ravel(), jac=True, method="L-BFGS-B",
                      bounds=Bounds(0.0, 255.0),
                      options={"maxfun": settings.iterations, "maxiter": settings.iterations, "ftol": 0.0,
                               "gtol": 0.0, "maxcor": 10})
    return to_uint8(result.x.reshape(shape).astype(np.float32))


def variants(base):
    return {
        "adam-const": lambda c, s: run_shipped(c, s, base),
        "adam-cosine": lambda c, s: run_scheduled(c, s, base, cosine(8.0, 1.0)),
        "adam-step": lambda c, s: run_scheduled(c, s, base, step_decay(8.0)),
        "pyramid-2": lambda c, s: run_shipped(c, s, base.replace(pyramid=2)),
        "pyramid-3": lambda c, s: run_shipped(c, s, base.replace(pyramid=3)),
        "lbfgs": lambda c, s: run_lbfgs(c, s, base),
    }


# --- contact sheet ------------------------------------------------------------------------------------------

def contact_sheet(rows: list[tuple[str, list[tuple[str, np.ndarray]]]], path: Path, cell: int = 200):
    def tile(image, label):
        h, w = image.shape[:2]
        scale = cell / max(h, w)
        small = cv2.resize(image, (max(1, round(w * scale)), max(1, round(h * scale))), interpolation=cv2.INTER_AREA)
        canvas = np.full((cell + 16, cell, 3), 255, np.uint8)
        canvas[16:16 + small.shape[0], :small.shape[1]] = small
        cv2.putText(canvas, label[:30], (2, 12), cv2.FONT_HERSHEY_SIMPLEX, 0.38, (0, 0, 0), 1, cv2.LINE_AA)
        return canvas
    width = max(len(cells) for _, cells in rows)
    lines = []
    for name, cells in rows:
        tiles = [tile(img, f"{name}: {label}" if i == 0 else label) for i, (label, img) in enumerate(cells)]
        tiles += [np.full_like(tiles[0], 255)] * (width - len(tiles))
        lines.append(np.concatenate(tiles, axis=1))
    cv2.imwrite(str(path), cv2.cvtColor(np.concatenate(lines, axis=0), cv2.COLOR_RGB2BGR))


# --- the parts ----------------------------------------------------------------------------------------------

def cases(size: int):
    from stylizer.catalogue import load_style
    from stylizer.gif import read_image
    from stylizer.transfer import resize_longest

    for image in IMAGES:
        for style in STYLES:
            yield f"{Path(image).stem}/{style}", resize_longest(read_image(ROOT / "demo" / image), size), \
                [(load_style(style)[0], 1.0)]


def warm_up(base, content, styles, names):
    """Trace the gradient step at every size the variants use, so the timed runs exclude tracing."""
    short = base.replace(iterations=3)
    run_shipped(content, styles, short.replace(pyramid=3))
    if "lbfgs" in names:
        run_lbfgs(content, styles, short)


def part_optimiser(args, report):
    from stylizer.settings import StyleSettings

    base = StyleSettings(method="full", size=args.size, iterations=args.iterations, layer_preset="gif_post")
    ruler = Ruler("gif_post")
    table, sheet, warmed = {}, [], False
    for case, content, styles in cases(args.size):
        if not warmed:
            warm_up(base, content, styles, args.variants)
            warmed = True
        cells = [("content", content)]
        for name, run in variants(base).items():
            if name not in args.variants:
                continue
            started = time.perf_counter()
            image = run(content, styles)
            seconds = time.perf_counter() - started
            score = ruler(image, content, styles)
            table.setdefault(case, {})[name] = {"seconds": round(seconds, 2), **score}
            cells.append((f"{name} {score['total']:.3g}", image))
            print(f"{case:28s} {name:12s} total {score['total']:.4g} style {score['style']:.3g} "
                  f"content {score['content']:.3g} tv {score['tv']:.3g}  {seconds:.1f} s", flush=True)
        sheet.append((case, cells))
    contact_sheet(sheet, args.out / f"optimiser_sheet_{args.iterations}.png")
    summary = {}
    for name in args.variants:
        loss = [table[c][name]["total"] / table[c]["adam-const"]["total"] for c in table]
        secs = [table[c][name]["seconds"] / table[c]["adam-const"]["seconds"] for c in table]
        summary[name] = {"median_loss_ratio": round(statistics.median(loss), 3),
                         "loss_ratios": [round(x, 3) for x in loss],
                         "median_time_ratio": round(statistics.median(secs), 2),
                         "median_total": statistics.median(table[c][name]["total"] for c in table),
                         "median_seconds": round(statistics.median(table[c][name]["seconds"] for c in table), 1)}
    print(f"\n| variant | median total loss ({args.iterations} its) | loss / adam-const (median; per case) "
          f"| median s | time / adam-const |\n| --- | --- | --- | --- | --- |")
    for name, s in summary.items():
        print(f"| {name} | {s['median_total']:.4g} | {s['median_loss_ratio']:.3f} "
              f"({', '.join(f'{x:.2f}' for x in s['loss_ratios'])}) | {s['median_seconds']} | "
              f"{s['median_time_ratio']:.2f} |", flush=True)
    report[f"optimiser_{args.iterations}"] = {"cases": table, "summary": summary}


def part_presets(args, report):
    from stylizer.catalogue import load_style
    from stylizer.gif import read_gif
    from stylizer.settings import StyleSettings

    rulers = {p: Ruler(p) for p in ("gif_post", "gatys")}
    rows, sheet = [], []
    frame = read_gif(ROOT / "tests/data/newtonscradle.gif").frames[0]
    all_cases = [(160, *c) for c in cases(160)]
    all_cases += [(256, *c) for c in cases(256) if c[0].split("/")[0] in args.preset_images_256]
    all_cases += [(max(frame.shape[:2]), f"newtonscradle/{s}", frame, [(load_style(s)[0], 1.0)]) for s in STYLES]
    for size, case, content, styles in all_cases:
        baseline = {p: r(content, content, styles)["style"] for p, r in rulers.items()}
        cells = [("content", content)]
        for preset in ("gif_post", "gatys"):
            settings = StyleSettings(method="full", size=size, iterations=args.iterations, layer_preset=preset)
            started = time.perf_counter()
            image = run_shipped(content, styles, settings)
            seconds = time.perf_counter() - started
            row = {"case": case, "size": size, "preset": preset, "seconds": round(seconds, 1),
                   "ssim": ssim(image, content), "edge_corr": edge_correlation(image, content)}
            for p, r in rulers.items():
                row[f"style_rel_{p}"] = r(image, content, styles)["style"] / baseline[p]
            rows.append(row)
            cells.append((f"{preset} ssim {row['ssim']:.2f}", image))
            print(f"{size:4d} {case:28s} {preset:9s} style/base gif_post {row['style_rel_gif_post']:.4f} "
                  f"gatys {row['style_rel_gatys']:.4f}  ssim {row['ssim']:.3f} edges {row['edge_corr']:.3f} "
                  f"{seconds:.1f} s", flush=True)
        sheet.append((f"{size}px {case}", cells))
    contact_sheet(sheet, args.out / f"presets_sheet_{args.iterations}.png")
    print("\n| size | preset | style / content's, gif_post layers | style / content's, gatys layers | "
          "luminance SSIM | edge corr |\n| --- | --- | --- | --- | --- | --- |")
    summary = []
    for group in ("gif", 256):
        for preset in ("gif_post", "gatys"):
            sel = [r for r in rows if r["preset"] == preset and ((r["size"] == 256) == (group == 256))]
            med = {k: statistics.median(r[k] for r in sel)
                   for k in ("style_rel_gif_post", "style_rel_gatys", "ssim", "edge_corr")}
            label = "256 px" if group == 256 else "GIF (160-200 px)"
            summary.append({"size": label, "preset": preset, "n": len(sel), **med})
            print(f"| {label} | {preset} | {med['style_rel_gif_post']:.4f} | {med['style_rel_gatys']:.4f} | "
                  f"{med['ssim']:.3f} | {med['edge_corr']:.3f} |", flush=True)
    report[f"presets_{args.iterations}"] = {"rows": rows, "summary": summary}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", nargs="+", default=["optimiser", "presets"], choices=["optimiser", "presets"])
    parser.add_argument("--iterations", type=int, default=100)
    parser.add_argument("--size", type=int, default=256)
    parser.add_argument("--variants", nargs="+", default=["adam-const", "adam-cosine", "adam-step", "pyramid-2", "pyramid-3", "lbfgs"])
    parser.add_argument("--preset-images-256", nargs="+", default=["chelsea"],
                        help="presets part: which photos also run at 256 px (all at 160 px)")
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "optimiser")
    args = parser.parse_args(argv)
    if "adam-const" not in args.variants:
        args.variants.insert(0, "adam-const")
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / "study.json"
    report = json.loads(path.read_text()) if path.exists() else {}
    report["command"] = " ".join(sys.argv)
    if "optimiser" in args.part:
        part_optimiser(args, report)
    if "presets" in args.part:
        part_presets(args, report)
    path.write_text(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
