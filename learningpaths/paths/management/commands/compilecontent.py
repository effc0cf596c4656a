"""``manage.py compilecontent``: compile learning content and load it into the site."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from learningpaths.compiler import compile_content
from learningpaths.compiler.options import CompileOptions
from learningpaths.compiler.partial import loadable
from learningpaths.compiler.reader import editor_path, editor_paths

from ...services import AssetStorageError, content_sync


class Command(BaseCommand):
    help = "Compile learning objects and paths; load them into the site when the build is accepted."

    def add_arguments(self, parser):
        parser.add_argument("sources", nargs="*", help="content folders (default: CONTENT_DIR)")
        parser.add_argument("--check", action="store_true", help="validate and render only; touch no database")
        parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
        parser.add_argument(
            "--allow-errors", action="store_true", help="load everything that compiled even when some files have errors"
        )
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument("--no-cache", action="store_true", help="re-render every object")
        parser.add_argument(
            "--execute", action="store_true", help="also run every runnable Python cell in real Pyodide"
        )

    def handle(self, *args, sources, check, strict, allow_errors, format, no_cache, execute, **options):
        roots = [Path(s) for s in sources] or [Path(settings.CONTENT_DIR)]
        missing = [str(r) for r in roots if not r.exists()]
        if missing:
            raise CommandError(f"content folder not found: {', '.join(missing)}")
        opts = CompileOptions(
            iframe_allowlist=tuple(settings.IFRAME_ALLOWLIST),
            strict=strict,
            cache_dir=None if no_cache else Path(settings.COMPILE_CACHE_DIR),
            progress=format == "text" and sys.stderr.isatty(),
        )
        result = compile_content(roots, options=opts)
        if execute:
            from learningpaths.runtime.execute import execute_cells

            result.diagnostics.extend(execute_cells(result, progress=opts.progress))
        accepted = result.accepted(strict=strict)
        diagnostics = editor_paths(result.diagnostics, roots)  # as the terminal reaches the files

        report = failure = None
        skips = []
        if not check and (accepted or allow_errors):
            # With errors, only the error-free part is loaded; every source left out is listed.
            to_load, skips = (result, []) if accepted else loadable(result)
            shown = editor_path(roots)
            skips = [replace(s, path=shown(s.path)) for s in skips]
            try:
                report = content_sync(result=to_load, partial=not accepted)
            except AssetStorageError as exc:  # a full disk: one line, no traceback (the sync rolled back)
                failure = exc

        if format == "json":
            doc = {
                "objects": len(result.objects),
                "paths": len(result.paths),
                "diagnostics": [d.as_dict() for d in diagnostics],
                "seconds": round(result.seconds, 3),
            }
            if report is not None:
                doc["loaded"] = report.__dict__
                doc["not_loaded"] = [s.__dict__ for s in skips] + [
                    {"path": path, "line": 0, "code": "database", "reason": message} for path, message in report.refused
                ]
            if failure is not None:
                doc["error"] = str(failure)
            self.stdout.write(json.dumps(doc, indent=2, default=str))
        else:
            for d in sorted(diagnostics, key=lambda d: (d.path, d.line, d.col)):
                self.stderr.write(d.format())
            summary = (
                f"{len(result.objects)} objects, {len(result.paths)} paths, "
                f"{len(result.errors)} errors, {len(result.warnings)} warnings "
                f"in {result.seconds:.2f} s"
            )
            self.stdout.write(summary)
            if report is not None:
                self.stdout.write(
                    f"loaded: {report.created} created, {report.updated} updated, {report.unchanged} unchanged, "
                    f"{report.deleted} deleted objects; {report.paths_created + report.paths_updated} paths "
                    f"written, {report.paths_deleted} deleted"
                )
                if skips or report.refused:
                    self.stdout.write(f"not loaded ({len(skips) + len(report.refused)}), each at its first error:")
                    for skip in skips:
                        self.stdout.write(f"  {skip.format()}")
                    for path, message in report.refused:
                        self.stdout.write(f"  {path}:0: the database refused it: {message} [database]")
            elif not check and failure is None:
                self.stdout.write(
                    "nothing was loaded: the build has "
                    + ("warnings and --strict is on" if not result.errors else "errors")
                    + " (the site keeps its previous content)"
                )
        if failure is not None:
            raise CommandError(str(failure))
        if not accepted:
            raise SystemExit(1)
