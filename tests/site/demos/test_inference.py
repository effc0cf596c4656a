"""Server demos: provider choice, validation, batching, limits, on a tiny ONNX model (tinymodel.py)."""

import json
import threading

import numpy as np
import pytest

from learningpaths.demos import inference
from learningpaths.demos.encoding import decode_maps
from learningpaths.demos.registry import DEMOS
from tests.site.demos.tinymodel import reference


def test_providers_prefer_cuda_and_fall_back_to_cpu():
    assert inference.choose_providers(["CUDAExecutionProvider", "CPUExecutionProvider"]) == [
        "CUDAExecutionProvider",
        "CPUExecutionProvider",
    ]
    assert inference.choose_providers(["AzureExecutionProvider", "CPUExecutionProvider"]) == ["CPUExecutionProvider"]
    assert inference.choose_providers([]) == ["CPUExecutionProvider"]


def test_status_on_a_cpu_machine(client, demo_model):
    import onnxruntime as ort

    body = client.get("/api/demos/").json()
    assert body["available_providers"] == ort.get_available_providers()
    assert body["providers"][-1] == "CPUExecutionProvider"
    if "CUDAExecutionProvider" not in ort.get_available_providers():
        assert body["device"] == "cpu" and body["providers"] == ["CPUExecutionProvider"]
    ready = {m["name"]: m["ready"] for m in body["models"]}
    assert ready == {
        "digits-cnn": True,
        "digits-mlp": False,
        "glyphs-cnn": False,
        "glyphs-autoencoder": False,
        "glyphs-decoder": False,
        "words-transformer": False,
    }


def test_predict_matches_numpy(client, demo_model):
    w, b = demo_model
    x = np.random.default_rng(1).random((3, 1, 8, 8)).astype(np.float32)
    response = client.post(
        "/api/demos/digits-cnn/predict", data=json.dumps({"input": x.tolist()}), content_type="application/json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    np.testing.assert_allclose(body["probabilities"], reference(x, w, b), atol=1e-5)
    assert body["predictions"] == [str(int(i)) for i in reference(x, w, b).argmax(axis=1)]
    maps = decode_maps(body["feature_maps"])  # the tiny model's "feature map" is relu(x)
    assert maps.shape == (3, 1, 8, 8)
    span = x.max(axis=(2, 3)) - np.maximum(x, 0).min(axis=(2, 3))
    assert np.all(np.abs(maps - np.maximum(x, 0)) <= span[:, :, None, None] / 510 + 1e-6)


@pytest.mark.parametrize(
    "body,message",
    [
        ("nope", 'the body must be JSON like {"input": [[...]]}'),
        ('{"x": 1}', 'the body must be JSON like {"input": [[...]]}'),
        ('{"input": "abc"}', "input must be a (nested) list of numbers"),
        (
            '{"input": [1, 2, 3]}',
            "input must hold a multiple of 64 numbers (shape [1, 8, 8] per sample); got 3 numbers",
        ),
        ('{"input": [' + ",".join(["2"] * 64) + "]}", "input values must lie in [0, 1]"),
        ('{"input": [' + ",".join(["0.5"] * 64 * 17) + "]}", "at most 16 samples per request; got 17"),
    ],
)
def test_bad_inputs_get_400_with_a_message(client, demo_model, body, message):
    response = client.post("/api/demos/digits-cnn/predict", data=body, content_type="application/json")
    assert response.status_code == 400 and response.json() == {"error": "bad_request", "detail": message}


def test_unknown_and_missing_models(client, demo_model):
    assert client.post("/api/demos/nope/predict", data="{}", content_type="application/json").status_code == 404
    response = client.post(
        "/api/demos/digits-mlp/predict", data=json.dumps({"input": [0.0] * 64}), content_type="application/json"
    )
    assert response.status_code == 503 and "trainmodels" in response.json()["detail"]
    assert client.get("/api/demos/digits-cnn/predict").status_code == 405


def test_oversized_body_is_refused(client, demo_model):
    response = client.post(
        "/api/demos/digits-cnn/predict", data="[" + " " * 70000 + "]", content_type="application/json"
    )
    assert response.status_code == 413 and "too large" in response.json()["detail"]


def test_rate_limit_per_user(client, demo_model, settings):
    settings.DEMO_RATE_LIMIT = 3
    from django.core.cache import cache

    cache.clear()
    data = json.dumps({"input": [0.5] * 64})
    codes = [
        client.post("/api/demos/digits-cnn/predict", data=data, content_type="application/json").status_code
        for _ in range(5)
    ]
    assert codes[:3] == [200, 200, 200] and codes[3:] == [429, 429]


def test_concurrent_requests_are_batched(demo_model):
    w, b = demo_model
    runner = inference.get_runner("digits-cnn")
    runner.window = 0.05  # a wide window so that the threads below land in few batches
    xs = [np.full((1, 1, 8, 8), i / 20, dtype=np.float32) for i in range(12)]
    results = [None] * len(xs)

    def call(i):
        results[i] = inference.predict("digits-cnn", xs[i], timeout=5)

    threads = [threading.Thread(target=call, args=(i,)) for i in range(len(xs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for x, out in zip(xs, results):
        np.testing.assert_allclose(out["probabilities"], reference(x, w, b), atol=1e-5)
    assert runner.batches_run < len(xs)


def test_time_limit(demo_model):
    runner = inference.get_runner("digits-cnn")
    blocker = threading.Event()
    real_run = runner._run
    runner._run = lambda jobs: (blocker.wait(2), real_run(jobs))
    with pytest.raises(inference.DemoTimeout):
        inference.predict("digits-cnn", np.zeros((1, 1, 8, 8), np.float32), timeout=0.1)
    blocker.set()


def test_registry_names():
    assert set(DEMOS) == {
        "digits-cnn",
        "digits-mlp",
        "glyphs-cnn",
        "glyphs-autoencoder",
        "glyphs-decoder",
        "words-transformer",
    }


def call_wsgi(app, path, body: bytes, method="POST", cookie="", **extra):
    import io
    from wsgiref.util import setup_testing_defaults

    environ = {
        "PATH_INFO": path,
        "REQUEST_METHOD": method,
        "CONTENT_LENGTH": str(len(body)),
        "CONTENT_TYPE": "application/json",
        "wsgi.input": io.BytesIO(body),
        "HTTP_COOKIE": cookie,
        **extra,
    }
    setup_testing_defaults(environ)
    seen = {}

    def start_response(status, headers):
        seen["status"], seen["headers"] = status, dict(headers)

    chunks = b"".join(app(environ, start_response))
    return seen["status"], seen["headers"], chunks


@pytest.mark.django_db
def test_wsgi_fast_path_answers_like_the_view(client, demo_model):
    from learningpaths.wsgi import application

    x = np.random.default_rng(2).random((2, 1, 8, 8)).round(3).tolist()
    for body in (json.dumps({"input": x}).encode(), b'{"input": [1, 2]}', b"nope", b"[" + b" " * 70000 + b"]"):
        status, headers, payload = call_wsgi(application, "/api/demos/digits-cnn/predict", body)
        via_django = client.post("/api/demos/digits-cnn/predict", data=body, content_type="application/json")
        assert int(status.split()[0]) == via_django.status_code
        assert json.loads(payload) == via_django.json()
        assert headers["Content-Type"] == "application/json"
    status, _, payload = call_wsgi(application, "/api/demos/nope/predict", b"{}")
    assert status.startswith("404") and "unknown demo" in json.loads(payload)["detail"]


@pytest.mark.django_db
def test_wsgi_fast_path_leaves_other_routes_to_django(demo_model):
    from learningpaths.wsgi import application

    status, headers, payload = call_wsgi(application, "/api/demos/", b"", method="GET")
    assert status.startswith("200") and "providers" in json.loads(payload)
    assert "Content-Security-Policy" in headers  # went through Django's middleware


@pytest.mark.django_db
def test_fast_path_rate_limit_is_per_session(demo_model, settings):
    from django.core.cache import cache

    from learningpaths.wsgi import application

    settings.DEMO_RATE_LIMIT = 2
    cache.clear()
    body = json.dumps({"input": [0.5] * 64}).encode()
    codes = [
        call_wsgi(application, "/api/demos/digits-cnn/predict", body, cookie="sessionid=aaa")[0][:3] for _ in range(3)
    ]
    assert codes == ["200", "200", "429"]
    other = call_wsgi(application, "/api/demos/digits-cnn/predict", body, cookie="sessionid=bbb")[0]
    assert other.startswith("200")


@pytest.mark.django_db
def test_made_up_session_cookies_are_capped_per_address(demo_model, settings):
    """A fresh invented cookie per request gets a fresh per-session budget, but not past the
    address's cap; another address is not affected."""
    from django.core.cache import cache

    from learningpaths.wsgi import application

    settings.DEMO_RATE_LIMIT, settings.DEMO_ADDRESS_RATE_LIMIT = 2, 5
    cache.clear()
    body = json.dumps({"input": [0.5] * 64}).encode()
    codes = [
        call_wsgi(
            application, "/api/demos/digits-cnn/predict", body, cookie=f"sessionid=fake{i}", REMOTE_ADDR="10.0.0.1"
        )[0][:3]
        for i in range(7)
    ]
    assert codes == ["200"] * 5 + ["429"] * 2
    other = call_wsgi(application, "/api/demos/digits-cnn/predict", body, cookie="sessionid=x", REMOTE_ADDR="10.0.0.2")
    assert other[0].startswith("200")


@pytest.mark.django_db
def test_behind_the_proxy_the_address_is_x_real_ip(demo_model, settings):
    """Behind nginx every request comes from the proxy: the address cap must use X-Real-IP, or one
    busy school would use up everybody's budget."""
    from django.core.cache import cache

    from learningpaths.wsgi import application

    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.DEMO_RATE_LIMIT, settings.DEMO_ADDRESS_RATE_LIMIT = 100, 2
    cache.clear()
    body = json.dumps({"input": [0.5] * 64}).encode()

    def status(real_ip):
        return call_wsgi(
            application, "/api/demos/digits-cnn/predict", body, REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP=real_ip
        )[0][:3]

    assert [status("198.51.100.7") for _ in range(3)] == ["200", "200", "429"]
    assert status("203.0.113.9") == "200"


@pytest.mark.parametrize(
    "body,message",
    [
        ('{"input": [' + "[" * 5000 + "0.5" + "]" * 5000 + "]}", "input must be a (nested) list of numbers"),
        ('{"input": [[[[[0.5]]]]]}', "input is nested too deeply (at most 4 levels)"),
        ('{"input": [[0.5, 0.5], [0.5]]}', "input must be a (nested) list of numbers"),
        ('{"input": [' + ",".join(["1e999"] * 64) + "]}", "input contains NaN or infinity"),
        ('{"input": [' + ",".join(["-1e-3"] * 64) + "]}", "input values must lie in [0, 1]"),
        ('{"input": [' + "9" * 5000 + "]}", "input must be a (nested) list of numbers"),
        ('{"input": [1,,2]}', "input must be a (nested) list of numbers"),
    ],
)
def test_numbers_only_bodies_are_checked_as_strictly(client, demo_model, body, message):
    """Bodies of numbers and brackets only skip bodies.json_value's hooks (services.NUMBERS_ONLY):
    depth, ragged arrays, overflow, huge integers and bad syntax are still 400s with a message."""
    from learningpaths.demos import services

    assert services.NUMBERS_ONLY.fullmatch(body.encode())
    response = client.post("/api/demos/digits-cnn/predict", data=body, content_type="application/json")
    assert response.status_code == 400 and response.json()["detail"] == message


def test_numbers_only_bodies_answer_like_the_general_path(client, demo_model):
    x = np.random.default_rng(3).random((2, 64)).round(4)
    fast = json.dumps({"input": x.tolist()})
    general = json.dumps({"input": x.tolist(), "note": "é"})  # a string: the general path
    answers = [
        client.post("/api/demos/digits-cnn/predict", data=b, content_type="application/json").json()
        for b in (fast, general)
    ]
    assert answers[0] == answers[1] and len(answers[0]["predictions"]) == 2
    form = client.post("/api/demos/digits-cnn/predict", data=fast, content_type="application/x-www-form-urlencoded")
    assert form.status_code == 415
