"""`nst paint PHOTO --style NAME|PATH [--size PX] [--iterations N] [--preserve-colors] [-o OUT]`: image mode,
end to end on this machine.

It takes the path a page's request takes in AWS: a local moto server (helper D's LocalMotoServer) with the
image-mode resources (pipeline.local.image_mode: async endpoint from pipeline/endpoint.py, the container's
serving code in process, the paint_request Lambda); the photo is uploaded under a local Cognito identity's
prefix, the Lambda gets a function-URL event, status.json is polled through the presigned URL it returns,
and the result is fetched through the other one. The GIF pipeline's resources are not needed for this, so
the full LocalStack is not started.
"""
import argparse
import sys
from pathlib import Path

NAME = "paint"
HELP = "paint a photo through the image-mode path (Lambda + async endpoint) on a local AWS emulation"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("photo", type=Path, help="PNG or JPEG photo")
    parser.add_argument("--style", required=True, metavar="NAME|PATH",
                        help="catalogue name (see `nst styles`) or your own style image")
    from stylizer.settings import StyleSettings  # the endpoint paints with the library's defaults: say those

    defaults = StyleSettings()
    size = getattr(defaults, "photo_size", None) or defaults.size
    parser.add_argument("--size", type=int, metavar="PX", help=f"longest side of the result (default {size})")
    parser.add_argument("--iterations", type=int, metavar="N", help=f"optimiser steps (default {defaults.photo_iterations})")
    parser.add_argument("--preserve-colors", action="store_true", help="keep the photo's colours")
    parser.add_argument("-o", "--output", type=Path, help="result PNG (default out/<photo>-<style>.png)")
    parser.add_argument("--timeout", type=float, default=1800.0, metavar="S", help="give up after S seconds")


def options_of(args: argparse.Namespace) -> dict:
    options = {name: value for name, value in (("size", args.size), ("iterations", args.iterations))
               if value is not None}
    if args.preserve_colors:
        options["preserve_colors"] = True
    return options


def default_output(photo: Path, style: str) -> Path:
    return Path("out") / f"{photo.stem}-{Path(style).stem}.png"


def progress_line(status: dict) -> str:
    state, iteration, total = status.get("state"), status.get("iteration") or 0, status.get("iterations") or 0
    losses = "  ".join(f"{name} {value:.3g}" for name, value in (status.get("losses") or {}).items()
                       if name in ("content", "style", "tv", "total"))
    return f"{state:<8} {iteration:>4}/{total:<4} {status.get('elapsed_s', 0):6.1f} s  {losses}"


def run(args: argparse.Namespace) -> int:
    if not args.photo.is_file():
        print(f"nst paint: {args.photo} does not exist", file=sys.stderr)
        return 2
    try:
        return _paint(args)
    except KeyboardInterrupt:
        print("\nnst paint: interrupted", file=sys.stderr)
        return 130


def _paint(args: argparse.Namespace) -> int:
    import logging

    from pipeline.local import paint_client
    from pipeline.local.image_mode import install_image_mode
    from pipeline.local.server import LocalMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    output = args.output or default_output(args.photo, args.style)
    interactive = sys.stdout.isatty()
    print("starting the local stack (moto server, async endpoint, paint_request Lambda)...", flush=True)
    with LocalMotoServer() as server, install_image_mode(server) as image_mode:
        client = image_mode.client
        identity = paint_client.local_identity(client, image_mode.identity_pool_id)
        content = paint_client.upload_photo(client, image_mode.bucket, identity, args.photo)
        style = args.style
        if Path(style).is_file():  # the caller's own style image goes under the same prefix
            style = paint_client.upload_photo(client, image_mode.bucket, identity, Path(style))
        body = {"content": content, "style": style, "options": options_of(args)}
        status, answer = paint_client.submit(client, image_mode.function_name,
                                             paint_client.function_url_event(identity, body))
        if status != 202:
            print(f"nst paint: refused ({status}): {answer.get('error')}", file=sys.stderr)
            return 2
        print(f"request {answer['request_id']} queued on endpoint {image_mode.endpoint_name}", flush=True)

        def show(update: dict) -> None:
            line = progress_line(update)
            print(("\r" + line + " " * 8) if interactive else line, end="" if interactive else "\n", flush=True)

        final = paint_client.watch(answer, show, timeout=args.timeout)
        if interactive:
            print()
        if final["state"] != "done":
            print(f"nst paint: failed: {final.get('reason')}", file=sys.stderr)
            return 1
        data = paint_client.result(answer)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(data)
    print(f"saved {output} ({final['result']['width']}x{final['result']['height']}, "
          f"{final['result']['seconds']:.1f} s of stylisation)")
    return 0
