"""Command-line options shared by `nst stylize`, the processing job and (later) the endpoint.

One definition, so a data scientist's local flags mean the same thing in the container.
Module imports stay light: `nst --help` must not load TensorFlow.
"""
import argparse
import dataclasses


def add_style_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of the optimisation itself (see `stylizer.settings.StyleSettings` for defaults)."""
    group = parser.add_argument_group("style transfer")
    group.add_argument("--size", type=int, metavar="PX", help="longest side of the output in pixels")
    group.add_argument("--iterations", type=int, metavar="N", help="optimiser steps per frame")
    group.add_argument("--content-weight", type=float, metavar="W")
    group.add_argument("--style-weight", type=float, metavar="W")
    group.add_argument("--tv-weight", type=float, metavar="W", help="total-variation (smoothness) weight")
    group.add_argument("--temporal-weight", type=float, metavar="W", help="GIFs: weight of the temporal loss")
    group.add_argument("--style-scale", type=float, metavar="S", help="style image size relative to the output")
    group.add_argument("--learning-rate", type=float, metavar="LR")
    group.add_argument("--layers", metavar="PRESET", help="layer preset (see stylizer.settings.LAYER_PRESETS)")
    group.add_argument("--init", choices=["content", "noise"], help="start from the photo or from noise")
    group.add_argument("--seed", type=int, help="makes a run repeatable")
    group.add_argument(
        "--preserve-colors", action="store_true", default=None, help="transfer the style's texture, keep the photo's colours"
    )
    group.add_argument(
        "--no-temporal",
        dest="temporal",
        action="store_false",
        default=None,
        help="GIFs: stylise every frame from scratch (the per-frame baseline) instead of the temporal method",
    )
    group.add_argument("--preview-every", type=int, metavar="N", help="emit a preview image every N iterations")
    group.add_argument("--method", choices=["full", "fast", "fast+full"],
                       help="full: optimise the pixels; fast: one pass of a feed-forward network (seconds); "
                            "fast+full: optimise starting from the fast painting")
    group.add_argument("--strength", type=float, metavar="0..1",
                       help="fast painting: how much style (1) versus the photo's own look (0)")
    group.add_argument("--optimizer", choices=["adam", "lbfgs"],
                       help="photos: Adam (default) or L-BFGS-B (lower loss from the photo; see docs/benchmarks.md)")
    group.add_argument("--compile", choices=["xla", "graph", "eager"],
                       help="TensorFlow gradient step: XLA-compiled (default), tf.function, or eager")


# argparse destination -> StyleSettings field, where they differ.
_RENAMED = {"layers": "layer_preset"}


def settings_from_args(args: argparse.Namespace, **overrides):
    """StyleSettings from the defaults, then the options given on the command line, then `overrides`."""
    from stylizer.settings import StyleSettings

    fields = {f.name for f in dataclasses.fields(StyleSettings)}
    chosen = {}
    for dest in ("size", "iterations", "content_weight", "style_weight", "tv_weight", "temporal_weight",
                 "style_scale", "learning_rate", "layers", "init", "seed", "preserve_colors", "temporal",
                 "preview_every", "compile", "strength", "method", "optimizer"):
        value = getattr(args, dest, None)
        name = _RENAMED.get(dest, dest)
        if value is not None and name in fields:
            chosen[name] = value
    chosen.update(overrides)
    return StyleSettings(**chosen)


def parse_style_specs(specs: list[str]) -> list[tuple[str, float]]:
    """`--style starry_night:0.7 --style the_scream:0.3` -> [(name, weight)...], weights normalised to sum 1.

    A bare name gets weight 1. The separator is the last ':' followed by a number, so Windows-free paths work.
    """
    parsed = []
    for spec in specs:
        name, weight = spec, 1.0
        head, sep, tail = spec.rpartition(":")
        if sep:
            try:
                weight = float(tail)
                name = head
            except ValueError:
                pass
        if weight <= 0:
            raise ValueError(f"Style weight must be positive: {spec!r}")
        parsed.append((name, weight))
    total = sum(w for _, w in parsed)
    return [(name, w / total) for name, w in parsed]
