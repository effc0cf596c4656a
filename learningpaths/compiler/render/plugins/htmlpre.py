"""Block rule ``lp_html_pre``: an HTML block that opens ``<pre>`` runs to its ``</pre>``.

CommonMark ends an HTML block that starts with ``<div>`` at the first blank line, so code in
``<div class="dwengo-content"><pre><code>…`` with a blank line inside (common in Dwengo content)
falls apart into paragraphs. When the lines up to the blank line open more ``<pre>`` than they
close, this rule extends the block to the line that closes it (then to the next blank line).
Without a closing ``</pre>`` it leaves the text to the ordinary ``html_block`` rule.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.common.html_blocks import block_names
from markdown_it.rules_block import StateBlock

_START = re.compile(r"^</?(?:" + "|".join(block_names) + r")(?=\s|/?>|$)", re.I)
_OPEN = re.compile(r"<pre\b", re.I)
_CLOSE = re.compile(r"</pre\s*>", re.I)


def htmlpre_plugin(md: MarkdownIt) -> None:
    md.block.ruler.before(
        "html_block", "lp_html_pre", _html_pre_rule, {"alt": ["paragraph", "reference", "blockquote"]}
    )


def _text(state: StateBlock, line: int) -> str:
    return state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]]


def _html_pre_rule(state: StateBlock, startLine: int, endLine: int, silent: bool) -> bool:
    if state.is_code_block(startLine) or not state.md.options.get("html"):
        return False
    first = _text(state, startLine)
    if not _START.match(first) or first[:4].lower() == "<pre":
        return False
    balance, line, extended = 0, startLine, False
    while line < endLine:
        text = _text(state, line)
        if not text.strip() and balance <= 0:
            break
        if text and state.sCount[line] < state.blkIndent:
            break
        balance += len(_OPEN.findall(text)) - len(_CLOSE.findall(text))
        if balance > 0 and not text.strip():
            extended = True
        line += 1
    if not extended or balance > 0:
        return False  # nothing to fix, or a <pre> never closed: the ordinary rule decides
    if silent:
        return True
    token = state.push("html_block", "", 0)
    token.map = [startLine, line]
    token.content = state.getLines(startLine, line, state.blkIndent, True)
    state.line = line
    return True
