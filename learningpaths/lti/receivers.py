"""What this app does when the learning app's progress changes: the pupil's scores are sent."""

from __future__ import annotations

from . import services, tasks


def progress_changed(sender, user, **kwargs) -> None:
    if services.outcomes_mark_changed(user=user):
        user_id = user.pk
        tasks.schedule(lambda: _send(user_id))


def _send(user_id: int) -> None:
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(pk=user_id).first()
    if user is not None:
        services.outcomes_send(user=user)
