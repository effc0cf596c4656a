"""The demo prediction request, once, for its three doors: the Django view (``views.predict``), the
WSGI fast path and the ASGI fast path (``fastpath.py``). Each door only reads the request (body,
session cookie, address, scheme) and writes the ``Answer``; what is checked, in which order, and
what is answered (status, JSON, headers) is decided here, so the doors cannot drift apart.

Order: the body's declared size (before it is read), the demo exists, the rate limit, the input,
inference, the answer. Every refusal is a 4xx/5xx in the site's one error shape (core/errors.py).
"""

from __future__ import annotations

import json
import re
from typing import NamedTuple

import numpy as np
from django.conf import settings

from learningpaths.core import bodies, ratelimit
from learningpaths.core.errors import error_body
from learningpaths.core.middleware import security_headers

from . import inference
from .encoding import encode_maps
from .registry import DEMOS, DemoSpec

MAX_BODY = 64 * 1024
MAX_SAMPLES = 16
# The answer's "layers" (every conv block's maps) stays small: the first samples and channels only.
MAX_MAP_SAMPLES = 4
MAX_MAP_CHANNELS = 16
# A prediction is for the one asking, now: no cache (browser or proxy) may keep or replay it.
ANSWER_HEADERS = {"Cache-Control": "no-store"}


class Answer(NamedTuple):
    status: int
    body: dict
    headers: dict[str, str]  # the answer's own headers; the security headers come on top


def _answer(status: int, body: dict, **headers: str) -> Answer:
    return Answer(status, body, {**ANSWER_HEADERS, **headers})


def _error(status: int, detail: str, **extra) -> Answer:
    return _answer(status, error_body(status, detail, **extra))


# What the widgets send: {"input": [...]} with nothing but numbers, brackets and commas. Such a body
# holds no string, no constant (NaN, true, null) and no byte outside ASCII, so the C parser reads it
# without bodies.json_value's per-value hooks, which cost two thirds of the CPU of a 32x32 request
# (bench/serving_glyphs.py); a number that overflows becomes inf and is refused with the NaN check below,
# ragged and too deep arrays are refused too. Every other body takes bodies.json_value.
NUMBERS_ONLY = re.compile(rb'\s*\{\s*"input"\s*:\s*\[[-+.eE0-9\s,\[\]]*\]\s*\}\s*')
TOO_LARGE = f"the request is too large (at most {MAX_BODY // 1024} KiB)"
NOT_JSON = 'the body must be JSON like {"input": [[...]]}'


def prediction_too_large() -> Answer:
    return _error(413, TOO_LARGE)


def declared_too_large(content_length: str | None) -> bool:
    """The declared ``Content-Length`` is unreadable or over ``MAX_BODY``: refuse before reading."""
    return bodies.declared_too_large(content_length, max_bytes=MAX_BODY)


def input_parse(*, body: bytes, spec: DemoSpec, content_type: str | None = None) -> np.ndarray:
    """Validate shape, type and size; returns float32 (n, *input_shape). Raises ``BodyRefused`` for
    a body that is no acceptable JSON (core/bodies.py) and ValueError with the message for the
    student for JSON that is no input for this model."""
    # Depth: a batch of samples of the model's shape, inside {"input": ...}.
    depth = len(spec.input_shape) + 2
    if len(body) <= MAX_BODY and not bodies.is_form(content_type) and NUMBERS_ONLY.fullmatch(body):
        try:
            payload = json.loads(body)
            x = np.asarray(payload["input"], dtype=np.float64)
        except (ValueError, RecursionError, OverflowError):  # no JSON, ragged, too deep, or an integer past float
            raise ValueError("input must be a (nested) list of numbers") from None
        if x.ndim > depth - 1:
            raise ValueError(f"input is nested too deeply (at most {depth - 1} levels)")
    else:
        payload = bodies.json_value(
            body,
            max_bytes=MAX_BODY,
            max_depth=depth,
            max_items=MAX_BODY // 2 + 2,  # each number takes two bytes at least ("0,"): the size bounds it
            content_type=content_type,
            invalid=NOT_JSON,
            too_large=TOO_LARGE,
        )
        if not isinstance(payload, dict) or "input" not in payload:
            raise ValueError(NOT_JSON)
        try:
            x = np.asarray(payload["input"], dtype=np.float64)
            if not _numbers_only(payload["input"]):  # NumPy would read true as 1.0 and "0.5" as 0.5
                raise TypeError
        except (TypeError, ValueError):
            raise ValueError("input must be a (nested) list of numbers") from None
    size = spec.input_size
    if x.ndim == 0 or x.size == 0 or x.size % size:
        raise ValueError(
            f"input must hold a multiple of {size} numbers (shape {list(spec.input_shape)} per sample); "
            f"got {x.size} numbers"
        )
    x = x.reshape(-1, *spec.input_shape)
    if len(x) > MAX_SAMPLES:
        raise ValueError(f"at most {MAX_SAMPLES} samples per request; got {len(x)}")
    if not np.all(np.isfinite(x)):
        raise ValueError("input contains NaN or infinity")
    lo, hi = spec.value_range
    if x.min() < lo or x.max() > hi:
        raise ValueError(f"input values must lie in [{lo:g}, {hi:g}]")
    return x.astype(np.float32)


def _numbers_only(value) -> bool:
    """Only lists and JSON numbers (not true/false, strings or null) in ``value``."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, bool) or not isinstance(item, (int, float)):
            return False
    return True


def rate_refusal(*, client: ratelimit.Client, name: str) -> Answer | None:
    """The 429 answer when ``client`` has used up its requests to demo ``name``, else None."""
    allowed, retry = ratelimit.allow(
        client, scope=f"demo:{name}", limit=settings.DEMO_RATE_LIMIT, address_limit=settings.DEMO_ADDRESS_RATE_LIMIT
    )
    if allowed:
        return None
    return _answer(
        429,
        error_body(429, "too many requests; wait a moment and try again", retry_after=retry),
        **{"Retry-After": str(retry)},
    )


def prediction_check(
    *, name: str, body: bytes, client: ratelimit.Client, content_type: str | None = None
) -> Answer | tuple[DemoSpec, np.ndarray]:
    """Everything before inference: the demo exists, the rate limit, the input. Returns an error
    answer, or the spec and the validated input."""
    spec = DEMOS.get(name)
    if spec is None or spec.generator or spec.autoencoder:
        classifiers = sorted(n for n, s in DEMOS.items() if not (s.generator or s.autoencoder))
        return _error(404, f"unknown demo {name!r}; choose one of {classifiers}")
    refused = rate_refusal(client=client, name=name)
    if refused is not None:
        return refused
    try:
        return spec, input_parse(body=body, spec=spec, content_type=content_type)
    except bodies.BodyRefused as exc:
        return _error(exc.status, exc.detail)
    except ValueError as exc:
        return _error(400, str(exc))


def prediction_answer(*, spec: DemoSpec, outputs: dict[str, np.ndarray]) -> Answer:
    """The JSON answer for a model's outputs."""
    runner = inference.get_runner(spec.name)
    probs = outputs[runner.output_names[0]]
    if not np.all(np.isfinite(probs)):
        return _error(422, "the model produced no valid answer for this input")
    body = {
        "model": spec.name,
        "provider": runner.providers[0],
        "labels": list(spec.labels),
        "probabilities": np.round(probs.astype(np.float64), 6).tolist(),
        "predictions": [spec.labels[int(i)] for i in probs.argmax(axis=1)],
    }
    if spec.feature_maps_output and spec.feature_maps_output in outputs:
        body["feature_maps"] = encode_maps(outputs[spec.feature_maps_output])
    if spec.layer_outputs:
        body["layers"] = [
            {"name": name, **encode_maps(outputs[name][:MAX_MAP_SAMPLES, :MAX_MAP_CHANNELS])}
            for name in spec.layer_outputs
            if name in outputs
        ]
    return _answer(200, body)


def _unavailable(exc: Exception) -> Answer:
    if isinstance(exc, inference.DemoTimeout):
        return _error(503, f"the server is busy: {exc}")
    return _error(503, f"this demo is not available on the server right now: {exc}")


def prediction_run(*, name: str, body: bytes, client: ratelimit.Client, content_type: str | None = None) -> Answer:
    """The whole predict request, blocking this thread while the batch runs (view, WSGI)."""
    checked = prediction_check(name=name, body=body, client=client, content_type=content_type)
    if isinstance(checked, Answer):  # refused before inference
        return checked
    spec, x = checked
    try:
        return prediction_answer(spec=spec, outputs=inference.predict(spec.name, x, timeout=settings.DEMO_TIMEOUT))
    except (inference.DemoUnavailable, inference.DemoTimeout) as exc:
        return _unavailable(exc)


async def prediction_run_async(
    *, name: str, body: bytes, client: ratelimit.Client, content_type: str | None = None
) -> Answer:
    """The same answer for the ASGI fast path: the event loop waits for the batch instead of
    blocking a thread of its own."""
    checked = prediction_check(name=name, body=body, client=client, content_type=content_type)
    if isinstance(checked, Answer):  # refused before inference
        return checked
    spec, x = checked
    try:
        return prediction_answer(
            spec=spec, outputs=await inference.apredict(spec.name, x, timeout=settings.DEMO_TIMEOUT)
        )
    except (inference.DemoUnavailable, inference.DemoTimeout) as exc:
        return _unavailable(exc)


def answer_encode(answer: Answer, *, secure: bool) -> tuple[bytes, list[tuple[str, str]]]:
    """The JSON payload and every response header for a fast path: the answer's own headers on top
    of the security headers that Django's middleware would add (``core.middleware.security_headers``,
    from the same settings)."""
    payload = json.dumps(answer.body, separators=(",", ":")).encode()
    headers = {
        "Content-Type": "application/json",
        "Content-Length": str(len(payload)),
        **security_headers(secure=secure),
        **answer.headers,
    }
    return payload, list(headers.items())
