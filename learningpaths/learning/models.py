"""What a student did: where they are in a path, which steps they finished, what they answered.

Rows refer to content by identity strings (hruid, language, version), not by foreign key, so a
content rebuild that deletes and re-creates objects never deletes a student's history.
"""

from django.conf import settings
from django.db import models

from learningpaths.core.jsonvalues import StoredJSONDecoder


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
    """One answer to one question (or a value a runnable cell returned). Newest wins for conditions."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="submissions")
    object_hruid = models.CharField(max_length=200)
    object_language = models.CharField(max_length=8)
    object_version = models.IntegerField()
    question_id = models.CharField(max_length=100)
    answer = models.JSONField(decoder=StoredJSONDecoder)  # reads back whatever was stored
    correct = models.BooleanField(null=True)  # None: not auto-graded (open answer, no key)
    score = models.FloatField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "object_hruid", "object_language"])]

    def __str__(self) -> str:
        return f"{self.user} {self.object_hruid}#{self.question_id}"


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
