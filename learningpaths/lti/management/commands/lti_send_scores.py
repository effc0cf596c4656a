from django.core.management.base import BaseCommand

from learningpaths.lti import services


class Command(BaseCommand):
    help = "Send the LTI path scores still waiting (failed before, or never sent); run it from a timer."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=500)

    def handle(self, *args, limit=500, **options):
        sent, failed = services.outcomes_send(limit=max(1, limit))
        cleared = services.launch_values_clear()
        self.stdout.write(
            f"Sent {sent}, failed {failed} (kept for a later try); {cleared} expired launch values cleared."
        )
