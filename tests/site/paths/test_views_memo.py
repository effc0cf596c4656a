"""The student page memo (views_memo.student_page): one rendering per step and way on, each
student's own name, token, progress and done steps filled in, and never a teacher's page."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from learningpaths.paths.selectors_cache import pages_memo
from tests.site.paths.test_selectors_cache import body, build, leaks

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(settings, tmp_path):
    settings.CONTENT_ASSET_ROOT = tmp_path / "assets"
    settings.DEBUG = False  # the page memo is off in development
    pages_memo.clear()
    build()


def signed_in(django_user_model, username, role="student"):
    client = Client(enforce_csrf_checks=True)
    client.force_login(django_user_model.objects.create_user(username, password="pw-long-enough-1", role=role))
    return client


def steps(page):
    """(title, done) for each step in the list."""
    return [
        (title, " done" in css and "(done)" in rest)
        for css, title, rest in re.findall(r'<li class="([^"]*)"><a [^>]*>([^<]+)</a>(.*?)</li>', page)
    ]


def test_two_students_share_one_rendering_with_their_own_parts(site, django_user_model):
    ann, bob = signed_in(django_user_model, "ann"), signed_in(django_user_model, "bob")
    body(ann, "/paths/deep/en/intro/")
    first = ann.get("/paths/deep/en/neuron/")
    assert first.templates, "the first view of this step renders the template"
    second = bob.get("/paths/deep/en/neuron/")
    assert second.status_code == 200 and second.templates == [], "the second student's page comes from the memo"
    ann_page, bob_page = first.content.decode(), second.content.decode()
    assert "ann" in ann_page and "ann" not in bob_page and "bob" in bob_page
    assert steps(ann_page) == [("Introduction", True), ("A neuron", True)] and "100% done" in ann_page
    assert steps(bob_page) == [("Introduction", False), ("A neuron", True)] and "50% done" in bob_page
    assert 'aria-valuenow="50"' in bob_page and "width: 50%" in bob_page
    assert "lp-slot-" not in ann_page + bob_page
    # The token in the memoised page works with bob's cookie (sign out posts it).
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', bob_page).group(1)
    assert bob.post(reverse("accounts:logout"), {"csrfmiddlewaretoken": token}).status_code == 302


def test_the_name_is_escaped_as_the_template_would(site, django_user_model):
    plain = signed_in(django_user_model, "plain")
    body(plain, "/paths/deep/en/neuron/")  # memoises the page
    odd = Client()
    odd.force_login(django_user_model.objects.create(username='<b>"x"&', role="student"))  # no validator here
    response = odd.get("/paths/deep/en/neuron/")
    assert response.templates == []
    page = response.content.decode()
    assert "&lt;b&gt;&quot;x&quot;&amp;" in page and '<b>"x"' not in page


def test_teachers_never_get_a_students_page_nor_students_a_teachers(site, django_user_model):
    student = signed_in(django_user_model, "stud")
    teacher = signed_in(django_user_model, "teach", role="teacher")
    for url in ("/paths/deep/en/intro/", "/paths/deep/en/neuron/", "/paths/deep/en/"):
        assert leaks(body(student, url)) == [], url
        teacher_page = body(teacher, url)
        assert "Teacher guide" in teacher_page and "teach" in teacher_page, url
        assert leaks(body(student, url)) == [] and "teach " not in body(student, url), url


def test_the_way_on_is_part_of_the_key(site, django_user_model):
    """The resume page (/paths/deep/en/) shows each student's own current step."""
    ann, bob = signed_in(django_user_model, "ann"), signed_in(django_user_model, "bob")
    body(ann, "/paths/deep/en/neuron/")
    body(bob, "/paths/deep/en/intro/")
    assert 'aria-current="step">A neuron<' in body(ann, "/paths/deep/en/")
    assert 'aria-current="step">Introduction<' in body(bob, "/paths/deep/en/")


def test_a_rebuild_is_seen_by_a_memoised_student_page(site, django_user_model):
    ann = signed_in(django_user_model, "ann")
    assert "Welcome" in body(ann, "/paths/deep/en/intro/")
    build("Hello again")
    page = body(ann, "/paths/deep/en/intro/")
    assert "Hello again" in page and "Welcome" not in page


def test_a_query_string_gets_a_fresh_rendering(site, django_user_model):
    ann = signed_in(django_user_model, "ann")
    body(ann, "/paths/deep/en/intro/")
    assert ann.get("/paths/deep/en/intro/?x=1").templates
