"""Lambda function URLs with AuthType NONE on the local moto server: `<endpoint>/_function_urls/<function>/`.

moto serves no function URLs. The confirm link in the first mail must still open in a browser (`nst serve`)
and for the demo, so the local stack wraps the moto server's WSGI app: a request under the prefix becomes a
function-URL event (payload 2.0, no authorizer: public) and a Lambda Invoke of that function, which the
extension layer runs in process (lambda_in_process); the function's {statusCode, headers, body} is the
answer. Everything else goes to moto as before.
"""
from __future__ import annotations

import base64
import json
import uuid
from datetime import datetime, timezone
from typing import Any, Callable
from urllib.parse import urlsplit

PREFIX = "/_function_urls/"
ACCOUNT = "123456789012"  # moto's default account
TEXT_TYPES = ("text/", "application/json", "application/x-www-form-urlencoded", "application/xml")


def url_for(endpoint_url: str, function_name: str) -> str:
    return f"{endpoint_url.rstrip('/')}{PREFIX}{function_name}/"


def public_event(method: str, url: str, body: bytes = b"", headers: dict[str, str] | None = None) -> dict:
    """The event Lambda sends a function for an unauthenticated request to its URL (AuthType NONE)."""
    parts = urlsplit(url)
    headers = {k.lower(): v for k, v in (headers or {}).items()}
    content_type = headers.get("content-type", "")
    text = not body or content_type.startswith(TEXT_TYPES)
    now = datetime.now(timezone.utc)
    host = parts.netloc or "local.lambda-url.us-east-1.on.aws"
    return {
        "version": "2.0", "routeKey": "$default", "rawPath": parts.path or "/", "rawQueryString": parts.query,
        "headers": {"host": host, **headers},
        "requestContext": {
            "accountId": "anonymous", "apiId": "local", "domainName": host, "domainPrefix": "local",
            "requestId": str(uuid.uuid4()), "routeKey": "$default", "stage": "$default",
            "time": now.strftime("%d/%b/%Y:%H:%M:%S +0000"), "timeEpoch": int(now.timestamp() * 1000),
            "http": {"method": method.upper(), "path": parts.path or "/", "protocol": "HTTP/1.1",
                     "sourceIp": "127.0.0.1", "userAgent": headers.get("user-agent", "nst-local")},
        },
        # Lambda base64-encodes bodies that are not text, as here
        "body": body.decode("utf-8") if text else base64.b64encode(body).decode("ascii"),
        "isBase64Encoded": not text,
    }


def invoke(client: Callable[[str], Any], function_name: str, event: dict) -> tuple[int, dict, bytes]:
    """(status, headers, body) of the function's answer, as the function URL would send it."""
    response = client("lambda").invoke(FunctionName=function_name, Payload=json.dumps(event).encode())
    payload = json.loads(response["Payload"].read() or b"null")
    if response.get("FunctionError"):  # what Lambda's URL answers for an unhandled error
        return 502, {"Content-Type": "application/json"}, b'{"Message":"Internal Server Error"}'
    if not isinstance(payload, dict) or "statusCode" not in payload:  # a bare value is a 200 JSON body
        return 200, {"Content-Type": "application/json"}, json.dumps(payload).encode()
    body = payload.get("body") or ""
    data = base64.b64decode(body) if payload.get("isBase64Encoded") else body.encode("utf-8")
    return int(payload["statusCode"]), dict(payload.get("headers") or {}), data


def middleware(app: Callable, client: Callable[[str], Any]) -> Callable:
    def serve(environ: dict, start_response: Callable):
        path = environ.get("PATH_INFO", "")
        if not path.startswith(PREFIX):
            return app(environ, start_response)
        function_name = path[len(PREFIX):].split("/", 1)[0]
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        headers = {key[5:].replace("_", "-").lower(): value for key, value in environ.items()
                   if key.startswith("HTTP_")}
        if environ.get("CONTENT_TYPE"):
            headers["content-type"] = environ["CONTENT_TYPE"]
        query = environ.get("QUERY_STRING", "")
        url = f"http://{environ.get('HTTP_HOST', 'localhost')}{path}" + (f"?{query}" if query else "")
        status, answer_headers, data = invoke(client, function_name,
                                              public_event(environ["REQUEST_METHOD"], url, body, headers))
        start_response(f"{status} {_REASONS.get(status, 'Status')}",
                       [(k, str(v)) for k, v in answer_headers.items()] + [("Content-Length", str(len(data)))])
        return [data]

    serve.function_urls = True  # type: ignore[attr-defined]
    return serve


_REASONS = {200: "OK", 400: "Bad Request", 405: "Method Not Allowed", 410: "Gone", 502: "Bad Gateway"}


def install(moto_server: Any, client: Callable[[str], Any]) -> None:
    """Wrap a started ThreadedMotoServer's app (werkzeug reads `server.app` on every request)."""
    wsgi_server = moto_server._server  # as web.install_preflight_fix (moto 5.2.5)
    if wsgi_server is None:
        raise RuntimeError("start the moto server before routing function URLs")
    if not getattr(wsgi_server.app, "function_urls", False):
        wsgi_server.app = middleware(wsgi_server.app, client)
