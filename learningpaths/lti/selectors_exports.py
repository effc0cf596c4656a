"""This app's part of a person's data export: the platform accounts linked to theirs."""

from __future__ import annotations

from learningpaths.accounts.exports import iso

from .models import Identity


def identities_export(*, user) -> list[dict]:
    return [
        {"platform": i.registration.issuer, "user_id": i.sub, "linked_at": iso(i.created_at)}
        for i in Identity.objects.filter(user=user).select_related("registration").order_by("pk")
    ]
