"""Deadlines between 2000 and 2099 (``models.DEADLINE_MIN``/``DEADLINE_MAX``; why there). A deadline
outside was meaningless, so an existing one is moved to the nearer end, which keeps what it said:
long past, or far away. The UPDATE never reads the rows: a BC deadline cannot be read by psycopg."""

import datetime

from django.conf import settings
from django.db import migrations, models

FIRST = datetime.datetime(2000, 1, 1, 0, 0, tzinfo=datetime.UTC)
END = datetime.datetime(2100, 1, 1, 0, 0, tzinfo=datetime.UTC)


def clamp_deadlines(apps, schema_editor):
    Assignment = apps.get_model("classroom", "Assignment")
    Assignment.objects.filter(deadline__lt=FIRST).update(deadline=FIRST)
    Assignment.objects.filter(deadline__gte=END).update(deadline=END - datetime.timedelta(minutes=1))


class Migration(migrations.Migration):
    dependencies = [
        ("classroom", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(clamp_deadlines, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="assignment",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("deadline__isnull", True),
                    models.Q(("deadline__gte", FIRST), ("deadline__lt", END)),
                    _connector="OR",
                ),
                name="assignment_deadline_range",
            ),
        ),
    ]
