"""Two requests at once never end in a 500: the unique constraints decide, and the loser gets the
same message as when it comes second (or the existing row). Real threads; on PostgreSQL both inserts
really overlap (the second waits on the unique index, then fails); on SQLite the writes serialise,
and the test still checks one row and no unexpected error."""

from __future__ import annotations

import pytest

from learningpaths.classroom import services
from learningpaths.classroom.models import Group, Membership
from learningpaths.core.exceptions import ApplicationError
from tests.conftest import race

pytestmark = pytest.mark.django_db(transaction=True)


def outcome(results) -> list[str]:
    return sorted("ok" if not isinstance(r, Exception) else type(r).__name__ for r in results)


def test_two_groups_with_one_name_at_once(classroom, teacher):
    results = race(*[lambda: services.group_create(classroom=classroom, actor=teacher, name="Team A")] * 2)
    assert outcome(results) == ["ApplicationError", "ok"], results
    refused = next(r for r in results if isinstance(r, ApplicationError))
    assert refused.message == "This class already has a group called Team A."
    assert Group.objects.filter(classroom=classroom, name="Team A").count() == 1


def test_renaming_onto_a_name_being_created(classroom, teacher):
    other = services.group_create(classroom=classroom, actor=teacher, name="Team B")
    results = race(
        lambda: services.group_create(classroom=classroom, actor=teacher, name="Team A"),
        lambda: services.group_update(group=other, actor=teacher, name="Team A"),
    )
    assert outcome(results) == ["ApplicationError", "ok"], results
    assert Group.objects.filter(classroom=classroom, name="Team A").count() == 1


def test_one_student_joining_twice_at_once(classroom, student):
    results = race(*[lambda: services.membership_join(user=student, code=classroom.code)] * 2)
    assert outcome(results) == ["ApplicationError", "ok"], results
    assert Membership.objects.filter(classroom=classroom, user=student).count() == 1


def test_the_same_group_name_in_sequence_is_refused_by_the_constraint(classroom, teacher):
    services.group_create(classroom=classroom, actor=teacher, name="Team A")
    with pytest.raises(ApplicationError, match="already has a group called Team A"):
        services.group_create(classroom=classroom, actor=teacher, name="Team A")
    group = services.group_create(classroom=classroom, actor=teacher, name="Team B")
    with pytest.raises(ApplicationError, match="already has a group called Team A"):
        services.group_update(group=group, actor=teacher, name="Team A")
    group.refresh_from_db()
    assert group.name == "Team B"
