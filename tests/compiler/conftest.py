"""Fixtures for the compiler tests (tests/compiler/render/ has its own)."""
from __future__ import annotations

import pytest

import learningpaths.compiler.render as render_package

from .helpers import fake_render


@pytest.fixture
def fake_renderer(monkeypatch):
    """Replace ``render_object`` by :func:`helpers.fake_render`; returns the list of keys rendered."""
    calls = []

    def recording(inp):
        calls.append(str(inp.key))
        return fake_render(inp)

    monkeypatch.setattr(render_package, "render_object", recording)
    return calls
