"""Who is asking: an ``Authorization: Token <key>`` header, else the session, else anonymous."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from .models import ApiToken, hash_key


class InvalidToken(Exception):
    """The request named a token that does not exist, was revoked, or belongs to an inactive user."""


def token_from_header(request) -> str | None:
    """The key from ``Authorization: Token <key>``; None when there is no such header.
    Other schemes (Basic, Bearer …) are ignored, so the request is judged by its session."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, key = header.strip().partition(" ")
    if scheme.lower() != "token":
        return None
    return key.strip()


def api_user(request):
    """The user the API acts for. A token wins over the session; a bad token raises InvalidToken."""
    key = token_from_header(request)
    if key is None:
        user = getattr(request, "user", None)
        return user if user is not None else AnonymousUser()
    if not key or len(key) > 200:
        raise InvalidToken
    token = ApiToken.objects.select_related("user").filter(key_hash=hash_key(key), revoked=False).first()
    if token is None or not token.user.is_active:
        raise InvalidToken
    token.touch()
    return token.user


def uses_credentials(request, user) -> bool:
    """True when the answer depends on who asks (a session user or a token)."""
    return bool(getattr(user, "is_authenticated", False)) or token_from_header(request) is not None
