"""System checks: the in-page Python runtime cannot work without its vendored files (E010-E013)."""

from __future__ import annotations

from django.core.checks import Error, Warning, register

from . import assets

_HINT = (
    "Run `make assets` (python scripts/vendor_assets.py) in a checkout, or `manage.py vendorassets` on an "
    "installed site; it downloads, verifies and caches them."
)


@register()
def check_pyodide_vendored(app_configs, **kwargs):
    errors = []
    missing = assets.missing_pyodide_files()
    core_missing = [n for n in missing if n != assets.NUMPY_WHEEL]
    if core_missing:
        errors.append(
            Error(
                f"Pyodide {assets.PYODIDE_VERSION} is not vendored: {', '.join(core_missing)} missing from "
                f"{assets.PYODIDE_DIR}. Lessons cannot run Python in the page.",
                hint=_HINT,
                id="learningpaths.E010",
            )
        )
    wheel = assets.PYODIDE_DIR / assets.NUMPY_WHEEL
    if assets.NUMPY_WHEEL in missing:
        errors.append(
            Error(
                f"NumPy for Pyodide ({assets.NUMPY_WHEEL}) is missing from {assets.PYODIDE_DIR}.",
                hint=_HINT,
                id="learningpaths.E011",
            )
        )
    elif assets.sha256_file(wheel) != assets.NUMPY_SHA256:
        errors.append(
            Error(
                f"{wheel} does not match the sha256 of the official pyodide-lock.json.",
                hint=f"Delete {assets.VENDOR_DIR} and run `make assets` (or `manage.py vendorassets`) again.",
                id="learningpaths.E011",
            )
        )
    return errors


@register()
def check_engine_wheel(app_configs, **kwargs):
    manifest = assets.read_engine_manifest()
    if manifest is None or not (assets.ENGINE_OUT_DIR / manifest.get("wheel", "?")).is_file():
        return [
            Error(
                f"The engine is not packaged for the browser: {assets.ENGINE_MANIFEST} or its wheel is missing.",
                hint=_HINT,
                id="learningpaths.E012",
            )
        ]
    return []


@register()
def check_math_and_highlighting(app_configs, **kwargs):
    needed = [
        assets.KATEX_DIR / "katex.min.js",
        assets.KATEX_DIR / "katex.min.css",
        assets.KATEX_DIR / "contrib" / "auto-render.min.js",
        assets.HIGHLIGHT_DIR / "highlight.min.js",
        assets.BLOCKLY_DIR / "blockly_compressed.js",
        assets.BLOCKLY_DIR / "blocks_compressed.js",
    ]
    missing = [str(p) for p in needed if not p.is_file()]
    if missing:
        return [
            Error(
                f"KaTeX / highlight.js / Blockly are not vendored ({', '.join(missing)} missing): math, code "
                "highlighting or Blockly programs will not render.",
                hint=_HINT,
                id="learningpaths.E013",
            )
        ]
    return []


@register()
def check_bytecode(app_configs, **kwargs):
    if assets.read_pyc_manifest() is None:
        return [
            Warning(
                "Precompiled Python bytecode for the page runtime is missing: pages with cells start about 2 s slower.",
                hint=_HINT + " It needs Node.js.",
                id="learningpaths.W010",
            )
        ]
    return []
