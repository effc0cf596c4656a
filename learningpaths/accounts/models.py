"""The custom user model, in place from the first migration (Django's advice)."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    class Role(models.TextChoices):
        STUDENT = "student", _("Student")
        TEACHER = "teacher", _("Teacher")

    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.STUDENT)
    # Students may be pseudonymous: a username is enough, e-mail and names stay optional.

    @property
    def is_teacher(self) -> bool:
        """Teachers and staff see teacher-only material."""
        return self.role == self.Role.TEACHER or self.is_staff
