"""SageMaker hosting entrypoint: `docker run IMAGE serve` starts the HTTP server on port 8080.

    python -m stylizer serve [--bind 0.0.0.0:8080] [--timeout 3660] [--graceful-timeout 25]

SageMaker's contract (real-time and asynchronous endpoints alike): GET /ping must answer 200 once the
container can work, POST /invocations does the work, SIGTERM asks it to stop and SIGKILL follows 30 s
later. Hence gunicorn with:
- one worker process: one model copy and one invocation at a time per instance (the GPU is the limit);
- gthread with a few threads, so /ping answers while an invocation runs (a sync worker would block it
  and SageMaker would take the instance for dead);
- timeout above the longest invocation (InvocationTimeoutSeconds is at most 3600 for async endpoints);
- graceful timeout 25 s < SageMaker's 30 s, and a SIGTERM hook that stops a running stylisation at its
  next iteration, so it reports "failed: shutting down" (503) instead of being killed silently.
The app is built in the worker (no preload): TensorFlow must start after the fork.
"""
import argparse
import logging
import os
import signal
import sys

DEFAULT_BIND = "0.0.0.0:8080"
MAX_INVOCATION_S = 3600  # SageMaker's upper bound for an async endpoint's InvocationTimeoutSeconds
GRACEFUL_TIMEOUT_S = 25  # SageMaker sends SIGKILL 30 s after SIGTERM
THREADS = 4  # one invocation + /ping + slack; invocations themselves are serialised in the app


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="stylizer serve", description=__doc__.splitlines()[0])
    parser.add_argument("--bind", default=os.environ.get("NST_SERVE_BIND", DEFAULT_BIND))
    parser.add_argument("--timeout", type=int, default=MAX_INVOCATION_S + 60,
                        help="seconds a silent worker may take before gunicorn restarts it")
    parser.add_argument("--graceful-timeout", type=int, default=GRACEFUL_TIMEOUT_S)
    parser.add_argument("--threads", type=int, default=THREADS)
    return parser


def gunicorn_options(args) -> dict:
    return {
        "bind": args.bind,
        "workers": 1,
        "worker_class": "gthread",
        "threads": args.threads,
        "timeout": args.timeout,
        "graceful_timeout": args.graceful_timeout,
        "keepalive": 75,  # above the load balancer's idle timeout, as SageMaker recommends for BYOC
        "preload_app": False,
        "accesslog": "-",  # stdout goes to CloudWatch Logs
        "errorlog": "-",
        "post_worker_init": _stop_invocations_on_sigterm,
    }


def _stop_invocations_on_sigterm(worker) -> None:
    """Chain onto the worker's SIGTERM handler: gunicorn stops accepting, we stop the stylisation."""
    previous = signal.getsignal(signal.SIGTERM)

    def handle(signum, frame):
        model = worker.wsgi.extensions["stylizer"].model
        model.shutting_down.set()
        if callable(previous):
            previous(signum, frame)

    signal.signal(signal.SIGTERM, handle)


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, stream=sys.stdout,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        from gunicorn.app.base import BaseApplication
    except ImportError:
        print("error: gunicorn is not installed (pip install gunicorn); for local runs without it, "
              "use stylizer.serving.app.create_app() with any WSGI server", file=sys.stderr)
        return 1

    class Server(BaseApplication):
        def load_config(self):
            for key, value in gunicorn_options(args).items():
                self.cfg.set(key, value)

        def load(self):
            from stylizer.serving.app import create_app

            return create_app()

    Server().run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
