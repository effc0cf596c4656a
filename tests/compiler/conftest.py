"""Fixtures for the compiler tests (tests/compiler/render/ has its own)."""

from __future__ import annotations

import pytest

import learningpaths.compiler.render_pool as render_pool

from .helpers import fake_render


@pytest.fixture
def fake_renderer(monkeypatch):
    """Replace ``render_object`` by :func:`helpers.fake_render`; returns the list of keys rendered."""
    calls = []

    def recording(inp):
        calls.append(str(inp.key))
        return fake_render(inp)

    monkeypatch.setattr(render_pool, "render_object", recording)
    return calls


@pytest.fixture
def broken_rule(monkeypatch):
    """A renderer bug: the heading-anchor core rule raises ``ZeroDivisionError`` on every document."""
    from learningpaths.compiler.render.markdown import get_md
    from learningpaths.compiler.render.plugins import anchors

    def boom(state):
        raise ZeroDivisionError("division by zero")

    get_md.cache_clear()  # the parser is built once; rebuild it with the broken rule, and again after
    monkeypatch.setattr(anchors, "_anchors_rule", boom)
    yield
    get_md.cache_clear()
