"""Pages: catalogue, path player, object page; teacher-only content never reaches students."""

import pytest

pytestmark = pytest.mark.django_db


def test_catalogue_lists_paths(client, sample_site):
    page = client.get("/")
    assert page.status_code == 200
    assert "Deep learning" in page.content.decode()


def test_catalogue_empty_state(client, db):
    page = client.get("/")
    assert "No learning paths match" in page.content.decode()


def test_path_player_shows_first_node_and_next_link(client, sample_site):
    page = client.get("/paths/deep/en/").content.decode()
    assert "Welcome" in page
    assert 'rel="next" accesskey="n" href="/paths/deep/en/neuron/"' in page  # teacher node spliced out


@pytest.mark.parametrize(
    "url",
    [
        "/paths/deep/en/",
        "/paths/deep/en/neuron/",
        "/paths/deep/en/intro/",
        "/objects/intro/en/1/",
        "/objects/neuron/en/1/",
    ],
)
def test_students_and_visitors_never_see_teacher_text(client, student, sample_site, url):
    for who in (None, student):
        if who:
            client.force_login(who)
        body = client.get(url).content.decode()
        assert "TEACHER-SECRET-NOTE" not in body and "TEACHER-GUIDE-TEXT" not in body
        assert "Teacher guide" not in body


def test_teacher_exclusive_object_is_404_for_students(client, student, sample_site):
    assert client.get("/objects/guide/en/1/").status_code == 404
    assert client.get("/paths/deep/en/guide/").status_code == 404
    client.force_login(student)
    assert client.get("/objects/guide/en/1/").status_code == 404


def test_teacher_sees_everything_and_can_view_as_student(client, teacher, sample_site):
    client.force_login(teacher)
    assert "TEACHER-GUIDE-TEXT" in client.get("/objects/guide/en/1/").content.decode()
    page = client.get("/paths/deep/en/").content.decode()
    assert "TEACHER-SECRET-NOTE" in page and "Teacher guide" in page
    as_student = client.get("/paths/deep/en/?as=student").content.decode()
    assert "TEACHER-SECRET-NOTE" not in as_student and "Teacher guide" not in as_student


def test_latest_version_redirect(client, sample_site):
    response = client.get("/objects/intro/en/")
    assert response.status_code == 302 and response["Location"] == "/objects/intro/en/1/"


def test_unknown_routes_are_404(client, sample_site):
    for url in ["/paths/nope/en/", "/objects/nope/en/1/", "/objects/intro/en/1/assets/x.png", "/paths/deep/en/nope/"]:
        assert client.get(url).status_code == 404, url


def test_search_never_shows_teacher_words_to_students(client, student, teacher, sample_site):
    for who in (None, student):
        if who:
            client.force_login(who)
        for q in ("TEACHER-SECRET-NOTE", "TEACHER-GUIDE-TEXT", "guide", "Teacher"):
            body = client.get("/search/", {"q": q}).content.decode()
            assert "/objects/guide/" not in body
        assert "Welcome" in client.get("/search/", {"q": "welcome"}).content.decode()
    client.force_login(teacher)
    assert "/objects/guide/en/1/" in client.get("/search/", {"q": "TEACHER-GUIDE-TEXT"}).content.decode()
    assert "/objects/intro/en/1/" in client.get("/search/", {"q": "SECRET"}).content.decode()


def test_student_search_finds_nothing_by_teacher_only_words(client, student, sample_site):
    client.force_login(student)
    body = client.get("/search/", {"q": "SECRET"}).content.decode()
    assert "/objects/intro/" not in body and "Nothing found" in body


def test_sitemap_lists_only_public_content(client, sample_site):
    body = client.get("/sitemap.xml").content.decode()
    assert "/paths/deep/en/" in body and "/objects/intro/en/1/" in body
    assert "/objects/guide/" not in body
