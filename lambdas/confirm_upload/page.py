"""The HTML pages of confirm_upload: the question (GET), and what happened (after the POST, or a bad link).

Everything from the link (file name, style) is escaped; no scripts (CSP), the form posts to the same URL,
and the token never leaves in a Referer.
"""
import html

HEADERS = {
    "Content-Type": "text/html; charset=utf-8",
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",  # the token is in the URL
    "X-Robots-Tag": "noindex",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
                               "frame-ancestors 'none'",
}
STYLE = ("body{font-family:system-ui,sans-serif;margin:0;padding:32px 16px;background:#faf7f2;color:#1d1b18;"
         "text-align:center}main{max-width:560px;margin:auto}p{color:#5f584e}"
         "button{font:inherit;font-weight:600;margin:8px;padding:12px 22px;border-radius:10px;border:0;"
         "background:#1f4e8c;color:#fff;cursor:pointer}button.secondary{background:#e8e2d8;color:#1d1b18}"
         "button:focus-visible{outline:3px solid #b35c00;outline-offset:2px}")


def _e(value) -> str:
    return html.escape(str(value), quote=True)


def _document(title: str, body: str) -> str:
    return (f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{_e(title)}</title><style>{STYLE}</style></head>\n"
            f"<body><main>{body}</main></body></html>\n")


def question(token: str, file: str, style: str, allow_decline: bool) -> str:
    title = f"Paint {file} in {style}?"
    fields = "".join(f'<input type="hidden" name="{name}" value="{_e(value)}">'
                     for name, value in (("token", token), ("file", file), ("style", style)))
    decline = ('<button class="secondary" type="submit" name="answer" value="decline">Not me: cancel</button>'
               if allow_decline else "")
    return _document(title, f"<h1>{_e(title)}</h1>"
                            "<p>Someone uploaded this GIF with your e-mail address. Nothing is painted until you "
                            "say so here.</p>"
                            f'<form method="post">{fields}'
                            '<button type="submit" name="answer" value="confirm">Yes, paint it</button>'
                            f"{decline}</form>")


def outcome(title: str, text: str) -> str:
    return _document(title, f"<h1>{_e(title)}</h1><p>{_e(text)}</p>")
