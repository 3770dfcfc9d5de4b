"""Building and pushing containers/stylizer's image to ECR, or saying exactly how to when Docker is absent."""
from __future__ import annotations

import shlex
import shutil
import subprocess

from botocore.exceptions import ClientError

DOCKERFILE = "containers/stylizer/Dockerfile"


def docker_available() -> bool:
    if not shutil.which("docker"):
        return False
    return subprocess.run(["docker", "info"], capture_output=True).returncode == 0


def registry(account: str, region: str) -> str:
    return f"{account}.dkr.ecr.{region}.amazonaws.com"


def image_uri(account: str, region: str, repository: str, tag: str) -> str:
    return f"{registry(account, region)}/{repository}:{tag}"


def commands(account: str, region: str, repository: str, tag: str) -> list[str]:
    """The shell commands, run from the repository root, that build and push the image."""
    uri = image_uri(account, region, repository, tag)
    return [
        f"aws ecr create-repository --repository-name {repository} --region {region}  # once",
        f"aws ecr get-login-password --region {region} | docker login --username AWS --password-stdin "
        f"{registry(account, region)}",
        f"docker build --platform linux/amd64 -t {uri} -f {DOCKERFILE} .",
        f"docker push {uri}",
    ]


def ensure_repository(ecr, repository: str) -> None:
    try:
        ecr.describe_repositories(repositoryNames=[repository])
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") != "RepositoryNotFoundException":
            raise
        ecr.create_repository(repositoryName=repository, imageScanningConfiguration={"scanOnPush": True})


def build_and_push(ecr, account: str, region: str, repository: str, tag: str, say=print) -> str:
    """Docker build + push (needs a running daemon); returns the image URI."""
    import base64

    ensure_repository(ecr, repository)
    token = ecr.get_authorization_token()["authorizationData"][0]["authorizationToken"]
    user, password = base64.b64decode(token).decode().split(":", 1)
    subprocess.run(["docker", "login", "--username", user, "--password-stdin", registry(account, region)],
                   input=password.encode(), check=True, capture_output=True)
    uri = image_uri(account, region, repository, tag)
    for command in commands(account, region, repository, tag)[2:]:
        say(f"$ {command}")
        subprocess.run(shlex.split(command), check=True)
    return uri
