"""A real OpenID Connect provider for the SSO tests: a tiny Django project with django-oauth-toolkit,
run in its own process on loopback (``serve.py``; the fixture in ``tests/site/accounts/sso_fixtures.py``)."""
