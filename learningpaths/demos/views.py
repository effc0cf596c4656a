"""Demo inference endpoints. Every bad request gets a 4xx JSON message, never a 500."""
from __future__ import annotations

import json

import numpy as np
from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from . import inference, ratelimit
from .encoding import encode_maps
from .registry import DEMOS, DemoSpec, model_card, model_path

MAX_BODY = 64 * 1024
MAX_SAMPLES = 16


def _error(message: str, status: int, **extra) -> JsonResponse:
    return JsonResponse({"error": message, **extra}, status=status)


@require_GET
def status(request):
    """Which providers ONNX Runtime offers here, which one each model uses, and the model cards."""
    available = inference.available_providers()
    models = []
    for name, spec in DEMOS.items():
        entry = {"name": name, "title": spec.title, "input_shape": list(spec.input_shape),
                 "labels": list(spec.labels), "ready": model_path(name).is_file(), "card": model_card(name)}
        models.append(entry)
    return JsonResponse({
        "available_providers": available,
        "providers": inference.choose_providers(available),
        "device": "gpu" if "CUDAExecutionProvider" in available else "cpu",
        "models": models,
    })


def _parse_input(body: bytes, spec) -> np.ndarray:
    """Validate shape, type and size; returns float32 (n, *input_shape)."""
    if len(body) > MAX_BODY:
        raise ValueError(f"the request is too large (at most {MAX_BODY // 1024} KiB)")
    try:
        payload = json.loads(body or b"")
    except (ValueError, UnicodeDecodeError):
        raise ValueError("the body must be JSON like {\"input\": [[...]]}") from None
    if not isinstance(payload, dict) or "input" not in payload:
        raise ValueError("the body must be JSON like {\"input\": [[...]]}")
    try:
        x = np.asarray(payload["input"], dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError("input must be a (nested) list of numbers") from None
    size = spec.input_size
    if x.ndim == 0 or x.size == 0 or x.size % size:
        raise ValueError(f"input must hold a multiple of {size} numbers (shape {list(spec.input_shape)} per sample); "
                         f"got {x.size} numbers")
    x = x.reshape(-1, *spec.input_shape)
    if len(x) > MAX_SAMPLES:
        raise ValueError(f"at most {MAX_SAMPLES} samples per request; got {len(x)}")
    if not np.all(np.isfinite(x)):
        raise ValueError("input contains NaN or infinity")
    lo, hi = spec.value_range
    if x.min() < lo or x.max() > hi:
        raise ValueError(f"input values must lie in [{lo:g}, {hi:g}]")
    return x.astype(np.float32)


Answer = tuple[int, dict, dict]  # (status, JSON body, extra headers)


def check_request(name: str, body: bytes, client: ratelimit.Client) -> Answer | tuple[DemoSpec, np.ndarray]:
    """Everything before inference: the demo exists, the rate limit, the input. Returns an error
    answer, or the spec and the validated input."""
    spec = DEMOS.get(name)
    if spec is None:
        return 404, {"error": f"unknown demo {name!r}; choose one of {sorted(DEMOS)}"}, {}
    allowed, retry = ratelimit.allow(client, scope=f"demo:{name}", limit=settings.DEMO_RATE_LIMIT,
                                     address_limit=settings.DEMO_ADDRESS_RATE_LIMIT)
    if not allowed:
        return 429, {"error": "too many requests; wait a moment and try again", "retry_after": retry}, \
            {"Retry-After": str(retry)}
    try:
        return spec, _parse_input(body, spec)
    except ValueError as exc:
        return 400, {"error": str(exc)}, {}


def answer(spec: DemoSpec, outputs: dict[str, np.ndarray]) -> Answer:
    """The JSON answer for a model's outputs."""
    runner = inference.get_runner(spec.name)
    probs = outputs[runner.output_names[0]]
    if not np.all(np.isfinite(probs)):
        return 422, {"error": "the model produced no valid answer for this input"}, {}
    body = {
        "model": spec.name, "provider": runner.providers[0], "labels": list(spec.labels),
        "probabilities": np.round(probs.astype(np.float64), 6).tolist(),
        "predictions": [spec.labels[int(i)] for i in probs.argmax(axis=1)],
    }
    if spec.feature_maps_output and spec.feature_maps_output in outputs:
        body["feature_maps"] = encode_maps(outputs[spec.feature_maps_output])
    return 200, body, {}


def _unavailable(exc: Exception) -> Answer:
    if isinstance(exc, inference.DemoTimeout):
        return 503, {"error": f"the server is busy: {exc}"}, {}
    return 503, {"error": f"this demo is not available on the server right now: {exc}"}, {}


def handle_predict(name: str, body: bytes, client: ratelimit.Client) -> Answer:
    """The whole predict request; shared by the Django view and the WSGI fast path
    (``fastpath.py``), so both answer exactly alike."""
    checked = check_request(name, body, client)
    if len(checked) == 3:  # (status, body, headers): refused before inference
        return checked
    spec, x = checked
    try:
        return answer(spec, inference.predict(spec.name, x, timeout=settings.DEMO_TIMEOUT))
    except (inference.DemoUnavailable, inference.DemoTimeout) as exc:
        return _unavailable(exc)


async def handle_predict_async(name: str, body: bytes, client: ratelimit.Client) -> Answer:
    """The same answer for the ASGI fast path: the event loop waits for the batch thread
    instead of blocking a thread of its own."""
    checked = check_request(name, body, client)
    if len(checked) == 3:  # (status, body, headers): refused before inference
        return checked
    spec, x = checked
    try:
        return answer(spec, await inference.apredict(spec.name, x, timeout=settings.DEMO_TIMEOUT))
    except (inference.DemoUnavailable, inference.DemoTimeout) as exc:
        return _unavailable(exc)


@csrf_exempt  # JSON API without cookies' side effects: it changes nothing on the server
@require_POST
def predict(request, name: str):
    status_code, body, headers = handle_predict(name, request.body, ratelimit.client_of(request))
    response = JsonResponse(body, status=status_code)
    for key, value in headers.items():
        response[key] = value
    return response
