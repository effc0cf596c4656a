r"""Math kept intact for client-side typesetting (KaTeX/MathJax).

Dwengo authors write MathJax delimiters with doubled backslashes, because Markdown turns ``\\(``
into ``\(``: ``\\( x^2 \\)`` and ``\\[ ... \\]``. ``_backslash_math_rule`` reads them as one token,
so ``_`` and ``*`` inside are not emphasis, and un-escapes the TeX exactly as Markdown would
(``\\\\`` → ``\\``). ``$...$`` and ``$$...$$`` come from mdit-py-plugins' dollarmath.

Output: the TeX HTML-escaped inside Dwengo's MathJax delimiters, in an element that marks it,
``<span class="math inline">\(…\)</span>`` and ``<div class="math display">\[…\]</div>``
(``<span class="math display">`` inside headings, table cells and tight lists). A client page that
runs MathJax or KaTeX's auto-render over the API's HTML (as dwengo.org does) finds the delimiters in
the text; our own pages render the marked elements (static/js/content.js strips the delimiters).
"""

from __future__ import annotations

from html import escape

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from mdit_py_plugins.dollarmath import dollarmath_plugin

_PUNCT = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
DISPLAY_TYPES = ("math_display", "math_inline_double")
INLINE = ("\\(", "\\)")  # the delimiters MathJax and KaTeX auto-render look for by default
DISPLAY = ("\\[", "\\]")


def math_plugin(md: MarkdownIt) -> None:
    dollarmath_plugin(md, allow_labels=False, allow_space=False, allow_digits=False, double_inline=True)
    md.inline.ruler.before("escape", "lp_backslash_math", _backslash_math_rule)
    md.add_render_rule("math_inline", _render_inline)
    md.add_render_rule("math_display", _render_display)
    md.add_render_rule("math_inline_double", _render_display)
    md.add_render_rule("math_block", _render_block)


def _scan(src: str, start: int, end: int, closer: str) -> tuple[str, int] | None:
    """TeX from ``start`` up to the doubled-backslash closer → (tex, position after it)."""
    tex: list[str] = []
    i = start
    while i < end:
        c = src[i]
        if c == "\\" and i + 1 < end and src[i + 1] in _PUNCT:
            ch = src[i + 1]
            i += 2
            if ch != "\\":
                tex.append(ch)
                continue
            # A TeX backslash: it either closes the math or starts a control sequence.
            if i < end and src[i] == closer:
                return "".join(tex), i + 1
            if i + 1 < end and src[i] == "\\" and src[i + 1] == closer:
                return "".join(tex), i + 2
            tex.append("\\")
            if i < end:  # the control sequence's next character, so "\\\\)" stays TeX
                if src[i] == "\\" and i + 1 < end and src[i + 1] in _PUNCT:
                    tex.append(src[i + 1])
                    i += 2
                else:
                    tex.append(src[i])
                    i += 1
            continue
        tex.append(c)
        i += 1
    return None


def _backslash_math_rule(state: StateInline, silent: bool) -> bool:
    pos, src = state.pos, state.src
    if not src.startswith("\\\\", pos) or pos + 2 >= state.posMax or src[pos + 2] not in "([":
        return False
    display = src[pos + 2] == "["
    found = _scan(src, pos + 3, state.posMax, "]" if display else ")")
    if found is None:
        return False
    tex, after = found
    if not silent:
        token = state.push("math_display" if display else "math_inline", "math", 0)
        token.content = tex.strip()
        token.markup = "\\\\[" if display else "\\\\("
    state.pos = after
    return True


def _tex(token, delimiters: tuple[str, str]) -> str:
    return delimiters[0] + escape(token.content.strip(), quote=False) + delimiters[1]


def _render_inline(self, tokens, idx, options, env) -> str:
    return f'<span class="math inline">{_tex(tokens[idx], INLINE)}</span>'


def _render_display(self, tokens, idx, options, env) -> str:
    # Inside a heading, table cell or tight list item; a paragraph's own display math has
    # become a ``math_block`` token (plugins/blocks.py).
    return f'<span class="math display">{_tex(tokens[idx], DISPLAY)}</span>'


def _render_block(self, tokens, idx, options, env) -> str:
    return f'<div class="math display">{_tex(tokens[idx], DISPLAY)}</div>\n'
