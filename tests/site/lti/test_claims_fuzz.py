"""Claims a platform signs but that make no sense: each is a 4xx page, never a 500."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from learningpaths.lti.claims import ClaimError, launch_from

from .flow import authorize, launch_with, resign
from .platform import LEARNER

pytestmark = pytest.mark.django_db

LTI = "https://purl.imsglobal.org/spec/lti/claim/"

BAD = [
    {"sub": 12},
    {"sub": ""},
    {"sub": "x" * 300},
    {LTI + "roles": "Learner"},
    {LTI + "roles": [1, 2]},
    {LTI + "roles": ["Learner"] * 60},
    {LTI + "context": ["course"]},
    {LTI + "context": {"id": {"nested": 1}}},
    {LTI + "resource_link": "link"},
    {LTI + "resource_link": {"id": None}},
    {LTI + "custom": {"path": {"deep": 1}}},
    {LTI + "custom": {f"k{i}": "v" for i in range(60)}},
    {"name": "n" * 500},
    {"name": "bell\x07"},
    {"https://purl.imsglobal.org/spec/lti-ags/claim/endpoint": {"lineitem": "javascript:alert(1)", "scope": []}},
    {"https://purl.imsglobal.org/spec/lti-ags/claim/endpoint": {"scope": "score"}},
    {"https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice": "yes"},
    {LTI + "message_type": "LtiSubmissionReviewRequest"},
    {LTI + "message_type": 7},
    {LTI + "version": "1.1"},
    {"iat": "yesterday"},
]


@pytest.mark.parametrize("changes", BAD, ids=range(len(BAD)))
def test_nonsense_claims_are_a_4xx_with_a_message(client, platform, sample_site, changes):
    authorize(client, platform.launch_url(user_id="p-1", roles=[LEARNER], custom={"path": "deep"}))
    response = launch_with(client, platform, id_token=resign(platform, platform.last_form["id_token"], **changes))
    assert 400 <= response.status_code < 500, response.content[:300]
    assert b'role="alert"' in response.content


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.dictionaries(
        st.sampled_from(
            [
                "sub",
                "name",
                "given_name",
                "exp",
                "iat",
                LTI + "roles",
                LTI + "context",
                LTI + "resource_link",
                LTI + "custom",
                LTI + "target_link_uri",
                LTI + "message_type",
                "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint",
                "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings",
            ]
        ),
        json_values,
    )
)
def test_claim_reading_raises_only_claim_errors(changes):
    body = {
        "sub": "p",
        "exp": 2e9,
        "iat": 1e9,
        LTI + "roles": [],
        LTI + "message_type": "LtiResourceLinkRequest",
        LTI + "resource_link": {"id": "l"},
    }
    body.update(changes)
    try:
        launch_from(body, now=1.5e9)
    except ClaimError:
        pass
