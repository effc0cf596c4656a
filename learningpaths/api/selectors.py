"""Reads the API needs beyond ``learningpaths.paths.selectors``. Visibility always comes from the
shared querysets (``visible_to``) and ``paths.selectors.path_nodes``; nothing here decides it anew."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.apps import apps
from django.http import Http404

from learningpaths.paths import selectors as paths_selectors
from learningpaths.paths.models import LearningObject, LearningPath, PathNode
from learningpaths.paths.querysets import can_see_teacher_content
from learningpaths.paths.selectors_cache import memoised

from .text_search import TextQuery, pattern_match

# Columns the metadata documents do not need (large HTML and text).
_HEAVY = ("html", "teacher_html", "text", "teacher_text", "metadata")


def object_lookup(
    *,
    user,
    hruid: str | None = None,
    language: str | None = None,
    version: int | None = None,
    uuid: str | None = None,
    heavy: bool = True,
) -> LearningObject:
    """The object matching every given identifier (Dwengo's getRaw/getMetadata/getWrapped lookup).

    Without a version: the latest version the user may see. Without a language: the first language
    in alphabetical order (deterministic, unlike Dwengo's "first match"). Raises Http404 when nothing
    visible matches, so a teacher-exclusive object is indistinguishable from a missing one."""
    qs = LearningObject.objects.visible_to(user)
    if not heavy:
        qs = qs.defer(*_HEAVY)
    for name, value in (("hruid", hruid), ("language", language), ("version", version), ("uuid", uuid)):
        if value is not None:
            qs = qs.filter(**{name: value})
    obj = qs.order_by("language", "-version").first()
    if obj is None:
        raise Http404("No learning object matches these parameters.")
    return obj


@dataclass
class ObjectFilters:
    search_term: str | None = None
    exact: dict | None = None  # column -> value (uuid, hruid, version, language, content_type, ...)
    title: str | None = None
    description: str | None = None
    target_ages: list | None = None
    keywords: list | None = None
    skos_concepts: list | None = None
    min_difficulty: int | None = None
    max_difficulty: int | None = None
    min_time: int | None = None
    max_time: int | None = None


def _fold(value) -> str:
    return str(value).casefold()


def _text_fields(obj: LearningObject) -> list[str]:
    """The fields of Dwengo's text index but the title: description, keywords, educational goals
    (their string items; MongoDB indexes no text inside sub-documents) and SKOS concepts."""
    lists = (obj.keywords or [], obj.educational_goals or [], obj.skos_concepts or [])
    return [obj.description or "", *(str(v) for values in lists for v in values if isinstance(v, str))]


def _any_in(values, wanted: list) -> bool:
    return any(v in wanted for v in (values or []))


def object_search(*, user, filters: ObjectFilters) -> list[LearningObject]:
    """``/api/learningObject/search``: every filter must hold (AND), over the objects the user may see.

    ``searchTerm`` is Dwengo's ``$text`` search (``text_search``): an object matches when it holds ANY
    of the words; the answer is ranked, more words matched first, then more of them in the title, then
    by hruid, language and newest version (without ``searchTerm``: that last order). Array filters have
    ``$in`` semantics: an object matches when it has at least one of the listed values. All versions
    are returned."""
    qs = LearningObject.objects.visible_to(user).defer(*_HEAVY)
    for name, value in (filters.exact or {}).items():
        qs = qs.filter(**{name: value})
    if filters.min_difficulty is not None:
        qs = qs.filter(difficulty__gte=filters.min_difficulty)
    if filters.max_difficulty is not None:
        qs = qs.filter(difficulty__lte=filters.max_difficulty)
    if filters.min_time is not None:
        qs = qs.filter(estimated_time__gte=filters.min_time)
    if filters.max_time is not None:
        qs = qs.filter(estimated_time__lte=filters.max_time)
    # Text and JSON-array tests run in Python: Unicode-correct case folding on every database, and
    # no matching against the JSON syntax of the stored arrays.
    query = TextQuery.parse(filters.search_term) if filters.search_term else None
    out, scores = [], {}
    for obj in qs.order_by("hruid", "language", "-version"):
        if query is not None:
            score = query.score(obj.title or "", _text_fields(obj))
            if score is None:
                continue
            scores[obj.pk] = score
        if filters.title is not None and _fold(filters.title) not in _fold(obj.title):
            continue
        if filters.description is not None and _fold(filters.description) not in _fold(obj.description):
            continue
        if filters.target_ages is not None and not _any_in(obj.target_ages, filters.target_ages):
            continue
        if filters.keywords is not None and not _any_in(obj.keywords, filters.keywords):
            continue
        if filters.skos_concepts is not None and not _any_in(obj.skos_concepts, filters.skos_concepts):
            continue
        out.append(obj)
    if query is not None:  # a stable sort: equal scores keep the hruid order
        out.sort(key=lambda o: (-scores[o.pk][0], -scores[o.pk][1]))
    return out


def frequent_keywords(limit: int = 5) -> list[str]:
    """The most used keywords of available, non-teacher-exclusive objects (latest versions), ignoring
    empty strings. Independent of the caller, as in Dwengo. Ties are broken alphabetically."""
    counts: Counter[str] = Counter()
    rows = (
        LearningObject.objects.filter(available=True, teacher_exclusive=False)
        .latest_versions()
        .values_list("keywords", flat=True)
    )
    for keywords in rows:
        for kw in keywords or []:
            if isinstance(kw, str) and kw.strip():
                counts[kw.strip()] += 1
    return [kw for kw, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]]


# ---------------------------------------------------------------------------------------------- paths


def done_hruids(*, user, path: LearningPath) -> set[str]:
    """Progress hook: the object hruids this user has completed in the path (empty when unknown).

    Uses ``learningpaths.learning`` when that app is installed; otherwise nobody has progress and
    ``num_nodes_left`` equals ``num_nodes``."""
    if not getattr(user, "is_authenticated", False) or not apps.is_installed("learningpaths.learning"):
        return set()
    from learningpaths.learning import selectors as learning

    return set(learning.done_hruids(user=user, path=path))


def _start_pks(*, path: LearningPath, views, teacher: bool) -> set[int]:
    """Start nodes as the user sees them: when a teacher-exclusive start node is hidden, the start
    moves forward to the first visible nodes after it (as Dwengo's viewer does)."""
    starts = {v.node.pk for v in views if v.node.start_node}
    if not teacher:
        visible = {v.node.pk for v in views}
        hidden_starts = list(path.nodes.filter(start_node=True).exclude(pk__in=visible).values_list("pk", flat=True))
        if hidden_starts:
            edges: dict[int, list[int]] = {}
            for node in path.nodes.prefetch_related("transitions"):
                edges[node.pk] = [t.next_node_id for t in node.transitions.all()]
            seen, todo = set(hidden_starts), list(hidden_starts)
            while todo:
                for nxt in edges.get(todo.pop(), []):
                    if nxt in visible:
                        starts.add(nxt)
                    elif nxt not in seen:
                        seen.add(nxt)
                        todo.append(nxt)
    if not starts and views:
        starts.add(views[0].node.pk)
    return starts


def _visible_keywords(*, path: LearningPath, views, teacher: bool) -> list[str]:
    """The path's keywords, minus those that only teacher-exclusive nodes carry (a student must not
    learn about hidden objects through the aggregated keyword string)."""
    keywords = [k for k in (path.keywords or []) if isinstance(k, str) and k.strip()]
    if teacher:
        return keywords
    visible_pks = {v.node.pk for v in views}
    hidden_kw = set()
    for node in PathNode.objects.filter(path=path).exclude(pk__in=visible_pks).select_related("object"):
        hidden_kw.update(k for k in (node.object.keywords or []) if isinstance(k, str))
    if not hidden_kw:
        return keywords
    visible_kw = {k for v in views for k in (v.obj.keywords or []) if isinstance(k, str)}
    return [k for k in keywords if k not in hidden_kw or k in visible_kw]


@dataclass
class PathView:
    path: LearningPath
    views: list
    starts: set[int]
    keywords: list[str]
    done: set[str]


def path_view(*, user, path: LearningPath) -> PathView:
    teacher = can_see_teacher_content(user)
    views = paths_selectors.path_nodes(path=path, user=user)
    # Start nodes and keywords depend only on the build and the visibility: memoised (read only).
    starts, keywords = memoised(
        ("api_path_view", path.pk, teacher),
        lambda: (
            _start_pks(path=path, views=views, teacher=teacher),
            _visible_keywords(path=path, views=views, teacher=teacher),
        ),
    )
    return PathView(path=path, views=views, starts=starts, keywords=keywords, done=done_hruids(user=user, path=path))


def path_detail(*, user, hruid: str, language: str) -> PathView:
    return path_view(user=user, path=paths_selectors.path_get(user=user, hruid=hruid, language=language))


@dataclass
class PathFilters:
    all: str | None = None
    language: str | None = None
    min_age: int | None = None
    max_age: int | None = None
    title: str | None = None
    description: str | None = None
    hruid: str | None = None
    keywords: str | None = None


def path_search(*, user, filters: PathFilters) -> list[PathView]:
    """``/api/learningPath/search``: all given filters must hold (AND; Dwengo OR-ed them).

    ``all``: Dwengo's pattern match (``text_search.pattern_match``): the whole value occurs
    case-insensitively in the title, description, hruid or keywords.
    ``min_age``/``max_age``: the path's age range overlaps the asked range (a path without an age
    bound is open on that side). ``title``/``description``/``hruid``/``keywords``: case-insensitive
    substring. Results are ordered by title, then hruid and language."""
    qs = LearningPath.objects.visible_to(user)
    if filters.language is not None:
        qs = qs.filter(language=filters.language)
    if filters.min_age is not None:
        qs = qs.exclude(max_age__lt=filters.min_age)
    if filters.max_age is not None:
        qs = qs.exclude(min_age__gt=filters.max_age)
    out = []
    for path in qs.order_by("title", "hruid", "language"):
        # Cheap column tests first; the node view (a few queries) only for paths still in the running.
        if filters.title is not None and _fold(filters.title) not in _fold(path.title):
            continue
        if filters.description is not None and _fold(filters.description) not in _fold(path.description):
            continue
        if filters.hruid is not None and _fold(filters.hruid) not in _fold(path.hruid):
            continue
        view = path_view(user=user, path=path)
        if not view.views:
            continue
        keywords = " ".join(view.keywords)
        if filters.all is not None and not pattern_match(
            filters.all, [path.title, path.description, path.hruid, keywords]
        ):
            continue
        if filters.keywords is not None and _fold(filters.keywords) not in _fold(keywords):
            continue
        out.append(view)
    return out


def paths_from_ids(*, user, hruids: list[str], language: str | None) -> list[PathView]:
    """Paths in the order of ``hruids``; without a language, every language of each hruid
    (alphabetically), unlike Dwengo, which answered [] then. Unknown hruids are skipped."""
    qs = LearningPath.objects.visible_to(user).filter(hruid__in=set(hruids))
    if language is not None:
        qs = qs.filter(language=language)
    by_hruid: dict[str, list[LearningPath]] = {}
    for path in qs.order_by("language"):
        by_hruid.setdefault(path.hruid, []).append(path)
    out, seen = [], set()
    for hruid in hruids:
        if hruid in seen:
            continue
        seen.add(hruid)
        for path in by_hruid.get(hruid, []):
            view = path_view(user=user, path=path)
            if view.views:
                out.append(view)
    return out


def path_languages(*, user) -> list[str]:
    return sorted(set(LearningPath.objects.visible_to(user).values_list("language", flat=True)))
