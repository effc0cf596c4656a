"""The examples in the engine's docstrings run and give the documented results."""

import doctest
import importlib
import pkgutil

import pytest

import engine

MODULES = ["engine"] + sorted(m.name for m in pkgutil.walk_packages(engine.__path__, "engine."))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
