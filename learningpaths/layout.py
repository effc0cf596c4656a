"""Where the site's files are: in a checkout of the repository, or in an installed wheel.

Plain Python, no Django: the settings, ``runtime.assets`` and the vendoring command import it
before Django is configured. A checkout keeps the site's own static files in the top-level
``static/`` (css, js, site) next to the generated ``static/vendor`` and ``static/engine``; a wheel
carries a copy of the first three in ``learningpaths/_static/`` (setup.py's build step) and has
no place of its own for generated files, so those go to a folder of the site's (below).
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = PACKAGE_DIR.parent
# A checkout has pyproject.toml and the site's static/ beside the package; site-packages has neither.
CHECKOUT = (BASE_DIR / "pyproject.toml").is_file() and (BASE_DIR / "static" / "js").is_dir()
# css/, js/, site/: the site's own static files (the build step copies them into the wheel).
SITE_STATIC_DIR = BASE_DIR / "static" if CHECKOUT else PACKAGE_DIR / "_static"


def var_dir() -> Path:
    """$VAR_DIR; by default ``var/`` in the checkout, or in the working directory when installed."""
    default = BASE_DIR / "var" if CHECKOUT else Path.cwd() / "var"
    return Path(os.environ.get("VAR_DIR") or default)


def static_build_dir() -> Path:
    """$LP_STATIC_BUILD_DIR: where ``vendorassets`` writes ``vendor/`` and ``engine/`` and the site
    serves them from. By default the checkout's ``static/``, or ``$VAR_DIR/static-build`` when
    installed (site-packages is no place for generated files)."""
    default = BASE_DIR / "static" if CHECKOUT else var_dir() / "static-build"
    return Path(os.environ.get("LP_STATIC_BUILD_DIR") or default)
