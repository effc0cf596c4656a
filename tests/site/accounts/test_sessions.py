"""The prepared session and user reads (accounts/sessions.py, accounts/backends.py) behave as
Django's own: same user, aware datetimes, expiry, sign-out, inactive users, old sessions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, get_user_model
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from learningpaths.accounts.backends import ModelBackend
from learningpaths.accounts.sessions import SessionStore

pytestmark = pytest.mark.django_db

URL = "/classes/"  # needs a signed-in user; anonymous visitors are sent to sign in


@pytest.fixture
def student():
    user = get_user_model().objects.create_user("sess_student", password="pw-12345678")
    user.last_login = timezone.now()
    user.save()
    return user


def test_signed_in_request_reads_session_and_user_in_one_query_each(client, student):
    client.force_login(student)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)
    assert response.status_code == 200
    assert response.wsgi_request.user.pk == student.pk
    session_sql, user_sql = (q["sql"] for q in queries.captured_queries[:2])
    # The prepared reads (the ORM's would select every session column and add LIMIT 21).
    assert session_sql.startswith('SELECT "session_data" FROM "django_session"') and "LIMIT" not in session_sql
    assert get_user_model()._meta.db_table in user_sql and "LIMIT" not in user_sql


def test_user_matches_the_orm_field_for_field(student):
    fast = ModelBackend().get_user(str(student.pk))
    slow = get_user_model().objects.get(pk=student.pk)
    for field in get_user_model()._meta.concrete_fields:
        assert getattr(fast, field.attname) == getattr(slow, field.attname), field.name
    assert timezone.is_aware(fast.last_login) and timezone.is_aware(fast.date_joined)
    assert fast.is_active is True and fast._state.adding is False and fast._state.db == "default"


def test_unknown_bad_and_inactive_users_are_none(student):
    backend = ModelBackend()
    assert backend.get_user("999999") is None
    assert backend.get_user("not-a-number") is None
    student.is_active = False
    student.save()
    assert backend.get_user(str(student.pk)) is None


def test_expired_and_unknown_sessions_load_empty(student):
    store = SessionStore()
    store["x"] = 1
    store.save()
    key = store.session_key
    assert SessionStore(key).load() == {"x": 1}
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    expired = SessionStore(key)
    assert expired.load() == {} and expired.session_key is None
    assert SessionStore("nosuchsessionkey123").load() == {}


def test_sign_out_ends_the_session_for_every_server(client, student):
    client.force_login(student)
    key = client.cookies["sessionid"].value
    other = type(client)()
    other.cookies["sessionid"] = key  # the same cookie at a second server: nothing is cached anywhere
    assert other.get(URL).status_code == 200
    client.post("/accounts/sign-out/")
    assert other.get(URL).status_code == 302


def test_sessions_signed_in_with_djangos_backend_stay_signed_in(client, student):
    client.force_login(student, backend="learningpaths.accounts.backends.ModelBackend")
    key = client.cookies["sessionid"].value
    store = SessionStore(key)
    data = store.load()
    data[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"  # written before this backend
    Session.objects.filter(session_key=key).update(session_data=store.encode(data))
    assert client.get(URL).wsgi_request.user.pk == student.pk
