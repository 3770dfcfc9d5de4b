"""What pipeline/local/web.py adds for the browser, checked without one: the preflight fix, the local function
URL's signature and identity handling, config.json."""
import json
import urllib.request

import urllib.error

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from werkzeug.test import Client

from pipeline.local import web


def preflight(app, path, origin):
    return Client(app).options(path, headers={"Origin": origin, "Access-Control-Request-Method": "GET"})


def test_preflight_for_an_existing_object_passes_only_with_the_fix(site):
    bucket = site.image_mode.bucket
    site.stack.client("s3").put_object(Bucket=bucket, Key="progress/x/status.json", Body=b"{}")
    fixed = site.stack.server._server.app
    path = f"/{bucket}/progress/x/status.json"
    # moto's own behaviour, pinned: if this starts passing, the middleware can go.
    assert preflight(fixed.wrapped, path, site.url).status_code == 403
    answer = preflight(fixed, path, site.url)
    assert answer.status_code == 200
    assert answer.headers["Access-Control-Allow-Origin"] == site.url
    assert "ETag" in answer.headers.get("Access-Control-Expose-Headers", "")


def signed_paint_request(site, token, body):
    request = AWSRequest(method="POST", url=f"{site.url}/paint", data=json.dumps(body),
                         headers={"Content-Type": "application/json"})
    SigV4Auth(Credentials("TESTACCESSKEY12345", "ABCSECRETKEY", token), "lambda", "us-east-1").add_auth(request)
    return urllib.request.Request(request.url, data=request.body, headers=dict(request.headers), method="POST")


def call(request):
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_function_url_refuses_unsigned_and_foreign_requests(site):
    unsigned = urllib.request.Request(f"{site.url}/paint", data=b"{}", method="POST",
                                      headers={"Content-Type": "application/json"})
    status, body = call(unsigned)
    assert status == 403 and "SigV4" in body["Message"]

    # Signed, but not with the pool's credentials: no identity, so paint_request itself refuses.
    status, body = call(signed_paint_request(site, "some-other-token", {"content": "x", "style": "udnie"}))
    assert status == 403 and "Cognito" in body["error"]


def test_function_url_passes_the_signers_identity(site):
    cognito = site.stack.client("cognito-identity")
    identity = cognito.get_id(IdentityPoolId=site.image_mode.identity_pool_id)["IdentityId"]
    token = cognito.get_credentials_for_identity(IdentityId=identity)["Credentials"]["SessionToken"]
    assert token == web.SESSION_TOKEN_PREFIX + identity
    # A key outside the signer's own prefix is refused by the handler, naming the prefix it allows.
    status, body = call(signed_paint_request(site, token, {"content": "uploads/photos/someone-else/a.png",
                                                           "style": "udnie"}))
    assert status == 403 and f"uploads/photos/{identity}/" in body["error"]


def test_config_json_carries_the_pipelines_limits_and_catalogue(site):
    from stylizer.catalogue import list_styles
    from stylizer.limits import Limits

    with urllib.request.urlopen(f"{site.url}/config.json", timeout=10) as response:
        config = json.loads(response.read())
    assert config["limits"] == Limits.from_env().as_dict()
    assert [s["name"] for s in config["styles"]] == [s.name for s in list_styles()]
    assert config["endpoint"] == site.stack.endpoint_url and config["paintUrl"] == f"{site.url}/paint"
    for style in config["styles"]:
        with urllib.request.urlopen(f"{site.url}/{style['thumbnail']}", timeout=10) as response:
            assert response.read(3) == b"\xff\xd8\xff"
