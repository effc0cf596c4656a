"""``manage.py create_api_token USERNAME [--name NAME]``: create an API token and print its key once."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from learningpaths.api.models import ApiToken


class Command(BaseCommand):
    help = (
        "Create an API token for USERNAME and print its key (only its SHA-256 is stored, so it cannot be "
        "shown again). Use it as the header 'Authorization: Token <key>'."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="a label to recognise the token by")

    def handle(self, *args, username, name, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        if not user.is_active:
            raise CommandError(f"User {username!r} is inactive.")
        token, key = ApiToken.create_for(user, name=name)
        role = "teacher" if getattr(user, "is_teacher", False) else "student"
        self.stderr.write(
            f"Created token {token.prefix}… for {username} ({role} visibility). "
            "Store the key now; it is not shown again:"
        )
        self.stdout.write(key)
