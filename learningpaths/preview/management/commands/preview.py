"""``manage.py preview [SOURCE ...] [--port 8000]``: serve the site and rebuild it on every save.

Each save is seen by inotify (or a stat walk: ``--poll``), compiled again as far as it reaches
(:class:`~learningpaths.compiler.incremental.IncrementalCompiler`) and loaded into the site's
database; open pages reload themselves and show the build's problems in an overlay. Objects with
errors are left out and listed, so a broken edit never hides the rest. Any Dwengo content
repository works as SOURCE; the database then holds that content until the next build.
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from ...session import PreviewSession, activate


class Command(BaseCommand):
    help = "Serve the site, rebuild the content on every save and reload open pages (for authors)."

    def add_arguments(self, parser):
        parser.add_argument("sources", nargs="*", help="content folders (default: CONTENT_DIR)")
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")
        parser.add_argument(
            "--interval", type=float, default=0.2, help="seconds between looks at the files, when polling"
        )
        parser.add_argument(
            "--poll",
            action="store_true",
            default=None,
            help="look at the files by a stat walk instead of inotify (also PREVIEW_POLL=1)",
        )

    def handle(self, *args, sources, host, port, interval, poll, **options):
        roots = [Path(s) for s in sources] or [Path(settings.CONTENT_DIR)]
        missing = [str(r) for r in roots if not r.exists()]
        if missing:
            raise CommandError(f"content folder not found: {', '.join(missing)}")
        call_command("migrate", interactive=False, verbosity=0)
        session = PreviewSession(roots, interval=interval, log=lambda text: self.stderr.write(text), poll=poll)
        build = session.rebuild()
        for d in build.diagnostics:
            self.stderr.write(d.format())
        activate(session)
        session.start()
        shown = ", ".join(str(r) for r in roots)
        self.stdout.write(
            f"Previewing {shown} at http://{host}:{port}/ (saves reload the page; watching by "
            f"{session.watcher.kind}; Ctrl-C stops)"
        )
        sys.stdout.flush()
        try:
            # One process, no autoreloader: the preview session lives in this process's memory.
            call_command("runserver", f"{host}:{port}", use_reloader=False, use_threading=True)
        finally:
            session.stop()
            activate(None)
