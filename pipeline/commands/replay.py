"""`nst replay`: feed upload events that could not start the GIF pipeline (the stack's dead-letter queue)
back to start_execution, after the cause is fixed. Messages are deleted only once replayed."""
import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--stack", required=True)
    parser.add_argument("--region", required=True)
    parser.add_argument("--profile")
    parser.add_argument("--dry-run", action="store_true", help="list what would be replayed, change nothing")


def run(args: argparse.Namespace) -> int:
    import sys

    import boto3

    from pipeline.deploy import replay, stack

    session = boto3.Session(region_name=args.region, profile_name=args.profile)
    try:
        outputs = stack.outputs(session.client("cloudformation"), args.stack)
        queue_url, function = outputs["UploadEventsDeadLetterQueueUrl"], outputs["StartExecutionFunctionName"]
    except KeyError as missing:
        print(f"nst replay: stack {args.stack} has no output {missing} (deployed before dead letters: "
              "`nst deploy` again)", file=sys.stderr)
        return 2
    except Exception as error:
        print(f"nst replay: no stack {args.stack} in {session.region_name} ({error})", file=sys.stderr)
        return 2
    report = replay.replay(session.client("sqs"), queue_url,
                           replay.lambda_invoker(session.client("lambda"), function), dry_run=args.dry_run)
    verb = "would replay" if args.dry_run else "replayed"
    print(f"{verb} {len(report.replayed)}, kept {len(report.failed)} that failed again"
          f" and {len(report.unreadable)} unreadable")
    return 1 if report.failed else 0
