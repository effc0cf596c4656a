"""Single sign-on with OpenID Connect, through Authlib's Django client.

The providers come from settings (``SSO_PROVIDERS``, read from the environment: docs/sso.md). For
each, Authlib reads the provider's discovery document, sends the person to its authorization
endpoint with a ``state``, a ``nonce`` and a PKCE challenge (S256) kept in our session, exchanges the
code for tokens at the token endpoint, and checks the ID token: its signature against the provider's
published keys (JWKS), the issuer, the audience (our client id), the expiry and the nonce. What
comes back are the ID token's claims; ``services.identity_sign_in`` decides what they mean here.
"""

from __future__ import annotations

import logging
import threading

import requests
from authlib.integrations.base_client import OAuthError
from authlib.integrations.django_client import OAuth
from django.conf import settings
from joserfc.errors import JoseError

log = logging.getLogger(__name__)

# The provider's clock may run a little ahead or behind ours; Authlib's own default.
CLOCK_LEEWAY = 120
TIMEOUT = 10  # seconds for each request to the provider

_clients: dict[tuple, object] = {}
_lock = threading.Lock()


class SignInFailed(Exception):
    """The provider's answer cannot sign anyone in (refused, tampered, expired, unreachable)."""


def providers() -> list[dict]:
    return list(settings.SSO_PROVIDERS)


def provider(slug: str) -> dict | None:
    return next((p for p in settings.SSO_PROVIDERS if p["slug"] == slug), None)


def _client(config: dict):
    """One Authlib client per provider configuration: it caches the discovery document and the keys."""
    key = tuple(sorted((k, str(v)) for k, v in config.items()))
    with _lock:
        client = _clients.get(key)
        if client is None:
            client = OAuth().register(
                name=f"sso-{config['slug']}",
                client_id=config["client_id"],
                client_secret=config["client_secret"],
                server_metadata_url=config["discovery_url"],
                client_kwargs={"scope": config["scopes"], "code_challenge_method": "S256", "default_timeout": TIMEOUT},
            )
            _clients[key] = client
    return client


def authorize_redirect(request, config: dict, *, redirect_uri: str):
    """The redirect to the provider; Authlib keeps state, nonce and the PKCE verifier in the session."""
    try:
        return _client(config).authorize_redirect(request, redirect_uri)
    except (requests.RequestException, ValueError, KeyError, OAuthError) as exc:  # no discovery document
        log.warning("SSO provider %s: no discovery document: %s", config["slug"], exc)
        raise SignInFailed(str(exc)) from exc


def callback_claims(request, config: dict) -> dict:
    """The checked ID token's claims for the provider's answer in ``request``, or ``SignInFailed``."""
    try:
        token = _client(config).authorize_access_token(request, leeway=CLOCK_LEEWAY)
    except (OAuthError, JoseError, requests.RequestException, ValueError, KeyError, TypeError) as exc:
        log.info("SSO provider %s refused or failed: %r", config["slug"], exc)
        raise SignInFailed(str(exc)) from exc
    claims = token.get("userinfo")
    if not claims or not claims.get("sub") or not claims.get("iss"):
        raise SignInFailed("no ID token")
    return dict(claims)


def claims_teacher(config: dict, claims: dict) -> bool:
    """Whether the provider says this person is a teacher: the configured claim (a string or a list,
    e.g. Entra's ``roles``, a ``groups`` claim) holds one of the configured values."""
    name, values = config.get("teacher_claim"), set(config.get("teacher_values") or ())
    if not name or not values:
        return False
    value = claims.get(name)
    found = value if isinstance(value, list) else [value]
    return any(isinstance(v, str) and v in values for v in found)


def claims_name(claims: dict) -> str:
    """A name or pseudonym to show: ``name``, else ``preferred_username`` (never the e-mail address)."""
    for key in ("name", "preferred_username", "nickname"):
        value = claims.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()[:150]
    return ""


def claims_verified_email(claims: dict) -> str:
    """The e-mail address when the provider says it verified it, else ""."""
    email, verified = claims.get("email"), claims.get("email_verified")
    if isinstance(email, str) and "@" in email and (verified is True or verified == "true"):
        return email.strip()[:254]
    return ""
