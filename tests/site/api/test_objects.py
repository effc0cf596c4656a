"""/api/learningObject/*: Dwengo's shapes, latest-version lookups, JSON errors, AND-ed search."""

from __future__ import annotations

import pytest

from .conftest import SKOS

pytestmark = pytest.mark.django_db

METADATA_FIELDS = {
    "_id",
    "uuid",
    "hruid",
    "version",
    "language",
    "title",
    "description",
    "keywords",
    "educational_goals",
    "copyright",
    "licence",
    "content_type",
    "available",
    "target_ages",
    "difficulty",
    "return_value",
    "content_location",
    "estimated_time",
    "skos_concepts",
    "teacher_exclusive",
    "aspect_ratio",
    "created_at",
    "updatedAt",
}


def meta(client, query, **extra):
    response = client.get(f"/api/learningObject/getMetadata?{query}", **extra)
    assert response.status_code == 200, response.content
    return response.json()


def ids(response):
    assert response.status_code == 200, response.content
    return [doc["_id"] for doc in response.json()]


# ---------------------------------------------------------------------------------------- getMetadata


def test_metadata_has_exactly_dwengos_fields(client, api_site):
    doc = meta(client, "hruid=perceptron&language=en&version=1")
    assert set(doc) == METADATA_FIELDS
    assert doc["_id"] == "perceptron/en/1"
    assert doc["version"] == 1 and isinstance(doc["version"], int)
    assert doc["keywords"] == ["AI", "neural"] and doc["skos_concepts"] == [SKOS]
    assert doc["target_ages"] == [14, 16] and doc["difficulty"] == 3 and doc["estimated_time"] == 20
    assert doc["teacher_exclusive"] is False and doc["available"] is True
    assert doc["created_at"].endswith("Z") and doc["updatedAt"].endswith("Z")


def test_lookup_without_version_is_the_latest(client, api_site):
    assert meta(client, "hruid=intro&language=en")["version"] == 2
    assert meta(client, "hruid=intro&language=en&version=1")["version"] == 1
    assert meta(client, "hruid=intro&language=en&version=2.0")["version"] == 2
    assert meta(client, "hruid=intro&language=en&version=")["version"] == 2  # empty = absent


def test_lookup_by_uuid_and_without_language(client, api_site):
    assert meta(client, "uuid=uuid-intro-1")["_id"] == "intro/en/1"
    assert meta(client, "uuid=uuid-p-en&hruid=perceptron")["_id"] == "perceptron/en/1"
    # Without a language: the first language alphabetically, deterministically.
    assert meta(client, "hruid=perceptron")["language"] == "en"
    # All given identifiers must match.
    assert client.get("/api/learningObject/getMetadata?uuid=uuid-p-en&language=nl").status_code == 404


@pytest.mark.parametrize("route", ["getMetadata", "getRaw", "getWrapped"])
@pytest.mark.parametrize(
    "query", ["hruid=nope&language=en", "hruid=intro&language=en&version=9", "hruid=intro&language=xx", "uuid=nope"]
)
def test_unknown_object_is_a_json_404(client, api_site, route, query):
    response = client.get(f"/api/learningObject/{route}?{query}")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"error", "detail"} and body["error"] == "not_found"


@pytest.mark.parametrize("route", ["getMetadata", "getRaw", "getWrapped"])
@pytest.mark.parametrize(
    "query",
    [
        "hruid=intro&language=en&version=abc",
        "hruid=intro&version=1.5",
        "hruid=intro&version=99999999999",
        "language=en",
        "",
        "hruid=intro&hruid=neuron",
        "hruid=in%00tro",
    ],
)
def test_bad_lookup_parameters_are_a_json_400(client, api_site, route, query):
    response = client.get(f"/api/learningObject/{route}?{query}")
    assert response.status_code == 400
    assert response.json()["error"] == "bad_request" and response.json()["detail"]


# ---------------------------------------------------------------------------------------- getRaw etc.


def test_get_raw_is_the_fragment_the_caller_may_see(client, teacher, api_site):
    response = client.get("/api/learningObject/getRaw?hruid=intro&language=en&version=1")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert response.content.decode() == "<p>Welcome</p>"
    client.force_login(teacher)
    assert "TEACHER-SECRET-NOTE" in client.get("/api/learningObject/getRaw?hruid=intro&language=en").content.decode()


def test_get_raw_makes_root_relative_urls_absolute(client, api_site):
    body = client.get("/api/learningObject/getRaw?hruid=intro&language=en").content.decode()
    assert 'src="http://testserver/objects/intro/en/2/assets/a.png"' in body


def test_get_raw_redirects_extern_objects(client, api_site):
    response = client.get("/api/learningObject/getRaw?hruid=video&language=en&redirect=true")
    assert response.status_code == 302 and response["Location"] == "https://www.youtube.com/embed/abc"
    assert client.get("/api/learningObject/getRaw?hruid=video&language=en&redirect").status_code == 302
    no = client.get("/api/learningObject/getRaw?hruid=video&language=en&redirect=false")
    assert no.status_code == 200 and "iframe" in no.content.decode()
    assert client.get("/api/learningObject/getRaw?hruid=video&language=en").status_code == 200
    # Not extern: redirect is ignored.
    assert client.get("/api/learningObject/getRaw?hruid=neuron&language=en&redirect=1").status_code == 200


def test_get_wrapped_is_a_self_contained_page(client, api_site):
    response = client.get("/api/learningObject/getWrapped?hruid=intro&language=en&version=1")
    assert response.status_code == 200
    page = response.content.decode()
    assert page.startswith("<!DOCTYPE html>") and '<html lang="en">' in page
    assert 'class="learning-object-content' in page and "<p>Welcome</p>" in page
    assert "//" not in page.replace("http://www.w3.org", "")  # no external requests
    assert "/static/css/site.css" in page


# ------------------------------------------------------------------------------------------- search


def search(client, query="", **extra):
    return client.get(f"/api/learningObject/search?{query}", **extra)


def test_search_without_filters_lists_every_visible_version(client, api_site):
    assert ids(search(client)) == [
        "intro/en/2",
        "intro/en/1",
        "neuron/en/1",
        "perceptron/en/1",
        "perceptron/nl/1",
        "video/en/1",
    ]
    assert set(search(client).json()[0]) == METADATA_FIELDS


@pytest.mark.parametrize(
    "query, expected",
    [
        ("searchTerm=neural", ["neuron/en/1", "perceptron/en/1"]),
        # any word matches (Dwengo's $text); two words matched rank above one
        ("searchTerm=NEURAL%20linear", ["perceptron/en/1", "neuron/en/1"]),
        ("searchTerm=computers-en-systemen", ["perceptron/en/1"]),  # SKOS concepts are searched, word by word
        ("searchTerm=classificator", ["perceptron/nl/1"]),
        ("hruid=perceptron", ["perceptron/en/1", "perceptron/nl/1"]),
        ("hruid=perceptron&language=nl", ["perceptron/nl/1"]),  # AND, not Dwengo's OR
        ("language=nl&title=neuron", []),
        ("hruid=intro&version=1", ["intro/en/1"]),
        ("uuid=uuid-p-en", ["perceptron/en/1"]),
        ("content_type=extern", ["video/en/1"]),
        ("teacher_exclusive=false&hruid=neuron", ["neuron/en/1"]),
        ("teacher_exclusive=true", []),  # anonymous never gets teacher-exclusive objects
        ("title=PERCEPTRON", ["perceptron/en/1", "perceptron/nl/1"]),
        ("description=linear", ["perceptron/en/1"]),
        ('target_ages=[10,16]&keywords=["AI"]', ["perceptron/en/1", "perceptron/nl/1", "video/en/1"]),
        ("target_ages=[10]", ["neuron/en/1"]),
        ('keywords=["biology","AI"]&language=en', ["neuron/en/1", "perceptron/en/1", "video/en/1"]),
        (f'skos_concepts=["{SKOS}"]', ["perceptron/en/1"]),
        ("min_difficulty=3", ["perceptron/en/1", "perceptron/nl/1"]),
        ("max_difficulty=2", ["neuron/en/1"]),
        ("min_difficulty=3&max_difficulty=4", ["perceptron/en/1"]),
        ("min_time=20", ["perceptron/en/1", "perceptron/nl/1"]),
        ("max_time=5", ["neuron/en/1"]),
        ('min_time=6&max_time=20&keywords=["AI"]', ["perceptron/en/1", "video/en/1"]),
        ("available=true&language=nl", ["perceptron/nl/1"]),
        ("unknownparam=x&language=nl", ["perceptron/nl/1"]),  # unknown parameters are ignored
    ],
)
def test_search_filters_are_anded(client, api_site, query, expected):
    assert ids(search(client, query)) == expected


@pytest.mark.parametrize(
    "query, expected",
    [
        ("searchTerm=neur", []),  # whole words, not substrings
        ("searchTerm=Néural", ["neuron/en/1", "perceptron/en/1"]),  # case and diacritics folded
        ("searchTerm=biology%20zebra%20neural", ["neuron/en/1", "perceptron/en/1"]),
        ("searchTerm=neural%20-biology", ["perceptron/en/1"]),  # a -word keeps its objects out
        ("searchTerm=-biology", []),  # no positive word: nothing, as in MongoDB
        ('searchTerm="linear classifier"', ["perceptron/en/1"]),  # a phrase must occur
        ('searchTerm="classifier linear"%20neural', []),
        # two words; then one in the title (the Dutch perceptron) before one elsewhere (neuron's keyword)
        ("searchTerm=perceptron%20neural", ["perceptron/en/1", "perceptron/nl/1", "neuron/en/1"]),
    ],
)
def test_search_term_is_dwengos_text_search(client, api_site, query, expected):
    assert ids(search(client, query)) == expected


def test_search_term_ranks_title_words_above_other_fields(client, api_site):
    # "neuron" is in neuron's title; "compute" only in its HTML (not searched); "ai" is a keyword
    # of perceptron and video: one word each, the title match first.
    assert ids(search(client, "searchTerm=neuron%20AI&language=en"))[0] == "neuron/en/1"
    assert ids(search(client, "searchTerm=the%20perceptron")) == ["perceptron/en/1", "perceptron/nl/1"]


@pytest.mark.parametrize("who", ["anonymous", "student"])
def test_any_word_search_never_finds_teacher_exclusive_objects(client, student, api_site, who):
    if who == "student":
        client.force_login(student)
    found = ids(search(client, "searchTerm=guide%20neural%20teacher"))  # "guide" is the hidden object's
    assert "guide/en/1" not in found and found == ["neuron/en/1", "perceptron/en/1"]


def test_teacher_search_includes_teacher_exclusive_objects(client, teacher, api_site):
    client.force_login(teacher)
    assert ids(search(client, "teacher_exclusive=true")) == ["guide/en/1"]
    assert "guide/en/1" in ids(search(client, "searchTerm=neural"))


@pytest.mark.parametrize(
    "query",
    [
        "target_ages=[12",
        "target_ages=12,14",
        'target_ages=["a"]',
        "target_ages=[true]",
        "target_ages=NaN",
        "target_ages=[Infinity]",
        "keywords=[1]",
        "keywords={",
        "skos_concepts=[[1]]",
        "min_difficulty=easy",
        "max_time=1e3",
        "version=x",
        "teacher_exclusive=maybe",
        "available=2",
        "keywords=" + "[" * 5000,
    ],
)
def test_search_bad_parameters_are_a_json_400(client, api_site, query):
    response = search(client, query)
    assert response.status_code == 400, response.content
    assert response.json()["error"] == "bad_request"


def test_frequent_keywords(client, teacher, api_site):
    # neural: neuron, perceptron (guide is teacher-exclusive, so it does not count); AI: perceptron en+nl,
    # video; "" is ignored; ties alphabetically.
    expected = ["AI", "neural", "biology", "intro"]
    assert client.get("/api/learningObject/getFrequentKeywords").json() == expected
    client.force_login(teacher)
    assert client.get("/api/learningObject/getFrequentKeywords").json() == expected
