"""Benchmark: image mode through the local async path, request → first preview and request → final image.

    .venv/bin/python benchmarks/image_mode.py [--photo demo/chelsea.png] [--size 256] [--iterations 50] [--runs 3]

Each run takes the user's path (pipeline.local.paint_client): PutObject of the photo, the paint_request Lambda
with a function-URL event, InvokeEndpointAsync on the moto server, the container's serving code in process,
polling status.json / preview.jpg through the presigned URLs (every 50 ms). The clock starts before the
Lambda call (the upload is the page's business) and stops when the preview, then the result, is readable.
The model is warm (as on an InService endpoint); the first run also pays TensorFlow's tracing for the image
size, so the median of 3 is reported. Prints a Markdown table row.
"""
import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def one_run(image_mode, photo: Path, style: str, options: dict) -> tuple[float, float]:
    from pipeline.local import paint_client

    client = image_mode.client
    identity = paint_client.local_identity(client, image_mode.identity_pool_id)
    key = paint_client.upload_photo(client, image_mode.bucket, identity, photo)
    started = time.monotonic()
    status, accepted = paint_client.submit(client, image_mode.function_name, paint_client.function_url_event(
        identity, {"content": key, "style": style, "options": options}))
    if status != 202:
        raise RuntimeError(f"refused: {accepted}")
    first_preview = None
    while first_preview is None:
        if paint_client.fetch(accepted["progress"]["preview"]) is not None:
            first_preview = time.monotonic() - started
        time.sleep(0.05)
    final = paint_client.watch(accepted, timeout=1800, interval=0.05)
    if final["state"] != "done":
        raise RuntimeError(f"failed: {final}")
    paint_client.result(accepted)
    return first_preview, time.monotonic() - started


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photo", type=Path, default=ROOT / "demo" / "chelsea.png")
    parser.add_argument("--style", default="starry_night")
    parser.add_argument("--size", type=int, default=256)
    parser.add_argument("--iterations", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

    from pipeline.local.image_mode import build_container, install_image_mode
    from pipeline.local.server import LocalMotoServer
    from stylizer.serving.predict import default_settings

    defaults = default_settings()  # the container's own defaults (preview every NST_PREVIEW_EVERY=10)
    options = {"size": args.size, "iterations": args.iterations}
    firsts, finals = [], []
    with LocalMotoServer() as server:
        container = build_container(install_image_mode(server).client, defaults=defaults)
        with install_image_mode(server, container=container) as image_mode:
            if not container.invoker.model.wait(600):
                raise RuntimeError(f"model did not load: {container.invoker.model.state()}")
            for run in range(args.runs):
                first, final = one_run(image_mode, args.photo, args.style, options)
                firsts.append(first)
                finals.append(final)
                print(f"run {run + 1}: first preview {first:.2f} s, final image {final:.2f} s", file=sys.stderr)
    cpu = f"{platform.machine()}, {os.cpu_count()} CPU"
    print("| photo | size | iterations | preview every | first preview (median) | final image (median) | runs | machine |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    print(f"| {args.photo.name} | {args.size} px | {args.iterations} | {defaults.preview_every} | "
          f"{statistics.median(firsts):.2f} s | {statistics.median(finals):.2f} s | {args.runs} | {cpu} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
