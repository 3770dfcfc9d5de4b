"""Bursts through the local stack with the real stylizer: 30 GIF uploads at once, and several paint requests at
once. The local instance quota (2 per type unless NST_LOCAL_INSTANCE_QUOTA says otherwise) queues the GIF jobs
through the state machine's own capacity Retry; the async endpoint queues the paint requests. Each uploader
confirms by the link in the first mail. Figures are printed and, with NST_LOAD_REPORT=<file>, written as JSON
(docs/benchmarks.md, "Local stack under load"): for the GIF burst also, per upload, the mails its execution's
history says were sent (SES message ids), those in the mailbox, and every error a Catch swallowed; memory is
the process tree's (tests/load/conftest.py). NST_LOAD_UPLOADS=N for a smaller burst, NST_LOAD_FAKE_CONTAINER=1
for the stand-in container."""
import io
import json
import os
import platform
import sys
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
# NST_LOAD_FAKE_CONTAINER=1: the integration tests' stand-in container instead of the stylizer (the mail and
# capacity paths in seconds, for a quick try)
FAKE_CONTAINER = Path(__file__).parents[1] / "integration" / "fixtures" / "fake_container.py"
PROCESSING_COMMAND = [sys.executable, str(FAKE_CONTAINER)] if os.environ.get("NST_LOAD_FAKE_CONTAINER") == "1" else None
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


def _details(event: dict) -> dict:
    return next((value for key, value in event.items() if key.endswith("EventDetails")), {})


def mail_tasks(history: list[dict], send_email_function: str) -> list[dict]:
    """Every invocation of the send_email function in an execution's history, retries included, in order: the
    state, and what came back (template and SES's message id when sent, else the error and its cause)."""
    tasks, state, current = [], None, None
    for event in history:
        kind, details = event["type"], _details(event)
        if kind.endswith("StateEntered"):
            state, current = details.get("name"), None
        elif kind == "TaskScheduled":
            current = None
            if send_email_function in (details.get("parameters") or ""):
                current = {"state": state}
                tasks.append(current)
        elif current is not None and kind in ("TaskSubmitted", "TaskSucceeded"):
            # .waitForTaskToken (the confirm mail): the Lambda's answer comes with TaskSubmitted, the
            # confirmation's with TaskSucceeded
            output = json.loads(details.get("output") or "{}")
            payload = output.get("Payload") if isinstance(output, dict) else None
            if isinstance(payload, dict) and "sent" in payload:
                current.update({k: payload.get(k) for k in ("sent", "template", "message_id")})
            if kind == "TaskSucceeded":
                current = None
        elif current is not None and kind in ("TaskFailed", "TaskTimedOut"):
            current.update(error=details.get("error"), cause=str(details.get("cause"))[:500])
            current = None
    return tasks


def trouble(history: list[dict], description: dict) -> list[str]:
    """What went wrong inside an execution, even one that succeeded: errors its Catches swallowed (`*_error`
    fields, e.g. a lost "received" mail) and failed tasks other than the expected capacity refusals."""
    output = json.loads(description.get("output") or "{}")
    found = [f"{key}: {value}" for key, value in output.items() if key.endswith("_error")]
    for event in history:
        details = event.get("taskFailedEventDetails") or event.get("taskTimedOutEventDetails")
        if details and details.get("error") != "SageMaker.ResourceLimitExceededException":
            found.append(f"{event['type']} {details.get('error')}: {str(details.get('cause'))[:300]}")
    return found


def mail_report(stack: LocalStack, arns: list[str], descriptions: list[dict], mails: list) -> list[dict]:
    """Per upload: its execution, the mails its history says were sent (SES message ids), the caught errors,
    and the mails that landed in the mailbox for its visitor (subjects), so a missing one says where it was lost:
    never sent (an error, caught or not), or accepted by SES and never written to out/mail."""
    sfn = stack.client("stepfunctions")
    function = stack.function_name("send_email")
    by_visitor: dict[str, list[str]] = {}
    for mail in mails:
        by_visitor.setdefault(str(mail["To"]), []).append(str(mail["Subject"]))
    rows = []
    for n, (arn, description) in enumerate(zip(arns, descriptions)):
        history = execution_history(sfn, arn)
        tasks = mail_tasks(history, function)
        sent = [f"{t['state']}: {t['template']} {t['message_id']}" for t in tasks if t.get("sent")]
        rows.append({"visitor": n, "execution": description["name"], "status": description["status"],
                     "sent": sent, "mails_in_mailbox": by_visitor.get(f"visitor{n}@example.com", []),
                     "mail_tasks": tasks, "trouble": trouble(history, description)})
    return rows


def test_thirty_gif_uploads_at_once(tmp_path, memory, clock):
    quota = InstanceQuota.from_environment() if os.environ.get(ENVIRONMENT_VARIABLE) else InstanceQuota(2)
    load_before = [round(x, 2) for x in os.getloadavg()]
    with LocalStack(tmp_path, style_size=32, style_iterations=2, instance_quota=quota,
                    processing_command=PROCESSING_COMMAND) as stack:
        def upload(n: int) -> str:
            return stack.upload_gif(TINY_GIF, email=f"visitor{n}@example.com", style="udnie",
                                    key=f"uploads/load/{n:02d}/muybridge_tiny.gif")

        with ThreadPoolExecutor(UPLOADS) as pool:
            keys = list(pool.map(upload, range(UPLOADS)))
        arns = [stack.execution_for(key, timeout=120) for key in keys]
        # Each uploader confirms by the link in the first mail, as a person would (stack.confirm, which the
        # integration tests' `settle` uses too); a confirm mail that never comes is recorded, not waited for.
        confirm_errors = {}
        for arn in arns:
            try:
                visit = stack.confirm(arn, timeout=max(60.0, 900 - clock()))
                if visit.status != 200:
                    confirm_errors[arn] = f"{visit.status} {visit.outcome}: {visit.text[:200]}"
            except Exception as error:  # noqa: BLE001 - recorded in the figures, asserted below
                confirm_errors[arn] = repr(error)[:500]
        sfn = stack.client("stepfunctions")

        def settled(arn: str) -> dict:  # an execution still running at the deadline is reported as it is
            try:
                if arn not in confirm_errors:
                    return stack.wait_for_execution(arn, timeout=max(60.0, 3600 - clock()))
            except TimeoutError:
                pass
            return sfn.describe_execution(executionArn=arn)

        descriptions = [settled(arn) for arn in arns]
        seconds = clock()

        statuses = [d["status"] for d in descriptions]
        listed = sfn.list_executions(stateMachineArn=stack.state_machine_arn, maxResults=1000)["executions"]
        results = [k for k in stack.results() if k.endswith("/stylized.gif")]
        mails = stack.mails()
        expected_mails = sorted(f"visitor{n}@example.com" for n in range(UPLOADS) for _ in "ab")
        received = [m["To"] for m in mails]
        missing = sorted({to for to in expected_mails if received.count(to) != 2})
        rows = mail_report(stack, arns, descriptions, mails)
        for row, arn in zip(rows, arns):
            if arn in confirm_errors:
                row["trouble"].insert(0, f"confirm: {confirm_errors[arn]}")
        # an upload is in trouble when its mailbox lacks a mail, its history lacks a sent one, or a Catch swallowed
        problems = [r for r in rows if len(r["mails_in_mailbox"]) != 2 or len(r["sent"]) != 2 or r["trouble"]]
        limits = {t: quota.limit(t) for t in quota.peak}
    # figures first, so a failing run still leaves them
    report("gif_uploads", {"uploads": UPLOADS, "load_average_before": load_before,
                           "container": "fake" if PROCESSING_COMMAND else "stylizer",
                           "succeeded": statuses.count("SUCCEEDED"), "results": len(results),
                           "mails": len(mails), "mails_ready": sum("ready" in m["Subject"] for m in mails),
                           "mails_sent_per_histories": sum(len(r["sent"]) for r in rows),
                           "visitors_without_two_mails": missing, "seconds": round(seconds, 1),
                           **memory.figures(), "quota": limits, "peak_in_use": quota.peak,
                           "capacity_refusals": quota.refused, "problems": problems})
    report("gif_uploads_per_execution", {"executions": [
        {k: r[k] for k in ("visitor", "execution", "status", "sent", "mails_in_mailbox", "trouble")} for r in rows]})
    assert statuses == ["SUCCEEDED"] * UPLOADS, [d for d in descriptions if d["status"] != "SUCCEEDED"]
    assert sorted(e["executionArn"] for e in listed) == sorted(arns), "an execution was lost or doubled"
    assert len(results) == UPLOADS
    assert sorted(m["To"] for m in mails) == expected_mails, json.dumps(problems, indent=1)
    assert sum("ready" in m["Subject"] for m in mails) == UPLOADS
    assert not problems, json.dumps(problems, indent=1)
    assert all(quota.peak[t] <= limits[t] for t in quota.peak), (quota.peak, limits)
    assert quota.refused > 0, "the burst never met the quota: the capacity Retry was not exercised"
    assert memory.peak_pss_bytes < MEMORY_LIMIT_BYTES, memory.figures()


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
    report("paint_requests", {"requests": PAINT_REQUESTS, "done": len(finals), "seconds": round(seconds, 1),
                              **memory.figures()})
    assert memory.peak_pss_bytes < MEMORY_LIMIT_BYTES, memory.figures()
