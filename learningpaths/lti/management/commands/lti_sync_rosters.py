from django.core.management.base import BaseCommand

from learningpaths.lti import services
from learningpaths.lti.models import Context


class Command(BaseCommand):
    help = "Fill the classes of LTI courses from their platforms' rosters (Names and Role Provisioning)."

    def handle(self, *args, **options):
        contexts = Context.objects.exclude(memberships_url="").filter(classroom__isnull=False)
        placed = failed = 0
        for context in contexts.select_related("registration", "classroom"):
            n, error = services.roster_sync(context=context)
            placed += n
            if error:
                failed += 1
                self.stderr.write(f"{context.registration.issuer} {context.context_id}: {error}")
        self.stdout.write(f"Placed {placed} members in {contexts.count() - failed} classes; {failed} rosters not read.")
