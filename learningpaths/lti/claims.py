"""What we read from a validated id_token, checked for type, size and sense.

The library checks the signature, issuer, audience (client id), deployment, nonce and message type.
Everything else in the token is the platform's word, and a platform can send anything: each claim
we use is read here, once, into a ``Launch``, or ``ClaimError`` says (to the person launching)
which claim is wrong. Claims we do not use (e-mail, picture, lis ...) are never read, so never kept.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

from .models import ID_MAX, URL_MAX

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
DL = "https://purl.imsglobal.org/spec/lti-dl/claim/"
AGS = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
NRPS = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"

NAME_MAX = 150
MAX_ROLES = 50
MAX_CUSTOM = 50
CUSTOM_VALUE_MAX = 1000
CLOCK_SKEW = 60  # seconds a platform's clock may run ahead of ours

# LIS role URIs and their short forms (LTI 1.3, appendix A.2): context roles first, then institution.
TEACHER_ROLES = ("Instructor", "Administrator", "ContentDeveloper", "Mentor", "TeachingAssistant")


class ClaimError(ValueError):
    """A claim the launch cannot be used with; the message is for the person launching."""


@dataclass(frozen=True)
class Launch:
    message_type: str
    sub: str
    name: str
    teacher: bool
    context_id: str | None = None
    context_title: str = ""
    link_id: str | None = None
    link_title: str = ""
    target_link_uri: str = ""
    custom: dict[str, str] = field(default_factory=dict)
    lineitem_url: str = ""
    can_post_scores: bool = False
    memberships_url: str = ""
    return_url: str = ""  # deep linking: where the response goes
    accept_multiple: bool = False


def _text(value, what: str, *, max_length: int, required: bool = False) -> str:
    if value is None or value == "":
        if required:
            raise ClaimError(_("The launch has no %(what)s.") % {"what": what})
        return ""
    if not isinstance(value, str):
        raise ClaimError(_("The launch's %(what)s is not text.") % {"what": what})
    if len(value) > max_length:
        raise ClaimError(_("The launch's %(what)s is longer than %(n)d characters.") % {"what": what, "n": max_length})
    if any(ord(c) < 32 and c not in "\t" for c in value) or "\ufffd" in value:
        raise ClaimError(_("The launch's %(what)s has control characters.") % {"what": what})
    return value


def _url(value, what: str, *, required: bool = False) -> str:
    url = _text(value, what, max_length=URL_MAX, required=required)
    if url:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ClaimError(_("The launch's %(what)s is not a web address.") % {"what": what})
    return url


def _object(body: dict, key: str, what: str) -> dict:
    value = body.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ClaimError(_("The launch's %(what)s is not an object.") % {"what": what})
    return value


def is_teacher(roles: list[str]) -> bool:
    """Instructor (and other teaching roles) of the context, or the institution's, make a teacher."""
    for role in roles:
        short = role.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        if short in TEACHER_ROLES:
            return True
    return False


def roles_of(value) -> list[str]:
    if not isinstance(value, list) or len(value) > MAX_ROLES:
        raise ClaimError(_("The launch's roles are not a list of at most %(n)d roles.") % {"n": MAX_ROLES})
    return [_text(r, _("role"), max_length=500) for r in value]


def display_name(body: dict) -> str:
    """The name to show: ``name``, else given and family name, else nothing (a pseudonym is made)."""
    name = _text(body.get("name"), _("name"), max_length=NAME_MAX)
    if not name:
        given = _text(body.get("given_name"), _("given name"), max_length=NAME_MAX)
        family = _text(body.get("family_name"), _("family name"), max_length=NAME_MAX)
        name = f"{given} {family}".strip()[:NAME_MAX]
    return name.strip()


def launch_from(body: dict, *, now: float | None = None) -> Launch:
    """The claims we use, from an id_token body the library has validated."""
    if not isinstance(body, dict):
        raise ClaimError(_("The launch is not a JSON object."))
    now = time.time() if now is None else now
    exp, iat = body.get("exp"), body.get("iat")
    if not isinstance(exp, (int, float)) or isinstance(exp, bool) or exp < now:
        raise ClaimError(_("The launch has expired or has no expiry time; launch again from your platform."))
    if not isinstance(iat, (int, float)) or isinstance(iat, bool) or iat > now + CLOCK_SKEW:
        raise ClaimError(_("The launch's issue time is missing or in the future."))
    message_type = _text(body.get(LTI + "message_type"), _("message type"), max_length=100, required=True)
    sub = _text(body.get("sub"), _("user id (sub)"), max_length=ID_MAX, required=True)
    roles = roles_of(body.get(LTI + "roles"))
    context = _object(body, LTI + "context", _("context"))
    link = _object(body, LTI + "resource_link", _("resource link"))
    custom_raw = _object(body, LTI + "custom", _("custom parameters"))
    if len(custom_raw) > MAX_CUSTOM:
        raise ClaimError(_("The launch has more than %(n)d custom parameters.") % {"n": MAX_CUSTOM})
    custom = {
        _text(k, _("custom parameter"), max_length=100): _text(
            v if not isinstance(v, (int, float)) or isinstance(v, bool) else str(v),
            _("custom parameter"),
            max_length=CUSTOM_VALUE_MAX,
        )
        for k, v in custom_raw.items()
    }
    ags = _object(body, AGS, _("grade service"))
    scopes = ags.get("scope", [])
    if not isinstance(scopes, list) or not all(isinstance(s, str) for s in scopes):
        raise ClaimError(_("The launch's grade service scopes are not a list of text."))
    nrps = _object(body, NRPS, _("roster service"))
    fields = {
        "message_type": message_type,
        "sub": sub,
        "name": display_name(body),
        "teacher": is_teacher(roles),
        "context_id": _text(context.get("id"), _("context id"), max_length=ID_MAX) or None,
        "context_title": _text(context.get("title"), _("context title"), max_length=1000)[:200],
        "link_id": _text(link.get("id"), _("resource link id"), max_length=ID_MAX) or None,
        "link_title": _text(link.get("title"), _("resource link title"), max_length=1000)[:200],
        "target_link_uri": _url(body.get(LTI + "target_link_uri"), _("target link")),
        "custom": custom,
        "lineitem_url": _url(ags.get("lineitem"), _("line item")),
        "can_post_scores": SCORE_SCOPE in scopes,
        "memberships_url": _url(nrps.get("context_memberships_url"), _("roster address")),
    }
    if message_type == "LtiDeepLinkingRequest":
        settings = _object(body, DL + "deep_linking_settings", _("deep linking settings"))
        fields["return_url"] = _url(
            settings.get("deep_link_return_url"), _("deep linking return address"), required=True
        )
        fields["accept_multiple"] = settings.get("accept_multiple") in (True, "true")
    elif message_type == "LtiResourceLinkRequest":
        if not fields["link_id"]:
            raise ClaimError(_("The launch has no resource link id."))
    else:
        raise ClaimError(_("This tool does not handle %(type)s messages.") % {"type": message_type[:100]})
    return Launch(**fields)
