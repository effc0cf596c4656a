"""/api/learningPath/*: Dwengo's shapes, teacher-node splicing, AND-ed search, id lists."""

from __future__ import annotations

import base64

import pytest

from learningpaths.paths.models import LearningPath

pytestmark = pytest.mark.django_db

PATH_FIELDS = {
    "_id",
    "language",
    "hruid",
    "title",
    "description",
    "image",
    "num_nodes",
    "num_nodes_left",
    "nodes",
    "keywords",
    "target_ages",
    "min_age",
    "max_age",
}
NODE_FIELDS = {
    "_id",
    "learningobject_hruid",
    "language",
    "version",
    "start_node",
    "transitions",
    "title",
    "description",
    "content_type",
    "teacher_exclusive",
    "available",
    "estimated_time",
    "difficulty",
    "keywords",
    "target_ages",
    "educational_goals",
    "skos_concepts",
    "return_value",
    "licence",
    "copyright",
    "aspect_ratio",
    "uuid",
    "created_at",
    "updatedAt",
}


def get(client, url, **extra):
    response = client.get(url, **extra)
    assert response.status_code == 200, response.content
    return response.json()


def hruids(docs):
    return [(d["hruid"], d["language"]) for d in docs]


def test_path_detail_shape_for_a_student(client, student, api_site):
    client.force_login(student)
    doc = get(client, "/api/learningPath/deep/en")
    assert set(doc) == PATH_FIELDS
    assert doc["_id"] == "deep/en" and doc["image"] is None
    assert doc["num_nodes"] == 2 and doc["num_nodes_left"] == 2
    assert [n["learningobject_hruid"] for n in doc["nodes"]] == ["intro", "neuron"]
    first = doc["nodes"][0]
    assert set(first) == NODE_FIELDS
    assert first["_id"] == "deep/en:intro/en/1" and first["version"] == 1 and first["start_node"] is True
    # The teacher node is spliced out: intro now leads to neuron.
    assert first["transitions"] == [
        {
            "_id": "deep/en:intro/en/1->neuron/en/1",
            "default": True,
            "condition": "",
            "next": {"hruid": "neuron", "version": 1, "language": "en"},
        }
    ]
    assert doc["nodes"][1]["transitions"] == [] and doc["nodes"][1]["start_node"] is False
    # Keywords that only the hidden node carries are dropped; the rest is space-joined.
    assert doc["keywords"] == "deep neural"
    assert doc["target_ages"] == [10, 12, 18] and doc["min_age"] == 10 and doc["max_age"] == 18


def test_path_detail_for_a_teacher_has_every_node(client, teacher, api_site):
    client.force_login(teacher)
    doc = get(client, "/api/learningPath/deep/en")
    assert [n["learningobject_hruid"] for n in doc["nodes"]] == ["intro", "guide", "neuron"]
    assert doc["nodes"][1]["teacher_exclusive"] is True
    assert doc["nodes"][0]["transitions"][0]["next"]["hruid"] == "guide"
    assert doc["keywords"] == "deep neural guide" and doc["num_nodes"] == 3


def test_hidden_start_node_passes_its_role_on(client, teacher, api_site):
    doc = get(client, "/api/learningPath/flipped/en")
    assert [(n["learningobject_hruid"], n["start_node"]) for n in doc["nodes"]] == [("neuron", True)]
    client.force_login(teacher)
    doc = get(client, "/api/learningPath/flipped/en")
    assert [(n["learningobject_hruid"], n["start_node"]) for n in doc["nodes"]] == [("guide", True), ("neuron", False)]


def test_path_image_is_base64(client, api_site):
    LearningPath.objects.filter(hruid="vision").update(image=b"\x89PNG-bytes")
    assert base64.b64decode(get(client, "/api/learningPath/vision/en")["image"]) == b"\x89PNG-bytes"


def test_num_nodes_left_counts_progress_when_the_learning_app_records_it(client, student, api_site, monkeypatch):
    from learningpaths.api import selectors

    client.force_login(student)
    monkeypatch.setattr(selectors, "done_hruids", lambda *, user, path: {"intro"})
    doc = get(client, "/api/learningPath/deep/en")
    assert doc["num_nodes"] == 2 and doc["num_nodes_left"] == 1


def test_progress_hook_is_empty_for_anonymous(api_site):
    from django.contrib.auth.models import AnonymousUser

    from learningpaths.api.selectors import done_hruids

    assert done_hruids(user=AnonymousUser(), path=LearningPath.objects.get(hruid="deep", language="en")) == set()


@pytest.mark.parametrize(
    "url",
    [
        "/api/learningPath/nope/en",
        "/api/learningPath/deep/xx",
        "/api/learningPath/guide-path/en",
        "/api/learningPath/deep/en/extra",
    ],
)
def test_unknown_path_is_a_json_404(client, api_site, url):
    response = client.get(url)
    assert response.status_code == 404 and response.json()["error"] == "not_found"


def test_trailing_slash_is_accepted(client, api_site):
    assert client.get("/api/learningPath/deep/en/").status_code == 200
    assert client.get("/api/learningPath/languages/").status_code == 200


# ------------------------------------------------------------------------------------------- search


@pytest.mark.parametrize(
    "query, expected",
    [
        ("", [("vision", "en"), ("deep", "en"), ("deep", "nl"), ("flipped", "en")]),  # by title
        ("all=vision", [("vision", "en")]),
        ("all=LEARNING", [("deep", "en")]),
        ("all=neural", [("deep", "en")]),  # keywords are searched
        ("all=diep%20leren", [("deep", "nl")]),  # the whole value, as one text
        ("all=leren%20diep", []),  # Dwengo's pattern: not word by word
        ("all=p%20lear", [("deep", "en")]),  # ... and inside words ("deep learning")
        ("all=a.b", []),  # literal text, never a client's regular expression
        ("language=nl", [("deep", "nl")]),
        ("all=deep&language=en", [("deep", "en")]),
        ("title=deep&language=nl", []),  # AND, not Dwengo's OR
        ("hruid=VIS", [("vision", "en")]),
        ("description=path%20flipped", [("flipped", "en")]),
        ("keywords=neural", [("deep", "en")]),
        ("min_age=17", [("vision", "en"), ("deep", "en"), ("flipped", "en")]),
        ("max_age=11", [("deep", "en"), ("flipped", "en")]),
        ("min_age=13&max_age=13", [("deep", "en"), ("flipped", "en")]),  # nl and vision start at 14
        ("min_age=13&max_age=14", [("vision", "en"), ("deep", "en"), ("deep", "nl"), ("flipped", "en")]),
        ("min_age=19", []),
        ("min_age=15&language=nl", [("deep", "nl")]),
        ("min_age=15&max_age=15&all=vision&language=en", [("vision", "en")]),
    ],
)
def test_path_search_filters_are_anded(client, api_site, query, expected):
    docs = get(client, f"/api/learningPath/search?{query}")
    assert hruids(docs) == expected
    for doc in docs:
        assert set(doc) == PATH_FIELDS


def test_path_search_for_a_teacher_includes_teacher_only_paths(client, teacher, api_site):
    client.force_login(teacher)
    assert ("guide-path", "en") in hruids(get(client, "/api/learningPath/search"))
    assert hruids(get(client, "/api/learningPath/search?all=guide")) == [("deep", "en"), ("guide-path", "en")]


@pytest.mark.parametrize("query", ["min_age=x", "max_age=1.5", "min_age=1e9999", "language=a&language=b"])
def test_path_search_bad_parameters_are_a_json_400(client, api_site, query):
    response = client.get(f"/api/learningPath/search?{query}")
    assert response.status_code == 400 and response.json()["error"] == "bad_request"


# ----------------------------------------------------------------------------- id list and languages


def test_paths_from_id_list_keeps_the_list_order(client, api_site):
    docs = get(client, '/api/learningPath/getPathsFromIdList?pathIdList={"hruids":["vision","deep"]}&language=en')
    assert hruids(docs) == [("vision", "en"), ("deep", "en")]
    assert set(docs[0]) == PATH_FIELDS


def test_paths_from_id_list_without_language_returns_every_language(client, api_site):
    docs = get(client, '/api/learningPath/getPathsFromIdList?pathIdList={"hruids":["deep","nope","vision","deep"]}')
    assert hruids(docs) == [("deep", "en"), ("deep", "nl"), ("vision", "en")]
    docs = get(client, '/api/learningPath/getPathsFromIdList?pathIdList=["vision"]&language=')
    assert hruids(docs) == [("vision", "en")]


def test_paths_from_id_list_hides_teacher_only_paths(client, teacher, api_site):
    url = '/api/learningPath/getPathsFromIdList?pathIdList={"hruids":["guide-path"]}'
    assert get(client, url) == []
    client.force_login(teacher)
    assert hruids(get(client, url)) == [("guide-path", "en")]


@pytest.mark.parametrize(
    "query",
    [
        "",
        "pathIdList=",
        "pathIdList={",
        'pathIdList={"hruids":"deep"}',
        'pathIdList={"hruids":[1]}',
        "pathIdList=3",
        'pathIdList={"other":[]}',
        "pathIdList=" + "[" * 3000,
    ],
)
def test_paths_from_id_list_bad_parameters_are_a_json_400(client, api_site, query):
    response = client.get(f"/api/learningPath/getPathsFromIdList?{query}")
    assert response.status_code == 400 and response.json()["error"] == "bad_request"


def test_languages(client, teacher, api_site):
    assert get(client, "/api/learningPath/languages") == ["en", "nl"]
    client.force_login(teacher)
    assert get(client, "/api/learningPath/languages") == ["en", "nl"]


def test_languages_of_visible_paths_only(client, teacher, api_site):
    from learningpaths.paths.services import content_sync
    from tests.conftest import compile_result, compiled_object, compiled_path

    secret = compiled_object("geheim", language="fr", teacher_exclusive=True)
    content_sync(result=compile_result([secret], [compiled_path("only-fr", [secret], language="fr")]))
    assert get(client, "/api/learningPath/languages") == []
    client.force_login(teacher)
    assert get(client, "/api/learningPath/languages") == ["fr"]


def _ids(docs) -> list[str]:
    return [n["_id"] for d in docs for n in d["nodes"]] + [
        t["_id"] for d in docs for n in d["nodes"] for t in n["transitions"]
    ]


@pytest.mark.parametrize("who", ["anonymous", "teacher"])
def test_node_and_transition_ids_are_unique_in_an_answer_and_survive_a_rebuild(client, teacher, api_site, who):
    from learningpaths.paths.models import LearningObject
    from learningpaths.paths.services import content_sync

    if who == "teacher":
        client.force_login(teacher)
    docs = get(client, "/api/learningPath/search?language=en")
    ids = _ids(docs)
    # neuron is a node of two paths: its object id repeats, the node ids do not
    assert sum(n["learningobject_hruid"] == "neuron" for d in docs for n in d["nodes"]) >= 2
    assert len(ids) == len(set(ids)) and any("->" in i for i in ids)
    # a rebuild from scratch (new row ids) answers the same ids
    LearningPath.objects.all().delete()
    LearningObject.objects.all().delete()
    content_sync(result=api_site)
    assert _ids(get(client, "/api/learningPath/search?language=en")) == ids
