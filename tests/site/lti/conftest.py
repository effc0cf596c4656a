"""The LTI tests' platform (a real one on loopback, see platform.py) and its registration here."""

from __future__ import annotations

import pytest

from .platform import Platform


@pytest.fixture(scope="session")
def lti_platform_server():
    platform = Platform().start()
    yield platform
    platform.stop()


@pytest.fixture
def platform(lti_platform_server, db, settings):
    """The platform, registered in our admin tables, with a tool key; its records emptied."""
    from learningpaths.lti import selectors, services
    from learningpaths.lti.models import Deployment, Registration

    settings.LTI_BACKGROUND = False  # platform calls right after the commit (see lti/tasks.py)
    p = lti_platform_server
    p.launches.clear()
    p.scores.clear()
    p.deep_link_items.clear()
    p.tokens_issued.clear()
    p.roster = []
    p.fail_scores = 0
    p.tool_url = "http://testserver"
    services.tool_key_create()
    p.tool_key_set = selectors.jwks()  # as an administrator pastes it (no live server for the test client)
    p.registration_row = p.register_in(Registration, Deployment)
    return p
