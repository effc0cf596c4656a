"""Demo inference endpoints. Every bad request gets a 4xx JSON message, never a 500; the predict
request itself is ``services.prediction_run``, shared with the fast paths (fastpath.py)."""

from __future__ import annotations

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt

from learningpaths.core import bodies, ratelimit
from learningpaths.core.errors import json_methods

from . import generation, inference, latentspace, services
from .registry import DEMOS, model_card, model_path


@json_methods("GET")
def status(request):
    """Which providers ONNX Runtime offers here, which one each model uses, and the model cards
    (the autoencoder's card holds the latent points the explorer widget moves between)."""
    available = inference.available_providers()
    models = []
    for name, spec in DEMOS.items():
        entry = {
            "name": name,
            "title": spec.title,
            "input_shape": list(spec.input_shape),
            "labels": list(spec.labels),
            "ready": model_path(name).is_file(),
            "card": model_card(name),
        }
        models.append(entry)
    return JsonResponse(
        {
            "available_providers": available,
            "providers": inference.choose_providers(available),
            "device": "gpu" if "CUDAExecutionProvider" in available else "cpu",
            "models": models,
        }
    )


def _respond(answer) -> JsonResponse:
    """A service's Answer (body, status, headers such as Retry-After) as the JSON response."""
    response = JsonResponse(answer.body, status=answer.status)
    for key, value in answer.headers.items():
        response[key] = value
    return response


@csrf_exempt  # JSON API without cookies' side effects: it changes nothing on the server
@json_methods("POST")
def predict(request, name: str):
    if services.declared_too_large(request.META.get("CONTENT_LENGTH")):
        answer = services.prediction_too_large()  # like the fast paths: refused before it is read
    else:
        answer = services.prediction_run(
            name=name,
            body=request.body,
            client=ratelimit.client_of(request),
            content_type=request.META.get("CONTENT_TYPE"),
        )
    return _respond(answer)


@csrf_exempt  # like predict: JSON in, JSON out, nothing changes on the server
@json_methods("POST")
def generate(request, name: str):
    """Invent words with a generator demo (generation.py)."""
    if bodies.declared_too_large(request.META.get("CONTENT_LENGTH"), max_bytes=generation.MAX_BODY):
        answer = generation.generation_too_large()
    else:
        answer = generation.generation_run(
            name=name,
            body=request.body,
            client=ratelimit.client_of(request),
            content_type=request.META.get("CONTENT_TYPE"),
        )
    return _respond(answer)


@csrf_exempt  # like predict: JSON in, JSON out, nothing changes on the server
@json_methods("POST")
def encode(request, name: str):
    """A drawing -> its latent point and the autoencoder's reconstruction (latentspace.py)."""
    if services.declared_too_large(request.META.get("CONTENT_LENGTH")):
        return _respond(services.prediction_too_large())
    return _respond(
        latentspace.latent_encode_run(
            name=name,
            body=request.body,
            client=ratelimit.client_of(request),
            content_type=request.META.get("CONTENT_TYPE"),
        )
    )


@csrf_exempt  # like predict: JSON in, JSON out, nothing changes on the server
@json_methods("POST")
def decode(request, name: str):
    """Latent points -> the glyphs the autoencoder's decoder paints there (latentspace.py)."""
    if bodies.declared_too_large(request.META.get("CONTENT_LENGTH"), max_bytes=latentspace.MAX_DECODE_BODY):
        return _respond(latentspace.decode_too_large())
    return _respond(
        latentspace.latent_decode_run(
            name=name,
            body=request.body,
            client=ratelimit.client_of(request),
            content_type=request.META.get("CONTENT_TYPE"),
        )
    )
