"""The completion mail's link: a page with the GIF animating and a download named after the uploader's file;
the file name comes from the upload's metadata (the page sends it percent-encoded)."""
import os

os.environ.setdefault("POWERTOOLS_TRACE_DISABLED", "1")
os.environ.setdefault("POWERTOOLS_METRICS_NAMESPACE", "NeuralStyle")


from lambdas.publish_result import app, result_page  # noqa: E402
from lambdas.shared.naming import upload_file_name as file_name  # noqa: E402

EVENT = {"execution": "exec-1", "job_name": "nst-exec-1-0", "frames": 15, "instance_type": "ml.g4dn.xlarge",
         "file": "Tänzer <b>.gif", "style": "the_scream", "style_title": "The Scream"}


def test_download_names():
    assert result_page.download_name("muybridge.gif", "the_scream", "x.gif") == "muybridge-the-scream.gif"
    assert result_page.download_name("My Cat (2).GIF", "upload:styles/id/abc.png", "x.gif") == "My-Cat-2-own-style.gif"
    assert result_page.download_name(None, "udnie", "exec-1.gif") == "exec-1.gif"


def test_the_uploaders_file_name_is_read_from_metadata():
    assert file_name("T%C3%A4nzer%20im%20Wind.gif", "uploads/id/0f3c.gif") == "Tänzer im Wind.gif"
    assert file_name("..%2F..%2Fetc%2Fpasswd", "uploads/id/0f3c.gif") == "passwd"  # a name, never a path
    assert file_name("a%0Ab.gif", "uploads/id/0f3c.gif") == "ab.gif"  # no header-breaking characters
    assert file_name(None, "uploads/id/0f3c.gif") == "0f3c.gif"


def test_publish_writes_a_page_showing_the_gif_with_a_download(results):
    import requests  # moto intercepts the presigned GETs

    prefix = "jobs/exec-1/"
    results.put_object(Bucket="nst-results", Key=prefix + "stylized.gif", Body=b"GIF89a-result")
    out = app.handler(EVENT, None)
    assert out["download_name"] == "Tänzer-b-the-scream.gif"
    page = requests.get(out["page_url"], timeout=10)
    assert page.headers["Content-Type"].startswith("text/html")
    text = page.text
    assert "Tänzer &lt;b&gt;.gif in the style of The Scream" in text and "<b>" not in text  # escaped
    download = requests.get(out["gif_url"], timeout=10)
    assert download.content == b"GIF89a-result"
    assert download.headers["Content-Disposition"] == (
        "attachment; filename=\"T_nzer-b-the-scream.gif\"; filename*=UTF-8''T%C3%A4nzer-b-the-scream.gif")
    assert f'download="{out["download_name"]}"' in text
    assert "&lt;img" not in text and '<img src="https://' in text
