"""The ASGI fast path (the inference server, ``uvicorn learningpaths.asgi:application``): the same
answers as the Django view, batching on the event loop, lifespan, and a real uvicorn process."""

from __future__ import annotations

import asyncio
import http.client
import json
import subprocess
import sys
import time

import numpy as np
import pytest

from learningpaths.demos import inference
from learningpaths.demos.encoding import decode_maps
from learningpaths.demos.fastpath import DemoASGI, DemoFastPath
from tests.faults.helpers import ROOT, free_port, manage_env
from tests.site.demos.test_inference import call_wsgi
from tests.site.demos.tinymodel import make_model, reference

PREDICT = "/api/demos/digits-cnn/predict"


async def _django_only(scope, receive, send):
    """Stands in for Django's ASGI handler: says so, so a test sees what was passed through."""
    await send({"type": "http.response.start", "status": 299, "headers": []})
    await send({"type": "http.response.body", "body": b"django"})


def call_asgi(
    path: str,
    body: bytes = b"",
    *,
    method: str = "POST",
    headers: dict | None = None,
    client=("127.0.0.1", 40000),
    chunks: list[bytes] | None = None,
    complete: bool = True,
    app=None,
):
    """One request through the ASGI app; returns (status, headers, body) or None when nothing was sent."""
    app = app or DemoASGI(_django_only, warm_up=False)
    headers = {
        "content-type": "application/json",
        **({"content-length": str(len(body))} if chunks is None else {}),
        **(headers or {}),
    }
    scope = {
        "type": "http",
        "method": method,
        "path": path,
        "client": client,
        "headers": [(k.encode(), v.encode()) for k, v in headers.items()],
    }
    incoming = (
        [
            {"type": "http.request", "body": c, "more_body": i < len(chunks) - 1 or not complete}
            for i, c in enumerate(chunks)
        ]
        if chunks is not None
        else [{"type": "http.request", "body": body, "more_body": False}]
    )
    sent = []

    async def receive():
        return incoming.pop(0) if incoming else {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    if not sent:
        return None
    start, payload = sent[0], b"".join(m.get("body", b"") for m in sent[1:])
    return start["status"], {k.decode(): v.decode() for k, v in start["headers"]}, payload


@pytest.mark.django_db
def test_answers_like_the_django_view(client, demo_model):
    x = np.random.default_rng(2).random((2, 1, 8, 8)).round(3).tolist()
    for body in (
        json.dumps({"input": x}).encode(),
        b'{"input": [1, 2]}',
        b"nope",
        b"[" + b" " * 70000 + b"]",
        b'{"input": [' + b",".join([b"2"] * 64) + b"]}",
    ):
        status, headers, payload = call_asgi(PREDICT, body)
        via_django = client.post(PREDICT, data=body, content_type="application/json")
        assert status == via_django.status_code
        assert json.loads(payload) == via_django.json()
        assert headers["content-type"] == "application/json"
        assert headers["x-content-type-options"] == "nosniff" and headers["cache-control"] == "no-store"
    status, _, payload = call_asgi("/api/demos/nope/predict", b"{}")
    assert status == 404 and "unknown demo" in json.loads(payload)["detail"]


@pytest.mark.django_db
def test_the_answer_is_the_models(demo_model):
    w, b = demo_model
    x = np.random.default_rng(3).random((3, 1, 8, 8)).astype(np.float32)
    status, _, payload = call_asgi(PREDICT, json.dumps({"input": x.tolist()}).encode())
    body = json.loads(payload)
    assert status == 200
    np.testing.assert_allclose(body["probabilities"], reference(x, w, b), atol=1e-5)
    np.testing.assert_allclose(decode_maps(body["feature_maps"]), x, atol=1 / 510 + 1e-5)


# Not compared: per-connection headers, and LocaleMiddleware's Vary/Content-Language (the demo answers
# are not translated, so the fast paths have no language to name).
UNCOMPARED = {"date", "server", "content-length", "vary", "content-language"}


def three_doors(body: bytes, *, secure: bool) -> dict[str, tuple[int, dict, dict]]:
    """The same request through the Django view (the whole middleware stack), the WSGI fast path
    and the ASGI fast path: {door: (status, headers by lower-case name, JSON body)}."""
    from django.test import Client

    proto = {"x-forwarded-proto": "https"} if secure else {}
    view = Client().post(
        PREDICT,
        data=body,
        content_type="application/json",
        **{f"HTTP_{k.upper().replace('-', '_')}": v for k, v in proto.items()},
    )
    wsgi_status, wsgi_headers, wsgi_body = call_wsgi(
        DemoFastPath(None), PREDICT, body, **{"HTTP_X_FORWARDED_PROTO": "https"} if secure else {}
    )
    asgi_status, asgi_headers, asgi_body = call_asgi(PREDICT, body, headers=proto)

    def keep(headers):
        return {k.lower(): v for k, v in headers.items() if k.lower() not in UNCOMPARED}

    return {
        "view": (view.status_code, keep(dict(view.headers)), view.json()),
        "wsgi": (int(wsgi_status.split()[0]), keep(wsgi_headers), json.loads(wsgi_body)),
        "asgi": (asgi_status, keep(asgi_headers), json.loads(asgi_body)),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("secure", [False, True], ids=["http", "https-behind-the-proxy"])
def test_the_three_doors_answer_identically(demo_model, settings, monkeypatch, secure):
    """Status, JSON and every security header (the middleware's, Cache-Control, Retry-After), for a
    valid, an invalid, an oversized and a rate-limited request; HSTS when the proxy says HTTPS."""
    from types import SimpleNamespace

    from django.core.cache import cache

    from learningpaths.core import ratelimit

    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS, settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = 3600, True
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: 1_000_050.0))  # one window for all doors
    valid = json.dumps({"input": np.random.default_rng(4).random((2, 1, 8, 8)).round(3).tolist()}).encode()
    seen = {}
    for case, body in {
        "valid": valid,
        "invalid": b'{"input": [1, 2]}',
        "not JSON": b"nope",
        "oversized": b"[" + b" " * 70000 + b"]",
    }.items():
        cache.clear()
        seen[case] = three_doors(body, secure=secure)
    settings.DEMO_RATE_LIMIT = 0  # every request is one too many
    cache.clear()
    seen["rate-limited"] = three_doors(valid, secure=secure)

    for case, doors in seen.items():
        assert doors["wsgi"] == doors["view"], case
        assert doors["asgi"] == doors["view"], case
    statuses = {case: doors["view"][0] for case, doors in seen.items()}
    assert statuses == {"valid": 200, "invalid": 400, "not JSON": 400, "oversized": 413, "rate-limited": 429}
    _, headers, body = seen["rate-limited"]["view"]
    assert (
        body
        == {"error": "too_many_requests", "detail": "too many requests; wait a moment and try again", "retry_after": 30}
        and headers["retry-after"] == "30"
    )
    assert headers["cache-control"] == "no-store" and headers["x-frame-options"] == "DENY"
    assert headers["content-security-policy"].startswith("default-src 'self'")
    assert {"x-content-type-options", "referrer-policy", "cross-origin-opener-policy", "permissions-policy"} <= set(
        headers
    )
    assert ("strict-transport-security" in headers) is secure
    if secure:
        assert headers["strict-transport-security"] == "max-age=3600; includeSubDomains"


def test_importing_the_fast_paths_leaves_django_unset_up():
    """wsgi.py and asgi.py import fastpath before get_*_application() sets Django up: its
    module-level imports must not need the app registry (no model imported)."""
    code = (
        "import os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'learningpaths.settings'); "
        "import learningpaths.demos.fastpath; from django.apps import apps; "
        "assert not apps.ready and not apps.apps_ready, 'apps were set up'; print('ok')"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr


def test_other_routes_and_methods_go_to_django():
    assert call_asgi("/api/demos/", method="GET")[0] == 299
    assert call_asgi(PREDICT, method="GET")[0] == 299
    assert call_asgi("/api/demos/digits-cnn/predict/extra", b"{}")[0] == 299


@pytest.mark.django_db
def test_a_streamed_body_is_read_whole_and_capped(demo_model):
    x = json.dumps({"input": [0.25] * 64}).encode()
    status, _, payload = call_asgi(PREDICT, chunks=[x[:10], x[10:50], x[50:]])
    assert status == 200 and len(json.loads(payload)["probabilities"]) == 1
    # no content-length, and more than 64 KiB arrives: refused without reading the rest
    status, _, payload = call_asgi(PREDICT, chunks=[b"[" + b" " * 40000] * 3)
    assert status == 413 and "too large" in json.loads(payload)["detail"]
    status, _, _ = call_asgi(PREDICT, b"{}", headers={"content-length": "70000"})
    assert status == 413
    status, _, _ = call_asgi(PREDICT, b"{}", headers={"content-length": "many"})
    assert status == 413


def test_a_client_that_leaves_gets_no_answer(demo_model):
    # Half a body, then the connection closes (receive() says http.disconnect): nothing is sent.
    assert call_asgi(PREDICT, chunks=[b'{"input": [', b"0.5"], complete=False) is None
    assert call_asgi(PREDICT, chunks=[b'{"input": [' + b"0.5," * 63 + b"0.5]}"]) is not None


@pytest.mark.django_db
def test_rate_limit_per_session_and_per_address_behind_the_proxy(demo_model, settings):
    from django.core.cache import cache

    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.DEMO_RATE_LIMIT, settings.DEMO_ADDRESS_RATE_LIMIT = 2, 3
    cache.clear()
    body = json.dumps({"input": [0.5] * 64}).encode()

    def status(cookie, real_ip):
        return call_asgi(PREDICT, body, headers={"cookie": f"sessionid={cookie}", "x-real-ip": real_ip})[0]

    assert [status("aaa", "198.51.100.7") for _ in range(3)] == [200, 200, 429]
    assert status("bbb", "198.51.100.7") == 200  # another browser at the same school
    assert status("ccc", "198.51.100.7") == 429  # but the school's cap (3) is reached
    assert status("ddd", "203.0.113.9") == 200  # another school
    answer = call_asgi(PREDICT, body, headers={"cookie": "sessionid=aaa", "x-real-ip": "198.51.100.7"})
    assert int(answer[1]["retry-after"]) > 0


def test_requests_in_one_loop_turn_run_as_one_batch(demo_model):
    w, b = demo_model
    runner = inference.get_runner("digits-cnn")
    xs = [np.full((1, 1, 8, 8), i / 20, dtype=np.float32) for i in range(12)]

    async def all_at_once():
        return await asyncio.gather(*[inference.apredict("digits-cnn", x) for x in xs])

    before = runner.batches_run
    results = asyncio.run(all_at_once())
    assert runner.batches_run == before + 1
    for x, out in zip(xs, results):
        np.testing.assert_allclose(out["probabilities"], reference(x, w, b), atol=1e-5)


def test_with_a_batch_window_the_batch_thread_answers_and_the_time_limit_holds(demo_model):
    import threading

    w, b = demo_model
    runner = inference.get_runner("digits-cnn")
    runner.window = 0.01  # as with DEMO_BATCH_WINDOW (large models, GPUs): the batch thread runs it
    x = np.full((1, 1, 8, 8), 0.3, np.float32)
    out = asyncio.run(inference.apredict("digits-cnn", x))
    np.testing.assert_allclose(out["probabilities"], reference(x, w, b), atol=1e-5)
    blocker = threading.Event()
    real_run = runner._run
    runner._run = lambda jobs: (blocker.wait(2), real_run(jobs))
    with pytest.raises(inference.DemoTimeout):
        asyncio.run(inference.apredict("digits-cnn", x, timeout=0.1))
    blocker.set()


def test_lifespan_loads_the_models_at_startup(demo_model):
    app = DemoASGI(_django_only, warm_up=True)
    incoming = [{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}]
    sent = []

    async def receive():
        return incoming.pop(0)

    async def send(message):
        sent.append(message["type"])

    inference.reset_runners()
    asyncio.run(app({"type": "lifespan"}, receive, send))
    assert sent == ["lifespan.startup.complete", "lifespan.shutdown.complete"]
    assert "digits-cnn" in inference._runners and inference._runners["digits-cnn"].batches_run == 1


@pytest.mark.slow
def test_a_real_uvicorn_process_serves_the_demos(tmp_path):
    """The command from docs/deploy.md, end to end over a socket: predictions, the status page
    through Django's ASGI handler, and 4xx answers."""
    w, b = make_model(tmp_path / "digits-cnn.onnx")
    port = free_port()
    env = manage_env(
        tmp_path / "var",
        DEMO_MODELS_DIR=str(tmp_path),
        DEBUG="0",
        SECRET_KEY="t" * 50,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
    )
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "learningpaths.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--loop",
            "uvloop",
            "--http",
            "httptools",
            "--no-access-log",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.time() + 60
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", "/api/demos/")
                status = conn.getresponse()
                break
            except OSError:
                assert server.poll() is None and time.time() < deadline, server.stdout.read().decode()
                time.sleep(0.2)
        assert status.status == 200
        assert {m["name"]: m["ready"] for m in json.loads(status.read())["models"]}["digits-cnn"] is True
        x = np.random.default_rng(5).random((2, 1, 8, 8)).astype(np.float32)
        for _ in range(3):  # keep-alive: the same connection answers again
            conn.request(
                "POST", PREDICT, body=json.dumps({"input": x.tolist()}), headers={"Content-Type": "application/json"}
            )
            response = conn.getresponse()
            body = json.loads(response.read())
            assert response.status == 200 and response.getheader("Cache-Control") == "no-store"
            np.testing.assert_allclose(body["probabilities"], reference(x, w, b), atol=1e-5)
        conn.request("POST", PREDICT, body=b"nope")
        response = conn.getresponse()
        assert response.status == 400 and "JSON" in json.loads(response.read())["detail"]
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_a_request_that_gave_up_does_not_stop_the_batch_thread(demo_model):
    """A timed-out request cancels its future; the batch thread must still answer the next one."""
    import threading

    runner = inference.get_runner("digits-cnn")
    runner.window = 0.01
    blocker = threading.Event()
    real_run = runner._run
    runner._run = lambda jobs: (blocker.wait(2), real_run(jobs))
    x = np.full((1, 1, 8, 8), 0.3, np.float32)
    with pytest.raises(inference.DemoTimeout):
        asyncio.run(inference.apredict("digits-cnn", x, timeout=0.05))
    runner._run = real_run
    blocker.set()
    out = asyncio.run(inference.apredict("digits-cnn", x, timeout=5))
    assert out["probabilities"].shape == (1, 10)


def test_two_event_loops_in_one_process_both_get_answers(demo_model):
    """The loop batch belongs to one loop; a request from another loop meanwhile takes the batch
    thread instead of joining a batch that a different loop will run."""
    import threading

    w, b = demo_model
    x = np.full((1, 1, 8, 8), 0.6, np.float32)
    results = []

    async def on_second_loop():
        return await inference.apredict("digits-cnn", x, timeout=5)

    async def first():
        runner = inference.get_runner("digits-cnn")
        mine = asyncio.ensure_future(inference.apredict("digits-cnn", x, timeout=5))
        while not runner._pending:  # until our job waits for this loop's next turn
            await asyncio.sleep(0)
        assert runner._pending_loop is asyncio.get_running_loop()
        other = threading.Thread(target=lambda: results.append(asyncio.run(on_second_loop())))
        other.start()
        other.join(10)  # this loop is blocked meanwhile: the other request must not wait for it
        results.append(await mine)

    asyncio.run(first())
    assert len(results) == 2
    for out in results:
        np.testing.assert_allclose(out["probabilities"], reference(x, w, b), atol=1e-5)
