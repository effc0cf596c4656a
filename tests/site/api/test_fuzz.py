"""Whatever the query string, the API answers < 500, and errors are JSON."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

pytestmark = pytest.mark.django_db

ROUTES = [
    "/api/learningObject/getRaw",
    "/api/learningObject/getWrapped",
    "/api/learningObject/getMetadata",
    "/api/learningObject/search",
    "/api/learningObject/getFrequentKeywords",
    "/api/learningPath/search",
    "/api/learningPath/getPathsFromIdList",
    "/api/learningPath/languages",
    "/api/learningPath/deep/en",
]
NAMES = [
    "hruid",
    "language",
    "version",
    "uuid",
    "redirect",
    "searchTerm",
    "content_type",
    "teacher_exclusive",
    "available",
    "title",
    "description",
    "target_ages",
    "keywords",
    "skos_concepts",
    "min_difficulty",
    "max_difficulty",
    "min_time",
    "max_time",
    "all",
    "min_age",
    "max_age",
    "pathIdList",
    "x",
]
VALUES = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "",
            "intro",
            "guide",
            "en",
            "1",
            "-1",
            "2.0",
            "1e5",
            "NaN",
            "[1,2]",
            '["AI"]',
            "{",
            "[",
            "null",
            "true",
            '{"hruids":["deep"]}',
            '{"hruids":null}',
            "[[[]]]",
            "9" * 30,
            "\x00",
            "%",
            "' OR 1=1 --",
            "\\u0000",
        ]
    ),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(route=st.sampled_from(ROUTES), params=st.lists(st.tuples(st.sampled_from(NAMES), VALUES), max_size=4))
def test_no_query_string_gives_a_server_error(client, api_site, route, params):
    query = "&".join(f"{quote(name)}={quote(value, safe='')}" for name, value in params)
    response = client.get(f"{route}?{query}")
    assert response.status_code < 500, (route, query)
    if response.status_code in (400, 404):
        body = response.json()
        assert set(body) == {"error", "detail"}


@pytest.mark.parametrize(
    "path",
    [
        "/api/learningPath/%00/en",
        "/api/learningPath/" + "a" * 3000 + "/en",
        "/api/learningObject",
        "/api/learningPath",
        "/api/nope/x/y",
    ],
)
def test_odd_paths_are_json_404s(client, api_site, path):
    response = client.get(path)
    assert response.status_code == 404 and response.json()["error"] == "not_found"
