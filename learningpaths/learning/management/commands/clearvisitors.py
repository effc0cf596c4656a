"""Removes the answers of visitors without an account whose session has expired; run it daily next
to Django's ``clearsessions`` (docs/deploy.md)."""

from datetime import timedelta

from django.core.management.base import BaseCommand

from learningpaths.learning.services import visitor_answers_clear


class Command(BaseCommand):
    help = (
        "Delete the answers of visitors without an account whose newest answer is older than the "
        "session lifetime (SESSION_COOKIE_AGE): their session, the only link to them, is gone."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=float, default=None, help="Remove after this many days instead of SESSION_COOKIE_AGE."
        )

    def handle(self, *args, days=None, **options):
        removed = visitor_answers_clear(older_than=timedelta(days=days) if days is not None else None)
        self.stdout.write(f"Removed {removed} answers of visitors without an account.")
