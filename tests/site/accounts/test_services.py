"""``user_sign_up`` when two people take one username at the same moment: a form error for the
second, never a 500 (the IntegrityError of the unique index, on PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from learningpaths.accounts import services
from learningpaths.accounts.models import User
from tests.conftest import race

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_two_sign_ups_with_one_username_at_once(monkeypatch):
    """Both pass the uniqueness check before either inserts (a barrier after ``full_clean``), so on
    PostgreSQL the second insert really meets the first one's row. SQLite's writers take turns
    (IMMEDIATE transactions, see settings), so there the barrier gives up and the check decides."""
    checked = threading.Barrier(2)
    full_clean = User.full_clean

    def full_clean_then_wait(self, *args, **kwargs):
        full_clean(self, *args, **kwargs)
        if connections["default"].vendor != "sqlite":
            checked.wait(timeout=10)

    monkeypatch.setattr(User, "full_clean", full_clean_then_wait)
    results = race(*[lambda: services.user_sign_up(username="sam", password="pw-sam-12345")] * 2)
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], ValidationError), results
    assert errors[0].message_dict == {"username": ["A user with that username already exists."]}
    assert User.objects.filter(username="sam").count() == 1


def test_the_sign_up_page_shows_the_taken_username_as_a_form_error(client, monkeypatch):
    """The race as the view meets it: the form's and the model's checks pass, then someone else's
    row with that name appears just before the insert."""
    save, rivals = User.save, []

    def save_after_a_rival(self, *args, **kwargs):
        if not rivals:
            rivals.append(self.username)
            User.objects.create(username=self.username)  # this save goes straight through
        return save(self, *args, **kwargs)

    monkeypatch.setattr(User, "save", save_after_a_rival)
    data = {"username": "sam", "password1": "a-long-pass-123", "password2": "a-long-pass-123"}
    response = client.post("/accounts/sign-up/", data)
    assert response.status_code == 400
    assert "A user with that username already exists." in response.content.decode()
    assert "_auth_user_id" not in client.session
