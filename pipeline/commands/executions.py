"""`nst executions list|show`: the pipeline's executions for operators, in AWS or on a local endpoint.

    nst executions list [--endpoint URL] [--state-machine ARN]
    nst executions show NAME|ARN [--endpoint URL] [--full]

Without --endpoint, boto3's default chain (profile, region, credentials) decides the account: real AWS.
"""
import argparse

NAME = "executions"
HELP = "list and inspect pipeline executions (local or AWS)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--endpoint", metavar="URL", help="AWS endpoint, e.g. a local stack's http://127.0.0.1:PORT")
    parser.add_argument("--region", help="AWS region (default: boto3's configuration)")
    parser.add_argument("--state-machine", metavar="ARN", help="only this state machine's executions")
    sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    listing = sub.add_parser("list", help="executions, newest first", formatter_class=parser.formatter_class)
    listing.add_argument("--limit", type=int, default=20, help="at most this many")
    show = sub.add_parser("show", help="one execution state by state: timings, inputs/outputs, the failure",
                          formatter_class=parser.formatter_class)
    show.add_argument("execution", metavar="NAME|ARN")
    show.add_argument("--full", action="store_true", help="each state's whole input and output, not the changes")
    show.add_argument("--width", type=int, default=300, help="truncate JSON to this many characters")


def client(args: argparse.Namespace, service: str = "stepfunctions"):
    import boto3

    kwargs = {"region_name": args.region} if args.region else {}
    if args.endpoint:
        kwargs["endpoint_url"] = args.endpoint
        kwargs.setdefault("region_name", "us-east-1")
    return boto3.Session().client(service, **kwargs)


def stepfunctions_client(args: argparse.Namespace):
    return client(args)


def painting_progress(sfn, s3, arn: str, history=None) -> str | None:
    """"Frame 12 of 36, about 2 minutes left" for a running GIF job (pipeline.gif_progress), else None."""
    from pipeline import gif_progress
    from pipeline.executions import execution_history

    history = execution_history(sfn, arn) if history is None else history
    return gif_progress.describe(gif_progress.read_status(s3, gif_progress.status_location(history)))


def run(args: argparse.Namespace) -> int:
    from botocore.exceptions import BotoCoreError, ClientError

    from pipeline import executions

    sfn, s3 = stepfunctions_client(args), client(args, "s3")
    try:
        if args.action == "list":
            rows = executions.list_executions(sfn, args.state_machine, args.limit)
            for row in rows:
                stopped = f"{row['stopDate']:%H:%M:%S}" if row.get("stopDate") else "…"
                progress = painting_progress(sfn, s3, row["executionArn"]) if row["status"] == "RUNNING" else None
                print(f"{row['startDate']:%Y-%m-%d %H:%M:%S} → {stopped}  {row['status']:<9}  {row['name']}"
                      + (f"  {progress}" if progress else ""))
            if not rows:
                print("no executions")
            return 0
        arn = executions.resolve_execution_arn(sfn, args.execution, args.state_machine)
        description = sfn.describe_execution(executionArn=arn)
        history = executions.execution_history(sfn, arn)
        print(executions.render_execution(description, executions.state_runs(history), args.width, full=args.full))
        progress = painting_progress(sfn, s3, arn, history) if description["status"] == "RUNNING" else None
        if progress:
            print(f"  painting: {progress}")
        return 0
    except (LookupError, ClientError, BotoCoreError) as error:
        print(f"nst executions: {error}")
        return 1
