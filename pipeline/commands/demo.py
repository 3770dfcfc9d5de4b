"""`nst demo`: the whole GIF pipeline on this machine — upload, Step Functions, Lambdas, stylizer, e-mails.

AWS is emulated by moto in this process (pipeline.local): the same state machine definition, Lambda handlers
and container entrypoint as in AWS. Exit status 0 iff the execution succeeded.
"""
import argparse

NAME = "demo"
HELP = "run the whole GIF pipeline locally (moto), no AWS account"
DEFAULT_GIF = "demo/newtonscradle.gif"
DEFAULT_STYLE = "starry_night"
# Demo quality: the 36-frame demo GIF well under 3 minutes on two shared CPU cores
# (measured here before multi-pass: 96 px / 10 iterations 54 s, 128 px / 12 iterations 2 min 9 s end to
# end). Multi-pass splits the steps over the passes, at most one pass per step (settings.gif_passes): 8 = 8
# passes of 1 step, 288 steps for the 36 frames, fewer than the 370 of the single-pass demo it replaces.
# The demo GIF (200 px) is larger than 112 px, so its last step is painted at its own size
# (StyleSettings.gif_levels_for): 1 step at 56 px, 6 at 112, 1 at 200; 44 s for `make demo` here.
DEMO_SIZE = 112
DEMO_ITERATIONS = 8


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--gif", default=DEFAULT_GIF, metavar="PATH", help=f"GIF to upload (default {DEFAULT_GIF})")
    parser.add_argument("--email", default="demo@example.com", help="uploader's address (S3 metadata 'email')")
    parser.add_argument("--style", default=DEFAULT_STYLE, help="catalogue style (S3 metadata 'style'); see nst styles")
    parser.add_argument("--size", type=int, default=DEMO_SIZE, help=f"longest side in pixels (default {DEMO_SIZE})")
    parser.add_argument("--iterations", type=int, default=DEMO_ITERATIONS,
                        help=f"optimiser steps per frame, all passes (default {DEMO_ITERATIONS})")
    parser.add_argument("--out", default="out", metavar="DIR", help="where the result and mail go (default out/)")
    parser.add_argument("--timeout", type=float, default=900, metavar="S", help="give up after S seconds")
    parser.add_argument("--instant-retries", action="store_true",
                        help="skip Retry intervals (capacity retries wait 60 s and more otherwise)")
    parser.add_argument("--port", type=int, default=0, help="port of the local AWS endpoint (default: a free one)")


def confirm_like_a_person(stack, execution_arn: str, view) -> None:
    """The uploader's part: open the link in the first mail (GET shows the question) and press the button
    (POST), saying so on screen."""
    from pipeline.local.confirm import confirm_link, follow

    try:
        mail = stack.confirm_mail(execution_arn, timeout=120)
        link = confirm_link(mail)
        view.say(f"      demo: opening the confirm link in the first mail ({link.split('?')[0]}…)")
        visit = follow(link)
        view.say(f"      demo: the page asks \"{visit.question}\"; pressed the button: {visit.outcome} ({visit.status})")
    except (LookupError, TimeoutError) as error:  # a rejected upload gets no confirm mail
        view.say(f"      demo: nothing to confirm ({error})")


def run(args: argparse.Namespace) -> int:
    import threading
    import time
    from pathlib import Path

    from pipeline.local.demo_view import ProgressView, follow_execution
    from pipeline.local.stack import LocalStack

    gif = Path(args.gif)
    if not gif.is_file():
        repo_gif = Path(__file__).resolve().parents[2] / args.gif
        if not repo_gif.is_file():
            print(f"nst demo: no such file: {args.gif}")
            return 2
        gif = repo_gif
    out = Path(args.out)
    started = time.time()
    view = ProgressView()
    print(f"Standing up the local pipeline (moto) … results and mail go to {out}/")
    with LocalStack(out, port=args.port, instant_retries=args.instant_retries, style_size=args.size,
                    style_iterations=args.iterations, on_processing_output=view.container_line) as stack:
        print(f"  local AWS endpoint {stack.endpoint_url}; state machine {stack.state_machine_arn}")
        key = stack.upload_gif(gif, email=args.email, style=args.style)
        print(f"Uploaded s3://{stack.uploads_bucket}/{key} (email={args.email}, style={args.style})")
        arn = stack.execution_for(key)
        name = arn.rsplit(":", 1)[1]
        print(f"EventBridge → start_execution → execution {name}")
        confirmer = threading.Thread(target=confirm_like_a_person, args=(stack, arn, view), daemon=True)
        confirmer.start()
        description = follow_execution(stack.client("stepfunctions"), arn, view, timeout=args.timeout)
        print(f"\nExecution {description['status']}"
              + (f": {description.get('error')}: {description.get('cause')}" if description.get("error") else ""))
        if description["status"] == "SUCCEEDED":
            result = stack.download_result(name, out / f"{name}.gif")
            print(f"  stylised GIF: {result}")
        for path, message in zip(stack.mail_paths(), stack.mails()):
            print(f"  mail to {message['To']}: \"{message['Subject']}\"  {path}")
        for log in sorted(p for p in (out / "local" / "jobs").glob("*.log") if p.stat().st_mtime >= started):
            print(f"  processing job log: {log}")
    return 0 if description["status"] == "SUCCEEDED" else 1
