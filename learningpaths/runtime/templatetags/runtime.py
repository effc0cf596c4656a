"""``{% load runtime %}``: decide whether a page needs Python, and tell the page where it lives."""

from __future__ import annotations

import re

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import json_script

from learningpaths.compiler.widget_specs import WIDGETS
from learningpaths.core.inline import boot_script_tag

from .. import assets
from ..bundle import build_engine_wheel

register = template.Library()

_RUNTIME_MARKUP = re.compile(r"""class\s*=\s*["'][^"']*\blp-(?:cell|widget)\b""")
_CELL_MARKUP = re.compile(r"""class\s*=\s*["'][^"']*\blp-cell\b""")
# Widgets that train with the engine in the page's Python worker (the registry says which).
PYTHON_WIDGETS = tuple(name for name, w in WIDGETS.items() if w.python)
_PYTHON_WIDGET = re.compile(r"""data-widget\s*=\s*["'](?:""" + "|".join(PYTHON_WIDGETS) + r""")["']""")


@register.filter
def needs_runtime(html) -> bool:
    """True when the content has runnable cells or widgets (``div.lp-cell`` / ``div.lp-widget``)."""
    return bool(html) and bool(_RUNTIME_MARKUP.search(str(html)))


@register.filter
def needs_python(html) -> bool:
    """True when the page must boot Pyodide: runnable cells or a widget that trains in Python."""
    text = str(html or "")
    return bool(_CELL_MARKUP.search(text) or _PYTHON_WIDGET.search(text))


def engine_manifest() -> dict | None:
    if settings.DEBUG:  # rebuild when engine/ changed since the last `make assets` (a cheap stat walk)
        try:
            return build_engine_wheel()
        except OSError:
            pass
    return assets.read_engine_manifest()


def runtime_config(*, boot_early: bool = False) -> dict:
    manifest = engine_manifest()
    pyc = assets.read_pyc_manifest()
    engine_pyc = assets.engine_pyc_name(manifest["wheel"]) if manifest else None
    return {
        # The widget registry (compiler/widget_specs.py): module, Python or not, defaults.
        "widgets": {n: {"module": w.module, "python": w.python, "defaults": w.defaults} for n, w in WIDGETS.items()},
        "bootEarly": boot_early,
        "indexURL": reverse("runtime:pyodide_file", args=[assets.PYODIDE_VERSION, "x"])[:-1],
        "engineURL": reverse("runtime:engine_file", args=[manifest["wheel"]]) if manifest else None,
        # Precompiled bytecode (optional: without it Pyodide compiles the sources, about 2 s slower).
        "stdLibURL": reverse("runtime:pyc_file", args=[pyc["stdlib"]]) if pyc else None,
        "numpySiteURL": reverse("runtime:pyc_file", args=[pyc["numpy"]]) if pyc else None,
        "enginePycURL": reverse("runtime:engine_file", args=[engine_pyc])
        if engine_pyc and (assets.ENGINE_OUT_DIR / engine_pyc).is_file()
        else None,
        "workerURL": static("js/runtime/worker.js"),
        "demosURL": "/api/demos/",
        "pyodideVersion": assets.PYODIDE_VERSION,
        # Start Python from a memory snapshot kept in the browser (worker.js; RUNTIME_SNAPSHOT=0: off).
        "snapshot": settings.RUNTIME_SNAPSHOT,
    }


@register.simple_tag
def runtime_boot_script():
    """static/js/runtime/boot.js inline (see core/inline.py): starts the worker from <head>."""
    return boot_script_tag()


@register.simple_tag
def runtime_config_script(boot_early=False):
    """``<script type="application/json" id="lp-runtime-config">`` read by static/js/runtime/boot.js
    and index.js."""
    return json_script(runtime_config(boot_early=bool(boot_early)), "lp-runtime-config")
