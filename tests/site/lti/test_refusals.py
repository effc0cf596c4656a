"""What the tool refuses: every one a 4xx page with a message, never a 500."""

from __future__ import annotations

import base64
import json
import time

import pytest

from learningpaths.lti.models import Identity

from .flow import authorize, launch, launch_with, resign
from .platform import LEARNER, key_pair

pytestmark = pytest.mark.django_db


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _pupil(platform, **kw):
    return platform.launch_url(user_id="p-1", roles=[LEARNER], custom={"path": "deep"}, **kw)


def _refused(response, status: int, text: bytes):
    assert response.status_code == status, response.content[:500]
    assert text in response.content
    assert not Identity.objects.exists()  # nobody was signed in or made


def test_a_tampered_id_token_is_refused(client, platform, sample_site):
    authorize(client, _pupil(platform))
    token = platform.last_form["id_token"]
    head, body, sig = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(body + "=="))
    claims["https://purl.imsglobal.org/spec/lti/claim/roles"] = ["Instructor"]  # a pupil makes herself teacher
    response = launch_with(client, platform, id_token=f"{head}.{_b64(claims)}.{sig}")
    _refused(response, 403, b"Signature verification failed")


def test_a_token_signed_by_another_key_is_refused(client, platform, sample_site):
    authorize(client, _pupil(platform))
    other_private, _public = key_pair()
    response = launch_with(
        client, platform, id_token=resign(platform, platform.last_form["id_token"], key=other_private)
    )
    _refused(response, 403, b"Signature verification failed")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"aud": "someone-else"}, b"Registration not found"),
        ({"https://purl.imsglobal.org/spec/lti/claim/deployment_id": "deployment-9"}, b"Unable to find deployment"),
        ({"iss": "https://evil.example"}, b"Registration not found"),
        ({"exp": int(time.time()) - 10}, b"expired"),
        ({"nonce": "never-issued"}, b"Invalid Nonce"),
    ],
)
def test_wrong_audience_deployment_issuer_expiry_or_nonce_is_refused(client, platform, sample_site, changes, message):
    authorize(client, _pupil(platform))
    response = launch_with(client, platform, id_token=resign(platform, platform.last_form["id_token"], **changes))
    _refused(response, 403, message)


def test_a_replayed_launch_is_refused(client, platform, sample_site):
    first = launch(client, platform, _pupil(platform))
    assert first.status_code == 302
    client.logout()  # the same browser, or another that copied the form: the nonce is spent
    replay = launch_with(client, platform)
    assert replay.status_code == 403
    assert b"Invalid Nonce" in replay.content


def test_a_launch_without_the_login_state_cookie_is_refused(client, platform, sample_site):
    authorize(client, _pupil(platform))
    client.cookies.clear()  # another browser posts the form (login CSRF)
    response = launch_with(client, platform)
    _refused(response, 403, b"State not found")


def test_login_initiation_refuses_what_it_cannot_use(client, platform):
    assert client.get("/lti/login/").status_code == 400
    response = client.get("/lti/login/", {"iss": "https://unknown.example", "login_hint": "x"})
    assert response.status_code == 403 and b"not registered" in response.content
    response = client.get("/lti/login/", {"iss": platform.issuer, "login_hint": "x" * 5000})
    assert response.status_code == 400 and b"too long" in response.content
    response = client.get(f"/lti/login/?iss={platform.issuer}&iss={platform.issuer}&login_hint=x")
    assert response.status_code == 400 and b"more than once" in response.content
    response = client.post("/lti/login/", {"iss": platform.issuer, "login_hint": "x", "client_id": platform.client_id})
    assert response.status_code == 302  # a POSTed initiation is fine too


@pytest.mark.parametrize(
    "form",
    [
        {},
        {"state": "x"},
        {"id_token": "not.a.jwt", "state": "x"},
        {"id_token": "a" * 70000, "state": "x"},
        {"id_token": "e30.e30.e30", "state": "state-\x00"},
    ],
)
def test_launch_refuses_malformed_posts(client, platform, form):
    response = client.post("/lti/launch/", form)
    assert 400 <= response.status_code < 500
    assert b"launch" in response.content.lower()


def test_login_initiations_are_rate_limited_per_address(client, platform, settings):
    from django.core.cache import cache

    cache.clear()  # the counters of the other tests' launches this minute
    settings.LTI_ADDRESS_RATE_LIMIT = 3
    codes = [client.get("/lti/login/", {"iss": platform.issuer, "login_hint": "x"}).status_code for _ in range(3)]
    assert codes == [302, 302, 302]
    response = client.get("/lti/login/", {"iss": platform.issuer, "login_hint": "x"})
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert b"Too many launches" in response.content
