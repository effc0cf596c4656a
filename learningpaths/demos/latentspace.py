"""The encode and decode requests of an autoencoder demo (``POST /api/demos/<name>/encode`` and
``.../decode``): a drawing -> its latent point and its cleaned-up reconstruction; latent points ->
the glyphs the decoder paints there (glyphgen.py, in ONNX Runtime).

Order, as for predict (services.py): the body's declared size, the demo exists and is an
autoencoder, the rate limit (one count per request, shared by encode and decode), the input,
inference under ``DEMO_TIMEOUT``, the answer. The reference points to move between (each class's
mean, the style direction) are in the model card, which the status endpoint lists.

* encode: ``{"input": [...]}`` as for predict: 1 to ``services.MAX_SAMPLES`` drawings of 32x32
  values in [0, 1] -> ``{"latent": [[16 numbers] ...], "reconstruction": {shape, min, max, uint8}}``.
* decode: ``{"latent": [[16 numbers] ...]}``, 1 to ``MAX_POINTS`` points (a widget fetches a whole
  morph at once) -> ``{"images": {shape, min, max, uint8}}``. Images in encoding.py's compact form.
"""

from __future__ import annotations

import numpy as np
from django.conf import settings

from learningpaths.core import bodies, ratelimit

from . import inference, services
from .encoding import encode_maps
from .glyphgen import LATENT_OUTPUT
from .registry import DEMOS, DemoSpec
from .services import Answer, _answer, _error, _unavailable, rate_refusal

MAX_POINTS = 64
MAX_DECODE_BODY = 32 * 1024
DECODE_NOT_JSON = 'the body must be JSON like {"latent": [[0.5, -1.2, ...]]}'
DECODE_TOO_LARGE = f"the request is too large (at most {MAX_DECODE_BODY // 1024} KiB)"


def decode_too_large() -> Answer:
    return _error(413, DECODE_TOO_LARGE)


def _autoencoder(name: str) -> DemoSpec | Answer:
    spec = DEMOS.get(name)
    if spec is None or not spec.decoder:
        choices = sorted(n for n, s in DEMOS.items() if s.decoder)
        return _error(404, f"no autoencoder {name!r}; choose one of {choices}")
    return spec


def latent_parse(*, body: bytes, spec: DemoSpec, content_type: str | None = None) -> np.ndarray:
    """float32 (n, latent) from a decode body; ``BodyRefused`` for no acceptable JSON, ValueError
    with the message for the student for JSON that holds no latent points of the right size."""
    payload = bodies.json_value(
        body,
        max_bytes=MAX_DECODE_BODY,
        max_depth=3,  # {"latent": [[...]]}
        max_items=MAX_DECODE_BODY // 2 + 2,
        content_type=content_type,
        invalid=DECODE_NOT_JSON,
        too_large=DECODE_TOO_LARGE,
    )
    if not isinstance(payload, dict) or "latent" not in payload:
        raise ValueError(DECODE_NOT_JSON)
    unknown = sorted(set(payload) - {"latent"})
    if unknown:
        raise ValueError(f"unknown field(s) {unknown}; the only field is 'latent'")
    (size,) = spec.input_shape
    points = payload["latent"]
    if not isinstance(points, list) or not points or not all(isinstance(p, list) for p in points):
        raise ValueError(f"latent must be a list of points, each a list of {size} numbers")
    if len(points) > MAX_POINTS:
        raise ValueError(f"at most {MAX_POINTS} latent points per request; got {len(points)}")
    if any(len(p) != size for p in points):
        raise ValueError(f"every latent point must have {size} numbers")
    if not services._numbers_only(points):  # NumPy would read true as 1.0 and "0.5" as 0.5
        raise ValueError("latent points must hold numbers only")
    z = np.asarray(points, dtype=np.float64)
    lo, hi = spec.value_range
    if not np.all(np.isfinite(z)) or z.min() < lo or z.max() > hi:  # a huge number reads as inf
        raise ValueError(f"latent coordinates must be finite numbers in [{lo:g}, {hi:g}]")
    return z.astype(np.float32)


def _run(name: str, x: np.ndarray) -> dict[str, np.ndarray]:
    return inference.predict(name, x, timeout=settings.DEMO_TIMEOUT)


def latent_encode_run(*, name: str, body: bytes, client: ratelimit.Client, content_type: str | None = None) -> Answer:
    """The whole encode request (the Django view)."""
    spec = _autoencoder(name)
    if isinstance(spec, Answer):
        return spec
    refused = rate_refusal(client=client, name=name)
    if refused is not None:
        return refused
    try:
        x = services.input_parse(body=body, spec=spec, content_type=content_type)
    except bodies.BodyRefused as exc:
        return _error(exc.status, exc.detail)
    except ValueError as exc:
        return _error(400, str(exc))
    try:
        outputs = _run(name, x)
        runner = inference.get_runner(name)
    except (inference.DemoUnavailable, inference.DemoTimeout) as exc:
        return _unavailable(exc)
    reconstruction, latent = outputs[runner.output_names[0]], outputs[LATENT_OUTPUT]
    if not (np.all(np.isfinite(reconstruction)) and np.all(np.isfinite(latent))):
        return _error(422, "the model produced no valid answer for this input")
    return _answer(
        200,
        {
            "model": name,
            "provider": runner.providers[0],
            "latent": np.round(latent.astype(np.float64), 5).tolist(),
            "reconstruction": encode_maps(reconstruction),
        },
    )


def latent_decode_run(*, name: str, body: bytes, client: ratelimit.Client, content_type: str | None = None) -> Answer:
    """The whole decode request (the Django view): the autoencoder's decoder demo paints the points."""
    spec = _autoencoder(name)
    if isinstance(spec, Answer):
        return spec
    refused = rate_refusal(client=client, name=name)
    if refused is not None:
        return refused
    decoder = DEMOS[spec.decoder]
    try:
        z = latent_parse(body=body, spec=decoder, content_type=content_type)
    except bodies.BodyRefused as exc:
        return _error(exc.status, exc.detail)
    except ValueError as exc:
        return _error(400, str(exc))
    try:
        outputs = _run(decoder.name, z)
        runner = inference.get_runner(decoder.name)
    except (inference.DemoUnavailable, inference.DemoTimeout) as exc:
        return _unavailable(exc)
    images = outputs[runner.output_names[0]]
    if not np.all(np.isfinite(images)):
        return _error(422, "the model produced no valid answer for this input")
    return _answer(200, {"model": decoder.name, "provider": runner.providers[0], "images": encode_maps(images)})
