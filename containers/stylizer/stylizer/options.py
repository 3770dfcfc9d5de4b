"""Command-line options shared by `nst stylize`, the processing job and (later) the endpoint.

One definition, so a data scientist's local flags mean the same thing in the container.
Module imports stay light: `nst --help` must not load TensorFlow.
"""
import argparse
import dataclasses

from stylizer.settings import GIF_MIN_PASSES, GIF_VISIT_STEPS  # a dataclass module: no TensorFlow


def _comma_separated(convert, expected: str):
    """An argparse type: "a,b,c" -> (convert(a), convert(b), convert(c)), else "expected <expected>"."""
    def parse(text: str) -> tuple:
        try:
            return tuple(convert(part) for part in text.split(","))
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {expected}, not {text!r}")
    return parse


_offsets = _comma_separated(int, "comma-separated frame offsets such as 1,2,4")  # "1,2,4" -> (1, 2, 4)
_weights = _comma_separated(float, "one comma-separated weight per style layer such as 1,1,1,1,0.25")


# argparse destination -> StyleSettings field, where they differ.
_RENAMED = {"layers": "layer_preset"}

# (flag, argparse keywords, help). The help's default is appended from StyleSettings, so the two cannot
# disagree; the argparse default stays None, meaning "not given: the settings decide".
_STYLE_OPTIONS = (
    ("--size", {"type": int, "metavar": "PX"}, "longest side of the output in pixels"),
    ("--iterations", {"type": int, "metavar": "N"}, "optimiser steps per photo or per GIF frame (all passes)"),
    ("--content-weight", {"type": float, "metavar": "W"}, "weight of the content loss"),
    ("--style-weight", {"type": float, "metavar": "W"}, "weight of the style loss"),
    ("--tv-weight", {"type": float, "metavar": "W"}, "total-variation (smoothness) weight"),
    ("--laplacian-weight", {"type": float, "metavar": "W"},
     "weight of the Laplacian term: the content's outlines at --laplacian-pool px kept in pixels (0: off)"),
    ("--laplacian-pool", {"type": int, "metavar": "PX"}, "average pooling before the Laplacian term's stencil"),
    ("--temporal-weight", {"type": float, "metavar": "W"},
     "GIFs: weight of the temporal loss (with --temporal-pull 0)"),
    ("--temporal-pull", {"type": float, "metavar": "K"},
     "GIFs: > 0 applies the temporal term after each optimiser step with strength K instead of in the loss"),
    ("--free-pull", {"type": float, "metavar": "0..1"},
     "GIFs, with the pull: how far pixels with no reliable neighbour are held to where they were before each "
     "step (1: as far as pixels tied to their neighbours)"),
    ("--start-min-trust", {"type": float, "metavar": "0..1"},
     "GIFs, fast+full: start from the content where the flow trusts less than this share of the GIF"),
    ("--style-scale", {"type": float, "metavar": "S"}, "style image size relative to the output"),
    ("--learning-rate", {"type": float, "metavar": "LR"}, "optimiser step size"),
    ("--lr-decay-share", {"type": float, "metavar": "0..1"},
     "photos: the share of the steps at the end over which Adam's step size falls to a tenth (0: constant)"),
    ("--layers", {"metavar": "PRESET"}, "layer preset (see stylizer.settings.LAYER_PRESETS)"),
    ("--style-layer-weights", {"type": _weights, "metavar": "W,W,..."},
     "each style layer's share of the style term, shallow to deep, normalised to sum to 1 (1,1,1,1,1: equal)"),
    ("--init", {"choices": ["content", "noise"]}, "start from the photo or from noise"),
    ("--seed", {"type": int}, "makes a run repeatable"),
    ("--preserve-colors", {"action": "store_true", "default": None},
     "transfer the style's texture, keep the photo's colours"),
    ("--no-temporal", {"dest": "temporal", "action": "store_false", "default": None},
     "GIFs: stylise every frame from scratch (the per-frame baseline) instead of the temporal method"),
    ("--preview-every", {"type": int, "metavar": "N"}, "emit a preview image every N iterations (0 = never)"),
    ("--method", {"choices": ["full", "fast", "fast+full"]},
     "full: optimise the pixels; fast: one pass of a feed-forward network (seconds); "
     "fast+full: optimise starting from the fast painting"),
    ("--strength", {"type": float, "metavar": "0..1"},
     "fast painting: how much style (1) versus the photo's own look (0)"),
    ("--start-content-limit", {"type": float, "metavar": "L"},
     "GIFs, fast+full: lower the start's strength until the fast painting's content loss is at most L (0: off)"),
    ("--start-values", {"type": float, "metavar": "0..1"},
     "GIFs, fast+full: how much of the frame's own large-scale light and dark the fast-painting start takes"),
    ("--optimizer", {"choices": ["adam", "lbfgs"]},
     "photos: Adam or L-BFGS-B (lower loss from the photo; see docs/benchmarks.md)"),
    ("--compile", {"choices": ["xla", "graph", "eager"]},
     "TensorFlow gradient step: xla (XLA-compiled), graph (tf.function) or eager"),
    ("--passes", {"type": int, "metavar": "N"},
     f"GIFs: passes over all frames at each size, alternating direction (0: visits of {GIF_VISIT_STEPS} steps, "
     f"at least {GIF_MIN_PASSES} passes)"),
    ("--coarse-steps", {"dest": "gif_coarse_steps", "type": int, "metavar": "N"},
     "GIFs: steps per frame painted at half the size first, each costing about a quarter of a full-size step"),
    ("--temporal-from-pass", {"type": int, "metavar": "K"},
     "GIFs: the first pass (0-based) with a temporal term; earlier passes only blend from the neighbours"),
    ("--no-wait-for-neighbours", {"dest": "wait_for_neighbours", "action": "store_false", "default": None},
     "GIFs: neighbours constrain a frame from their start, even the unpainted content of a content start"),
    ("--blend-weight", {"type": float, "metavar": "B"},
     "GIFs: how much of the painted neighbours each visit starts from (1: Ruder et al.'s blend, 0: none)"),
    ("--no-trust-stillness", {"dest": "trust_stillness", "action": "store_false", "default": None},
     "GIFs: treat the stillness prior's zero-motion pixels like any flow in the motion-boundary test"),
    ("--long-term", {"type": _offsets, "metavar": "1,2,4"}, "GIFs: frame offsets that get a temporal term"),
    ("--no-loop-closure", {"dest": "loop_closure", "action": "store_false", "default": None},
     "GIFs that loop: do not tie the last frame to the first"),
    ("--no-colour-check", {"dest": "photometric_check", "action": "store_false", "default": None},
     "GIFs: trust the flow wherever it is consistent, even where the frames' colours disagree"),
    ("--fresh-frame-state", {"dest": "keep_frame_state", "action": "store_false", "default": None},
     "GIFs: a fresh Adam state on every visit of a frame instead of the one from its last pass"),
    ("--batch-frames", {"type": int, "metavar": "N"}, "GIFs: frames optimised as one batch (GPUs: more)"),
    ("--vgg-padding", {"choices": ["auto", "zeros", "mirror"]},
     "what VGG's convolutions see past the image's edge: zeros (as trained), the picture mirrored, or "
     "auto (each mode's default: zeros today, see docs/benchmarks.md)"),
    ("--precision", {"choices": ["auto", "float32", "bfloat16"]},
     "VGG's compute type: auto = bfloat16 on CPUs that have it natively, float32 elsewhere (GPUs too)"),
)


def _dest(flag: str, keywords: dict) -> str:
    return keywords.get("dest", flag.lstrip("-").replace("-", "_"))


def setting_default(dest: str):
    """StyleSettings' default for an option's destination, or None when the settings have no such field."""
    from stylizer.settings import StyleSettings  # a dataclass module: no TensorFlow

    name = _RENAMED.get(dest, dest)
    field = next((f for f in dataclasses.fields(StyleSettings) if f.name == name), None)
    return None if field is None or field.default is dataclasses.MISSING else field.default


def mode_defaults(name: str) -> tuple:
    """A settings field's default as a photo and as a GIF resolve it (StyleSettings.for_photo, for_gif)."""
    from stylizer.settings import StyleSettings

    defaults = StyleSettings()
    return getattr(defaults.for_photo(), name), getattr(defaults.for_gif(), name)


def _with_default(text: str, dest: str, keywords: dict) -> str:
    default = setting_default(dest)
    if default is None:
        return text
    photo, gif = mode_defaults(_RENAMED.get(dest, dest))
    if photo != gif:  # a "the mode's" default (0, -1), which each mode resolves to its own value
        return f"{text} (default {photo} for photos, {gif} for GIFs)"
    if isinstance(default, bool):  # a flag: is what it asks for already the default?
        asks_for = keywords.get("action") == "store_true"
        return f"{text} (default: {'on' if default == asks_for else 'off'})"
    return f"{text} (default {default})"


def add_style_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of the optimisation itself; each help says StyleSettings' default."""
    group = parser.add_argument_group("style transfer")
    for flag, keywords, text in _STYLE_OPTIONS:
        group.add_argument(flag, help=_with_default(text, _dest(flag, keywords), keywords), **keywords)


def settings_from_args(args: argparse.Namespace, **overrides):
    """StyleSettings from the defaults, then the options given on the command line, then `overrides`."""
    from stylizer.settings import StyleSettings

    chosen = {}
    for dest in (_dest(flag, keywords) for flag, keywords, _ in _STYLE_OPTIONS):  # every option, none forgotten
        value = getattr(args, dest, None)
        if value is not None:
            chosen[_RENAMED.get(dest, dest)] = value
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
