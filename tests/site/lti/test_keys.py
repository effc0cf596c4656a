"""Our signing keys: published in /lti/jwks/, rotated without breaking what platforms cached."""

from __future__ import annotations

from datetime import timedelta

import jwt
import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from jwcrypto.jwk import JWK

from learningpaths.lti import services
from learningpaths.lti.models import Registration, ToolKey
from learningpaths.lti.toolconf import lib_registration, signing_key

pytestmark = pytest.mark.django_db


def _kids(client) -> list[str]:
    response = client.get("/lti/jwks/")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    keys = response.json()["keys"]
    assert all(k["kty"] == "RSA" and k["alg"] == "RS256" and k["use"] == "sig" and "d" not in k for k in keys)
    return [k["kid"] for k in keys]


def test_rotation_signs_with_the_new_key_and_keeps_the_old_one_published(client):
    assert _kids(client) == []
    first = services.tool_key_create()
    call_command("lti_rotate_key")
    second = signing_key()
    assert second != first
    assert set(_kids(client)) == {first.kid, second.kid}

    # What the tool signs now names the new key, and the published key checks it.
    registration = lib_registration(
        Registration(
            issuer="https://p",
            client_id="c",
            key_set_url="https://p/k",
            auth_login_url="https://p/a",
            auth_token_url="https://p/t",
        )
    )
    token = jwt.encode(
        {"x": 1}, registration.get_tool_private_key(), algorithm="RS256", headers={"kid": registration.get_kid()}
    )
    assert jwt.get_unverified_header(token)["kid"] == second.kid
    published = {k["kid"]: k for k in client.get("/lti/jwks/").json()["keys"]}
    public = JWK(**published[second.kid]).export_to_pem()
    assert jwt.decode(token, public, algorithms=["RS256"]) == {"x": 1}

    # Retiring: keys older than the given days leave the set; the newest never does.
    ToolKey.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(days=30))
    call_command("lti_rotate_key", "--retire-days", "7")
    third = signing_key()
    assert set(_kids(client)) == {second.kid, third.kid}
    with pytest.raises(CommandError):
        call_command("lti_rotate_key", "--retire-days", "0")


def test_the_private_key_never_shows_in_the_admin(admin_client):
    key = services.tool_key_create()
    page = admin_client.get(f"/admin/lti/toolkey/{key.pk}/change/")
    assert page.status_code == 200
    assert b"PRIVATE KEY" not in page.content and b"PUBLIC KEY" in page.content
    listing = admin_client.post("/admin/lti/toolkey/", {"action": "retire", "_selected_action": [key.pk]}, follow=True)
    assert b"Keep at least one key" in listing.content  # retiring the only key is refused
    assert signing_key() == key
