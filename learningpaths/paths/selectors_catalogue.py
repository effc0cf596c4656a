"""Catalogue reads: paths as cards with their themes, difficulty and language variants."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import get_language

from .models import LearningPath, PathNode
from .querysets import can_see_teacher_content
from .selectors_cache import memoised
from .selectors_search import path_ranking, search_language
from .themes import slug, theme_name


@dataclass
class Card:
    path: LearningPath
    themes: list[tuple[str, str]] = field(default_factory=list)  # (slug, readable name)
    difficulty: int | None = None
    variants: list[LearningPath] = field(default_factory=list)
    num_nodes: int = 0


@dataclass
class Catalogue:
    cards: list[Card]
    themes: list[tuple[str, str]]  # every theme present, for the filter
    languages: list[str]
    language: str = ""  # the language shown ("" for all): the choice, or the UI language by default


def catalogue(
    *,
    user,
    query: str = "",
    language: str | None = None,
    age: int | None = None,
    theme: str = "",
    max_difficulty: int | None = None,
    max_time: int | None = None,
) -> Catalogue:
    teacher = can_see_teacher_content(user)
    # Every card, memoised per build, visibility and UI language (theme names are translated);
    # shared between requests, so read only. The filters below are cheap.
    all_cards, themes, languages = memoised(
        ("catalogue", teacher, get_language()), lambda: _all_cards(user=user, teacher=teacher)
    )
    # The language filter defaults to the UI language ("all" lifts it): the site search's rule.
    language = search_language(language, languages)
    ranked = path_ranking(user=user, query=query, language=language) if query.strip() else None
    ranking = {pk: i for i, pk in enumerate(ranked)} if ranked is not None else None
    cards = []
    for c in all_cards:
        p = c.path
        if language and p.language != language:
            continue
        if age is not None and (
            (p.min_age is not None and p.min_age > age) or (p.max_age is not None and p.max_age < age)
        ):
            continue
        if theme and theme not in {s for s, _ in c.themes}:
            continue
        if max_difficulty is not None and c.difficulty is not None and c.difficulty > max_difficulty:
            continue
        if max_time is not None and p.estimated_time > max_time:
            continue
        if ranking is not None and p.pk not in ranking:
            continue
        cards.append(c)
    if ranking is not None:  # the site search's order: best match first
        cards.sort(key=lambda c: ranking[c.path.pk])
    else:  # with every language shown, the UI's language first (a stable sort keeps title order)
        ui = (get_language() or "").split("-")[0]
        cards.sort(key=lambda c: c.path.language != ui)
    return Catalogue(cards=cards, themes=themes, languages=languages, language=language)


def _all_cards(*, user, teacher: bool) -> tuple[list[Card], list[tuple[str, str]], list[str]]:
    nodes = PathNode.objects.select_related("object").only(
        "path_id", "object__skos_concepts", "object__difficulty", "object__teacher_exclusive"
    )
    paths = list(
        LearningPath.objects.visible_to(user)
        .prefetch_related(Prefetch("nodes", queryset=nodes))
        .order_by("title", "hruid", "language")
    )
    by_hruid: dict[str, list[LearningPath]] = {}
    for p in paths:
        by_hruid.setdefault(p.hruid, []).append(p)

    all_cards = []
    for p in paths:
        visible = [n for n in p.nodes.all() if teacher or not n.object.teacher_exclusive]
        concepts = sorted({c for n in visible for c in (n.object.skos_concepts or [])})
        diffs = [n.object.difficulty for n in visible if n.object.difficulty is not None]
        all_cards.append(
            Card(
                path=p,
                themes=[(slug(c), theme_name(c)) for c in concepts],
                difficulty=round(sum(diffs) / len(diffs)) if diffs else None,
                variants=[v for v in by_hruid[p.hruid] if v.pk != p.pk],
                num_nodes=len(visible),
            )
        )

    themes = sorted({t for c in all_cards for t in c.themes}, key=lambda t: t[1].lower())
    languages = sorted({p.language for p in paths})
    return all_cards, themes, languages
