"""The OpenAPI 3.1 description of /api/, written by hand. tests/site/api checks that every route in
urls.py, and every query parameter each view reads, is described here."""

from __future__ import annotations

import copy

from learningpaths import __version__
from learningpaths.core.errors import CODES, SPECIAL_CODES


def _q(name: str, description: str, schema: dict, example=None, required: bool = False) -> dict:
    param = {"name": name, "in": "query", "required": required, "description": description, "schema": schema}
    if example is not None:
        param["example"] = example
    return param


def _p(name: str, description: str, example: str) -> dict:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": {"type": "string"},
        "example": example,
    }


STRING = {"type": "string"}
INTEGER = {"type": "integer"}
BOOLEAN = {"type": "boolean"}
JSON_ARRAY = {"type": "string", "contentMediaType": "application/json", "description": "A JSON array, URL-encoded."}

LOOKUP_PARAMS = [
    _q("hruid", "Human-readable id of the object. Give `hruid` or `uuid`.", STRING, "intro"),
    _q("language", "Language code. Without it, the first language in alphabetical order.", STRING, "en"),
    _q(
        "version",
        "Version (an integer; `3.0` is accepted). Without it, the **latest** version the caller "
        "may see (Dwengo returned an arbitrary one).",
        INTEGER,
        1,
    ),
    _q("uuid", "The object's uuid; may be combined with the other identifiers (all must match).", STRING),
]

SEARCH_PARAMS = [
    _q(
        "searchTerm",
        "Dwengo's MongoDB `$text` search over the title, description, keywords, educational goals and SKOS "
        "concepts. The value is split into words at white space and punctuation (`computers-en-systemen` is "
        "three words); an object matches when it holds **any** of the words as a whole word, case and "
        'diacritics ignored, no stemming (`neur` does not find `neural`). A `"quoted phrase"` must occur '
        "as text; a `-word` keeps out the objects that hold it; only `-words` find nothing. Ranked: more of "
        "the words first, then more of them in the title, then hruid, language and newest version "
        "(Dwengo did not order its matches).",
        STRING,
        "neural network",
    ),
    _q("uuid", "Exact uuid.", STRING),
    _q("hruid", "Exact hruid.", STRING),
    _q("version", "Exact version.", INTEGER),
    _q("language", "Exact language code.", STRING, "en"),
    _q("content_type", "Exact content type, e.g. `text/markdown` or `extern`.", STRING),
    _q(
        "teacher_exclusive",
        "Exact teacher_exclusive flag (`true`/`false`). Only teachers ever get teacher-exclusive objects.",
        BOOLEAN,
    ),
    _q("available", "Exact available flag (`true`/`false`).", BOOLEAN),
    _q(
        "title",
        "Case-insensitive text in the title. Dwengo ran the value as a regular expression; here it is literal text.",
        STRING,
    ),
    _q("description", "Case-insensitive text in the description (literal, as `title`).", STRING),
    _q("target_ages", "JSON array of numbers: objects with at least one of these ages (`$in`).", JSON_ARRAY, "[12,14]"),
    _q("keywords", "JSON array of strings: objects with at least one of these keywords (`$in`).", JSON_ARRAY, '["AI"]'),
    _q(
        "skos_concepts",
        "JSON array of strings: objects with at least one of these SKOS concept URIs (`$in`).",
        JSON_ARRAY,
    ),
    _q("min_difficulty", "Difficulty at least this (objects without a difficulty are left out).", INTEGER),
    _q("max_difficulty", "Difficulty at most this (objects without a difficulty are left out).", INTEGER),
    _q("min_time", "Estimated time (minutes) at least this.", INTEGER),
    _q("max_time", "Estimated time (minutes) at most this.", INTEGER),
]

PATH_SEARCH_PARAMS = [
    _q(
        "all",
        "Dwengo's pattern match `/.*<all>.*/i`: the **whole value**, as one piece of text (not word by word), "
        "occurs case-insensitively in the title, the description, the hruid or the space-joined keywords, "
        "also inside a word (`p lear` finds *Deep learning*). The value is matched as literal text: Dwengo "
        "ran it as a JavaScript regular expression, we never run a client's pattern (one can take the "
        "server minutes). Combined with the other filters by AND (Dwengo ignored them when `all` was given).",
        STRING,
        "neuron",
    ),
    _q("language", "Exact language code (default: every language).", STRING, "nl"),
    _q(
        "min_age",
        "Paths whose age range overlaps [min_age, max_age]; a path without an age bound is open on that side.",
        INTEGER,
        12,
    ),
    _q("max_age", "See `min_age`.", INTEGER, 14),
    _q("title", "Case-insensitive substring of the title.", STRING),
    _q("description", "Case-insensitive substring of the description.", STRING),
    _q("hruid", "Case-insensitive substring of the hruid.", STRING),
    _q("keywords", "Case-insensitive substring of the space-joined keywords.", STRING),
]

REF = "#/components/schemas/"


def _json(description: str, schema: dict) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _html(description: str) -> dict:
    return {"description": description, "content": {"text/html": {"schema": {"type": "string"}}}}


ERROR_400 = _json("Bad parameters (e.g. a non-integer version or malformed JSON).", {"$ref": REF + "Error"})
ERROR_401 = _json("An `Authorization: Token` header with an unknown or revoked key.", {"$ref": REF + "Error"})
ERROR_404 = _json(
    "Nothing visible to the caller matches. Teacher-exclusive content is a 404 (not a 403) for "
    "anyone but a teacher, so that its existence does not leak.",
    {"$ref": REF + "Error"},
)

PATH_ARRAY = {"type": "array", "items": {"$ref": REF + "LearningPath"}}


def _op(op_id: str, summary: str, description: str, params: list, responses: dict, tag: str) -> dict:
    return {
        "get": {
            "operationId": op_id,
            "summary": summary,
            "description": description,
            "tags": [tag],
            "parameters": params,
            "responses": responses,
        }
    }


PATHS = {
    "/": {
        "get": {
            "operationId": "docs",
            "summary": "This documentation as an HTML page",
            "tags": ["docs"],
            "parameters": [],
            "responses": {"200": _html("Readable HTML of this OpenAPI document.")},
        }
    },
    "/docs": {
        "get": {
            "operationId": "docsAlias",
            "summary": "Same as `/`",
            "tags": ["docs"],
            "parameters": [],
            "responses": {"200": _html("Readable HTML of this OpenAPI document.")},
        }
    },
    "/openapi.json": {
        "get": {
            "operationId": "openapi",
            "summary": "This OpenAPI 3.1 document",
            "tags": ["docs"],
            "parameters": [],
            "responses": {"200": _json("The OpenAPI document.", {"type": "object"})},
        }
    },
    "/learningObject/getRaw": _op(
        "getRaw",
        "A learning object's HTML fragment",
        "The rendered HTML the caller may see: with teacher-only blocks for teachers, without for everyone "
        "else. Root-relative links are made absolute. Math is TeX in Dwengo's delimiters, `\\( \\)` in "
        "`span.math.inline` and `\\[ \\]` in `div.math.display`, for the client's MathJax or KaTeX. Embeds "
        "(YouTube, `@extern`, `@notebook`) are live iframes: the client decides on consent. A Blockly program "
        "is `figure.lp-blockly` with its XML. With `redirect` and `content_type` `extern`, a 302 to "
        "`content_location`.",
        [
            *LOOKUP_PARAMS,
            _q(
                "redirect",
                "Any value but `false`/`0`/`no`: redirect extern objects to their content_location.",
                STRING,
                "true",
            ),
        ],
        {
            "200": _html("The HTML fragment."),
            "302": {"description": "Redirect to an extern object's URL."},
            "400": ERROR_400,
            "401": ERROR_401,
            "404": ERROR_404,
        },
        "learningObject",
    ),
    "/learningObject/getWrapped": _op(
        "getWrapped",
        "A learning object as a full HTML page",
        "A complete page with the content (as getRaw has it) in `section.learning-object-content`: it "
        "typesets math, highlights code and draws Blockly programs as read-only blocks, with this site's own "
        "files only. Embeds are live iframes. May be embedded in an iframe.",
        LOOKUP_PARAMS,
        {"200": _html("The HTML page."), "400": ERROR_400, "401": ERROR_401, "404": ERROR_404},
        "learningObject",
    ),
    "/learningObject/getMetadata": _op(
        "getMetadata",
        "A learning object's metadata",
        "Dwengo's metadata document.",
        LOOKUP_PARAMS,
        {
            "200": _json("The metadata.", {"$ref": REF + "LearningObjectMetadata"}),
            "400": ERROR_400,
            "401": ERROR_401,
            "404": ERROR_404,
        },
        "learningObject",
    ),
    "/learningObject/search": _op(
        "searchLearningObjects",
        "Search learning objects",
        "All given filters must hold (AND). Returns every matching version, ordered by hruid, language and "
        "descending version. Empty parameters count as absent; unknown parameters are ignored.",
        SEARCH_PARAMS,
        {
            "200": _json("Matching objects.", {"type": "array", "items": {"$ref": REF + "LearningObjectMetadata"}}),
            "400": ERROR_400,
            "401": ERROR_401,
        },
        "learningObject",
    ),
    "/learningObject/getFrequentKeywords": _op(
        "getFrequentKeywords",
        "The five most used keywords",
        "Over the latest versions of available, non-teacher-exclusive objects; empty keywords are ignored; "
        "ties in alphabetical order.",
        [],
        {"200": _json("Up to five keywords.", {"type": "array", "items": {"type": "string"}}), "401": ERROR_401},
        "learningObject",
    ),
    "/learningPath/search": _op(
        "searchLearningPaths",
        "Search learning paths",
        "All given filters must hold (AND; Dwengo OR-ed them). Ordered by title.",
        PATH_SEARCH_PARAMS,
        {"200": _json("Matching paths.", PATH_ARRAY), "400": ERROR_400, "401": ERROR_401},
        "learningPath",
    ),
    "/learningPath/getPathsFromIdList": _op(
        "getPathsFromIdList",
        "Learning paths by hruid",
        "Paths in the order of the list; unknown hruids are skipped. Without `language`, every language of each "
        "hruid (alphabetically); Dwengo answered [] then.",
        [
            _q(
                "pathIdList",
                'JSON object `{"hruids": [...]}` (a bare JSON array is accepted too).',
                {"type": "string", "contentMediaType": "application/json"},
                '{"hruids":["deep"]}',
                required=True,
            ),
            _q("language", "Language code; absent: all languages.", STRING, "en"),
        ],
        {"200": _json("The paths.", PATH_ARRAY), "400": ERROR_400, "401": ERROR_401},
        "learningPath",
    ),
    "/learningPath/languages": _op(
        "learningPathLanguages",
        "Languages of the visible paths",
        "Distinct, sorted.",
        [],
        {"200": _json("Language codes.", {"type": "array", "items": {"type": "string"}}), "401": ERROR_401},
        "learningPath",
    ),
    "/learningPath/{hruid}/{language}": _op(
        "getLearningPath",
        "One learning path with its nodes",
        "For anyone but a teacher, teacher-exclusive nodes are removed and the transitions that led to them "
        "are replaced by theirs; a hidden start node passes its role to the nodes after it. "
        "`num_nodes_left` counts the nodes the caller has not completed.",
        [_p("hruid", "The path's hruid.", "deep"), _p("language", "The path's language.", "en")],
        {"200": _json("The path.", {"$ref": REF + "LearningPath"}), "401": ERROR_401, "404": ERROR_404},
        "learningPath",
    ),
}

_NULLABLE_INT = {"type": ["integer", "null"]}
_STRINGS = {"type": "array", "items": {"type": "string"}}
_NUMBERS = {"type": "array", "items": {"type": "number"}}
_OBJECT_FIELDS = {
    "uuid": STRING,
    "title": STRING,
    "description": STRING,
    "keywords": _STRINGS,
    "educational_goals": {"type": "array", "items": {"type": "object", "properties": {"source": STRING, "id": STRING}}},
    "copyright": STRING,
    "licence": STRING,
    "content_type": STRING,
    "available": BOOLEAN,
    "target_ages": _NUMBERS,
    "difficulty": _NULLABLE_INT,
    "return_value": {
        "type": ["object", "null"],
        "properties": {"callback_url": STRING, "callback_schema": {"type": "object"}},
    },
    "content_location": STRING,
    "estimated_time": {"type": "integer", "description": "Minutes."},
    "skos_concepts": _STRINGS,
    "teacher_exclusive": BOOLEAN,
    "aspect_ratio": STRING,
    "created_at": {"type": "string", "format": "date-time"},
    "updatedAt": {"type": "string", "format": "date-time"},
}
# Dwengo's path nodes carry the object's metadata except content_location.
_NODE_FIELDS = {name: schema for name, schema in _OBJECT_FIELDS.items() if name != "content_location"}
_ERROR_FIELDS = {
    "error": {
        "type": "string",
        "enum": sorted({*CODES.values(), *SPECIAL_CODES}),
        "description": "A stable code: "
        + ", ".join(f"`{code}` ({status})" for status, code in CODES.items())
        + "; "
        + "; ".join(f"`{code}`: {why}" for code, why in SPECIAL_CODES.items())
        + ".",
    },
    "detail": {"type": "string", "description": "A human-readable explanation, in words a person can act on."},
}

SCHEMAS = {
    # The one error shape of the API, the demos and the site (core/errors.py), used by every route.
    "Error": {"type": "object", "required": ["error", "detail"], "properties": _ERROR_FIELDS},
    "RateLimited": {
        "type": "object",
        "required": ["error", "detail", "retry_after"],
        "properties": {
            **_ERROR_FIELDS,
            "retry_after": {
                "type": "integer",
                "description": "Seconds until the rate-limit window resets (also in the `Retry-After` header).",
            },
        },
    },
    "LearningObjectMetadata": {
        "type": "object",
        "required": ["_id", "hruid", "version", "language", *_OBJECT_FIELDS],
        "properties": {
            "_id": {
                "type": "string",
                "description": "Stable id `<hruid>/<language>/<version>` (not a row id).",
                "example": "intro/en/1",
            },
            "hruid": STRING,
            "version": INTEGER,
            "language": STRING,
            **_OBJECT_FIELDS,
        },
    },
    "Transition": {
        "type": "object",
        "required": ["_id", "default", "condition", "next"],
        "properties": {
            "_id": {
                "type": "string",
                "description": "Unique in the answer and stable between builds: `<node _id>-><next object _id>` "
                "(`#2`, `#3` ... for further transitions of one node to the same next node).",
            },
            "default": BOOLEAN,
            "condition": {"type": "string", "description": "JSONPath; empty = unconditional."},
            "next": {
                "type": "object",
                "required": ["hruid", "version", "language"],
                "properties": {"hruid": STRING, "version": INTEGER, "language": STRING},
            },
        },
    },
    "PathNode": {
        "type": "object",
        "required": ["_id", "learningobject_hruid", "language", "version", "start_node", "transitions", *_NODE_FIELDS],
        "properties": {
            "_id": {
                "type": "string",
                "description": "Unique in the answer (several paths included) and stable between builds: "
                "`<path _id>:<object _id>`, e.g. `deep/en:intro/en/3`. The object is named by "
                "`learningobject_hruid`, `language` and `version`, as in Dwengo.",
            },
            "learningobject_hruid": STRING,
            "language": STRING,
            "version": INTEGER,
            "start_node": BOOLEAN,
            "transitions": {"type": "array", "items": {"$ref": REF + "Transition"}},
            **_NODE_FIELDS,
        },
    },
    "LearningPath": {
        "type": "object",
        "required": [
            "_id",
            "language",
            "hruid",
            "title",
            "description",
            "image",
            "num_nodes",
            "num_nodes_left",
            "nodes",
            "keywords",
            "target_ages",
            "min_age",
            "max_age",
        ],
        "properties": {
            "_id": {
                "type": "string",
                "description": "Stable id `<hruid>/<language>`; `/api/learningPath/<_id>` is the path.",
                "example": "deep/en",
            },
            "language": STRING,
            "hruid": STRING,
            "title": STRING,
            "description": STRING,
            "image": {"type": ["string", "null"], "contentEncoding": "base64"},
            "num_nodes": {"type": "integer", "description": "Nodes the caller can see."},
            "num_nodes_left": {"type": "integer", "description": "Of those, the ones the caller has not completed."},
            "nodes": {"type": "array", "items": {"$ref": REF + "PathNode"}},
            "keywords": {"type": "string", "description": "Space-joined keywords."},
            "target_ages": _NUMBERS,
            "min_age": _NULLABLE_INT,
            "max_age": _NULLABLE_INT,
        },
    },
}

# The server demos (learningpaths/demos, mounted at /api/demos/): ours, not Dwengo's. The predict
# route is answered by the WSGI and ASGI fast paths (demos/fastpath.py) with the same JSON.
_ERROR = {"$ref": REF + "Error"}
_FLOAT_ROWS = {"type": "array", "items": _NUMBERS}
SCHEMAS.update(
    {
        "DemoModel": {
            "type": "object",
            "required": ["name", "title", "input_shape", "labels", "ready", "card"],
            "properties": {
                "name": STRING,
                "title": STRING,
                "input_shape": {"type": "array", "items": INTEGER, "description": "One sample, no batch axis."},
                "labels": {"type": "array", "items": STRING},
                "ready": {"type": "boolean", "description": "The model file is on this server."},
                "card": {
                    "type": ["object", "null"],
                    "description": "The model card written by `trainmodels`: "
                    "data, accuracy, size, engine version, ONNX Runtime agreement.",
                },
            },
        },
        "DemoStatus": {
            "type": "object",
            "required": ["available_providers", "providers", "device", "models"],
            "properties": {
                "available_providers": {
                    "type": "array",
                    "items": STRING,
                    "description": "What ONNX Runtime offers on this server.",
                },
                "providers": {
                    "type": "array",
                    "items": STRING,
                    "description": "The ones the sessions use, in order of preference.",
                },
                "device": {"type": "string", "enum": ["cpu", "gpu"]},
                "models": {"type": "array", "items": {"$ref": REF + "DemoModel"}},
            },
        },
        "DemoInput": {
            "type": "object",
            "required": ["input"],
            "properties": {
                "input": {
                    "type": "array",
                    "description": "Numbers in the model's value range (0..1 for the digits), "
                    "nested or flat: a multiple of the sample size (64 for the 8x8 digits), at most 16 samples, "
                    "at most 64 KiB of JSON.",
                }
            },
        },
        "FeatureMaps": {
            "type": "object",
            "required": ["shape", "min", "max", "uint8"],
            "properties": {
                "shape": {"type": "array", "items": INTEGER, "description": "[samples, maps, height, width]"},
                "min": {**_FLOAT_ROWS, "description": "Each map's minimum, per sample."},
                "max": {**_FLOAT_ROWS, "description": "Each map's maximum, per sample."},
                "uint8": {
                    "type": "string",
                    "contentEncoding": "base64",
                    "description": "One byte per value, row-major in `shape`; value = min + byte / 255 * (max - min).",
                },
            },
        },
        "Prediction": {
            "type": "object",
            "required": ["model", "provider", "labels", "probabilities", "predictions"],
            "properties": {
                "model": STRING,
                "provider": {"type": "string", "description": "The ONNX Runtime provider that ran it."},
                "labels": {"type": "array", "items": STRING},
                "probabilities": {**_FLOAT_ROWS, "description": "One row per sample, one column per label."},
                "predictions": {"type": "array", "items": STRING, "description": "The likeliest label per sample."},
                "feature_maps": {"$ref": REF + "FeatureMaps"},
            },
        },
        "LatentInput": {
            "type": "object",
            "required": ["latent"],
            "additionalProperties": False,
            "properties": {
                "latent": {
                    "type": "array",
                    "items": {**_NUMBERS, "minItems": 16, "maxItems": 16},
                    "minItems": 1,
                    "maxItems": 64,
                    "description": "Latent points of 16 numbers each, every coordinate in [-1000, 1000]; the "
                    "autoencoder's card (on the status route) holds each class's mean point and a style "
                    "direction to move between. At most 32 KiB of JSON.",
                }
            },
        },
        "Encoded": {
            "type": "object",
            "required": ["model", "provider", "latent", "reconstruction"],
            "properties": {
                "model": STRING,
                "provider": {"type": "string", "description": "The ONNX Runtime provider that ran it."},
                "latent": {**_FLOAT_ROWS, "description": "Each drawing's latent point (16 numbers)."},
                "reconstruction": {
                    "$ref": REF + "FeatureMaps",
                    "description": "What the decoder paints back, (n, 1, 32, 32), 8 bits per pixel.",
                },
            },
        },
        "Decoded": {
            "type": "object",
            "required": ["model", "provider", "images"],
            "properties": {
                "model": {"type": "string", "description": "The decoder's model (the autoencoder's `decoder`)."},
                "provider": {"type": "string", "description": "The ONNX Runtime provider that ran it."},
                "images": {
                    "$ref": REF + "FeatureMaps",
                    "description": "One glyph per latent point, (n, 1, 32, 32), 8 bits per pixel.",
                },
            },
        },
        "GenerateInput": {
            "type": "object",
            "properties": {
                "language": {"type": "string", "enum": ["nl", "en"], "description": "The word list's language."},
                "temperature": {"type": "number", "minimum": 0.1, "maximum": 2, "default": 0.8},
                "start": {"type": "string", "maxLength": 8, "description": "Letters the word starts with."},
                "count": {"type": "integer", "minimum": 1, "maximum": 8, "default": 1},
                "seed": {"type": "integer", "description": "Makes the letters drawn repeatable."},
            },
        },
        "Generated": {
            "type": "object",
            "required": ["model", "provider", "language", "temperature", "start", "words"],
            "properties": {
                "model": STRING,
                "provider": {"type": "string", "description": "The ONNX Runtime provider that ran it."},
                "language": STRING,
                "temperature": {"type": "number"},
                "start": STRING,
                "words": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["word", "known", "steps", "attention"],
                        "properties": {
                            "word": STRING,
                            "known": {"type": "boolean", "description": "The word is in the language's word list."},
                            "steps": {
                                "type": "array",
                                "description": "Each letter drawn, with the probability the model gave it.",
                                "items": {
                                    "type": "object",
                                    "properties": {"token": STRING, "probability": {"type": "number"}},
                                },
                            },
                            "attention": {
                                "type": "object",
                                "description": "The last layer's attention, head-averaged: `weights[i][j]` is how "
                                "much token i looks at token j (the language token first).",
                                "properties": {
                                    "tokens": {"type": "array", "items": STRING},
                                    "weights": _FLOAT_ROWS,
                                },
                            },
                        },
                    },
                },
            },
        },
    }
)
PATHS.update(
    {
        "/demos/": {
            "get": {
                "operationId": "demoStatus",
                "summary": "The server demo models and ONNX Runtime's providers",
                "description": "Which models this server can run, their model cards, and whether inference runs "
                "on a GPU (`CUDAExecutionProvider`) or the CPU.",
                "tags": ["demos"],
                "parameters": [],
                "responses": {"200": _json("The status.", {"$ref": REF + "DemoStatus"})},
            }
        },
        "/demos/{name}/predict": {
            "post": {
                "operationId": "demoPredict",
                "summary": "Run a server demo model on samples",
                "description": "Requests that arrive together run as one batch. Rate-limited per browser "
                "(session cookie, else address; `DEMO_RATE_LIMIT` per minute) and per address "
                "(`DEMO_ADDRESS_RATE_LIMIT`). "
                "No CSRF token needed: it changes nothing on the server.",
                "tags": ["demos"],
                "parameters": [_p("name", "The demo model, e.g. `digits-cnn` or `digits-mlp`.", "digits-cnn")],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": {"$ref": REF + "DemoInput"}, "example": {"input": [[0.0] * 64]}}
                    },
                },
                "responses": {
                    "200": _json(
                        "The model's answer; `feature_maps` for models that have them (the CNN).",
                        {"$ref": REF + "Prediction"},
                    ),
                    "400": _json("The input is not valid (shape, type, range, size); the detail says how.", _ERROR),
                    "404": _json("No demo of that name.", _ERROR),
                    "405": _json("Any method but POST.", _ERROR),
                    "422": _json("The model produced no valid answer (NaN) for this input.", _ERROR),
                    "429": _json("Too many requests; see `retry_after`.", {"$ref": REF + "RateLimited"}),
                    "503": _json("The model is not on this server, or no answer came within `DEMO_TIMEOUT`.", _ERROR),
                },
            }
        },
        "/demos/{name}/encode": {
            "post": {
                "operationId": "demoEncode",
                "summary": "Encode drawings with an autoencoder: latent points and reconstructions",
                "description": "The glyph autoencoder squeezes each 32x32 drawing (values 0..1) into a latent "
                "point of 16 numbers and paints it back, cleaned up. Rate- and time-limited like predict, one "
                "count shared with decode; no CSRF token needed: it changes nothing on the server.",
                "tags": ["demos"],
                "parameters": [_p("name", "The autoencoder model.", "glyphs-autoencoder")],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {"$ref": REF + "DemoInput"},
                            "example": {"input": [[0.0] * 1024]},
                        }
                    },
                },
                "responses": {
                    "200": _json("Each drawing's latent point and reconstruction.", {"$ref": REF + "Encoded"}),
                    "400": _json("The input is not valid (shape, type, range, size); the detail says how.", _ERROR),
                    "404": _json("No autoencoder of that name.", _ERROR),
                    "405": _json("Any method but POST.", _ERROR),
                    "413": _json("The body is larger than 64 KiB.", _ERROR),
                    "415": _json("The body is not JSON.", _ERROR),
                    "422": _json("The model produced no valid answer (NaN) for this input.", _ERROR),
                    "429": _json("Too many requests; see `retry_after`.", {"$ref": REF + "RateLimited"}),
                    "503": _json("The model is not on this server, or no answer came within `DEMO_TIMEOUT`.", _ERROR),
                },
            }
        },
        "/demos/{name}/decode": {
            "post": {
                "operationId": "demoDecode",
                "summary": "Paint glyphs from latent points with an autoencoder's decoder",
                "description": "The glyph explorer sends a whole morph (11 points between two classes' mean "
                "points) at once. Rate- and time-limited like predict, one count shared with encode; no CSRF "
                "token needed: it changes nothing on the server.",
                "tags": ["demos"],
                "parameters": [_p("name", "The autoencoder model.", "glyphs-autoencoder")],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {"$ref": REF + "LatentInput"},
                            "example": {"latent": [[0.0] * 16]},
                        }
                    },
                },
                "responses": {
                    "200": _json("One glyph per latent point.", {"$ref": REF + "Decoded"}),
                    "400": _json("The points are not valid (count, length, type, range); the detail says how.", _ERROR),
                    "404": _json("No autoencoder of that name.", _ERROR),
                    "405": _json("Any method but POST.", _ERROR),
                    "413": _json("The body is larger than 32 KiB.", _ERROR),
                    "415": _json("The body is not JSON.", _ERROR),
                    "422": _json("The model produced no valid answer (NaN).", _ERROR),
                    "429": _json("Too many requests; see `retry_after`.", {"$ref": REF + "RateLimited"}),
                    "503": _json("The model is not on this server, or no answer came within `DEMO_TIMEOUT`.", _ERROR),
                },
            }
        },
        "/demos/{name}/generate": {
            "post": {
                "operationId": "demoGenerate",
                "summary": "Invent words letter by letter with a generator model",
                "description": "The word transformer draws one letter at a time at the given temperature and "
                "answers each word with its letters' probabilities and its attention weights. Rate- and "
                "time-limited like predict; no CSRF token needed: it changes nothing on the server.",
                "tags": ["demos"],
                "parameters": [_p("name", "The generator model.", "words-transformer")],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {"$ref": REF + "GenerateInput"},
                            "example": {"language": "nl", "temperature": 0.8, "start": "ka", "count": 3},
                        }
                    },
                },
                "responses": {
                    "200": _json("The invented words.", {"$ref": REF + "Generated"}),
                    "400": _json("A field is not valid (range, letters, size); the detail says how.", _ERROR),
                    "404": _json("No generator of that name.", _ERROR),
                    "405": _json("Any method but POST.", _ERROR),
                    "413": _json("The body is larger than 1 KiB.", _ERROR),
                    "415": _json("The body is not JSON.", _ERROR),
                    "422": _json("The model produced no valid answer (NaN).", _ERROR),
                    "429": _json("Too many requests; see `retry_after`.", {"$ref": REF + "RateLimited"}),
                    "503": _json(
                        "The model is not on this server, or the word took longer than `DEMO_TIMEOUT`.", _ERROR
                    ),
                },
            }
        },
    }
)

DESCRIPTION = """\
A read-only API compatible with Dwengo's `/api/learningObject/*` and `/api/learningPath/*` (same routes,
parameter names and response fields), with these differences:

* Errors are JSON `{"error": code, "detail": message}` with a real status: 400 for bad parameters, 404 for
  unknown ids, 401 for a bad token. Dwengo answered 200 with a text message. The demos and the site's own
  JSON endpoints answer errors in the same shape.
* A lookup without a version returns the latest version.
* Search filters are combined with AND. `searchTerm` (objects) matches any of its words, ranked; `all`
  (paths) is Dwengo's case-insensitive pattern match of the whole value, as literal text; see each
  parameter.
* `getPathsFromIdList` without `language` returns every language.
* Teacher-only content (teacher-exclusive objects and path nodes, teacher-only blocks in HTML) is served only
  to a signed-in teacher (session cookie) or with a teacher's API token (`Authorization: Token <key>`,
  created with `manage.py create_api_token USERNAME`). A student's token sees what students see. The same
  header works on the file URLs the HTML links to (`/objects/<hruid>/<language>/<version>/assets/...`, a
  path's `/paths/<hruid>/<language>/image`), so a teacher's client gets the images of teacher-only material;
  there an unknown or revoked token is a 401 too. For
  everyone else a teacher-exclusive object is a 404, not a 403, so its existence does not leak.
* CORS: answers to anonymous requests carry `Access-Control-Allow-Origin: *` (never with credentials).
* `_id` is stable between builds: `<hruid>/<language>/<version>` for objects, `<hruid>/<language>` for
  paths, `<path _id>:<object _id>` for path nodes and `<node _id>-><next object _id>` for transitions (unique
  in every answer; Dwengo's nodes reused the object's id).

Not in Dwengo: the server demos under `/demos/` (ONNX Runtime models that lesson widgets call).
"""

DOCUMENT = {
    "openapi": "3.1.0",
    # "version" is the API's; the extension names the release of the software answering it.
    "info": {
        "title": "learningpaths API (Dwengo-compatible)",
        "version": "1.0.0",
        "description": DESCRIPTION,
        "x-learningpaths-version": __version__,
    },
    "servers": [{"url": "/api"}],
    "tags": [{"name": "learningObject"}, {"name": "learningPath"}, {"name": "docs"}, {"name": "demos"}],
    "paths": PATHS,
    "components": {
        "schemas": SCHEMAS,
        "securitySchemes": {
            "apiToken": {
                "type": "apiKey",
                "in": "header",
                "name": "Authorization",
                "description": "`Token <key>`. Optional: without it (and without a session) you are anonymous.",
            }
        },
    },
    "security": [{}, {"apiToken": []}],
}


def openapi_document(*, server_url: str | None = None) -> dict:
    document = copy.deepcopy(DOCUMENT)
    if server_url:
        document["servers"] = [{"url": server_url}]
    return document
