"""Bursts through the local stack with the real stylizer: 30 GIF uploads at once, and several paint requests at
once. The local instance quota (2 per type unless NST_LOCAL_INSTANCE_QUOTA says otherwise) queues the GIF jobs
through the state machine's own capacity Retry; the async endpoint queues the paint requests. Figures are
printed and, with NST_LOAD_REPORT=<file>, written as JSON (docs/benchmarks.md, "Local stack under load")."""
import io
import json
import os
import platform
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from pipeline.executions import execution_history
from pipeline.local import paint_client
from pipeline.local.image_mode import build_container, install_image_mode
from pipeline.local.instance_quota import ENVIRONMENT_VARIABLE, InstanceQuota
from pipeline.local.stack import LocalStack

pytestmark = pytest.mark.slow

TINY_GIF = Path(__file__).parents[1] / "data" / "muybridge_tiny.gif"  # 30x20, 15 frames
UPLOADS = int(os.environ.get("NST_LOAD_UPLOADS", "30"))  # smaller for a quick try of the test itself
PAINT_REQUESTS = int(os.environ.get("NST_LOAD_PAINT_REQUESTS", "6"))
MEMORY_LIMIT_BYTES = 8 << 30
GIB = 1 << 30


def report(name: str, figures: dict) -> None:
    figures = {"test": name, "machine": f"{platform.machine()}, {len(os.sched_getaffinity(0))} cores, "
               f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / GIB:.0f} GiB", **figures}
    print(json.dumps(figures))
    path = os.environ.get("NST_LOAD_REPORT")
    if path:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a") as out:
            out.write(json.dumps(figures) + "\n")


def trouble(sfn, description: dict) -> list[str]:
    """What went wrong inside an execution, even one that succeeded: errors its Catches swallowed (`*_error`
    fields, e.g. a lost "received" mail) and failed tasks other than the expected capacity refusals."""
    output = json.loads(description.get("output") or "{}")
    found = [f"{key}: {value}" for key, value in output.items() if key.endswith("_error")]
    for event in execution_history(sfn, description["executionArn"]):
        details = event.get("taskFailedEventDetails") or event.get("taskTimedOutEventDetails")
        if details and details.get("error") != "SageMaker.ResourceLimitExceededException":
            found.append(f"{event['type']} {details.get('error')}: {str(details.get('cause'))[:300]}")
    return found


def test_thirty_gif_uploads_at_once(tmp_path, memory, clock):
    quota = InstanceQuota.from_environment() if os.environ.get(ENVIRONMENT_VARIABLE) else InstanceQuota(2)
    with LocalStack(tmp_path, style_size=32, style_iterations=2, instance_quota=quota) as stack:
        def upload(n: int) -> str:
            return stack.upload_gif(TINY_GIF, email=f"visitor{n}@example.com", style="udnie",
                                    key=f"uploads/load/{n:02d}/muybridge_tiny.gif")

        with ThreadPoolExecutor(UPLOADS) as pool:
            keys = list(pool.map(upload, range(UPLOADS)))
        arns = [stack.execution_for(key, timeout=120) for key in keys]
        descriptions = [stack.wait_for_execution(arn, timeout=max(60.0, 3600 - clock())) for arn in arns]
        seconds = clock()

        sfn = stack.client("stepfunctions")
        statuses = [d["status"] for d in descriptions]
        listed = sfn.list_executions(stateMachineArn=stack.state_machine_arn, maxResults=1000)["executions"]
        results = [k for k in stack.results() if k.endswith("/stylized.gif")]
        mails = stack.mails()
        expected_mails = sorted(f"visitor{n}@example.com" for n in range(UPLOADS) for _ in "ab")
        received = [m["To"] for m in mails]
        missing = sorted({to for to in expected_mails if received.count(to) != 2})
        problems = {d["name"]: found for d in descriptions if (found := trouble(sfn, d))}
        limits = {t: quota.limit(t) for t in quota.peak}
    # figures first, so a failing run still leaves them
    report("gif_uploads", {"uploads": UPLOADS, "succeeded": statuses.count("SUCCEEDED"), "results": len(results),
                           "mails": len(mails), "mails_ready": sum("ready" in m["Subject"] for m in mails),
                           "visitors_without_two_mails": missing, "seconds": round(seconds, 1),
                           "peak_rss_gib": round(memory.peak_bytes / GIB, 2),
                           "peak_processes": memory.peak_processes, "quota": limits, "peak_in_use": quota.peak,
                           "capacity_refusals": quota.refused, "trouble": problems})
    assert statuses == ["SUCCEEDED"] * UPLOADS, [d for d in descriptions if d["status"] != "SUCCEEDED"]
    assert sorted(e["executionArn"] for e in listed) == sorted(arns), "an execution was lost or doubled"
    assert len(results) == UPLOADS
    assert sorted(m["To"] for m in mails) == expected_mails, (missing, problems)
    assert sum("ready" in m["Subject"] for m in mails) == UPLOADS
    assert all(quota.peak[t] <= limits[t] for t in quota.peak), (quota.peak, limits)
    assert quota.refused > 0, "the burst never met the quota: the capacity Retry was not exercised"
    assert memory.peak_bytes < MEMORY_LIMIT_BYTES, f"peak {memory.peak_bytes / GIB:.2f} GiB"


def png(width: int, height: int, seed: int) -> bytes:
    buffer = io.BytesIO()
    pixels = np.random.default_rng(seed).integers(0, 255, (height, width, 3), dtype=np.uint8)
    Image.fromarray(pixels).save(buffer, format="PNG")
    return buffer.getvalue()


def span(final_status: dict) -> tuple[float, float]:
    """(start, end) of a request in the container, from its final status.json (end time, seconds since start)."""
    end = datetime.fromisoformat(final_status["updated_at"]).timestamp()
    return end - final_status["elapsed_s"], end


def test_paint_requests_at_once_queue_on_the_endpoint_and_all_finish(tmp_path, memory, clock):
    from stylizer.settings import StyleSettings

    with LocalStack(tmp_path) as stack:
        container = build_container(stack.client, defaults=StyleSettings(compile="graph"))
        with install_image_mode(stack, container=container) as image_mode:
            client = image_mode.client

            def request(n: int) -> dict:
                identity = paint_client.local_identity(client, image_mode.identity_pool_id)
                key = f"uploads/photos/{identity}/photo{n}.png"
                client("s3").put_object(Bucket=image_mode.bucket, Key=key, Body=png(48, 32, n))
                status, accepted = paint_client.submit(client, image_mode.function_name,
                                                       paint_client.function_url_event(identity, {
                                                           "content": key, "style": "starry_night",
                                                           "options": {"size": 48, "iterations": 3}}))
                assert status == 202, accepted
                return accepted

            with ThreadPoolExecutor(PAINT_REQUESTS) as pool:
                accepted = list(pool.map(request, range(PAINT_REQUESTS)))
            finals = [paint_client.watch(a, timeout=max(60.0, 1800 - clock())) for a in accepted]
            seconds = clock()
            assert [f["state"] for f in finals] == ["done"] * PAINT_REQUESTS, finals
            for a in accepted:
                assert Image.open(io.BytesIO(paint_client.result(a))).size == (48, 32)
            assert (container.completed, container.failed) == (PAINT_REQUESTS, 0)
            # one instance, one invocation at a time: each request started after the one before it finished
            spans = sorted(span(f) for f in finals)
            assert all(later[0] >= earlier[1] - 0.2 for earlier, later in zip(spans, spans[1:])), spans
    assert memory.peak_bytes < MEMORY_LIMIT_BYTES, f"peak {memory.peak_bytes / GIB:.2f} GiB"
    report("paint_requests", {"requests": PAINT_REQUESTS, "done": len(finals), "seconds": round(seconds, 1),
                              "peak_rss_gib": round(memory.peak_bytes / GIB, 2)})
