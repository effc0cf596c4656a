""" "Forgot your password?" only where a mail can arrive; elsewhere the way that works (the teacher)."""

import pytest
from django.core import mail
from django.test import override_settings

pytestmark = pytest.mark.django_db

CONSOLE = "django.core.mail.backends.console.EmailBackend"
SMTP = "django.core.mail.backends.smtp.EmailBackend"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


@override_settings(DEBUG=False, EMAIL_BACKEND=CONSOLE)
def test_without_a_delivering_backend_the_sign_in_page_points_to_the_teacher(client):
    page = client.get("/accounts/sign-in/").content.decode()
    assert "/accounts/password-reset/" not in page
    assert "Ask your teacher to reset it" in page
    reset = client.get("/accounts/password-reset/")
    assert reset.status_code == 200 and b"cannot send e-mail" in reset.content and b'name="email"' not in reset.content
    assert client.post("/accounts/password-reset/", {"email": "a@example.org"}).status_code == 200
    assert mail.outbox == []


@override_settings(DEBUG=False, EMAIL_BACKEND=SMTP)
def test_with_smtp_the_link_is_there_and_says_who_helps_without_an_address(client):
    page = client.get("/accounts/sign-in/").content.decode()
    assert "/accounts/password-reset/" in page and "No e-mail address in your account?" in page


@override_settings(DEBUG=False, EMAIL_BACKEND=LOCMEM)
def test_the_reset_mail_is_sent_where_it_can_arrive(client, django_user_model):
    django_user_model.objects.create_user("mailer", email="mailer@example.org", password="pw-12345678")
    response = client.post("/accounts/password-reset/", {"email": "mailer@example.org"})
    assert response.status_code == 302 and len(mail.outbox) == 1
    assert "/accounts/reset/" in mail.outbox[0].body


@override_settings(DEBUG=False, EMAIL_BACKEND=CONSOLE, LANGUAGE_CODE="nl")
def test_dutch(client):
    page = client.get("/accounts/sign-in/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "leerkracht" in page
