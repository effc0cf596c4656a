"""What a student did: where they are in a path, which steps they finished, what they answered.

Rows refer to content by identity strings (hruid, language, version), not by foreign key, so a
content rebuild that deletes and re-creates objects never deletes a student's history.
"""

from django.conf import settings
from django.db import models

from learningpaths.core.jsonvalues import StoredJSONDecoder

REVIEW_COMMENT_MAX = 5000  # characters of a teacher's comment on one answer, as a text answer


class PathProgress(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="path_progress")
    path_hruid = models.CharField(max_length=200)
    path_language = models.CharField(max_length=8)
    current_hruid = models.CharField(max_length=200)  # the step to resume at
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "path_hruid", "path_language"], name="unique_path_progress")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.path_hruid}/{self.path_language}: {self.current_hruid}"


class StepDone(models.Model):
    """A step the student has seen (opening a step counts as done; questions add a Submission)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="steps_done")
    path_hruid = models.CharField(max_length=200)
    path_language = models.CharField(max_length=8)
    object_hruid = models.CharField(max_length=200)
    first_seen = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "path_hruid", "path_language", "object_hruid"], name="unique_step_done"
            )
        ]


class Submission(models.Model):
    """One answer to one question (or a value a runnable cell returned). Newest wins for conditions.

    Who answered is either a signed-in ``user`` or a ``visitor``: a random token kept in an anonymous
    browser's session (``answerers.py``), so a visitor's tries, conditions and feedback take the same
    code path as a student's. Signing in moves the visitor's rows to the user (``signals.py``);
    ``manage.py clearvisitors`` removes the rows of visitors whose session has expired."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="submissions", null=True, blank=True
    )
    visitor = models.CharField(max_length=64, null=True, blank=True)
    object_hruid = models.CharField(max_length=200)
    object_language = models.CharField(max_length=8)
    object_version = models.IntegerField()
    question_id = models.CharField(max_length=100)
    answer = models.JSONField(decoder=StoredJSONDecoder)  # reads back whatever was stored
    correct = models.BooleanField(null=True)  # None: not auto-graded (open answer, no key)
    score = models.FloatField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # A teacher's review (``classroom.services.submission_review``), mostly of open answers; the
    # student reads it (``selectors.review_of``). Bounds: ``REVIEW_COMMENT_MAX``, score in 0..1.
    review_comment = models.TextField(blank=True, default="")
    review_score = models.FloatField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "object_hruid", "object_language"]),
            # Leads with the token: finds a visitor's rows (a move at sign-in, the clean-up) too.
            models.Index(fields=["visitor", "object_hruid", "object_language"], name="submission_visitor"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(user__isnull=False, visitor__isnull=True)
                    | (models.Q(user__isnull=True, visitor__isnull=False) & ~models.Q(visitor=""))
                ),
                name="submission_user_or_visitor",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user or 'visitor'} {self.object_hruid}#{self.question_id}"


class CellsRun(models.Model):
    """The student ran an object's cells without an error (for ``completion: run``): one row per
    object and language, written once (revisits and later runs write nothing)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cells_run")
    object_hruid = models.CharField(max_length=200)
    object_language = models.CharField(max_length=8)
    ran_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "object_hruid", "object_language"], name="unique_cells_run")
        ]
