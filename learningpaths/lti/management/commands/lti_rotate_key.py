from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from learningpaths.lti import services


class Command(BaseCommand):
    help = "Add a new LTI signing key; older keys stay in /lti/jwks/ until retired (--retire-days)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--retire-days",
            type=int,
            default=None,
            help="also retire keys older than this many days (keep them at least as long as platforms cache JWKS)",
        )

    def handle(self, *args, retire_days=None, **options):
        if retire_days is not None and retire_days < 1:
            raise CommandError("--retire-days must be at least 1: a platform may still hold the previous key")
        key, retired = services.tool_key_rotate(
            retire_older_than=timedelta(days=retire_days) if retire_days is not None else None
        )
        self.stdout.write(f"New signing key {key.kid}; retired {retired} older key(s).")
