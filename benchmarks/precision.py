"""bfloat16 against float32 on this machine: seconds per step and what the painting loses, in one run.

    .venv/bin/python benchmarks/precision.py [--size 256] [--iterations 60] [--out docs/results]

Paints demo/chelsea.png with starry_night from its content (method "full", Adam, the product's loss) once
with VGG in float32 and once in bfloat16 (Keras mixed_bfloat16: convolutions in bf16, Gram matrices,
losses, pixels and Adam's state in float32), then scores both paintings with float32 rulers: the style and
content losses (stylizer.metrics.style_and_content_loss, float32 VGG), Sobel edge correlation and
luminance SSIM with the photo, and the two paintings' difference (mean |a − b| on 0..255, SSIM between
them). Medians of the timed steps after --warmup. Prints a Markdown table; writes precision.json.
"""
import argparse
import json
import os
import platform
import statistics
import time
from pathlib import Path

import numpy as np

from stylizer import metrics, precision
from stylizer.catalogue import load_style
from stylizer.gif import read_image
from stylizer.settings import StyleSettings
from stylizer.transfer import resize_longest, stylize_image

ROOT = Path(__file__).resolve().parents[1]


def paint(content, style, size: int, iterations: int, compute: str):
    settings = StyleSettings(size=size, iterations=iterations, method="full", precision=compute)
    stamps, event = [], None
    for event in stylize_image(content, [(style, 1.0)], settings):
        if event.kind in ("start", "iteration"):
            stamps.append(time.perf_counter())
    return event.image, np.diff(stamps)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=256)
    parser.add_argument("--iterations", type=int, default=60)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "benchmarks")
    args = parser.parse_args(argv)
    content = read_image(ROOT / "demo" / "chelsea.png")
    style = load_style("starry_night")[0]
    flags = sorted(precision.cpu_flags() & precision.BF16_CPU_FLAGS)
    report = {"machine": f"{platform.machine()} cores={os.cpu_count()} load={os.getloadavg()[0]:.1f}",
              "bf16_cpu_flags": flags, "auto_resolves_to": precision.resolve("auto"),
              "command": f"benchmarks/precision.py --size {args.size} --iterations {args.iterations}", "rows": {}}
    images = {}
    for compute in ("float32", "bfloat16"):
        image, steps = paint(content, style, args.size, args.iterations, compute)
        work = resize_longest(content, max(image.shape[:2]))
        row = {"median_s_per_step": round(statistics.median(steps[args.warmup:]), 4),
               "first_steps_s": round(float(np.sum(steps[:args.warmup])), 2),
               "edge_correlation": metrics.edge_correlation(work, image),
               "luminance_ssim": metrics.luminance_ssim(work, image)}
        row.update(metrics.style_and_content_loss([work], [image], [(style, 1.0)]))
        report["rows"][compute], images[compute] = row, image
    a, b = (images[k].astype(np.float32) for k in ("float32", "bfloat16"))
    report["bf16_vs_float32"] = {"mean_abs_difference": float(np.mean(np.abs(a - b))),
                                 "ssim_between": metrics.luminance_ssim(images["float32"], images["bfloat16"])}
    f32, bf16 = report["rows"]["float32"], report["rows"]["bfloat16"]
    report["speedup"] = round(f32["median_s_per_step"] / bf16["median_s_per_step"], 2)
    print("| compute | median s/step | edge corr. | lum. SSIM | style loss | content loss |\n| --- | --- | --- | --- | --- | --- |")
    for name, row in report["rows"].items():
        print(f"| {name} | {row['median_s_per_step']:.3f} | {row['edge_correlation']:.3f} | "
              f"{row['luminance_ssim']:.3f} | {row['style_loss']:.4g} | {row['content_loss']:.4g} |")
    print(f"\nbf16 speed-up {report['speedup']}x; paintings differ by {report['bf16_vs_float32']['mean_abs_difference']:.2f}"
          f" on 0..255 (SSIM between them {report['bf16_vs_float32']['ssim_between']:.3f}); flags {flags}")
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "precision.json").write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
