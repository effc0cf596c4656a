"""Vendor Pyodide, KaTeX, highlight.js, Blockly and the engine wheel into the checkout's static/ (`make assets`).

    python scripts/vendor_assets.py [--force] [--quiet]

A thin wrapper: the logic is ``learningpaths/runtime/vendor.py``, which an installed site runs as
``manage.py vendorassets``.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from learningpaths.runtime.vendor import main

if __name__ == "__main__":
    sys.exit(main())
