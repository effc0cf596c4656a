"""Golden HTML: fixture files in markdown-it format (title / . / Markdown / . / expected / .).

The expected part is the student HTML; when the teacher variant differs it follows a line
``=== teacher ===``; then every diagnostic, formatted and prefixed with ``// ``. Inputs are
rendered as the body of an object in ``objects/basic`` (files: img/logo.png, images/µc.png,
embed/diagram.svg, docs/guide.pdf, sound/beep.mp3, blocks/prog.xml, notes.txt).

After an intended change, regenerate with ``LP_UPDATE_FIXTURES=1 pytest …`` and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from markdown_it.utils import read_fixture_file

from learningpaths.compiler.render import render

from .conftest import make_input, show

FIXTURES = Path(__file__).parent / "fixtures"
FILES = sorted(FIXTURES.glob("*.md"))
CASES = [
    (path.name, line, title, text, expected)
    for path in FILES
    for line, title, text, expected in read_fixture_file(path)
]


def _update() -> None:
    for path in FILES:
        parts = []
        for _line, title, text, _expected in read_fixture_file(path):
            parts.append(f"{title}\n.\n{text}.\n{show(render(make_input(text)))}\n.\n")
        path.write_text("\n".join(parts), encoding="utf-8")


if os.environ.get("LP_UPDATE_FIXTURES"):
    _update()


@pytest.mark.parametrize("name,line,title,text,expected", CASES, ids=[f"{c[0]}:{c[1]}" for c in CASES])
def test_fixture(name, line, title, text, expected):
    assert show(render(make_input(text))) == expected.rstrip("\n")
