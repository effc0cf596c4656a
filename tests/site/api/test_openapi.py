"""The OpenAPI document describes every route in learningpaths/api/urls.py and every query parameter
its view reads, and the server demos' routes (learningpaths/demos/urls.py); the HTML page renders it."""

from __future__ import annotations

import re

import pytest
from django.urls import URLResolver, get_resolver

from learningpaths.api import urls as api_urls
from learningpaths.api.openapi import openapi_document
from learningpaths.demos import urls as demo_urls

pytestmark = pytest.mark.django_db
CATCH_ALL = "not_found"


def _template(regex: str) -> str:
    """``^learningPath/(?P<hruid>[^/]+)/(?P<language>[^/]+)/?$`` -> ``/learningPath/{hruid}/{language}``."""
    body = regex.removeprefix("^").removesuffix("$").removesuffix("\\Z").removesuffix("/?")
    body = re.sub(r"\(\?P<(\w+)>\[\^/\]\+\)", r"{\1}", body)
    return "/" + body.replace("\\", "")


def _patterns(urlconf, mount: str):
    """A urlconf's routes as the root URL resolver sees them (so the mount is checked too)."""
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and getattr(entry, "urlconf_module", None) is urlconf:
            assert str(entry.pattern) == mount
            return [p for p in entry.url_patterns if p.name != CATCH_ALL]
    raise AssertionError(f"{urlconf.__name__} is not mounted at {mount}")


def _api_patterns():
    return _patterns(api_urls, "api/")


def test_every_route_is_documented_and_nothing_else():
    doc = openapi_document()
    routes = {_template(p.pattern.regex.pattern) for p in _api_patterns()}
    routes |= {"/demos" + _template(p.pattern.regex.pattern) for p in _patterns(demo_urls, "api/demos/")}
    assert routes == set(doc["paths"])


def test_every_query_parameter_a_view_reads_is_documented():
    doc = openapi_document()
    for route, pattern in ((_template(p.pattern.regex.pattern), p) for p in _api_patterns()):
        op = doc["paths"][route]["get"]
        documented = {(p["name"], p["in"]) for p in op["parameters"]}
        read = {(name, "query") for name in pattern.callback.api_params}
        path_params = {(name, "path") for name in pattern.pattern.regex.groupindex}
        assert documented == read | path_params, route
        assert op["responses"] and op["summary"], route
        for status, response in op["responses"].items():
            assert response["description"], (route, status)
            for media in response.get("content", {}).values():
                assert "schema" in media, (route, status)


def test_schema_references_resolve_and_required_fields_are_properties():
    doc = openapi_document()
    text = repr(doc)
    for ref in re.findall(r"#/components/schemas/(\w+)", text):
        assert ref in doc["components"]["schemas"], ref
    for name, schema in doc["components"]["schemas"].items():
        assert set(schema.get("required", [])) <= set(schema["properties"]), name
    assert doc["openapi"].startswith("3.1")


def test_documented_fields_match_the_real_responses(client, api_site):
    doc = openapi_document()
    schemas = doc["components"]["schemas"]
    metadata = client.get("/api/learningObject/getMetadata?hruid=intro&language=en").json()
    assert set(metadata) == set(schemas["LearningObjectMetadata"]["properties"])
    path = client.get("/api/learningPath/deep/en").json()
    assert set(path) == set(schemas["LearningPath"]["properties"])
    assert set(path["nodes"][0]) == set(schemas["PathNode"]["properties"])
    assert set(path["nodes"][0]["transitions"][0]) == set(schemas["Transition"]["properties"])
    error = client.get("/api/learningPath/nope/en").json()
    assert set(error) == set(schemas["Error"]["properties"])


def test_openapi_json_is_served(client, db):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200 and response.json()["openapi"] == "3.1.0"
    assert response.json()["servers"] == [{"url": "http://testserver/api"}]


@pytest.mark.parametrize("url", ["/api/", "/api/docs"])
def test_docs_page_lists_every_route_and_parameter(client, db, url):
    page = client.get(url)
    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")
    html = page.content.decode()
    assert "<script" not in html and "cdn" not in html.lower()
    doc = openapi_document()
    for route, item in doc["paths"].items():
        assert f'<code class="route">{route}</code>' in html, route
        for op in item.values():
            for param in op["parameters"]:
                assert f"<code>{param['name']}</code>" in html, (route, param["name"])
    assert "Request body (<code>application/json</code>)" in html  # the demo predict route's


def test_the_demo_routes_are_documented_as_they_answer(client, settings, tmp_path):
    """Methods, fields and error statuses of /api/demos/ as documented, against the real views
    (with a tiny model built here; the fields are the same for the trained ones)."""
    from learningpaths.demos import inference
    from tests.site.demos.tinymodel import make_model

    settings.DEMO_MODELS_DIR = tmp_path
    make_model(tmp_path / "digits-cnn.onnx")
    inference.reset_runners()
    doc = openapi_document()
    schemas = doc["components"]["schemas"]
    predict = doc["paths"]["/demos/{name}/predict"]

    assert set(doc["paths"]["/demos/"]) == {"get"} and set(predict) == {"post"}
    assert (
        client.post("/api/demos/").status_code == 405 and client.get("/api/demos/digits-cnn/predict").status_code == 405
    )
    status = client.get("/api/demos/").json()
    assert set(status) == set(schemas["DemoStatus"]["properties"])
    assert set(status["models"][0]) == set(schemas["DemoModel"]["properties"])

    example = predict["post"]["requestBody"]["content"]["application/json"]["example"]
    answer = client.post("/api/demos/digits-cnn/predict", example, content_type="application/json")
    assert answer.status_code == 200
    assert set(answer.json()) == set(schemas["Prediction"]["properties"])
    assert set(answer.json()["feature_maps"]) == set(schemas["FeatureMaps"]["properties"])
    documented = set(predict["post"]["responses"])
    for body, name in ((b"nope", "digits-cnn"), (example, "nope")):
        response = client.post(f"/api/demos/{name}/predict", body, content_type="application/json")
        assert str(response.status_code) in documented
        assert set(response.json()) <= set(schemas["Error"]["properties"])
    inference.reset_runners()
