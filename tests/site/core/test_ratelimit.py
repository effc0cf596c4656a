"""core/ratelimit.py: the fixed-window counter (with the expiry race), the client's address (X-Real-IP
only behind our proxy), the demos' per-browser and per-address limits, and sign-in throttling: 10
failures per username and address in 15 minutes, then a form error and 429. The demo limits through
the view and both fast paths are tested in tests/site/demos/."""

import pytest
from django.core.cache import cache

from learningpaths.core import ratelimit

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


# -- the counter and the address -------------------------------------------------------------------


def test_window_hit_counts_until_the_entry_expires():
    assert [ratelimit.window_hit("k", timeout=60) for _ in range(3)] == [1, 2, 3]
    assert ratelimit.window_count("k") == 3
    ratelimit.window_clear("k")
    assert ratelimit.window_count("k") == 0 and ratelimit.window_hit("k", timeout=60) == 1


def test_window_hit_survives_the_entry_expiring_between_add_and_incr(monkeypatch):
    """add() finds the entry, then it expires before incr(), which raises ValueError: the event
    opens a new window (count 1) instead of a 500."""
    ratelimit.window_hit("k", timeout=60)
    real_incr = cache.incr

    def incr_after_expiry(key, *args, **kwargs):
        cache.delete(key)
        return real_incr(key, *args, **kwargs)

    monkeypatch.setattr(cache, "incr", incr_after_expiry)
    assert ratelimit.window_hit("k", timeout=60) == 1
    monkeypatch.undo()
    assert ratelimit.window_hit("k", timeout=60) == 2


def test_the_address_is_x_real_ip_only_behind_our_proxy(settings):
    meta = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_REAL_IP": " 203.0.113.7 "}
    settings.SECURE_PROXY_SSL_HEADER = None
    assert ratelimit.address_from_meta(meta) == "127.0.0.1"  # a client could send any X-Real-IP
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert ratelimit.address_from_meta(meta) == "203.0.113.7"
    assert ratelimit.address_from_meta({"REMOTE_ADDR": "127.0.0.1", "HTTP_X_REAL_IP": "x" * 100}) == "x" * 64
    assert ratelimit.address_from_meta({"REMOTE_ADDR": "127.0.0.1"}) == "127.0.0.1"
    assert ratelimit.address_from_meta({}) == "?"


def test_demo_limits_follow_the_browser_and_cap_the_address():
    school = "198.51.100.7"
    alice, bob = (
        ratelimit.client_from("aaa", {"REMOTE_ADDR": school}),
        ratelimit.client_from("bbb", {"REMOTE_ADDR": school}),
    )
    assert alice.session != bob.session and alice.session != "aaa"  # hashed, never the cookie itself
    results = [ratelimit.allow(alice, scope="t", limit=2, address_limit=3) for _ in range(3)]
    assert [ok for ok, _ in results] == [True, True, False] and 0 < results[-1][1] <= 60
    assert ratelimit.allow(bob, scope="t", limit=2, address_limit=3)[0] is True
    assert (
        ratelimit.allow(ratelimit.client_from("ccc", {"REMOTE_ADDR": school}), scope="t", limit=2, address_limit=3)[0]
        is False
    )  # the school's cap
    no_cookie = ratelimit.client_from(None, {"REMOTE_ADDR": "203.0.113.9"})
    assert no_cookie.session is None
    assert [ratelimit.allow(no_cookie, scope="t", limit=1, address_limit=9)[0] for _ in range(2)] == [True, False]
    assert ratelimit.allow(alice, scope="other", limit=2, address_limit=3)[0] is True  # scopes count apart
