"""Runnable Python cells for the in-browser engine.

```` ```python run id=train returns=accuracy ```` →
``<div class="lp-cell" data-lp-cell="N" data-line="L" data-id="train" data-returns="accuracy">
<pre><code class="language-python">…</code></pre></div>`` (the browser adds the editor and
Run/Stop/Reset). ```` ```python setup ```` → the same inside ``<div hidden class="lp-cell-setup">``:
code the page runs first, not shown. Every cell is also recorded in ``Rendered.cells`` for
``compilecontent --execute``.
"""

from __future__ import annotations

import re
import shlex
from html import escape

from ..codes import Code
from .context import Doc, RenderContext
from .media import attr

LANGUAGES = ("python", "py", "python3")
MODES = ("run", "setup")
_OPTION = re.compile(r"[a-z][a-z0-9_-]*")
_ID = re.compile(r"[A-Za-z][\w-]*")
RESERVED = ("lp-cell", "line", "lp-cell-setup")


def is_cell(info: str) -> bool:
    words = info.split()
    return len(words) >= 2 and words[0].lower() in LANGUAGES and words[1].lower() in MODES


def _options(ctx: RenderContext, doc: Doc, line: int, words: list[str]) -> dict[str, str]:
    options: dict[str, str] = {}
    for word in words:
        name, eq, value = word.partition("=")
        name = name.lower()
        if not eq or not _OPTION.fullmatch(name) or name in RESERVED:
            ctx.error(
                doc,
                line,
                Code.CELL,
                f"cell option '{word}' is not name=value; it is ignored",
                "write e.g. ```python run id=train returns=accuracy",
                1,
            )
            continue
        if name == "id" and not _ID.fullmatch(value):
            ctx.error(
                doc,
                line,
                Code.CELL,
                f"cell id '{value}' must start with a letter and use letters, digits, '_' and '-'",
                "",
                1,
            )
            continue
        options[name] = value
    return options


def _accepts_returns(metadata: dict) -> bool:
    # The site stores a returned value only for an object with a schema (classroom.services.return_schema).
    rv = metadata.get("return_value")
    return isinstance(rv, dict) and isinstance(rv.get("callback_schema"), dict)


def render_cell(ctx: RenderContext, doc: Doc, line0: int | None, teacher: bool, info: str, code: str) -> str:
    line = doc.line(line0)
    try:
        words = shlex.split(info)
    except ValueError:
        ctx.error(doc, line, Code.CELL, "cell options have an unclosed quote", "close the quote", 1)
        words = info.split()
    setup = words[1].lower() == "setup"
    options = _options(ctx, doc, line, words[2:])
    cell_id = options.get("id", "")
    if cell_id and cell_id in ctx.cell_ids:
        ctx.error(doc, line, Code.CELL, f"two cells have the id '{cell_id}'", "give every cell its own id", 1)
    elif cell_id:
        ctx.cell_ids.add(cell_id)
    if not code.strip():
        ctx.warn(doc, line, Code.CELL, "empty runnable cell", "put Python code between the fences", 1)
    returns = options.get("returns", "")
    if returns and not setup and not _accepts_returns(ctx.inp.metadata):
        ctx.warn(
            doc,
            line,
            Code.CELL_RETURNS,
            f"the cell returns '{returns}', but the object has no return_value.callback_schema: "
            "the value is not stored for the teacher",
            "add to the front matter: return_value: {callback_url: /returns, callback_schema: {type: object, "
            f"properties: {{{returns}: {{type: number}}}}, required: [{returns}]}}}}",
            1,
        )
    number = len(ctx.cells) + 1
    ctx.cells.append(
        {
            "n": number,
            "id": cell_id,
            "code": code,
            "line": line,
            "setup": setup,
            "options": options,
            "teacher_only": teacher,
        }
    )
    data = "".join(f' data-{name}="{attr(value)}"' for name, value in options.items())
    pre = f'<pre><code class="language-python">{escape(code, quote=False)}</code></pre>'
    if setup:
        return f'<div hidden class="lp-cell-setup" data-lp-cell="{number}" data-line="{line}"{data}>{pre}</div>\n'
    return f'<div class="lp-cell" data-lp-cell="{number}" data-line="{line}"{data}>{pre}</div>\n'
