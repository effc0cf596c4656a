"""Fixtures for the runtime's server-side tests: the lp helper package on sys.path, a clean lp."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

LP_PATH = Path(__file__).resolve().parents[2] / "learningpaths" / "runtime" / "python"


@pytest.fixture
def lp():
    """The page helper module ``lp`` as CPython sees it (no page connected), with a clean state."""
    if str(LP_PATH) not in sys.path:
        sys.path.insert(0, str(LP_PATH))
    import lp as module
    import lp._runner

    module._connect(None)
    module.history.clear()
    module.messages.clear()
    module._pending.clear()
    module._stop = False
    lp._runner.reset()
    yield module
    module._connect(None)
