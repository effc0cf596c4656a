"""Compiled content as the site stores it. Rows are written only by ``services.content_sync``.

Column sizes come from ``learningpaths.compiler.limits``, which the compiler checks every value
against (it never imports Django, so the numbers live on its side): one fact in one place.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from learningpaths.compiler import limits

from .querysets import LearningObjectQuerySet, LearningPathQuerySet, QuestionQuerySet


class LearningObject(models.Model):
    """One (hruid, language, version) learning object with its metadata and rendered HTML."""

    hruid = models.CharField(max_length=limits.HRUID_MAX)
    language = models.CharField(max_length=limits.LANGUAGE_MAX)
    version = models.IntegerField()
    uuid = models.CharField(max_length=limits.UUID_MAX, blank=True)
    title = models.CharField(max_length=limits.TITLE_MAX)
    description = models.TextField(blank=True)
    content_type = models.CharField(max_length=limits.CONTENT_TYPE_MAX)
    keywords = models.JSONField(default=list)
    skos_concepts = models.JSONField(default=list)
    target_ages = models.JSONField(default=list)
    educational_goals = models.JSONField(default=list)
    difficulty = models.IntegerField(null=True, blank=True)
    estimated_time = models.IntegerField(default=0)
    teacher_exclusive = models.BooleanField(default=False)
    available = models.BooleanField(default=True)
    copyright = models.CharField(max_length=limits.COPYRIGHT_MAX, blank=True)
    licence = models.CharField(max_length=limits.LICENCE_MAX, blank=True)
    content_location = models.CharField(max_length=limits.CONTENT_LOCATION_MAX, blank=True)
    aspect_ratio = models.CharField(max_length=limits.ASPECT_RATIO_MAX, default="iframe-1-1")
    # When the step counts as done: "seen" (opened, questions settled) or "run" (its cells ran too).
    completion = models.CharField(max_length=limits.COMPLETION_MAX, default="seen")
    # What the step's cells start with after an in-page move: "fresh" (an empty namespace) or "keep".
    runtime = models.CharField(max_length=limits.RUNTIME_MAX, default="fresh")
    return_value = models.JSONField(null=True, blank=True)
    metadata = models.JSONField(default=dict)  # everything the compiler normalised, for the API
    # Rendered HTML. ``html`` is safe for anyone; ``teacher_html`` only for teachers.
    html = models.TextField(blank=True)
    teacher_html = models.TextField(blank=True)
    text = models.TextField(blank=True)
    teacher_text = models.TextField(blank=True)
    source_path = models.CharField(max_length=limits.SOURCE_PATH_MAX)
    content_hash = models.CharField(max_length=limits.HASH_MAX)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LearningObjectQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["hruid", "language", "version"], name="unique_object_identity"),
        ]
        indexes = [models.Index(fields=["hruid", "language"])]
        ordering = ["hruid", "language", "-version"]

    def __str__(self) -> str:
        return f"{self.hruid}/{self.language}/{self.version}"

    def get_absolute_url(self) -> str:
        return reverse("paths:object", args=[self.hruid, self.language, self.version])


class ObjectAsset(models.Model):
    """A file of an object's folder, stored by content hash under CONTENT_ASSET_ROOT."""

    learning_object = models.ForeignKey(LearningObject, on_delete=models.CASCADE, related_name="assets")
    path = models.CharField(max_length=limits.ASSET_PATH_MAX)  # POSIX path inside the object folder
    sha256 = models.CharField(max_length=limits.HASH_MAX)
    size = models.BigIntegerField()
    mime = models.CharField(max_length=limits.MIME_MAX)
    teacher_only = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["learning_object", "path"], name="unique_asset_path")]

    def __str__(self) -> str:
        return f"{self.learning_object}:{self.path}"


class Question(models.Model):
    """A question inside an object. ``key`` is the answer key: teacher-only, never sent to a browser."""

    learning_object = models.ForeignKey(LearningObject, on_delete=models.CASCADE, related_name="questions")
    qid = models.CharField(max_length=limits.QUESTION_ID_MAX)
    kind = models.CharField(max_length=limits.QUESTION_KIND_MAX)
    prompt = models.TextField(blank=True)
    options = models.JSONField(default=list)
    key = models.JSONField(null=True, blank=True)
    # In a teacher-only block: students and anonymous visitors cannot find, answer or be graded on it.
    teacher_only = models.BooleanField(default=False)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["learning_object", "qid"], name="unique_question_id")]

    def __str__(self) -> str:
        return f"{self.learning_object}#{self.qid}"


class LearningPath(models.Model):
    hruid = models.CharField(max_length=limits.HRUID_MAX)
    language = models.CharField(max_length=limits.LANGUAGE_MAX)
    title = models.CharField(max_length=limits.TITLE_MAX)
    description = models.TextField(blank=True)
    image = models.BinaryField(null=True, blank=True)
    image_mime = models.CharField(max_length=limits.IMAGE_MIME_MAX, blank=True)
    keywords = models.JSONField(default=list)
    min_age = models.IntegerField(null=True, blank=True)
    max_age = models.IntegerField(null=True, blank=True)
    estimated_time = models.IntegerField(default=0)
    source_path = models.CharField(max_length=limits.SOURCE_PATH_MAX)
    content_hash = models.CharField(max_length=limits.HASH_MAX)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LearningPathQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["hruid", "language"], name="unique_path_identity")]
        ordering = ["title"]

    def __str__(self) -> str:
        return f"{self.hruid}/{self.language}"

    def get_absolute_url(self) -> str:
        return reverse("learning:path", args=[self.hruid, self.language])


class PathNode(models.Model):
    path = models.ForeignKey(LearningPath, on_delete=models.CASCADE, related_name="nodes")
    position = models.PositiveIntegerField()  # traversal order from the start node
    object = models.ForeignKey(LearningObject, on_delete=models.CASCADE, related_name="path_nodes")
    start_node = models.BooleanField(default=False)
    instruction = models.TextField(blank=True)

    class Meta:
        ordering = ["path", "position"]
        constraints = [models.UniqueConstraint(fields=["path", "position"], name="unique_node_position")]

    def __str__(self) -> str:
        return f"{self.path} #{self.position}: {self.object}"


class PathTransition(models.Model):
    node = models.ForeignKey(PathNode, on_delete=models.CASCADE, related_name="transitions")
    next_node = models.ForeignKey(PathNode, on_delete=models.CASCADE, related_name="incoming")
    position = models.PositiveIntegerField()
    default = models.BooleanField(default=False)
    condition = models.TextField(blank=True, help_text=_("JSONPath over the student's latest answer"))

    class Meta:
        ordering = ["node", "position"]

    def __str__(self) -> str:
        return f"{self.node_id} -> {self.next_node_id}"
