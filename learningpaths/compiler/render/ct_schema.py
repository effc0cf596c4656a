"""``text/ct-schema``: six computational-thinking sections, each Markdown, in a fixed grid.

Dwengo's CTSchemaProcessor reads ``<context>``, ``<decomposition>``, ``<patternRecognition>``,
``<abstraction>``, ``<algorithms>`` and ``<implementation>`` and lays them out with logos. We use
our own layout and labels (no external images)::

    <div class="ct_schema_container">
      <section class="ct_schema_cell ct_schema_context" aria-label="Context">
        <div class="ct_schema_label">Context</div><div class="ct_schema_body">…</div>
      </section> …
    </div>

Each section is rendered and sanitised on its own, so stray tags (the real sample has a lone
``</div>``) cannot break the grid.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape

from ..codes import Code
from .context import Doc, RenderContext
from .markdown import render_markdown

SECTIONS = ("context", "decomposition", "patternRecognition", "abstraction", "algorithms", "implementation")
LABELS = {
    "nl": ("Context", "Decompositie", "Patroonherkenning", "Abstractie", "Algoritmisch denken", "Implementatie"),
    "en": ("Context", "Decomposition", "Pattern recognition", "Abstraction", "Algorithmic thinking", "Implementation"),
    "fr": (
        "Contexte",
        "Décomposition",
        "Reconnaissance de motifs",
        "Abstraction",
        "Pensée algorithmique",
        "Mise en œuvre",
    ),
}
_CANONICAL = {name.lower(): name for name in SECTIONS}
_SECTION = re.compile(r"<(" + "|".join(SECTIONS) + r")\s*>(.*?)</\1\s*>", re.S | re.I)
_TAGS = re.compile(r"<[^>]*>")


def render_ct_schema(ctx: RenderContext, doc: Doc, clean: Callable[[str], str]) -> tuple[str, str] | None:
    """(student, teacher) grid HTML, or None when the text has none of the six sections."""
    found: dict[str, tuple[str, str]] = {}
    for match in _SECTION.finditer(doc.text):
        name = _CANONICAL[match.group(1).lower()]
        line = doc.line_base + doc.text.count("\n", 0, match.start(2))
        if name in found:
            ctx.warn(
                doc,
                line,
                Code.CONTENT_TYPE,
                f"ct-schema section <{name}> appears twice; the first is shown",
                "keep one of each section",
            )
            continue
        student, teacher = render_markdown(ctx, Doc(doc.path, line, match.group(2)))
        found[name] = (clean(student), clean(teacher))
    if not found:
        return None
    leftover = _TAGS.sub("", _SECTION.sub("", doc.text)).strip()
    if leftover:
        ctx.warn(
            doc,
            doc.line_base,
            Code.CONTENT_TYPE,
            f"text outside the six ct-schema sections is not shown: '{leftover[:40]}'",
            "put it inside <context>…</context> or another section",
        )
    labels = LABELS.get(ctx.key.language, LABELS["en"])
    variants = []
    for variant in (0, 1):
        cells = []
        for name, text in zip(SECTIONS, labels, strict=True):
            body = found.get(name, ("", ""))[variant]
            cells.append(
                f'<section class="ct_schema_cell ct_schema_{name}" aria-label="{escape(text)}">'
                f'<div class="ct_schema_label">{escape(text)}</div>'
                f'<div class="ct_schema_body">\n{body}</div></section>'
            )
        variants.append('<div class="ct_schema_container">\n' + "\n".join(cells) + "\n</div>\n")
    return variants[0], variants[1]
