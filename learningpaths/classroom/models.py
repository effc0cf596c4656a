"""Classes, memberships, groups and assignments.

Assignments refer to a learning path by identity strings (hruid, language), like the learning app
does: a content rebuild deletes and re-creates ``LearningPath`` rows, and must never delete a
class's assignments. Answers and progress live in ``learning`` (Submission, StepDone); nothing here
copies them.
"""

from __future__ import annotations

import hashlib
import unicodedata
from datetime import UTC, datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy as _

# No 0/O, 1/I: a code read aloud or copied from a projector is never ambiguous.
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 6
NAME_MAX = 100
# Deadlines lie in [DEADLINE_MIN, DEADLINE_MAX). A fixed range, not "around today": editing an old
# assignment must not fail because time moved on. Both ends stay inside Python's and every database's
# range in every time zone: a year-1 deadline entered in Brussels became 1 BC in UTC, which PostgreSQL
# stores and psycopg cannot read back (the class page, the dashboard and every member's class list
# failed), and one in year 9999 overflows when shown east of UTC. Checked by the form, the service and
# a database constraint (the admin and any other writer).
DEADLINE_MIN = datetime(2000, 1, 1, tzinfo=UTC)
DEADLINE_MAX = datetime(2100, 1, 1, tzinfo=UTC)


class Classroom(models.Model):
    name = models.CharField(_("name"), max_length=NAME_MAX)
    code = models.CharField(_("join code"), max_length=CODE_LENGTH, unique=True)
    approval_required = models.BooleanField(
        _("teacher approves new students"),
        default=False,
        help_text=_("When on, a student who enters the code waits until a teacher accepts them."),
    )
    teachers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="classes_taught")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("class")
        verbose_name_plural = _("classes")

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A student in a class; ``pending`` until a teacher approves (when the class asks for that)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        ACTIVE = "active", _("Member")

    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="class_memberships")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["classroom", "user"], name="unique_class_membership")]
        ordering = ["user__username"]

    def __str__(self) -> str:
        return f"{self.user} in {self.classroom} ({self.status})"


class Group(models.Model):
    """Students working together. Any member's answer counts for the group on the dashboard."""

    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(_("name"), max_length=NAME_MAX)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="class_groups", blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["classroom", "name"], name="unique_group_name")]
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return f"{self.classroom}: {self.name}"

    @staticmethod
    def token_hash(token: str) -> str:
        return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()

    @staticmethod
    def key_of(name: str) -> str:
        return " ".join(unicodedata.normalize("NFC", name).casefold().split())


class Assignment(models.Model):
    """A learning path given to a whole class (no groups) or to some of its groups."""

    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="assignments")
    path_hruid = models.CharField(max_length=200)
    path_language = models.CharField(max_length=8)
    title = models.CharField(max_length=500)  # the path's title when assigned, shown if the path disappears
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    groups = models.ManyToManyField(Group, related_name="assignments", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = [models.F("deadline").asc(nulls_last=True), "pk"]
        indexes = [models.Index(fields=["path_hruid", "path_language"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(deadline__isnull=True)
                | models.Q(deadline__gte=DEADLINE_MIN, deadline__lt=DEADLINE_MAX),
                name="assignment_deadline_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.classroom}: {self.path_hruid}/{self.path_language}"

    @staticmethod
    def deadline_problem(deadline: datetime | None) -> str | None:
        """Why ``deadline`` cannot be an assignment's deadline (a translated sentence), or None."""
        if deadline is None or DEADLINE_MIN <= deadline < DEADLINE_MAX:
            return None
        return gettext("Choose a deadline between the years %(first)d and %(last)d.") % {
            "first": DEADLINE_MIN.year,
            "last": DEADLINE_MAX.year - 1,
        }

    @property
    def is_past_deadline(self) -> bool:
        return self.deadline is not None and timezone.now() > self.deadline


class ClassAccount(models.Model):
    """An account a teacher made for a pupil without e-mail (``services_accounts``): the pupil signs
    in with the class code, this name and the password on their card, or once by scanning its QR
    code. ``name_key`` is the name as sign-in compares it (NFC, case-folded, single spaces), unique
    within the class."""

    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="class_accounts")
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="class_account")
    name = models.CharField(_("name"), max_length=60)
    name_key = models.CharField(max_length=150)  # case folding can lengthen a name (ß: ss)
    # SHA-256 of the one-time token in the card's QR code; "" once scanned (or never made).
    qr_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["classroom", "name_key"], name="unique_class_account_name")]
        ordering = ["name", "pk"]
        verbose_name = _("class account")
        verbose_name_plural = _("class accounts")

    def __str__(self) -> str:
        return f"{self.classroom}: {self.name}"

    @staticmethod
    def token_hash(token: str) -> str:
        return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()

    @staticmethod
    def key_of(name: str) -> str:
        return " ".join(unicodedata.normalize("NFC", name).casefold().split())
