"""The page the completion e-mail links to: the painted GIF, animating, and a button that downloads it.

A presigned link to the GIF itself downloads a file (or shows a bare image); people expect to see what they
got first. The page is a static HTML object next to the result, presigned like the GIF: no web server, and it
lives exactly as long as the links it holds. Everything uploader-influenced (the file name) is escaped.
"""
import html
import re

PAGE = "index.html"


def download_name(file: str | None, style: str | None, fallback: str) -> str:
    """"muybridge-the-scream.gif": the uploader's file and the style, as the web page names photos."""
    def stem(name: str | None) -> str:
        base = re.sub(r"\.[^.]*$", "", (name or "").rsplit("/", 1)[-1])
        return re.sub(r"-+", "-", re.sub(r"[^\w.-]+", "", re.sub(r"[_\s]+", "-", base))).strip("-.")

    if not stem(file):
        return fallback
    style_part = stem(style if style and not style.startswith("upload:") else "own-style")
    return f"{stem(file)}-{style_part}.gif" if style_part else f"{stem(file)}.gif"


def render(*, view_url: str, download_url: str, download: str, file: str | None, style_title: str | None,
           link_lifetime: str) -> bytes:
    title = f"{file or 'Your GIF'} in the style of {style_title}" if style_title else (file or "Your painted GIF")
    e = lambda value: html.escape(str(value), quote=True)  # noqa: E731 - one letter keeps the template legible
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src https: http:; style-src 'unsafe-inline'">
<title>{e(title)}</title>
<style>body{{font-family:system-ui,sans-serif;margin:0;padding:24px 16px;background:#faf7f2;color:#1d1b18;text-align:center}}
img{{max-width:100%;width:min(100%,640px);image-rendering:auto;border-radius:8px;box-shadow:0 2px 12px #0002}}
a{{display:inline-block;margin-top:18px;padding:12px 22px;border-radius:10px;background:#1f4e8c;color:#fff;
font-weight:600;text-decoration:none}} a:focus-visible{{outline:3px solid #b35c00;outline-offset:2px}}
p{{color:#5f584e}}</style></head>
<body><main><h1>{e(title)}</h1>
<img src="{e(view_url)}" alt="{e(title)}, painted">
<p><a href="{e(download_url)}" download="{e(download)}">Download {e(download)}</a></p>
<p>This page and its links work for {e(link_lifetime)}.</p></main></body></html>
""".encode("utf-8")
