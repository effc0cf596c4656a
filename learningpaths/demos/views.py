"""Demo inference endpoints. Every bad request gets a 4xx JSON message, never a 500."""
from __future__ import annotations

import json
import math

import numpy as np
from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from . import inference, ratelimit
from .registry import DEMOS, model_card, model_path

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


@csrf_exempt  # JSON API without cookies' side effects: it changes nothing on the server
@require_POST
def predict(request, name: str):
    spec = DEMOS.get(name)
    if spec is None:
        return _error(f"unknown demo {name!r}; choose one of {sorted(DEMOS)}", 404)
    allowed, retry = ratelimit.allow(request, scope=f"demo:{name}", limit=getattr(settings, "DEMO_RATE_LIMIT", 120))
    if not allowed:
        response = _error("too many requests; wait a moment and try again", 429, retry_after=retry)
        response["Retry-After"] = str(retry)
        return response
    try:
        x = _parse_input(request.body, spec)
    except ValueError as exc:
        return _error(str(exc), 400)
    try:
        outputs = inference.predict(name, x, timeout=getattr(settings, "DEMO_TIMEOUT", 2.0))
    except inference.DemoUnavailable as exc:
        return _error(f"this demo is not available on the server right now: {exc}", 503)
    except inference.DemoTimeout as exc:
        return _error(f"the server is busy: {exc}", 503)
    runner = inference.get_runner(name)
    probs = outputs[runner.output_names[0]]
    body = {
        "model": name, "provider": runner.providers[0], "labels": list(spec.labels),
        "probabilities": [[round(float(p), 6) for p in row] for row in probs],
        "predictions": [spec.labels[int(np.argmax(row))] for row in probs],
    }
    if spec.feature_maps_output and spec.feature_maps_output in outputs:
        maps = outputs[spec.feature_maps_output]
        body["feature_maps"] = np.round(maps, 4).tolist()
    if any(math.isnan(p) for row in body["probabilities"] for p in row):
        return _error("the model produced no valid answer for this input", 422)
    return JsonResponse(body)
