"""demos/services.py without a request: the size check the three doors share, the order of the
checks (an unknown demo costs no rate-limit budget), and the answer's own headers."""

from __future__ import annotations

import json

import numpy as np
import pytest

from learningpaths.core.ratelimit import client_from
from learningpaths.demos import services

CLIENT = client_from("cookie", {"REMOTE_ADDR": "10.0.0.1"})


@pytest.mark.parametrize(
    "declared,refused",
    [
        (None, False),
        ("", False),
        ("0", False),
        (str(services.MAX_BODY), False),
        (str(services.MAX_BODY + 1), True),
        ("-1", True),
        ("many", True),
    ],
)
def test_declared_size(declared, refused):
    assert services.declared_too_large(declared) is refused


def test_an_unknown_demo_is_refused_before_the_rate_limit(settings, monkeypatch):
    from types import SimpleNamespace

    from django.core.cache import cache

    from learningpaths.core import ratelimit

    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: 1_000_050.0))  # one window throughout
    settings.DEMO_RATE_LIMIT = 1
    cache.clear()
    for _ in range(3):
        answer = services.prediction_check(name="nope", body=b"{}", client=CLIENT)
        assert answer.status == 404 and answer.body["error"] == "not_found"
    assert services.prediction_check(name="digits-cnn", body=b"nope", client=CLIENT).status == 400  # budget left
    refused = services.prediction_check(name="digits-cnn", body=b"nope", client=CLIENT)
    assert refused.status == 429 and refused.headers["Retry-After"] == str(refused.body["retry_after"])


def test_every_answer_forbids_caching_and_the_fast_paths_add_the_security_headers(demo_model):
    answer = services.prediction_run(name="digits-cnn", body=json.dumps({"input": [0.5] * 64}).encode(), client=CLIENT)
    assert answer.status == 200 and answer.headers == {"Cache-Control": "no-store"}
    assert np.isclose(sum(answer.body["probabilities"][0]), 1, atol=1e-4)
    payload, headers = services.answer_encode(services.prediction_too_large(), secure=False)
    headers = dict(headers)
    assert json.loads(payload) == {"error": "too_large", "detail": "the request is too large (at most 64 KiB)"}
    assert headers["Content-Length"] == str(len(payload)) and headers["Cache-Control"] == "no-store"
    assert headers["X-Frame-Options"] == "DENY" and "Content-Security-Policy" in headers
