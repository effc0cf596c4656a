"""Reads for a student's home page and the catalogue's cards: the paths they started, newest first,
each with the step to resume at and the progress on their own route (``completion``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.http import Http404
from django.urls import reverse

from learningpaths.paths import selectors as content
from learningpaths.paths.models import LearningPath
from learningpaths.paths.selectors import NodeView

from . import completion
from .models import PathProgress


@dataclass
class Started:
    """A path the student opened: where they are in it and how far along their route they got."""

    path: LearningPath
    current: NodeView | None  # the step to resume at (None: it is no longer in the path)
    route: completion.Route
    updated_at: datetime

    @property
    def pct(self) -> int:
        return self.route.pct

    @property
    def finished(self) -> bool:
        return self.route.finished

    @property
    def url(self) -> str:
        """The resume step itself (the player resumes there for a plain path address too)."""
        if self.current is None:
            return self.path.get_absolute_url()
        return reverse("learning:path_node", args=[self.path.hruid, self.path.language, self.current.obj.hruid])


def started_paths(*, user, paths: list[LearningPath] | None = None) -> list[Started]:
    """The paths ``user`` started, most recently visited first. With ``paths`` (the catalogue's
    cards), only those, and no path is looked up. Reads: one for the progress rows, then one per
    table for every path together (``completion.facts_for_paths``); paths and their steps come
    from the build's memo."""
    if not getattr(user, "is_authenticated", False):
        return []
    rows = PathProgress.objects.filter(user=user).order_by("-updated_at", "-pk")
    known = None if paths is None else {(p.hruid, p.language): p for p in paths}
    if known is not None:
        if not known:
            return []
        rows = rows.filter(path_hruid__in={h for h, _l in known})
    picked = []
    for hruid, language, current, updated_at in rows.values_list(
        "path_hruid", "path_language", "current_hruid", "updated_at"
    ):
        if known is not None:
            path = known.get((hruid, language))
            if path is None:
                continue
        else:
            try:
                path = content.path_get(user=user, hruid=hruid, language=language)
            except Http404:  # the path was removed or hidden since
                continue
        nodes = content.path_nodes(path=path, user=user, as_student=True)
        rules = completion.path_rules(path=path, nodes=nodes, user=user, as_student=True)
        picked.append((path, nodes, rules, current, updated_at))
    facts = completion.facts_for_paths(user_id=user.pk, paths=[(p, n, r) for p, n, r, _c, _u in picked])
    out = []
    for path, nodes, rules, current, updated_at in picked:
        route = completion.route_of(nodes=nodes, rules=rules, facts=facts[path.pk])
        step = next((n for n in nodes if n.obj.hruid == current), None)
        out.append(Started(path=path, current=step, route=route, updated_at=updated_at))
    return out


def card_progress(*, user, paths: list[LearningPath]) -> dict[int, Started]:
    """Path pk -> the student's progress, for the catalogue's cards they started (registered with
    ``paths.card_progress`` in apps.py: the catalogue sits below this app)."""
    return {s.path.pk: s for s in started_paths(user=user, paths=paths)}
