"""`nst deploy` / `nst destroy`: light imports, and the paths that need no real account."""
import argparse
import subprocess
import sys

import boto3
from moto import mock_aws

from pipeline.commands import deploy, destroy
from pipeline.deploy import image


def _parse(module, argv):
    parser = argparse.ArgumentParser()
    module.add_arguments(parser)
    return parser.parse_args(argv)


def test_command_modules_import_only_argparse():
    code = ("import sys, pipeline.commands.deploy, pipeline.commands.destroy, pipeline.commands.replay\n"
            "assert not {'boto3', 'botocore', 'pipeline.deploy'} & set(sys.modules), sorted(sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True).returncode == 0


def test_deploy_without_docker_prints_the_build_and_requires_an_image(monkeypatch, capsys):
    monkeypatch.setattr(image, "docker_available", lambda: False)
    with mock_aws():
        code = deploy.run(_parse(deploy, ["--stack", "nst", "--region", "eu-west-1", "--sender", "a@example.com"]))
    err = capsys.readouterr().err
    assert code == 2
    assert "docker build --platform linux/amd64 -t 123456789012.dkr.ecr.eu-west-1.amazonaws.com/nst-stylizer:v1" in err
    assert "--image-uri 123456789012.dkr.ecr.eu-west-1.amazonaws.com/nst-stylizer:v1" in err


def test_deploy_needs_a_sender_for_a_new_stack(capsys):
    with mock_aws():
        code = deploy.run(_parse(deploy, ["--stack", "nst", "--region", "us-east-1", "--image-uri", "x"]))
    assert code == 2 and "--sender" in capsys.readouterr().err


def test_deploy_needs_the_certificate_with_the_domain(capsys):
    with mock_aws():
        code = deploy.run(_parse(deploy, ["--stack", "nst", "--region", "us-east-1", "--image-uri", "x",
                                          "--sender", "a@example.com", "--page-domain", "paint.example.org"]))
    assert code == 2 and "--page-certificate" in capsys.readouterr().err


def test_destroy_unknown_stack(capsys):
    with mock_aws():
        assert destroy.run(_parse(destroy, ["--stack", "nope", "--region", "us-east-1"])) == 1
    assert "no stack nope" in capsys.readouterr().err


def test_destroy_keeps_data_unless_asked(capsys):
    template = {"Resources": {"UploadsBucket": {"Type": "AWS::S3::Bucket", "DeletionPolicy": "Retain"}},
                "Outputs": {"UploadsBucket": {"Value": {"Ref": "UploadsBucket"}}}}
    with mock_aws():
        import json

        cfn, s3 = boto3.client("cloudformation", "us-east-1"), boto3.client("s3", "us-east-1")
        cfn.create_stack(StackName="nst", TemplateBody=json.dumps(template))
        bucket = cfn.describe_stacks(StackName="nst")["Stacks"][0]["Outputs"][0]["OutputValue"]
        s3.put_object(Bucket=bucket, Key="uploads/a.gif", Body=b"GIF89a")
        s3.create_bucket(Bucket="nst-artefacts-123456789012-us-east-1")
        assert destroy.run(_parse(destroy, ["--stack", "nst", "--region", "us-east-1"])) == 0
        assert s3.list_objects_v2(Bucket=bucket)["KeyCount"] == 1
        assert f"s3://{bucket}" in capsys.readouterr().out
        cfn.create_stack(StackName="nst", TemplateBody=json.dumps(template))
        bucket = cfn.describe_stacks(StackName="nst")["Stacks"][0]["Outputs"][0]["OutputValue"]
        assert destroy.run(_parse(destroy, ["--stack", "nst", "--region", "us-east-1", "--delete-data"])) == 0
        assert bucket not in [b["Name"] for b in s3.list_buckets()["Buckets"]]


def test_page_config_has_every_field_the_page_requires():
    import json
    import re
    from pathlib import Path

    from pipeline.deploy import site

    source = (Path(__file__).resolve().parents[2] / "frontend" / "src" / "config.js").read_text()
    required = json.loads(re.search(r"const REQUIRED = (\[.*?\]);", source, re.S).group(1).replace("'", '"'))
    outputs = {name: f"value-of-{name}" for name in ("IdentityPoolId", "UploadsBucket", "ResultsBucket",
                                                     "ImagesBucket", "PaintUrl")}
    config = site.page_config(outputs, "eu-west-1")
    assert set(required) <= set(config)
    assert all(config[name] not in (None, "") for name in required)
