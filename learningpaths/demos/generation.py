"""The generate request of a generator demo (``POST /api/demos/<name>/generate``): invent words
letter by letter with the word transformer (wordgen.py) in ONNX Runtime.

Order, as for predict (services.py): the body's declared size, the demo exists and generates, the
rate limit (the same per-session and per-address limits, one request = one count), the input, the
generation under one time limit for the whole request (``DEMO_TIMEOUT``), the answer. Every step
of every word goes through the model's process-wide ``Runner``, so the steps of concurrent
requests are batched together.

Body: ``{"language": "nl"|"en", "temperature": 0.1-2, "start": "ka", "count": 1-8, "seed": 42}``;
all but ``language`` optional.
"""

from __future__ import annotations

import time
import unicodedata
from typing import NamedTuple

import numpy as np
from django.conf import settings

from learningpaths.core import bodies, ratelimit

from . import inference, wordgen, words
from .registry import DEMOS, DemoSpec
from .services import Answer, _answer, _error, _unavailable, rate_refusal

MAX_BODY = 1024
TEMPERATURE = (0.1, 2.0)
DEFAULT_TEMPERATURE = 0.8
MAX_COUNT = 8
MAX_START = 8  # letters; the word may still grow to words.MAX_LENGTH
NOT_JSON = 'the body must be JSON like {"language": "nl", "temperature": 0.8, "start": "", "count": 1}'
FIELDS = {"language", "temperature", "start", "count", "seed"}


class Request(NamedTuple):
    language: str
    temperature: float
    start: str
    count: int
    seed: int | None


TOO_LARGE = f"the request is too large (at most {MAX_BODY} bytes)"


def generation_too_large() -> Answer:
    return _error(413, TOO_LARGE)


def _number(payload: dict, key: str, default, *, low, high, integer: bool):
    value = payload.get(key, default)
    kind = "a whole number" if integer else "a number"
    # bool is an int in Python, and JSON's true is no temperature
    if isinstance(value, bool) or not isinstance(value, int if integer else (int, float)):
        raise ValueError(f"{key} must be {kind} from {low:g} to {high:g}")
    if not low <= value <= high:
        raise ValueError(f"{key} must be from {low:g} to {high:g}; got {value:g}")
    return value


def generation_parse(*, body: bytes, content_type: str | None = None) -> Request:
    """The validated request; ``BodyRefused`` for a body that is no acceptable JSON (core/bodies.py),
    ValueError with the message for the student for JSON that asks for nothing this model does."""
    payload = bodies.json_value(
        body,
        max_bytes=MAX_BODY,
        max_depth=1,
        content_type=content_type,
        invalid=NOT_JSON,
        too_large=TOO_LARGE,
    )
    if not isinstance(payload, dict):
        raise ValueError(NOT_JSON)
    unknown = sorted(set(payload) - FIELDS)
    if unknown:
        raise ValueError(f"unknown field(s) {unknown}; the fields are {sorted(FIELDS)}")
    language = payload.get("language")
    if language not in words.LANGUAGES:
        raise ValueError(f"language must be one of {list(words.LANGUAGES)}")
    temperature = float(
        _number(payload, "temperature", DEFAULT_TEMPERATURE, low=TEMPERATURE[0], high=TEMPERATURE[1], integer=False)
    )
    count = _number(payload, "count", 1, low=1, high=MAX_COUNT, integer=True)
    seed = payload.get("seed")
    if seed is not None:
        seed = _number(payload, "seed", None, low=0, high=2**32 - 1, integer=True)
    start = payload.get("start", "")
    if not isinstance(start, str):
        raise ValueError("start must be text (the first letters of the word)")
    start = unicodedata.normalize("NFC", start.strip()).lower()
    if len(start) > MAX_START:
        raise ValueError(f"start may have at most {MAX_START} letters; got {len(start)}")
    odd = sorted(set(start) - set(words.ALPHABET))
    if odd:
        raise ValueError(f"start may only hold the letters {words.ALPHABET}; not {' '.join(map(repr, odd))}")
    return Request(language, temperature, start, count, seed)


def _step(name: str, deadline: float) -> wordgen.Step:
    """One batch through the demo's Runner, waiting at most until ``deadline``."""

    def step(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        runner = inference.get_runner(name)
        timeout = max(0.001, deadline - time.perf_counter())
        outputs = inference.predict(name, x, timeout=timeout)
        return outputs[runner.output_names[0]], outputs[wordgen.ATTENTION_OUTPUT]

    return step


def generation_answer(*, spec: DemoSpec, request: Request, invented: list[wordgen.Invented]) -> Answer:
    language_token = wordgen.TOKENS[wordgen.LANGUAGE_TOKEN[request.language]]
    out = []
    for w in invented:
        if not np.all(np.isfinite(w.attention)):
            return _error(422, "the model produced no valid answer for this input")
        chosen = [*w.word[len(request.start) :], wordgen.END]
        out.append(
            {
                "word": w.word,
                "known": words.is_word(request.language, w.word),
                "steps": [
                    {"token": t, "probability": round(p, 4)} for t, p in zip(chosen, w.probabilities, strict=True)
                ],
                "attention": {
                    "tokens": [language_token, *w.word],
                    "weights": np.round(w.attention.astype(np.float64), 4).tolist(),
                },
            }
        )
    return _answer(
        200,
        {
            "model": spec.name,
            "provider": inference.get_runner(spec.name).providers[0],
            "language": request.language,
            "temperature": request.temperature,
            "start": request.start,
            "words": out,
        },
    )


def generation_run(*, name: str, body: bytes, client: ratelimit.Client, content_type: str | None = None) -> Answer:
    """The whole generate request (the Django view)."""
    spec = DEMOS.get(name)
    if spec is None or not spec.generator:
        return _error(404, f"no generator {name!r}; choose one of {sorted(n for n, s in DEMOS.items() if s.generator)}")
    refused = rate_refusal(client=client, name=name)
    if refused is not None:
        return refused
    try:
        request = generation_parse(body=body, content_type=content_type)
    except bodies.BodyRefused as exc:
        return _error(exc.status, exc.detail)
    except ValueError as exc:
        return _error(400, str(exc))
    deadline = time.perf_counter() + settings.DEMO_TIMEOUT
    try:
        invented = wordgen.generate(
            _step(name, deadline),
            language=request.language,
            temperature=request.temperature,
            start=request.start,
            count=request.count,
            rng=np.random.default_rng(request.seed),
            deadline=deadline,
        )
    except TimeoutError:
        return _unavailable(inference.DemoTimeout(f"no word within {settings.DEMO_TIMEOUT:g} s"))
    except FloatingPointError:
        return _error(422, "the model produced no valid answer for this input")
    except (inference.DemoUnavailable, inference.DemoTimeout) as exc:
        return _unavailable(exc)
    return generation_answer(spec=spec, request=request, invented=invented)
