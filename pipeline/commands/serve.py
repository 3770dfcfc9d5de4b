"""`nst serve [--port 8080]`: the whole product on this machine, in a browser.

The local stack (helper D's LocalStack: buckets, Lambdas, the GIF state machine, mail to out/mail/), image mode
on it (async endpoint, its container in process, the paint_request Lambda), a Cognito identity pool, bucket
CORS for the page's origin, and the built page (frontend/dist) with its config.json on
http://127.0.0.1:8080/. Runs until Ctrl-C. `LocalSite` is the same thing as a context manager, for the
browser tests.
"""
import argparse
from pathlib import Path

DEFAULT_DIST = "frontend/dist"
FRONTEND = Path(__file__).resolve().parents[2] / "frontend"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--port", type=int, default=8080, help="the page's port (default 8080; 0 = any free one)")
    parser.add_argument("--host", default="127.0.0.1", help="the page's address (default 127.0.0.1)")
    parser.add_argument("--out", default="out", metavar="DIR", help="mail (DIR/mail/*.eml) and job files (default out)")
    parser.add_argument("--dist", default=DEFAULT_DIST, metavar="DIR",
                        help=f"the built page (default {DEFAULT_DIST}, built on first use with npm)")
    parser.add_argument("--gif-size", type=int, metavar="PX", help="GIF pipeline: longest side of the frames painted")
    parser.add_argument("--gif-iterations", type=int, metavar="N", help="GIF pipeline: optimiser steps per frame")
    parser.add_argument("--photo-size", type=int, metavar="PX", help="photo mode: longest side of the painting")
    parser.add_argument("--photo-iterations", type=int, metavar="N", help="photo mode: optimiser steps")


class LocalSite:
    """`with LocalSite(dist_dir, out_dir, port=0) as site:` → site.url, site.stack (LocalStack), site.image_mode."""

    def __init__(self, dist_dir, out_dir, *, host: str = "127.0.0.1", port: int = 8080, gif_size=None,
                 gif_iterations=None, photo_options=None, photo_preview_every=None, instant_retries=False):
        from pathlib import Path

        self.dist_dir, self.out_dir = Path(dist_dir), Path(out_dir)
        self.host, self.port = host, port
        self.gif_size, self.gif_iterations = gif_size, gif_iterations
        self.photo_options = {k: v for k, v in (photo_options or {}).items() if v is not None}
        self.photo_preview_every = photo_preview_every
        self.instant_retries = instant_retries
        self.stack = self.image_mode = self.page = None
        self._exits = []

    @property
    def url(self) -> str:
        return self.page.url

    def __enter__(self) -> "LocalSite":
        try:
            self._start()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc_info) -> None:
        while self._exits:
            self._exits.pop()()

    def _start(self) -> None:
        from pipeline.local import image_mode, web
        from pipeline.local.extensions import PatchSet
        from pipeline.local.stack import LocalStack

        if not (self.dist_dir / "index.html").is_file():
            raise FileNotFoundError(f"{self.dist_dir}/index.html is missing: run `npm ci && npm run build` in frontend/")
        # Listen first: the page's origin goes into the buckets' CORS rules.
        self.page = web.PageServer(self.dist_dir, {}, host=self.host, port=self.port).bind()
        self._exits.append(self.page.stop)

        self.stack = LocalStack(self.out_dir, style_size=self.gif_size, style_iterations=self.gif_iterations,
                                instant_retries=self.instant_retries)
        self.stack.__enter__()
        self._exits.append(lambda: self.stack.__exit__(None, None, None))
        patches = PatchSet()
        self._exits.append(patches.restore)
        web.distinct_identity_credentials(patches)
        web.install_preflight_fix(self.stack.server)

        container = image_mode.build_container(self.stack.client, defaults=self._photo_defaults())
        mode = image_mode.install_image_mode(self.stack, container=container)
        self.image_mode = mode.__enter__()
        self._exits.append(lambda: mode.__exit__(None, None, None))
        self._exits.append(lambda: container.stop())

        s3 = self.stack.client("s3")
        for bucket in (self.stack.uploads_bucket, self.stack.results_bucket, self.image_mode.bucket):
            web.allow_page_origin(s3, bucket, self.page.url)
        self.page.config = web.page_config(
            region=self.stack.runtime.region, identity_pool_id=self.image_mode.identity_pool_id,
            uploads_bucket=self.stack.uploads_bucket, results_bucket=self.stack.results_bucket,
            images_bucket=self.image_mode.bucket, paint_url=f"{self.page.url}/paint",
            endpoint=self.stack.endpoint_url, photo_options=self.photo_options,
            execution_status_url=f"{self.page.url}/api/execution")
        self.page.routes[("POST", "/paint")] = web.LocalFunctionUrl(
            self.stack.client, self.image_mode.function_name, self.image_mode.identity_pool_id)
        self.page.routes[("GET", "/api/execution")] = web.ExecutionStatus(self.stack)
        self.page.start()

    def _photo_defaults(self):
        """The endpoint container's defaults; None keeps the serving code's own (NST_PREVIEW_EVERY etc.)."""
        if self.photo_preview_every is None:
            return None
        from stylizer.serving.predict import default_settings

        return default_settings().replace(preview_every=self.photo_preview_every)


def build_page(dist_dir, frontend=None, runner=None) -> bool:
    """Build frontend/dist when it is missing (what `make frontend` does), so `nst serve` after `make demo` is
    one command. Only the frontend's own dist is built; a --dist elsewhere is the caller's. True if built."""
    import shutil
    import subprocess
    from pathlib import Path

    frontend = Path(frontend) if frontend else FRONTEND
    dist_dir = Path(dist_dir)
    if (dist_dir / "index.html").is_file() or dist_dir.resolve() != (frontend / "dist").resolve():
        return False
    if shutil.which("npm") is None:
        raise FileNotFoundError(f"{dist_dir}/index.html is missing and npm is not installed: install Node.js 20+ "
                                "(Debian: apt-get install nodejs npm), then run `make serve`")
    print("building the page (npm ci && npm run build in frontend/, once)...", flush=True)
    run_step = runner or (lambda command: subprocess.run(command, cwd=frontend, check=False).returncode)
    for command in (["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], ["npm", "run", "build"]):
        if run_step(command) != 0:
            raise FileNotFoundError(f"building the page failed at `{' '.join(command)}` in {frontend}")
    return True


def run(args: argparse.Namespace) -> int:
    import logging
    import signal
    import sys
    import threading

    def stop_on_sigterm(signum, frame):  # `kill PID` and service managers stop it as Ctrl-C does: cleanly
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop_on_sigterm)

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    print("starting the local stack (moto, Lambdas, state machine, image-mode endpoint)...", flush=True)
    photo_options = {"size": args.photo_size, "iterations": args.photo_iterations}
    dist = FRONTEND / "dist" if args.dist == DEFAULT_DIST else Path(args.dist)  # from any folder
    try:
        build_page(dist)
        with LocalSite(dist, args.out, host=args.host, port=args.port, gif_size=args.gif_size,
                       gif_iterations=args.gif_iterations, photo_options=photo_options) as site:
            print(f"\n  The page: {site.url}/\n", flush=True)
            print(f"  GIF emails are written to {site.stack.runtime.mail_dir}/ ; moto at {site.stack.endpoint_url}")
            print("  Ctrl-C stops everything.", flush=True)
            while True:
                threading.Event().wait(3600)  # a timed wait stays interruptible by signals
    except FileNotFoundError as error:
        print(f"nst serve: {error}", file=sys.stderr)
        return 2
    except OSError as error:  # the port is taken, most often
        print(f"nst serve: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\nnst serve: stopped", flush=True)
    return 0
