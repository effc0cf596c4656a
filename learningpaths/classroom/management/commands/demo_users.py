"""Demo accounts for trying the classroom: a teacher, three students, a class and one assignment.

    python manage.py demo_users --password PW [--force]

Idempotent: running it again resets the passwords and adds what is missing, nothing twice.
Refuses to run unless DEBUG is on or --force is given (the password is known to whoever ran it).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from learningpaths.classroom.models import Classroom, Membership
from learningpaths.classroom.services import assignment_create, classroom_create
from learningpaths.paths.models import LearningPath

TEACHER = "demo-teacher"
STUDENTS = [f"demo-student-{i}" for i in (1, 2, 3)]
CLASS_NAME = "Demo class"
PREFERRED_PATH = "deep_learning"


class Command(BaseCommand):
    help = "Create demo accounts (demo-teacher, demo-student-1..3), a demo class and an assignment."

    def add_arguments(self, parser):
        parser.add_argument("--password", required=True, help="password for all demo accounts")
        parser.add_argument("--force", action="store_true", help="run even when DEBUG is off")

    @transaction.atomic
    def handle(self, *args, password: str, force: bool, **options):
        if not (settings.DEBUG or force):
            raise CommandError(
                "demo_users creates accounts with a known password; it only runs with DEBUG on. "
                "Use --force if you really want demo accounts on this site."
            )
        if not password or not password.strip():
            raise CommandError("Give a non-empty --password.")
        User = get_user_model()

        def account(username: str, role: str):
            user, created = User.objects.get_or_create(username=username, defaults={"role": role})
            user.role = role
            user.set_password(password)
            user.save()
            self.stdout.write(f"{'created' if created else 'updated'} {role} {username}")
            return user

        teacher = account(TEACHER, User.Role.TEACHER)
        students = [account(name, User.Role.STUDENT) for name in STUDENTS]

        classroom = Classroom.objects.filter(name=CLASS_NAME, teachers=teacher).first()
        if classroom is None:
            classroom = classroom_create(teacher=teacher, name=CLASS_NAME)
            self.stdout.write(f"created class {CLASS_NAME!r}")
        for student in students:
            Membership.objects.update_or_create(
                classroom=classroom, user=student, defaults={"status": Membership.Status.ACTIVE}
            )

        if classroom.assignments.exists():
            self.stdout.write("the demo class already has an assignment")
        else:
            path = (
                LearningPath.objects.filter(hruid=PREFERRED_PATH).order_by("language").first()
                or LearningPath.objects.order_by("title", "hruid", "language").first()
            )
            if path is None:
                self.stdout.write(
                    self.style.WARNING(
                        "No learning path exists yet, so the demo class has no assignment. "
                        "Build the content (manage.py compilecontent) and run this command again."
                    )
                )
            else:
                assignment_create(
                    classroom=classroom,
                    actor=teacher,
                    path_hruid=path.hruid,
                    path_language=path.language,
                    deadline=timezone.now() + timedelta(days=14),
                )
                self.stdout.write(f"assigned {path.hruid}/{path.language} to the demo class (deadline in 14 days)")
        self.stdout.write(
            self.style.SUCCESS(f"Done. Sign in as {TEACHER} or {', '.join(STUDENTS)}; class code {classroom.code}.")
        )
