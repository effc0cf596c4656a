"""Reads for LTI: our public keys, where a launch goes, the catalogue a teacher picks from, scores."""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _
from jwcrypto.jwk import JWK

from learningpaths.learning import completion
from learningpaths.paths import selectors as content
from learningpaths.paths.models import LearningPath

from .claims import ClaimError, Launch
from .models import Identity, Outcome, ResourceLink, ToolKey
from .toolconf import registration_find


def jwks() -> dict:
    """Every key not retired, newest first, as a JSON Web Key Set."""
    keys = []
    for key in ToolKey.objects.filter(retired_at__isnull=True):
        jwk = json.loads(JWK.from_pem(key.public_pem.encode()).export_public())
        keys.append({**jwk, "kid": key.kid, "alg": "RS256", "use": "sig"})
    return {"keys": keys}


@dataclass(frozen=True)
class Target:
    path: LearningPath
    step: str | None  # a step's object hruid, or None for the path's resume point

    @property
    def url(self) -> str:
        if self.step:
            return reverse("learning:path_node", args=[self.path.hruid, self.path.language, self.step])
        return reverse("learning:path", args=[self.path.hruid, self.path.language])


def _target_from_url(url: str) -> tuple[str, str, str | None] | None:
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return None
    if match.view_name not in ("learning:path", "learning:path_node"):
        return None
    return match.kwargs["hruid"], match.kwargs["language"], match.kwargs.get("node")


def launch_target(*, launch: Launch, user, link: ResourceLink | None = None) -> Target:
    """The path (and step) a resource link opens: its ``path`` (+ ``language``, ``step``) custom
    parameters, else the target link when it is one of our path addresses, else what the link
    opened before. Raises ClaimError when none names a path this user may see."""
    custom = launch.custom
    if custom.get("path"):
        wanted = (custom["path"], custom.get("language", "en"), custom.get("step") or None)
    else:
        wanted = _target_from_url(launch.target_link_uri)
        if wanted is None and link is not None:
            wanted = (link.path_hruid, link.path_language, None)
    if wanted is None:
        raise ClaimError(_("This link does not say which learning path to open. Ask your teacher to choose one."))
    hruid, language, step = wanted
    path = LearningPath.objects.visible_to(user).filter(hruid=hruid, language=language).first()
    if path is None:
        raise ClaimError(_("The learning path this link opens does not exist (any more)."))
    if step is not None:
        nodes = content.path_nodes(path=path, user=user)
        step = step if any(n.obj.hruid == step for n in nodes) else None
    return Target(path=path, step=step)


@dataclass(frozen=True)
class Choice:
    path: LearningPath
    steps: list[tuple[str, str]]  # (object hruid, title)


def catalogue(*, user) -> list[Choice]:
    """The paths (and their steps) a teacher may place in their platform."""
    out = []
    for path in LearningPath.objects.visible_to(user).order_by("title", "language"):
        nodes = content.path_nodes(path=path, user=user, as_student=True)
        out.append(Choice(path=path, steps=[(n.obj.hruid, n.obj.title) for n in nodes]))
    return out


def choice_get(*, user, value: str) -> tuple[LearningPath, str | None, str] | None:
    """A catalogue choice posted back as ``hruid/language`` or ``hruid/language/step``:
    (path, step hruid or None, title), or None when it names nothing this user may see."""
    if not isinstance(value, str) or len(value) > 700:
        return None
    parts = value.split("/")
    if len(parts) not in (2, 3):
        return None
    path = LearningPath.objects.visible_to(user).filter(hruid=parts[0], language=parts[1]).first()
    if path is None:
        return None
    if len(parts) == 2:
        return path, None, path.title
    nodes = content.path_nodes(path=path, user=user, as_student=True)
    node = next((n for n in nodes if n.obj.hruid == parts[2]), None)
    if node is None:
        return None
    return path, node.obj.hruid, f"{path.title}: {node.obj.title}"


def outcome_score(*, outcome: Outcome) -> tuple[int, int, bool] | None:
    """(steps done, steps on the pupil's route, finished) on the link's path: the path score the
    platform's gradebook gets (the same progress the pupil's bar shows). None when the path is gone."""
    link = outcome.link
    user = outcome.identity.user
    path = LearningPath.objects.visible_to(user).filter(hruid=link.path_hruid, language=link.path_language).first()
    if path is None:
        return None
    nodes = content.path_nodes(path=path, user=user, as_student=True)
    if not nodes:
        return None
    route = completion.path_route(user=user, path=path, nodes=nodes, as_student=True)
    return route.n_done, len(route.steps), route.finished


def identity_user(*, iss: str, client_id: str, sub: str):
    """The local account linked to (platform, sub), or None."""
    registration = registration_find(iss, client_id)
    if registration is None:
        return None
    identity = Identity.objects.select_related("user").filter(registration=registration, sub=sub).first()
    return identity.user if identity is not None else None


def path_step_count(*, path: LearningPath, user) -> int:
    """Steps a pupil sees on the path: the score maximum of its line item."""
    return len(content.path_nodes(path=path, user=user, as_student=True))
