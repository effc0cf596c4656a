"""``python -m learningpaths.compiler [SOURCE ...] [--strict] [--format text|json]``: a DB-less check.

Exit status 0 when the content compiles without errors (with ``--strict``: without warnings
either), 1 otherwise, 2 for bad arguments.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .options import CompileOptions
from .pipeline import compile_content
from .reader import editor_paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m learningpaths.compiler",
        description="Check learning objects and learning paths without a database.",
    )
    parser.add_argument(
        "sources", nargs="*", type=Path, default=[Path("content")], help="content folders or files (default: content)"
    )
    parser.add_argument("--strict", action="store_true", help="fail on warnings too")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--cache", type=Path, default=None, metavar="DIR", help="reuse unchanged objects from DIR")
    parser.add_argument("--no-progress", action="store_true", help="never show a progress bar")
    args = parser.parse_args(argv)
    options = CompileOptions(
        strict=args.strict, cache_dir=args.cache, progress=args.format == "text" and not args.no_progress
    )
    result = compile_content(args.sources, options=options)
    ok = result.accepted(strict=args.strict)
    diagnostics = editor_paths(result.diagnostics, args.sources)
    if args.format == "json":
        json.dump(
            {
                "objects": len(result.objects),
                "paths": len(result.paths),
                "diagnostics": [d.as_dict() for d in diagnostics],
                "seconds": round(result.seconds, 3),
                "ok": ok,
            },
            sys.stdout,
            ensure_ascii=False,
            indent=2,
        )
        sys.stdout.write("\n")
    else:
        for diagnostic in diagnostics:
            print(diagnostic.format())
        errors, warnings = len(result.errors), len(result.warnings)
        print(
            f"{len(result.objects)} objects, {len(result.paths)} paths: {errors} error{'s' * (errors != 1)}, "
            f"{warnings} warning{'s' * (warnings != 1)} in {result.seconds:.2f} s"
            + ("" if ok else " (failed" + (", --strict" if args.strict and not errors else "") + ")")
        )
    return 0 if ok else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # `... | head`: the reader went away; that is not a failure of the content
        sys.stderr.close()
        sys.exit(0)
