"""The site search (selectors_search): ranking, word order, language, teacher-only text, snippets.

Run on SQLite (FTS5) by default and on PostgreSQL (full-text search) with DATABASE_URL set, as
``make test`` does: the same assertions hold for both engines.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import translation

from learningpaths.paths.selectors_search import object_search, query_terms, search_language, snippet
from learningpaths.paths.services import content_sync
from tests.conftest import compile_result, compiled_object, compiled_path

LONG = " ".join(f"word{i}" for i in range(60))


@pytest.fixture
def library(db, settings, tmp_path):
    settings.CONTENT_ASSET_ROOT = tmp_path / "assets"
    objects = [
        # Alphabetically first, but "neuron" only in its text: must rank below the title match.
        compiled_object("activation", title="Activation functions", html="A neuron applies a function."),
        compiled_object("bias", title="Bias", html="Every neuron has a bias.", keywords=["neuron"]),
        compiled_object("one-neuron", title="One neuron", html="Weights and a sum."),
        compiled_object("deep", title="Deep learning", html="Many layers."),
        compiled_object("diep", language="nl", title="Diep leren", html="Veel lagen en neuronen."),
        compiled_object("neuron-nl", language="nl", title="Eén neuron", html="Gewichten en een som."),
        compiled_object(
            "notes",
            title="Lesson notes",
            html="Public words.",
            teacher_html="Public words. <aside>HIDDENANSWER forty-two</aside>",
        ),
        compiled_object("solutions", title="Solutions neuron", teacher_exclusive=True, html="All answers."),
        compiled_object("hostile", title="<script>alert(1)</script> neuron", html="Bad <b>title</b>."),
        compiled_object("long", title="Long text", html=f"{LONG} perceptron {LONG}"),
    ]
    paths = [
        compiled_path("intro", objects[:3], title="Neurons first"),
        compiled_path("intro", objects[4:6], language="nl", title="Neuronen eerst"),
    ]
    content_sync(result=compile_result(objects, paths))
    return objects


def hruids(hits) -> list[str]:
    return [h.obj.hruid for h in hits]


def test_title_matches_rank_above_keywords_above_text(library):
    found = hruids(object_search(user=None, query="neuron", language="en"))
    assert found[:2] == ["one-neuron", "hostile"] or found[:2] == ["hostile", "one-neuron"]
    assert found.index("one-neuron") < found.index("bias") < found.index("activation")


def test_word_order_does_not_matter_and_every_word_must_occur(library):
    assert hruids(object_search(user=None, query="deep learning", language="")) == ["deep"]
    assert hruids(object_search(user=None, query="learning deep", language="")) == ["deep"]
    assert object_search(user=None, query="deep neuron", language="") == []


def test_prefixes_and_accents_match(library):
    assert "one-neuron" in hruids(object_search(user=None, query="neur", language="en"))
    hit = object_search(user=None, query="NEURON Eén", language="nl")
    assert hruids(hit) == ["neuron-nl"] and hit[0].title == "<mark>Eén</mark> <mark>neuron</mark>"
    if connection.vendor == "sqlite":  # FTS5 folds accents; PostgreSQL (without unaccent) does not
        assert "neuron-nl" in hruids(object_search(user=None, query="een neuron", language="nl"))


def test_language_filter_and_its_ui_default(library):
    assert set(hruids(object_search(user=None, query="neuron", language="nl"))) == {"neuron-nl", "diep"}
    both = hruids(object_search(user=None, query="neuron", language=""))
    assert "neuron-nl" in both and "one-neuron" in both
    with translation.override("nl"):
        assert search_language(None) == "nl" and search_language("") == "nl"
        assert search_language("all") == "" and search_language("en") == "en"
        assert search_language(None, available=["en"]) == ""  # nothing in Dutch: every language


def test_teacher_only_objects_and_text_stay_out_for_students(library, student, teacher):
    for who in (None, student):
        assert "solutions" not in hruids(object_search(user=who, query="neuron", language=""))
        assert object_search(user=who, query="HIDDENANSWER", language="") == []
        notes = object_search(user=who, query="public", language="")
        assert hruids(notes) == ["notes"] and "HIDDENANSWER" not in notes[0].snippet
    assert "solutions" in hruids(object_search(user=teacher, query="neuron", language=""))
    hit = object_search(user=teacher, query="hiddenanswer", language="")
    assert hruids(hit) == ["notes"] and "<mark>HIDDENANSWER</mark>" in hit[0].snippet


def test_hostile_title_is_escaped_and_terms_marked(library):
    hit = next(h for h in object_search(user=None, query="neuron", language="en") if h.obj.hruid == "hostile")
    assert "<script>" not in hit.title and "&lt;script&gt;" in hit.title
    assert hit.title.endswith("<mark>neuron</mark>")
    bad = object_search(user=None, query="bad", language="")[0].snippet
    assert "<b>" not in bad and "&lt;b&gt;" in bad


def test_snippet_cuts_between_words_around_the_first_match(library):
    hit = object_search(user=None, query="perceptron", language="")[0]
    text = str(hit.snippet)
    assert text.startswith("… word") and text.endswith(" …") and "<mark>perceptron</mark>" in text
    inner = text.removeprefix("… ").removesuffix(" …").replace("<mark>", "").replace("</mark>", "")
    assert all(w == "perceptron" or (w.startswith("word") and w[4:].isdigit()) for w in inner.split())
    assert len(inner) <= 180


def test_snippet_of_short_text_is_whole():
    assert snippet("A neuron.", ["neuron"]) == "A <mark>neuron</mark>."
    assert snippet("", ["x"]) == ""


def test_query_syntax_never_reaches_the_engine(library):
    assert query_terms('"deep" OR NOT learning* {title}: ^x') == ["deep", "or", "not", "learning", "title", "x"]
    assert object_search(user=None, query='") OR *', language="") == []
    assert object_search(user=None, query="   ", language="") == []


def test_catalogue_ranks_paths_and_defaults_to_the_ui_language(library, client):
    from learningpaths.paths.selectors_catalogue import catalogue

    cards = catalogue(user=None, query="first neurons", language="all").cards
    assert [c.path.hruid for c in cards] == ["intro"]
    assert catalogue(user=None, query="neurons first", language="all").cards == cards
    with translation.override("nl"):
        found = catalogue(user=None, query="neuron", language="")
        assert found.language == "nl" and [c.path.title for c in found.cards] == ["Neuronen eerst"]
        everything = catalogue(user=None, query="neuron", language="all")
        assert everything.language == "" and len(everything.cards) == 2
    with translation.override("en"):
        assert [c.path.title for c in catalogue(user=None, query="neuron").cards] == ["Neurons first"]
    page = client.get("/", {"q": "neuron"}, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Neuronen eerst" in page and "Neurons first" not in page
    page = client.get("/", {"q": "neuron", "language": "all"}, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Neuronen eerst" in page and "Neurons first" in page


def test_search_page_defaults_to_the_ui_language_and_escapes(library, client):
    page = client.get("/search/", {"q": "neuron"}, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "/objects/neuron-nl/nl/1/" in page and "/objects/one-neuron/" not in page
    page = client.get("/search/", {"q": "neuron", "language": "all"}).content.decode()
    assert "/objects/neuron-nl/nl/1/" in page and "/objects/one-neuron/en/1/" in page
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; <mark>neuron</mark>" in page
    assert page.index("/objects/one-neuron/") < page.index("/objects/activation/")
    assert "language=all" in client.get("/search/", {"q": "perceptron"}, HTTP_ACCEPT_LANGUAGE="nl").content.decode()


def test_teacher_results_are_private(library, client, teacher):
    client.force_login(teacher)
    response = client.get("/search/", {"q": "hiddenanswer"})
    assert "<mark>HIDDENANSWER</mark>" in response.content.decode() and response["Cache-Control"] == "private"
