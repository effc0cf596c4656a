"""Sign-in throttling: 10 failures per username and address in 15 minutes, then a form error and 429."""
import pytest
from django.core.cache import cache

pytestmark = pytest.mark.django_db
URL = "/accounts/sign-in/"


@pytest.fixture(autouse=True)
def fresh_cache(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def pupil(django_user_model):
    return django_user_model.objects.create_user("pupil", password="right-password-1", role="student")


def attempt(client, password, username="pupil", address="10.0.0.1", **extra):
    return client.post(URL, {"username": username, "password": password}, REMOTE_ADDR=address, **extra)


def test_eleventh_attempt_is_refused_even_with_the_right_password(client, pupil):
    for _ in range(10):
        response = attempt(client, "wrong")
        assert response.status_code == 200 and "_auth_user_id" not in client.session
    response = attempt(client, "right-password-1")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Too many failed attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Another address (another school) and another username from the same address are unaffected.
    assert attempt(client, "right-password-1", address="10.0.0.2").status_code == 302
    client.logout()
    assert attempt(client, "wrong", username="someone-else").status_code == 200


def test_username_case_and_spaces_do_not_escape_the_limit(client, pupil):
    for name in ["pupil", "PUPIL", " Pupil "] * 4:
        attempt(client, "wrong", username=name)
    assert attempt(client, "right-password-1").status_code == 429


def test_window_expiry_and_success_reset_the_count(client, pupil, settings):
    for _ in range(9):
        attempt(client, "wrong")
    assert attempt(client, "right-password-1").status_code == 302  # success clears the count
    client.logout()
    for _ in range(10):
        attempt(client, "wrong")
    assert attempt(client, "wrong").status_code == 429
    cache.clear()  # what the end of the 15-minute window does
    assert attempt(client, "right-password-1").status_code == 302


def test_behind_the_proxy_the_real_address_counts(client, pupil, settings):
    """With SECURE_PROXY=1 every request comes from nginx; X-Real-IP (set by nginx) tells students apart."""
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    for _ in range(10):
        attempt(client, "wrong", address="127.0.0.1", HTTP_X_REAL_IP="203.0.113.7")
    assert attempt(client, "right-password-1", address="127.0.0.1", HTTP_X_REAL_IP="203.0.113.7").status_code == 429
    assert attempt(client, "right-password-1", address="127.0.0.1", HTTP_X_REAL_IP="203.0.113.8").status_code == 302
