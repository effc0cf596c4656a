"""The LTI tests' platform (a real one on loopback, see platform.py) and its registration here."""

from __future__ import annotations

import pytest

from .platform import Platform, key_pair


@pytest.fixture(scope="session")
def tool_key_pem():
    """One RSA key pair for the whole run (generating one per test costs a second on a busy machine)."""
    return key_pair()


@pytest.fixture(scope="session")
def lti_platform_server():
    platform = Platform().start()
    yield platform
    platform.stop()


@pytest.fixture
def platform(lti_platform_server, tool_key_pem, db, settings):
    """The platform, registered in our admin tables, with a tool key; its records emptied."""
    from jwcrypto.jwk import JWK

    from learningpaths.lti import selectors
    from learningpaths.lti.models import Deployment, Registration, ToolKey

    settings.LTI_BACKGROUND = False  # platform calls right after the commit (see lti/tasks.py)
    p = lti_platform_server
    p.launches.clear()
    p.scores.clear()
    p.deep_link_items.clear()
    p.tokens_issued.clear()
    p.roster = []
    p.fail_scores = 0
    p.slow_scores = 0.0
    p.tool_url = "http://testserver"
    private, public = tool_key_pem
    ToolKey.objects.create(kid=JWK.from_pem(public.encode()).thumbprint(), private_pem=private, public_pem=public)
    p.tool_key_set = selectors.jwks()  # as an administrator pastes it (no live server for the test client)
    p.registration_row = p.register_in(Registration, Deployment)
    return p
