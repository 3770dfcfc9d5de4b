"""`nst destroy`: delete the stack; uploads, images and results stay unless --delete-data."""
import argparse

DATA_OUTPUTS = ("UploadsBucket", "ImagesBucket", "ResultsBucket")  # DeletionPolicy Retain in the template


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--stack", required=True)
    parser.add_argument("--region", required=True)
    parser.add_argument("--profile")
    parser.add_argument("--delete-data", action="store_true",
                        help="also empty and delete the uploads, images and results buckets (irreversible)")
    parser.add_argument("--artefacts-bucket", help="default nst-artefacts-<account>-<region>")


def run(args: argparse.Namespace) -> int:
    import sys

    import boto3

    from pipeline.deploy import stack

    session = boto3.Session(region_name=args.region, profile_name=args.profile)
    cfn, s3 = session.client("cloudformation"), session.client("s3")
    try:
        outputs = stack.outputs(cfn, args.stack)
    except Exception as error:
        print(f"nst destroy: no stack {args.stack} in {session.region_name} ({error})", file=sys.stderr)
        return 1
    # The page bucket is deleted with the stack, which needs it empty.
    if "WebsiteBucket" in outputs:
        stack.empty_bucket(s3, outputs["WebsiteBucket"])
    try:
        stack.delete(cfn, args.stack)
    except stack.DeployError as error:
        print(f"nst destroy: {error}", file=sys.stderr)
        return 1
    account = session.client("sts").get_caller_identity()["Account"]
    artefacts = args.artefacts_bucket or f"nst-artefacts-{account}-{session.region_name}"
    try:  # the stack's code and template; the artefacts bucket itself is shared by stacks
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=artefacts, Prefix=f"{args.stack}/"):
            for item in page.get("Contents", []):
                s3.delete_object(Bucket=artefacts, Key=item["Key"])
    except Exception as error:
        print(f"warning: could not remove s3://{artefacts}/{args.stack}/ ({error})")
    data = [outputs[name] for name in DATA_OUTPUTS if name in outputs]
    if args.delete_data:
        for bucket in data:
            count = stack.empty_bucket(s3, bucket)
            s3.delete_bucket(Bucket=bucket)
            print(f"deleted s3://{bucket} ({count} objects)")
    elif data:
        print("kept (DeletionPolicy Retain); `nst destroy --delete-data` or delete by hand:")
        for bucket in data:
            print(f"  s3://{bucket}")
    print(f"stack {args.stack} deleted")
    return 0
