"""Privacy for minors: a username is enough to join a class (the data export and account deletion
are tested in tests/site/accounts/)."""

import pytest

from learningpaths.classroom.models import Membership

pytestmark = pytest.mark.django_db


def test_pseudonymous_students_need_only_a_username(client, classroom, django_user_model):
    anon = django_user_model.objects.create_user("fox-42", password="x")
    client.force_login(anon)
    client.post("/classes/join/", {"code": classroom.code})
    assert Membership.objects.filter(user=anon).exists()
