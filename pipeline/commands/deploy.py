"""`nst deploy`: package, upload and create or update the CloudFormation stack, then publish the page."""
import argparse

POWERTOOLS_SSM = "/aws/service/powertools/python/x86_64/python3.11/{version}"  # public parameters, every region
HUMAN_STEPS = """What still needs a person (docs/deploy.md):
  - SES: confirm the verification e-mail sent to {sender}. While the account is in the SES sandbox, mail
    reaches only verified addresses: request production access (SES console → Account dashboard).
  - Quotas (Service Quotas → SageMaker), per region, often 0 on new accounts:
      "{processing} for processing job usage" >= 1 for each of {types}
      "{endpoint} for endpoint usage" >= {max_instances}
  - The image-mode endpoint starts with one {endpoint} instance; it scales to 0 after ~15 idle minutes."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--stack", required=True, help="CloudFormation stack name, e.g. nst")
    parser.add_argument("--region", required=True)
    parser.add_argument("--profile", help="AWS CLI profile (default: the usual credential chain)")
    parser.add_argument("--image-uri", help="an already pushed stylizer image; required when Docker is absent")
    parser.add_argument("--repository", default="nst-stylizer", help="ECR repository for the image")
    parser.add_argument("--sender", help="From address for e-mail (required on first deploy)")
    parser.add_argument("--instance-types", nargs="+", metavar="TYPE",
                        help="GIF processing instance types in order of preference (default: template's)")
    parser.add_argument("--endpoint-instance-type", help="image mode endpoint instance type")
    parser.add_argument("--endpoint-max-instances", type=int)
    parser.add_argument("--operator-email", help="receives the alarms")
    parser.add_argument("--extra-origin", help="another page origin allowed by CORS, e.g. http://localhost:5173")
    parser.add_argument("--link-signer", choices=["user", "role"],
                        help="who signs result links: user (7-day links) or role (1-hour links) (default user)")
    parser.add_argument("--page-domain", help="the page's own domain (with --page-certificate: TLS 1.2 minimum)")
    parser.add_argument("--page-certificate", metavar="ACM_ARN", help="ACM certificate in us-east-1 for --page-domain")
    parser.add_argument("--function-concurrency", type=int,
                        help="reserved concurrency per function (0: none; needs an account quota above 10)")
    parser.add_argument("--confirm", dest="confirm_uploads", action=argparse.BooleanOptionalAction, default=None,
                        help="uploaders confirm by a link in the first mail before a GIF is painted (default on; "
                             "--no-confirm only for a private deployment)")
    parser.add_argument("--confirm-timeout", type=int, metavar="SECONDS",
                        help="how long the confirm link works (default 86400)")
    parser.add_argument("--powertools-layer", help="Powertools layer ARN (default: AWS's public SSM parameter)")
    parser.add_argument("--artefacts-bucket", help="default nst-artefacts-<account>-<region>, created if missing")


def _powertools_layer(ssm) -> str:
    from importlib.metadata import version

    from botocore.exceptions import ClientError

    for name in (version("aws-lambda-powertools"), "latest"):  # the tested version first
        try:
            return ssm.get_parameter(Name=POWERTOOLS_SSM.format(version=name))["Parameter"]["Value"]
        except ClientError:
            continue
    raise SystemExit("cannot look up the Powertools layer: pass --powertools-layer ARN")


def _ensure_bucket(s3, bucket: str, region: str) -> None:
    from botocore.exceptions import ClientError

    try:
        s3.head_bucket(Bucket=bucket)
        return
    except ClientError:
        pass
    location = {} if region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": region}}
    s3.create_bucket(Bucket=bucket, **location)
    s3.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration={
        "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True})


def _previous(cfn, stack: str) -> dict[str, str] | None:
    from botocore.exceptions import ClientError

    try:
        found = cfn.describe_stacks(StackName=stack)["Stacks"][0]
    except ClientError:
        return None
    return {p["ParameterKey"]: p.get("ParameterValue", "") for p in found.get("Parameters", [])}


def _sender_exists(sesv2, sender: str) -> bool:
    from botocore.exceptions import ClientError

    try:
        sesv2.get_email_identity(EmailIdentity=sender)
        return True
    except ClientError:
        return False


def run(args: argparse.Namespace) -> int:
    import sys

    import boto3

    from pipeline.deploy import image, package, site, stack, template

    session = boto3.Session(region_name=args.region, profile_name=args.profile)
    region, account = session.region_name, session.client("sts").get_caller_identity()["Account"]
    cfn, s3 = session.client("cloudformation"), session.client("s3")
    previous = _previous(cfn, args.stack)
    sender = args.sender or (previous or {}).get("SenderEmail")
    if not sender:
        print("nst deploy: --sender is required for a new stack", file=sys.stderr)
        return 2
    if bool(args.page_domain) != bool(args.page_certificate):
        print("nst deploy: --page-domain and --page-certificate go together", file=sys.stderr)
        return 2

    if args.image_uri:
        image_uri = args.image_uri
    elif image.docker_available():
        tag = package.code_key(package.build_zip(), "")[8:24]
        image_uri = image.build_and_push(session.client("ecr"), account, region, args.repository, tag)
    else:
        print("Docker is not available here. Build and push the stylizer image elsewhere:\n", file=sys.stderr)
        for command in image.commands(account, region, args.repository, "v1"):
            print(f"  {command}", file=sys.stderr)
        print(f"\nthen run again with --image-uri {image.image_uri(account, region, args.repository, 'v1')}",
              file=sys.stderr)
        return 2

    bucket = args.artefacts_bucket or f"nst-artefacts-{account}-{region}"
    _ensure_bucket(s3, bucket, region)
    code = package.build_zip()
    code_key = package.code_key(code, f"{args.stack}/")
    s3.put_object(Bucket=bucket, Key=code_key, Body=code)
    template_key = f"{args.stack}/template.json"
    s3.put_object(Bucket=bucket, Key=template_key, Body=template.render().encode())
    template_url = f"https://{bucket}.s3.{region}.amazonaws.com/{template_key}"

    keep = previous or {}
    parameters = {
        "ImageUri": image_uri, "ImageRepository": image_uri.split("/", 1)[1].split(":")[0].split("@")[0],
        "SenderEmail": sender, "ArtefactsBucket": bucket, "CodeKey": code_key,
        "PowertoolsLayerArn": args.powertools_layer or _powertools_layer(session.client("ssm")),
        # An identity created by an earlier deploy of this stack stays the stack's; otherwise reuse one.
        "CreateSenderIdentity": keep.get("CreateSenderIdentity") if previous and sender == keep.get("SenderEmail")
        else ("false" if _sender_exists(session.client("sesv2"), sender) else "true"),
    }
    optional = {"InstanceTypes": ",".join(args.instance_types) if args.instance_types else None,
                "EndpointInstanceType": args.endpoint_instance_type, "OperatorEmail": args.operator_email,
                "EndpointMaxInstances": str(args.endpoint_max_instances) if args.endpoint_max_instances else None,
                "ExtraAllowedOrigin": args.extra_origin, "LinkSigner": args.link_signer,
                "PageDomain": args.page_domain, "PageCertificateArn": args.page_certificate,
                "FunctionConcurrency": None if args.function_concurrency is None else str(args.function_concurrency),
                "ConfirmUploads": None if args.confirm_uploads is None else str(args.confirm_uploads).lower(),
                "ConfirmTimeoutSeconds": None if args.confirm_timeout is None else str(args.confirm_timeout)}
    for name, value in optional.items():
        if value is not None:
            parameters[name] = value
        elif name in keep:
            parameters[name] = keep[name]  # an update keeps what the last deploy chose
    try:
        outputs = stack.deploy(cfn, args.stack, template_url, parameters)
    except stack.DeployError as error:
        print(f"nst deploy: {error}", file=sys.stderr)
        return 1

    written = site.publish(s3, outputs["WebsiteBucket"], site.page_config(outputs, region))
    if written == ["config.json"]:
        print("frontend/dist is not built: only config.json uploaded (build the page, then deploy again)")
    try:
        site.invalidate(session.client("cloudfront"), outputs["DistributionId"])
    except Exception as error:  # the page is uploaded; a stale cache is not worth failing the deploy for
        print(f"warning: CloudFront invalidation failed ({error}); the old page may show for up to a day")
    print(f"\nPage: {outputs['PageUrl']}\nDashboard: https://{region}.console.aws.amazon.com/cloudwatch/home"
          f"?region={region}#dashboards:name={outputs['DashboardName']}\n")
    processing = parameters.get("InstanceTypes", "ml.g4dn.xlarge,ml.g5.xlarge").split(",")
    endpoint_type = parameters.get("EndpointInstanceType", "ml.g4dn.xlarge")
    print(HUMAN_STEPS.format(sender=sender, processing=processing[0], types=", ".join(processing),
                             endpoint=endpoint_type, max_instances=parameters.get("EndpointMaxInstances", "1")))
    return 0
