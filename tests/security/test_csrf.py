"""CSRF: a POST without the token is refused (403) on every route of the URL resolver, signed in or
not, except the few that are exempt on purpose (listed with the reason)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve

pytestmark = pytest.mark.django_db

# route name -> why it may take a POST without the CSRF token
EXEMPT = {
    "demos:predict": "stateless inference on posted pixels: it changes nothing on the server and reads no "
    "session data; rate-limited per session/address",
    "demos:generate": "stateless generation (letters from the word model): like predict it changes nothing on the "
    "server and reads no session data; rate-limited per session/address",
    "demos:encode": "stateless inference on posted pixels (the autoencoder): like predict it changes nothing on "
    "the server and reads no session data; rate-limited per session/address",
    "demos:decode": "stateless decoding of posted latent points: like predict it changes nothing on the server and "
    "reads no session data; rate-limited per session/address",
    "lti:login": "LTI 1.3 login initiation: the learning platform starts it from its own site; it only sets the "
    "state cookie and redirects to the platform (docs/lti.md)",
    "lti:launch": "LTI 1.3 launch: the platform form-posts a signed id_token from its own site; the signature, "
    "the one-time nonce and the state cookie are the checks (docs/lti.md)",
    "lti:deep_link": "LTI deep-link answer, possibly inside the platform's iframe without our cookies: the random "
    "launch id of a validated teacher's launch is the proof, usable once",
}


def _concrete(route: str) -> str:
    """An example URL for a route pattern (path converters and the regexes used here)."""
    route = re.sub(r"\(\?P<\w+>([\w|]+)\)", lambda m: m.group(1).split("|")[0], route)  # (?P<app>auth|…)
    route = re.sub(r"\(\?P<\w+>[^)]*\)", "x", route)
    route = re.sub(r"<int:\w+>", "1", route)
    route = re.sub(r"<(?:\w+:)?\w+>", "x", route)
    route = route.replace("\\.", ".").replace("/?$", "/").replace("$", "").replace("^", "")
    return "/" + route


def all_routes():
    def walk(resolver, prefix="", ns=""):
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                yield from walk(p, prefix + str(p.pattern), ns + (f"{p.namespace}:" if p.namespace else ""))
            elif isinstance(p, URLPattern):
                yield prefix + str(p.pattern), (ns + p.name) if p.name else f"(unnamed) {prefix}{p.pattern}", p.callback

    for route, name, callback in walk(get_resolver()):
        url = _concrete(route)
        match = resolve(url)
        assert match.func == callback, (route, url)  # the example URL reaches that very view
        yield name, url


ROUTES = sorted(dict(all_routes()).items())


def test_the_resolver_has_the_form_routes():
    names = {name for name, _ in ROUTES}
    assert {
        "accounts:login",
        "accounts:sign_up",
        "classroom:create",
        "classroom:group_create",
        "learning:answer",
        "classroom:return_value",
        "set_language",
        "admin:login",
    } <= names
    assert len(ROUTES) > 100


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "teacher"])
def test_post_without_token_is_refused_everywhere(teacher, signed_in):
    client = Client(enforce_csrf_checks=True)
    if signed_in:
        client.force_login(teacher)
    accepted = []
    for name, url in ROUTES:
        for body, kind in (
            ({"name": "x", "username": "teach", "password": "pw-teacher-123"}, None),
            ('{"answer": 1, "value": 1}', "application/json"),
        ):
            response = client.post(url, body, content_type=kind) if kind else client.post(url, body)
            refused = response.status_code == 403 and b"CSRF" in response.content
            if not refused and name not in EXEMPT:
                accepted.append((name, url, kind, response.status_code))
    assert accepted == []


def test_the_same_posts_with_the_token_pass_the_check(teacher):
    """Control: with the token, the CSRF check lets the request through to the view."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(teacher)
    client.get("/accounts/sign-in/")
    token = client.cookies["csrftoken"].value
    response = client.post("/classes/new/", {"name": "Robotics", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    response = client.post("/accounts/sign-out/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 302


def test_exempt_routes_change_nothing(client, teacher):
    """The exempt prediction route answers a cross-site POST without touching the database."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(teacher)
    with CaptureQueriesContext(connection) as queries:
        client.post(
            "/api/demos/digits/predict", "{}", content_type="application/json", HTTP_ORIGIN="https://evil.example"
        )
    writes = [q["sql"] for q in queries if q["sql"].split()[0].upper() in ("INSERT", "UPDATE", "DELETE")]
    assert writes == []
