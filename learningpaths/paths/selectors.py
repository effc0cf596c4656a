"""Reads for content. Every view and API route goes through these, so visibility is decided once."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import Http404

from .embeds import defer_iframes
from .models import LearningObject, LearningPath, ObjectAsset, PathNode
from .querysets import can_see_teacher_content
from .selectors_cache import memoised

# Object columns a list of steps never shows (the HTML and text variants are tens of kB each);
# ``object_html`` reads the one variant a page needs.
NODE_OBJECT_DEFERRED = (
    "object__html",
    "object__teacher_html",
    "object__text",
    "object__teacher_text",
    "object__metadata",
)


def object_get(*, user, hruid: str, language: str, version: int | None = None) -> LearningObject:
    """The object, or its latest version when ``version`` is None; 404 when the user may not see it."""
    qs = LearningObject.objects.visible_to(user).filter(hruid=hruid, language=language)
    if version is not None:
        qs = qs.filter(version=version)
    obj = qs.order_by("-version").first()
    if obj is None:
        raise Http404("No such learning object.")
    return obj


def object_html(*, obj: LearningObject, user, as_student: bool = False, live_embeds: bool = False) -> str:
    """The HTML variant the user may see: teacher-only blocks only for teachers. Third-party
    iframes wait behind a load button (embeds.py) unless ``live_embeds`` (the API: its client decides)."""
    name = "teacher_html" if can_see_teacher_content(user) and not as_student else "html"
    if name in obj.get_deferred_fields():
        # A node's object from ``path_nodes`` (shared between requests): read the one column
        # rather than loading it onto the shared instance.
        html = LearningObject.objects.filter(pk=obj.pk).values_list(name, flat=True).first() or ""
    else:
        html = getattr(obj, name)
    return html if live_embeds else defer_iframes(html, obj.language)


def object_variants(*, obj: LearningObject, user) -> list[LearningObject]:
    """The same hruid in other languages (latest visible versions), for the language switch."""
    return list(
        LearningObject.objects.visible_to(user).filter(hruid=obj.hruid).exclude(language=obj.language).latest_versions()
    )


def asset_get(*, user, hruid: str, language: str, version: int, path: str) -> ObjectAsset:
    obj = object_get(user=user, hruid=hruid, language=language, version=version)
    asset = obj.assets.filter(path=path).first()
    if asset is None or (asset.teacher_only and not can_see_teacher_content(user)):
        raise Http404("No such file.")
    return asset


def path_get(*, user, hruid: str, language: str) -> LearningPath:
    teacher = can_see_teacher_content(user)
    path = memoised(
        ("path_get", hruid, language, teacher),
        lambda: LearningPath.objects.visible_to(user).filter(hruid=hruid, language=language).first(),
    )
    if path is None:
        raise Http404("No such learning path.")
    return path


@dataclass
class NodeView:
    """A node as one user sees it: teacher nodes spliced out for students."""

    node: PathNode
    obj: LearningObject
    index: int
    next: list[tuple[PathNode, bool, str]] = field(default_factory=list)  # (target, default, condition)

    @property
    def slug(self) -> str:
        return f"{self.obj.hruid};{self.obj.language};{self.obj.version}"


def path_nodes(*, path: LearningPath, user, as_student: bool = False) -> list[NodeView]:
    """Nodes in traversal order; for students, teacher-exclusive nodes are removed and the
    transitions that led to them are replaced by theirs (as Dwengo's viewer does, but here).

    Memoised per build and visibility: the list and its objects are shared, so read them only.
    The objects come without their HTML and text columns (``object_html`` reads those)."""
    teacher = can_see_teacher_content(user) and not as_student
    return memoised(("path_nodes", path.pk, teacher), lambda: _path_nodes(path=path, teacher=teacher))


def _path_nodes(*, path: LearningPath, teacher: bool) -> list[NodeView]:
    nodes = list(path.nodes.select_related("object").defer(*NODE_OBJECT_DEFERRED).prefetch_related("transitions"))
    hidden = {n.pk for n in nodes if n.object.teacher_exclusive and not teacher}
    by_pk = {n.pk: n for n in nodes}

    def targets(node, seen):
        out = []
        for t in node.transitions.all():
            nxt = by_pk[t.next_node_id]
            if nxt.pk in hidden:
                if nxt.pk in seen:
                    continue
                out.extend((tgt, t.default or d, t.condition or c) for tgt, d, c in targets(nxt, seen | {nxt.pk}))
            else:
                out.append((nxt, t.default, t.condition))
        return out

    views = []
    for n in nodes:
        if n.pk in hidden:
            continue
        views.append(NodeView(node=n, obj=n.object, index=len(views), next=targets(n, {n.pk})))
    return views


def path_variants(*, path: LearningPath, user) -> list[LearningPath]:
    """The same path hruid in other languages (memoised per build and visibility: read only)."""
    return memoised(
        ("path_variants", path.pk, can_see_teacher_content(user)),
        lambda: list(LearningPath.objects.visible_to(user).filter(hruid=path.hruid).exclude(pk=path.pk).defer("image")),
    )
