"""Reads for accounts: whether password mails can arrive, and a person's own data (GDPR)."""

from __future__ import annotations

import re
import unicodedata

from django.conf import settings

from . import exports
from .models import Identity, User

USERNAME_BASE_MAX = 30

# Backends that deliver nothing to the person: the console's mail ends in the server's log.
_NOWHERE = ("django.core.mail.backends.console.EmailBackend", "django.core.mail.backends.dummy.EmailBackend")


def password_reset_by_email() -> bool:
    """Whether "Forgot your password?" can work here: a mail backend that delivers (or DEBUG, where
    the developer reads the console; ``EMAIL_BACKEND`` in docs/deploy.md). Read per request, so a
    changed backend (tests, a deployment) is seen."""
    return settings.DEBUG or settings.EMAIL_BACKEND not in _NOWHERE


def user_data(*, user) -> dict:
    """Everything stored about ``user`` (no password hash), as JSON-ready data: the account, then
    the sections the other apps registered (``exports.register``)."""
    data: dict = {
        "account": {
            "username": user.username,
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "role": user.role,
            "date_joined": exports.iso(user.date_joined),
            "last_login": exports.iso(user.last_login),
        },
        "linked_sign_ins": [
            {
                "provider": i.provider,
                "issuer": i.issuer,
                "subject": i.subject,
                "name": i.name,
                "teacher": i.teacher,
                "linked_at": exports.iso(i.created_at),
                "last_used_at": exports.iso(i.last_used_at),
            }
            for i in user.identities.all()
        ],
    }
    for section, fn in exports.sections().items():
        data[section] = fn(user=user)
    return data


def account_delete_warnings(*, user) -> list[str]:
    """What deleting the account removes beyond the person's own rows (e.g. classes they alone teach)."""
    return [w for d in exports.deletions() if d.warn for w in d.warn(user=user)]


def identities_for(*, user) -> list[Identity]:
    return list(user.identities.all())


def username_free(base: str) -> str:
    """A username nobody has, made from ``base`` (a name): letters and digits kept, spaces and other
    characters become ".", cut to 30 characters, then ".2", ".3" ... until it is free."""
    text = unicodedata.normalize("NFKC", base).strip().lower()
    text = re.sub(r"[^\w.@+-]+", ".", text).strip(".")[:USERNAME_BASE_MAX].strip(".") or "user"
    taken = set(User.objects.filter(username__istartswith=text).values_list("username", flat=True))
    taken = {t.lower() for t in taken}
    if text not in taken:
        return text
    n = 2
    while f"{text}.{n}" in taken:
        n += 1
    return f"{text}.{n}"
