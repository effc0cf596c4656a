"""``manage.py vendorassets``: vendor Pyodide, KaTeX, highlight.js and build the engine wheel.

The same as ``scripts/vendor_assets.py`` in a checkout, but reachable on a site installed from a
wheel: it writes into ``settings.STATIC_BUILD_DIR`` (``$LP_STATIC_BUILD_DIR``).
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ... import assets, vendor


class Command(BaseCommand):
    help = "Vendor the browser runtime (Pyodide, NumPy, KaTeX, highlight.js) and package the engine."
    # The runtime's own checks (E010-E013) fail until this command has run: it must not need them.
    requires_system_checks = []

    def add_arguments(self, parser):
        vendor.add_arguments(parser)

    def handle(self, *args, force=False, quiet=False, **options):
        if assets.STATIC_BUILD_DIR != settings.STATIC_BUILD_DIR:
            # Both come from learningpaths/layout.py; a settings module that sets its own would
            # have the pages look in one folder and this command write into another.
            raise CommandError(
                f"settings.STATIC_BUILD_DIR ({settings.STATIC_BUILD_DIR}) differs from the "
                f"folder the runtime serves ({assets.STATIC_BUILD_DIR}); set "
                "LP_STATIC_BUILD_DIR instead of overriding the setting."
            )
        try:
            vendor.vendor_all(force=force, quiet=quiet or options["verbosity"] == 0)
        except SystemExit as exc:  # vendor.SetupError: a checksum or download problem, already explained
            raise CommandError(str(exc.code).strip()) from None
