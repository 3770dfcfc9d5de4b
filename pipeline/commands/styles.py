"""`nst styles`: the style catalogue with titles, artists and credits."""
import argparse
import json

NAME = "styles"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="machine-readable output")


def run(args: argparse.Namespace) -> int:
    from stylizer.catalogue import list_styles

    styles = list_styles()
    if args.json:
        print(json.dumps([{k: str(v) for k, v in vars(s).items()} for s in styles], indent=2))
        return 0
    width = max(len(s.name) for s in styles)
    for style in styles:
        print(f"{style.name:<{width}}  {style.title} — {style.artist}, {style.year} ({style.licence})")
    print("\nAny image file works as a style too: --style path/to/painting.jpg")
    return 0
