"""The content compiler: Dwengo-format learning objects and paths -> a validated ``CompileResult``.

Plain Python; it never imports Django and never raises on bad content::

    from learningpaths.compiler import compile_content, CompileOptions
    result = compile_content([Path("content")], options=CompileOptions(cache_dir=Path("var/cache")))
    if result.accepted(strict=False):
        ...  # load result.objects / result.paths

From the shell: ``python -m learningpaths.compiler [SOURCE ...] [--strict] [--format text|json]``.
Phases (a module each): reader (discover), parse, schema/pathschema (validate), index, resolve,
render_pool + transclude (render and link; the renderer is the ``render`` package), pipeline (result).
"""

from __future__ import annotations

from .cache import COMPILER_VERSION
from .codes import Code
from .options import CompileOptions
from .pipeline import compile_content
from .result import (
    Asset,
    CompiledNode,
    CompiledObject,
    CompiledPath,
    CompiledTransition,
    CompileResult,
    Diagnostic,
    ObjectKey,
    Question,
)

__all__ = [
    "COMPILER_VERSION",
    "Asset",
    "Code",
    "CompileOptions",
    "CompileResult",
    "CompiledNode",
    "CompiledObject",
    "CompiledPath",
    "CompiledTransition",
    "Diagnostic",
    "ObjectKey",
    "Question",
    "compile_content",
]
