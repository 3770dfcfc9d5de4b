"""The web page against the local stack: serve frontend/dist + config.json, and make moto answer a browser.

    page = PageServer(dist_dir, config, paint=LocalFunctionUrl(client, "nst-paint-request", pool_id),
                      executions=ExecutionStatus(stack)).start()   # http://127.0.0.1:8080/

What a browser needs that moto lacks, each fixed here without touching helper D's server:
- `preflight_middleware`: moto checks anonymous access before it handles OPTIONS, so an unsigned CORS preflight
  for an object that already exists (polling a progress object) gets 403. Browsers never sign preflights; the
  middleware adds a dummy SigV4 Authorization header to them. `install_preflight_fix(server)` wraps a running
  `ThreadedMotoServer`'s WSGI app with it.
- `distinct_identity_credentials`: moto hands every Cognito identity the same fixed credentials, so a signed
  request cannot tell who sent it. The patch puts the identity id into the session token, which the local
  function URL (`LocalFunctionUrl`) reads the way AWS's IAM authorizer reads the caller's identity.
- moto serves no Lambda function URLs: `LocalFunctionUrl` takes the page's SigV4-signed POST on the page's own
  origin and invokes the function with a function-URL event (helper 6's `paint_client.function_url_event`).
"""
from __future__ import annotations

import json
import mimetypes
import re
import threading
from pathlib import Path
from typing import Any, Callable, Optional

from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from .extensions import PatchSet

# A syntactically valid SigV4 header: moto only needs one present to skip its anonymous-access check.
DUMMY_AUTHORIZATION = ("AWS4-HMAC-SHA256 Credential=preflight/20260101/us-east-1/s3/aws4_request, "
                       "SignedHeaders=host, Signature=" + "0" * 64)
SESSION_TOKEN_PREFIX = "nst-local-identity:"
SIGNED_FOR_LAMBDA = re.compile(r"^AWS4-HMAC-SHA256 Credential=[^/]+/\d{8}/[a-z0-9-]+/lambda/aws4_request")


def preflight_middleware(app: Callable) -> Callable:
    """WSGI middleware: CORS preflights (OPTIONS with Access-Control-Request-Method) get a dummy Authorization."""

    def middleware(environ: dict, start_response: Callable):
        if (environ.get("REQUEST_METHOD") == "OPTIONS" and environ.get("HTTP_ACCESS_CONTROL_REQUEST_METHOD")
                and not environ.get("HTTP_AUTHORIZATION")):
            environ = {**environ, "HTTP_AUTHORIZATION": DUMMY_AUTHORIZATION}
        return app(environ, start_response)

    middleware.wrapped = app  # type: ignore[attr-defined]
    return middleware


def install_preflight_fix(moto_server: Any) -> None:
    """Wrap a started ThreadedMotoServer's app; werkzeug's handler reads `server.app` on every request."""
    wsgi_server = moto_server._server  # ThreadedMotoServer keeps its werkzeug server here (moto 5.2.5)
    if wsgi_server is None:
        raise RuntimeError("start the moto server before installing the preflight fix")
    if not hasattr(wsgi_server.app, "wrapped"):
        wsgi_server.app = preflight_middleware(wsgi_server.app)


def distinct_identity_credentials(patches: PatchSet) -> None:
    """GetCredentialsForIdentity answers with SessionToken = SESSION_TOKEN_PREFIX + identity id."""
    from moto.cognitoidentity.models import CognitoIdentityBackend

    original = CognitoIdentityBackend.get_credentials_for_identity

    def get_credentials_for_identity(self, identity_id: str) -> str:
        answer = json.loads(original(self, identity_id))
        answer["Credentials"]["SessionToken"] = SESSION_TOKEN_PREFIX + identity_id
        return json.dumps(answer)

    patches.replace(CognitoIdentityBackend, "get_credentials_for_identity", get_credentials_for_identity)


def page_config(*, region: str, identity_pool_id: str, uploads_bucket: str, results_bucket: str,
                images_bucket: str, paint_url: str, endpoint: Optional[str] = None, limits: Any = None,
                photo_options: Optional[dict] = None, execution_status_url: Optional[str] = None,
                gif_prefix: str = "uploads/", style_upload_prefix: str = "styles/",
                photo_prefix: str = "uploads/photos/") -> dict:
    """config.json for the page (frontend/README.md describes each field). The limits are the same `Limits`
    the validate Lambda checks with; the styles are the stylizer's catalogue, thumbnails from the build."""
    from lambdas.shared.addresses import page_rule
    from stylizer.catalogue import list_styles
    from stylizer.limits import Limits

    styles = [{"name": s.name, "title": s.title, "artist": s.artist, "year": s.year, "credit": s.credit,
               "licence": s.licence, "thumbnail": f"styles/{s.name}.jpg"} for s in list_styles()]
    config = {"region": region, "identityPoolId": identity_pool_id, "uploadsBucket": uploads_bucket,
              "gifPrefix": gif_prefix, "styleUploadPrefix": style_upload_prefix, "resultsBucket": results_bucket,
              "imagesBucket": images_bucket, "photoPrefix": photo_prefix, "paintUrl": paint_url,
              "limits": (limits or Limits.from_env()).as_dict(), "email": page_rule(), "styles": styles,
              "photoOptions": dict(photo_options or {}),
              "photoSize": (photo_options or {}).get("size") or painted_photo_size()}
    if endpoint:
        config["endpoint"] = endpoint
    if execution_status_url:
        config["executionStatusUrl"] = execution_status_url
    return config


def painted_photo_size() -> int:
    """The longest side the endpoint paints a photo at by default (StyleSettings), which the page downscales to."""
    from stylizer.settings import StyleSettings

    defaults = StyleSettings()
    return getattr(defaults, "photo_size", None) or defaults.size


def allow_page_origin(s3, bucket: str, origin: str) -> None:
    """Bucket CORS for the page: the exact origin (127.0.0.1 is not localhost), ETag exposed for multipart, and
    the methods a multipart upload uses, as deployed (POST create/complete, PUT parts, DELETE abort)."""
    s3.put_bucket_cors(Bucket=bucket, CORSConfiguration={"CORSRules": [{
        "AllowedOrigins": [origin], "AllowedMethods": ["GET", "HEAD", "PUT", "POST", "DELETE"], "AllowedHeaders": ["*"],
        "ExposeHeaders": ["ETag"], "MaxAgeSeconds": 600}]})


class LocalFunctionUrl:
    """POST /paint: the paint function URL (AuthType AWS_IAM) as the page sees it, on the page's origin."""

    def __init__(self, client: Callable[[str], Any], function_name: str, identity_pool_id: str):
        self.client, self.function_name, self.identity_pool_id = client, function_name, identity_pool_id

    def __call__(self, request: Request) -> Response:
        from .paint_client import function_url_event, submit

        authorization = request.headers.get("Authorization", "")
        token = request.headers.get("X-Amz-Security-Token", "")
        if not SIGNED_FOR_LAMBDA.match(authorization):
            return _json({"Message": "Forbidden: sign the request with SigV4 for the lambda service."}, 403)
        # An identity id from our token, or None for other credentials: the handler then refuses, as in AWS.
        identity = token[len(SESSION_TOKEN_PREFIX):] if token.startswith(SESSION_TOKEN_PREFIX) else None
        event = function_url_event(identity, request.get_data(as_text=True), self.identity_pool_id)
        event["headers"]["content-type"] = request.headers.get("Content-Type", "")
        status, body = submit(self.client, self.function_name, event)
        return _json(body, status)


class ExecutionStatus:
    """GET /api/execution?key=<upload key>: the GIF's execution in a sentence, the job's progress while it paints
    ("Frame 12 of 36, about 2 minutes left", pipeline.gif_progress) and the result's links once it is published
    (local stack only; in AWS the emails say it)."""

    def __init__(self, stack: Any):
        self.stack = stack

    def __call__(self, request: Request) -> Response:
        from pipeline import gif_progress
        from pipeline.executions import TERMINAL, execution_history, state_runs

        key = request.args.get("key", "")
        try:
            arn = self.stack.execution_for(key, timeout=0.05)
        except (LookupError, TimeoutError):
            return _json({"status": "WAITING", "done": False, "description": "Waiting for the pipeline to start…"})
        except RuntimeError as error:
            return _json({"status": "FAILED", "done": True, "description": f"The pipeline did not start: {error}"})
        sfn, s3 = self.stack.client("stepfunctions"), self.stack.client("s3")
        description = sfn.describe_execution(executionArn=arn)
        status = description["status"]
        history = execution_history(sfn, arn)
        runs = state_runs(history)
        current = runs[-1].name if runs else "starting"
        location = gif_progress.status_location(history)
        job = gif_progress.read_status(s3, location)
        painting = gif_progress.describe(job) if status == "RUNNING" else None
        words = {"RUNNING": painting or STEP_WORDS.get(current, "The pipeline is working on your GIF."),
                 "SUCCEEDED": "Your GIF is painted: here it is (the email has the link too).",
                 "FAILED": "The pipeline stopped; the email explains why."}
        if status == "FAILED":
            words["FAILED"] = FAILED_WORDS.get(description.get("error"), words["FAILED"])
        answer = {"status": status, "done": status in TERMINAL, "state": current,
                  "execution": arn.rsplit(":", 1)[-1],
                  "description": words.get(status, f"The pipeline's execution is {status.lower()}.")}
        if job and job.get("fraction") is not None:
            answer["progress"] = {k: job.get(k) for k in ("fraction", "frame", "frames", "seconds_left")}
        if status == "SUCCEEDED" and location:
            result = gif_progress.read_status(s3, (location[0], location[1].rsplit("/", 1)[0] + "/result.json"))
            if result:
                answer["result"] = {k: result.get(k) for k in ("gif_url", "page_url", "download_name")}
        return _json(answer)


# What the visitor is told at each step before the job reports frames.
STEP_WORDS = {"ValidateUpload": "Checking your GIF…", "SendReceivedEmail": "Checked; sending the first email…",
              "ConfirmationRequired": "Checked; sending the first email…",
              "AskToConfirm": "Waiting for you to confirm: open the link in the email we sent you.",
              "StylizeGif": "The painter is starting…", "PublishResult": "Painted; publishing the result…",
              "SendCompletedEmail": "Painted; sending the email with the link…"}


# Endings that send no further mail.
FAILED_WORDS = {"NotConfirmed": "Not painted: the link in the email was not used in time. Upload it again to paint it.",
                "UploadDeclined": "Not painted: cancelled at the link in the email."}


def _json(payload: Any, status: int = 200) -> Response:
    return Response(json.dumps(payload), status=status, mimetype="application/json",
                    headers={"Cache-Control": "no-store"})


class PageServer:
    """The built page and its config.json on http://host:port/, in a thread."""

    def __init__(self, dist_dir: Path, config: dict, *, host: str = "127.0.0.1", port: int = 8080,
                 paint: Optional[Callable[[Request], Response]] = None,
                 executions: Optional[Callable[[Request], Response]] = None):
        self.dist_dir, self.config, self.host, self.port = Path(dist_dir).resolve(), config, host, port
        self.routes = {("POST", "/paint"): paint, ("GET", "/api/execution"): executions}
        self._server = None
        self._thread: Optional[threading.Thread] = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def bind(self) -> "PageServer":
        """Listen now (port 0 picks a free one), so the origin is known before buckets get their CORS rules."""
        self._server = make_server(self.host, self.port, self.app, threaded=True)
        self.port = self._server.server_port
        return self

    def start(self) -> "PageServer":
        if self._server is None:
            self.bind()
        self._thread = threading.Thread(target=self._server.serve_forever, name="nst-page", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(5)

    def app(self, environ: dict, start_response: Callable):
        request = Request(environ)
        handler = self.routes.get((request.method, request.path))
        if handler is not None:
            response = handler(request)
        elif request.method in ("GET", "HEAD"):
            response = self.static(request.path)
        else:
            response = Response("Method not allowed", status=405)
        return response(environ, start_response)

    def static(self, path: str) -> Response:
        if path == "/config.json":
            return _json(self.config)
        relative = "index.html" if path in ("", "/") else path.lstrip("/")
        file = (self.dist_dir / relative).resolve()
        if not file.is_relative_to(self.dist_dir) or not file.is_file():
            return Response("Not found", status=404, mimetype="text/plain")
        mimetype = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        # no-cache: a rebuilt page must show up on reload; the files are small and local.
        return Response(file.read_bytes(), mimetype=mimetype, headers={"Cache-Control": "no-cache"})
