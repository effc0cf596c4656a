"""Single sign-on against a real OpenID Connect provider (django-oauth-toolkit) on loopback:
discovery, authorization code with PKCE, the ID token's signature, audience and expiry, the teacher
claim, linking, and what is kept (``tests/site/accounts/oidc_provider/``)."""

from __future__ import annotations

import base64
import json
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from learningpaths.accounts import sso
from learningpaths.accounts.models import Identity

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def school(settings, oidc_provider, fast_passwords):
    settings.SSO_PROVIDERS = [
        oidc_provider.config(),
        oidc_provider.config("expired", client_id="expired-client"),
        oidc_provider.config("wrongaud", client_id="wrong-audience-client"),
    ]
    return oidc_provider


def begin(client, slug="school", query=""):
    answer = client.get(f"/accounts/sso/{slug}/{query}")
    assert answer.status_code == 302, answer.content[:300]
    return answer["Location"]


def come_back(client, provider, location, username):
    back = provider.sign_in(location, username)
    assert back.startswith("http://testserver/accounts/sso/"), back
    parts = urlsplit(back)
    return client.get(parts.path + "?" + parts.query)


def signed_in_user(client):
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def test_the_redirect_uses_discovery_pkce_state_and_nonce(client, school):
    location = begin(client)
    assert location.startswith(school.issuer + "/authorize/")  # from the provider's discovery document
    query = parse_qs(urlsplit(location).query)
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) >= 43
    assert query["client_id"] == ["learningpaths"]
    assert query["redirect_uri"] == ["http://testserver/accounts/sso/school/callback/"]
    assert query["state"][0] and query["nonce"][0]
    assert "openid" in query["scope"][0].split()


def test_a_pupil_signs_in_and_only_what_is_needed_is_kept(client, school):
    answer = come_back(client, school, begin(client, query="?next=/classes/"), "pupil")
    assert answer.status_code == 302 and answer["Location"] == "/classes/"
    user = signed_in_user(client)
    assert user is not None and user.role == User.Role.STUDENT
    assert user.email == "" and not user.has_usable_password()  # no address, no password of ours
    identity = Identity.objects.get(user=user)
    assert identity.issuer == school.issuer and identity.subject and identity.name == "Emma Peeters"
    assert identity.provider == "school" and not identity.teacher

    # A second sign-in finds the same account, not a new one.
    client.logout()
    come_back(client, school, begin(client), "pupil")
    assert signed_in_user(client) == user and User.objects.count() == 1


def test_the_teacher_claim_makes_a_teacher(client, school):
    come_back(client, school, begin(client), "teacher")
    user = signed_in_user(client)
    assert user.role == User.Role.TEACHER and Identity.objects.get(user=user).teacher


def test_an_expired_id_token_is_refused(client, school):
    answer = come_back(client, school, begin(client, "expired"), "pupil")
    assert answer.status_code == 400 and b"did not work" in answer.content
    assert signed_in_user(client) is None and not Identity.objects.exists()


def test_an_id_token_for_another_audience_is_refused(client, school):
    answer = come_back(client, school, begin(client, "wrongaud"), "pupil")
    assert answer.status_code == 400
    assert signed_in_user(client) is None and not Identity.objects.exists()


def test_a_tampered_id_token_fails_its_signature_check(client, school, monkeypatch):
    """The provider's real token with one claim changed on the way (the signature no longer fits)."""
    client_cls = type(sso._client(school.config()))
    real_fetch = client_cls.fetch_access_token

    def tampered(self, *args, **kwargs):
        token = real_fetch(self, *args, **kwargs)
        head, body, signature = token["id_token"].split(".")
        claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
        claims["sub"] = "someone-else"
        body = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
        token["id_token"] = f"{head}.{body}.{signature}"
        return token

    monkeypatch.setattr(client_cls, "fetch_access_token", tampered)
    answer = come_back(client, school, begin(client), "pupil")
    assert answer.status_code == 400
    assert signed_in_user(client) is None and not Identity.objects.exists()


def test_a_callback_without_our_state_is_refused(client, school):
    location = begin(client)
    back = school.sign_in(location, "pupil")
    other = Client()
    parts = urlsplit(back)
    answer = other.get(parts.path + "?" + parts.query)  # another browser: its session has no such state
    assert answer.status_code == 400 and not Identity.objects.exists()
    assert client.get("/accounts/sso/school/callback/?code=x&state=made-up").status_code == 400
    assert client.get("/accounts/sso/nobody/").status_code == 404


def test_a_signed_in_user_links_their_school_account(client, school):
    local = User.objects.create_user("lies-local", password="a-long-password-1")
    client.force_login(local)
    answer = come_back(client, school, begin(client, query="?link=1"), "linked")
    assert answer.status_code == 302 and answer["Location"] == "/accounts/sign-ins/"
    identity = Identity.objects.get()
    assert identity.user == local and identity.name == "Lies Maes"
    page = client.get("/accounts/sign-ins/")
    assert b"Lies Maes" in page.content

    # From now on the school account signs in as that user.
    client.logout()
    come_back(client, school, begin(client), "linked")
    assert signed_in_user(client) == local

    # Linking the same school account to a second account is refused.
    other = User.objects.create_user("someone", password="a-long-password-1")
    client.force_login(other)
    answer = come_back(client, school, begin(client, query="?link=1"), "linked")
    assert answer.status_code == 409 and Identity.objects.get().user == local

    # Unlinking: allowed while the account has a password; the only sign-in of an SSO account stays.
    client.force_login(local)
    assert client.post(f"/accounts/sign-ins/{identity.pk}/unlink/").status_code == 302
    assert not Identity.objects.exists()


def test_linking_by_email_only_when_the_provider_is_trusted_and_verified(client, school, settings):
    local = User.objects.create_user("lies-local", email="LIES@school.example", password="a-long-password-1")
    come_back(client, school, begin(client), "linked")  # email_linking off: a new account
    assert signed_in_user(client) != local
    Identity.objects.all().delete()
    client.logout()

    settings.SSO_PROVIDERS = [school.config(email_linking=True)]
    come_back(client, school, begin(client), "linked")
    assert signed_in_user(client) == local  # the one account with the address the provider verified

    # Never a staff account, whatever the address.
    Identity.objects.all().delete()
    local.is_staff = True
    local.save()
    client.logout()
    come_back(client, school, begin(client), "linked")
    assert signed_in_user(client) != local


def test_export_and_deletion_include_linked_sign_ins(client, school):
    come_back(client, school, begin(client), "pupil")
    data = json.loads(client.get("/classes/me/data.json").content)
    assert data["linked_sign_ins"][0]["issuer"] == school.issuer
    assert data["linked_sign_ins"][0]["name"] == "Emma Peeters"
    assert "email" not in data["linked_sign_ins"][0]
    # An SSO account has no password here: confirming is enough to delete it, identities included.
    page = client.get("/classes/me/delete/")
    assert b'name="password"' not in page.content
    assert client.post("/classes/me/delete/", {"confirm": "on"}).status_code == 302
    assert not User.objects.exists() and not Identity.objects.exists()


def test_the_sign_in_page_shows_a_button_per_configured_provider(client, settings, school):
    settings.SSO_PROVIDERS = [school.config(name="Smartschool")]
    page = client.get("/accounts/sign-in/?next=/classes/").content.decode()
    assert "Sign in with Smartschool" in page and "/accounts/sso/school/?next=/classes/" in page
    settings.SSO_PROVIDERS = []
    assert "/accounts/sso/" not in client.get("/accounts/sign-in/").content.decode()


def test_claims_interpretation():
    config = {"teacher_claim": "roles", "teacher_values": ["Teacher", "Staff"]}
    assert sso.claims_teacher(config, {"roles": ["Student", "Teacher"]})
    assert sso.claims_teacher(config, {"roles": "Staff"})
    assert not sso.claims_teacher(config, {"roles": ["Student"]})
    assert not sso.claims_teacher(config, {"roles": [{"Teacher": 1}]})
    assert not sso.claims_teacher({"teacher_claim": "", "teacher_values": []}, {"roles": "Teacher"})
    assert sso.claims_name({"name": " Emma ", "preferred_username": "e"}) == "Emma"
    assert sso.claims_name({"email": "e@x.example"}) == ""
    assert sso.claims_verified_email({"email": "e@x.example", "email_verified": True}) == "e@x.example"
    assert sso.claims_verified_email({"email": "e@x.example", "email_verified": False}) == ""
    assert sso.claims_verified_email({"email": "e@x.example"}) == ""


def test_providers_come_from_the_environment(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from learningpaths import settings as site_settings

    monkeypatch.setenv("SSO_ENTRA_ISSUER", "https://login.microsoftonline.com/TENANT/v2.0/")
    monkeypatch.setenv("SSO_ENTRA_CLIENT_ID", "abc")
    monkeypatch.setenv("SSO_ENTRA_CLIENT_SECRET", "s3cret")
    monkeypatch.setenv("SSO_ENTRA_NAME", "Microsoft")
    monkeypatch.setenv("SSO_ENTRA_TEACHER_CLAIM", "roles")
    monkeypatch.setenv("SSO_ENTRA_TEACHER_VALUES", "Teacher, Staff")
    config = site_settings._sso_provider("entra")
    assert config["discovery_url"] == "https://login.microsoftonline.com/TENANT/v2.0/.well-known/openid-configuration"
    assert config["teacher_values"] == ["Teacher", "Staff"] and config["name"] == "Microsoft"
    assert config["email_linking"] is False and config["scopes"] == "openid profile email"

    monkeypatch.delenv("SSO_ENTRA_CLIENT_ID")
    with pytest.raises(ImproperlyConfigured, match="SSO_ENTRA_CLIENT_ID"):
        site_settings._sso_provider("entra")
    monkeypatch.setenv("SSO_ENTRA_CLIENT_ID", "abc")
    monkeypatch.setenv("SSO_ENTRA_ISSUER", "http://idp.example")  # plain http off loopback
    with pytest.raises(ImproperlyConfigured, match="https"):
        site_settings._sso_provider("entra")
    with pytest.raises(ImproperlyConfigured, match="slug"):
        site_settings._sso_provider("Bad Slug")


def test_an_unreachable_provider_is_a_message_not_a_500(client, settings, school):
    import socket

    with socket.socket() as free:  # a port nobody listens on
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    settings.SSO_PROVIDERS = [
        school.config("gone", discovery_url=f"http://127.0.0.1:{port}/o/.well-known/openid-configuration")
    ]
    answer = client.get("/accounts/sso/gone/")
    assert answer.status_code == 503 and b"cannot be reached right now" in answer.content


def test_sign_out_and_a_replayed_callback(client, school):
    location = begin(client)
    back = school.sign_in(location, "pupil")
    parts = urlsplit(back)
    callback = parts.path + "?" + parts.query
    assert client.get(callback).status_code == 302 and signed_in_user(client) is not None

    assert client.post("/accounts/sign-out/").status_code == 302
    assert signed_in_user(client) is None
    # The same answer from the provider again (browser history, a copied address): refused.
    answer = client.get(callback)
    assert answer.status_code == 400 and signed_in_user(client) is None


def test_the_only_way_into_an_account_cannot_be_unlinked(client, school):
    come_back(client, school, begin(client), "pupil")
    identity = Identity.objects.get()
    answer = client.post(f"/accounts/sign-ins/{identity.pk}/unlink/")
    assert answer.status_code == 400 and "the only way you can sign in" in answer.content.decode()
    assert Identity.objects.filter(pk=identity.pk).exists()
    assert client.post("/accounts/sign-ins/999999/unlink/").status_code == 404
