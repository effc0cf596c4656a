"""The Dwengo-compatible read-only API. Thin: parse and validate parameters, call a selector,
serialise. Errors are JSON ``{"error": code, "detail": message}`` (core/errors.py, the shape of the
whole site) with a real status (Dwengo answered 200 text).

Who is asking: ``Authorization: Token <key>`` (see auth.py), else the session, else anonymous.
Teacher-only content is served only to teachers; to everyone else a teacher-exclusive object is
a 404, exactly like a missing one, so its existence does not leak (a 403 would confirm it)."""

from __future__ import annotations

import functools
import json
import math
import re

from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.safestring import mark_safe
from django.views.decorators.clickjacking import xframe_options_exempt

from learningpaths.core import bodies
from learningpaths.core.errors import json_error
from learningpaths.paths.selectors import object_html

from . import selectors, serializers
from .auth import InvalidToken, api_user, uses_credentials
from .openapi import openapi_document

MAX_INT = 2**31 - 1
MAX_LIST = 500


class BadRequest(Exception):
    def __init__(self, detail: str):
        super().__init__(detail)
        self.detail = detail


# --------------------------------------------------------------------------------------- parameters


class Params:
    """Typed access to the query string. Empty values count as absent (``?version=`` = no version).
    Messages never echo the value, so an error body cannot repeat a hidden object's name."""

    def __init__(self, request):
        self.query = request.GET

    def str(self, name: str) -> str | None:
        values = self.query.getlist(name)
        if not values:
            return None
        if len(values) > 1:
            raise BadRequest(f"'{name}' is given more than once.")
        value = values[0]
        if "\x00" in value:
            raise BadRequest(f"'{name}' contains a NUL character.")
        if len(value) > 2000:
            raise BadRequest(f"'{name}' is too long (at most 2000 characters).")
        return value if value.strip() else None

    def int(self, name: str) -> int | None:
        raw = self.str(name)
        if raw is None:
            return None
        text = raw.strip()
        # Dwengo's numbers may arrive as "3" or "3.0"; anything else is a client error.
        if not re.fullmatch(r"[+-]?\d{1,12}(\.0*)?", text):
            raise BadRequest(f"'{name}' must be an integer.")
        value = int(float(text)) if "." in text else int(text)
        if abs(value) > MAX_INT:
            raise BadRequest(f"'{name}' is out of range.")
        return value

    def bool(self, name: str) -> bool | None:
        raw = self.str(name)
        if raw is None:
            return None
        text = raw.strip().lower()
        if text in ("true", "1", "yes"):
            return True
        if text in ("false", "0", "no"):
            return False
        raise BadRequest(f"'{name}' must be true or false.")

    def json(self, name: str):
        raw = self.str(name)
        if raw is None:
            return None
        invalid = f"'{name}' must be valid JSON."
        try:  # a list of ids or ages: shallow, short numbers (core/bodies.py)
            return bodies.json_value(raw, max_bytes=2000, max_depth=4, invalid=invalid)
        except bodies.BodyRefused as exc:
            raise BadRequest(exc.detail if exc.detail == invalid else f"'{name}': {exc.detail}") from None

    def json_list(self, name: str, kind: type) -> list | None:
        """A JSON array (a single JSON value counts as a one-item array) of strings or numbers."""
        value = self.json(name)
        if value is None:
            return None
        items = value if isinstance(value, list) else [value]
        if len(items) > MAX_LIST:
            raise BadRequest(f"'{name}' has too many items (at most {MAX_LIST}).")
        for item in items:
            ok = (
                isinstance(item, str)
                if kind is str
                else isinstance(item, (int, float)) and not isinstance(item, bool) and math.isfinite(item)
            )
            if not ok:
                raise BadRequest(f"'{name}' must be a JSON array of {'strings' if kind is str else 'numbers'}.")
        return items


# ------------------------------------------------------------------------------------------ plumbing


def api_endpoint(*, params: tuple[str, ...]):
    """Wrap a GET view: resolve the user, turn Http404/BadRequest into JSON, add CORS and Vary.

    ``params`` are the query parameters the view reads; the OpenAPI test checks they are documented.
    CORS: ``Access-Control-Allow-Origin: *`` only on answers to anonymous requests (no session
    user, no token), never with ``Allow-Credentials``; credentialed answers are ``private``."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method == "OPTIONS":
                response = HttpResponse(status=204)
                response["Access-Control-Allow-Origin"] = "*"
                response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
                response["Access-Control-Max-Age"] = "86400"
                response["Allow"] = "GET, HEAD, OPTIONS"
                return response
            user = None
            if request.method not in ("GET", "HEAD"):
                response = json_error(405, "This API is read-only: use GET.")
                response["Allow"] = "GET, HEAD, OPTIONS"
            else:
                try:
                    user = api_user(request)
                    request.api_user = user
                    response = view(request, *args, **kwargs)
                except InvalidToken:
                    response = json_error(401, "The API token is unknown, revoked or inactive.", code="invalid_token")
                    response["WWW-Authenticate"] = 'Token realm="api"'
                except BadRequest as exc:
                    response = json_error(400, exc.detail)
                except Http404 as exc:
                    response = json_error(404, str(exc) or "Not found.")
            patch_vary_headers(response, ("Cookie", "Authorization"))
            session_user = getattr(request.user, "is_authenticated", False)
            if user is not None and uses_credentials(request, user):
                patch_cache_control(response, private=True)
            elif "HTTP_AUTHORIZATION" not in request.META and not session_user:
                response["Access-Control-Allow-Origin"] = "*"
            return response

        wrapper.api_params = params
        return wrapper

    return decorate


def json_response(data, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


# ---------------------------------------------------------------------------------- learning objects

OBJECT_LOOKUP = ("hruid", "language", "version", "uuid")


def _lookup(request, *, heavy: bool = True):
    p = Params(request)
    ids = {"hruid": p.str("hruid"), "language": p.str("language"), "version": p.int("version"), "uuid": p.str("uuid")}
    if ids["hruid"] is None and ids["uuid"] is None:
        raise BadRequest("Give 'hruid' (with 'language' and optionally 'version') or 'uuid'.")
    return selectors.object_lookup(user=request.api_user, heavy=heavy, **ids)


@api_endpoint(params=(*OBJECT_LOOKUP, "redirect"))
def get_raw(request):
    obj = _lookup(request)
    redirect = Params(request).query.get("redirect")
    if redirect is not None and redirect.strip().lower() not in ("false", "0", "no"):
        location = obj.content_location.strip()
        if obj.content_type == "extern" and re.match(r"https?://", location, re.IGNORECASE):
            return HttpResponseRedirect(location)
    html = object_html(obj=obj, user=request.api_user, live_embeds=True)
    return HttpResponse(_absolute_urls(request, html), content_type="text/html; charset=utf-8")


def _absolute_urls(request, html: str) -> str:
    """Make root-relative ``src``/``href`` absolute, so the fragment works on another site (Dwengo
    resolves its placeholders to absolute URLs too)."""
    origin = request.build_absolute_uri("/").rstrip("/")
    return re.sub(r'(\s(?:src|href|poster|data)=")/(?!/)', lambda m: f"{m.group(1)}{origin}/", html)


@api_endpoint(params=OBJECT_LOOKUP)
@xframe_options_exempt
def get_wrapped(request):
    obj = _lookup(request)
    html = object_html(obj=obj, user=request.api_user, live_embeds=True)
    # The compiler sanitised this HTML (nh3); this mark_safe is the API's only one on content.
    return render(request, "api/wrapped.html", {"obj": obj, "content": mark_safe(html)})


@api_endpoint(params=OBJECT_LOOKUP)
def get_metadata(request):
    return json_response(serializers.object_metadata(_lookup(request, heavy=False)))


SEARCH_EXACT = {
    "uuid": "str",
    "hruid": "str",
    "version": "int",
    "language": "str",
    "content_type": "str",
    "teacher_exclusive": "bool",
    "available": "bool",
}
SEARCH_PARAMS = (
    "searchTerm",
    *SEARCH_EXACT,
    "title",
    "description",
    "target_ages",
    "keywords",
    "skos_concepts",
    "min_difficulty",
    "max_difficulty",
    "min_time",
    "max_time",
)


@api_endpoint(params=SEARCH_PARAMS)
def search_objects(request):
    p = Params(request)
    exact = {}
    for name, kind in SEARCH_EXACT.items():
        value = getattr(p, kind)(name)
        if value is not None:
            exact[name] = value
    filters = selectors.ObjectFilters(
        search_term=p.str("searchTerm"),
        exact=exact,
        title=p.str("title"),
        description=p.str("description"),
        target_ages=p.json_list("target_ages", float),
        keywords=p.json_list("keywords", str),
        skos_concepts=p.json_list("skos_concepts", str),
        min_difficulty=p.int("min_difficulty"),
        max_difficulty=p.int("max_difficulty"),
        min_time=p.int("min_time"),
        max_time=p.int("max_time"),
    )
    objects = selectors.object_search(user=request.api_user, filters=filters)
    return json_response([serializers.object_metadata(o) for o in objects])


@api_endpoint(params=())
def frequent_keywords(request):
    return json_response(selectors.frequent_keywords())


# ------------------------------------------------------------------------------------ learning paths


def _path_json(view) -> dict:
    return serializers.path_document(
        view.path, views=view.views, starts=view.starts, keywords=view.keywords, done=view.done
    )


PATH_SEARCH_PARAMS = ("all", "language", "min_age", "max_age", "title", "description", "hruid", "keywords")


@api_endpoint(params=PATH_SEARCH_PARAMS)
def search_paths(request):
    p = Params(request)
    filters = selectors.PathFilters(
        all=p.str("all"),
        language=p.str("language"),
        min_age=p.int("min_age"),
        max_age=p.int("max_age"),
        title=p.str("title"),
        description=p.str("description"),
        hruid=p.str("hruid"),
        keywords=p.str("keywords"),
    )
    return json_response([_path_json(v) for v in selectors.path_search(user=request.api_user, filters=filters)])


@api_endpoint(params=("pathIdList", "language"))
def paths_from_id_list(request):
    p = Params(request)
    id_list = p.json("pathIdList")
    if id_list is None:
        raise BadRequest('\'pathIdList\' is required, e.g. pathIdList={"hruids":["a","b"]}.')
    hruids = id_list.get("hruids") if isinstance(id_list, dict) else id_list if isinstance(id_list, list) else None
    if not isinstance(hruids, list) or not all(isinstance(h, str) for h in hruids):
        raise BadRequest("'pathIdList' must be a JSON object {\"hruids\": [strings]}.")
    if len(hruids) > MAX_LIST:
        raise BadRequest(f"'pathIdList' has too many hruids (at most {MAX_LIST}).")
    views = selectors.paths_from_ids(user=request.api_user, hruids=hruids, language=p.str("language"))
    return json_response([_path_json(v) for v in views])


@api_endpoint(params=())
def path_languages(request):
    return json_response(selectors.path_languages(user=request.api_user))


@api_endpoint(params=())
def path_detail(request, hruid: str, language: str):
    return json_response(_path_json(selectors.path_detail(user=request.api_user, hruid=hruid, language=language)))


# --------------------------------------------------------------------------------------------- docs


@api_endpoint(params=())
def openapi_json(request):
    return json_response(openapi_document(server_url=request.build_absolute_uri("/api")))


@api_endpoint(params=())
def docs(request):
    document = openapi_document(server_url=request.build_absolute_uri("/api"))
    schemas = [
        (name, [(field, json.dumps(fs, ensure_ascii=False)) for field, fs in schema.get("properties", {}).items()])
        for name, schema in document["components"]["schemas"].items()
    ]
    return render(request, "api/docs.html", {"doc": document, "operations": _operations(document), "schemas": schemas})


def _operations(document: dict) -> list[dict]:
    """The OpenAPI document flattened for the HTML page."""
    out = []
    for route, item in document["paths"].items():
        for method, op in item.items():
            params = []
            for prm in op.get("parameters", []):
                schema = prm.get("schema", {})
                params.append(
                    {
                        **prm,
                        "type": schema.get("type", "")
                        if isinstance(schema.get("type"), str)
                        else " | ".join(schema.get("type", [])),
                        "example": prm.get("example", schema.get("example", "")),
                    }
                )
            responses = []
            for status, resp in op.get("responses", {}).items():
                content = resp.get("content", {})
                media = next(iter(content), "")
                schema = content.get(media, {}).get("schema", {}) if media else {}
                responses.append(
                    {
                        "status": status,
                        "description": resp.get("description", ""),
                        "media": media,
                        "schema": json.dumps(schema, ensure_ascii=False),
                    }
                )
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {})
            out.append(
                {
                    "method": method.upper(),
                    "route": route,
                    "summary": op.get("summary", ""),
                    "description": op.get("description", ""),
                    "params": params,
                    "responses": responses,
                    "anchor": op.get("operationId", ""),
                    "body": json.dumps(body["schema"], ensure_ascii=False) if body else "",
                    "body_example": json.dumps(body["example"], ensure_ascii=False) if "example" in body else "",
                }
            )
    return out


@api_endpoint(params=())
def not_found(request, rest: str = ""):
    raise Http404("No such API route; see /api/ for the routes.")
