"""Reusable filters. Teacher-only visibility is decided here, on the server, for every route."""

from __future__ import annotations

from django.db import models


def can_see_teacher_content(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and getattr(user, "is_teacher", False))


class LearningObjectQuerySet(models.QuerySet):
    def visible_to(self, user):
        qs = self
        if not can_see_teacher_content(user):
            qs = qs.filter(teacher_exclusive=False)
        return qs

    def latest_versions(self):
        """One row per (hruid, language): the highest version among the rows of this queryset,
        so ``visible_to(user).latest_versions()`` never drops an object whose newest version the
        user may not see."""
        newer = self.filter(
            hruid=models.OuterRef("hruid"),
            language=models.OuterRef("language"),
            version__gt=models.OuterRef("version"),
        )
        return self.filter(~models.Exists(newer))


class QuestionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The questions ``user`` may find and answer: a teacher-only one does not exist for a student."""
        return self if can_see_teacher_content(user) else self.filter(teacher_only=False)


class LearningPathQuerySet(models.QuerySet):
    def visible_to(self, user):
        # A path is visible when it has at least one node the user may see.
        if can_see_teacher_content(user):
            return self
        return self.filter(nodes__object__teacher_exclusive=False).distinct()
