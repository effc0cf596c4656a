"""Login initiation and resource-link launches, end to end against the loopback platform."""

from __future__ import annotations

import pytest

from learningpaths.classroom.models import Membership
from learningpaths.lti.models import Context, Identity

from .flow import authorize, launch, launch_with
from .platform import INSTRUCTOR, LEARNER

pytestmark = pytest.mark.django_db


def test_teacher_then_pupil_land_signed_in_in_the_path_and_the_class(client, platform, sample_site):
    teacher_url = platform.launch_url(
        user_id="t-1", roles=[INSTRUCTOR], name="Ms Peeters", custom={"path": "deep", "language": "en"}
    )
    response = launch(client, platform, teacher_url)
    assert response.status_code == 302
    assert response["Location"] == "/paths/deep/en/"
    teacher = Identity.objects.get(sub="t-1").user
    assert teacher.is_teacher and teacher.first_name == "Ms Peeters" and not teacher.has_usable_password()
    context = Context.objects.get(context_id="course-1")
    assert context.classroom.name == "Class 2B"
    assert context.classroom.teachers.filter(pk=teacher.pk).exists()

    client.logout()
    pupil_url = platform.launch_url(
        user_id="p-1", roles=[LEARNER], name="Jan", custom={"path": "deep", "language": "en", "step": "neuron"}
    )
    response = launch(client, platform, pupil_url)
    pupil = Identity.objects.get(sub="p-1").user
    assert response.status_code == 302 and response["Location"] == "/paths/deep/en/neuron/"
    assert pupil.role == "student"
    assert Membership.objects.get(classroom=context.classroom, user=pupil).status == Membership.Status.ACTIVE
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert page.wsgi_request.user == pupil  # signed in by the launch
    assert b"Neurons compute" in page.content


def test_target_link_uri_names_the_path(client, platform, sample_site):
    platform_url = platform.launch_url(
        user_id="p-2",
        roles=[LEARNER],
        claims={"https://purl.imsglobal.org/spec/lti/claim/target_link_uri": "http://testserver/paths/deep/en/"},
    )
    response = launch(client, platform, platform_url)
    assert response.status_code == 302 and response["Location"] == "/paths/deep/en/"


def test_pupil_before_any_teacher_is_signed_in_without_a_class(client, platform, sample_site):
    response = launch(client, platform, platform.launch_url(user_id="p-3", roles=[LEARNER], custom={"path": "deep"}))
    assert response.status_code == 302
    assert Context.objects.get().classroom is None
    assert not Membership.objects.exists()


def test_a_link_naming_no_path_is_a_404_page_with_a_message(client, platform, sample_site):
    response = launch(client, platform, platform.launch_url(user_id="p-4", roles=[LEARNER]))
    assert response.status_code == 404
    assert b"does not say which learning path" in response.content
    response = launch(client, platform, platform.launch_url(user_id="p-4", roles=[LEARNER], custom={"path": "nope"}))
    assert response.status_code == 404
    assert b"does not exist" in response.content


def test_export_and_deletion_include_the_linked_identity(client, platform, sample_site):
    from learningpaths.accounts.selectors import user_data

    launch(client, platform, platform.launch_url(user_id="p-5", roles=[LEARNER], name="Jan", custom={"path": "deep"}))
    user = Identity.objects.get(sub="p-5").user
    rows = user_data(user=user)["lti_identities"]
    assert [(r["platform"], r["user_id"]) for r in rows] == [(platform.issuer, "p-5")] and rows[0]["linked_at"]
    user.delete()
    assert not Identity.objects.exists()


def test_a_launched_session_may_be_framed_by_its_platform_only(client, platform, sample_site):
    assert client.get("/paths/deep/en/")["X-Frame-Options"] == "DENY"
    url = platform.launch_url(user_id="p-6", roles=[LEARNER], custom={"path": "deep"})
    response = launch(client, platform, url, headers={"Origin": "https://school.example"})
    assert response.status_code == 302
    page = client.get("/paths/deep/en/")
    assert "X-Frame-Options" not in page.headers
    assert page["Content-Security-Policy"].endswith("; frame-ancestors 'self' https://school.example")
    # The session cookie of a framed session goes cross-site (kept per top-level site) where the
    # browser keeps Secure cookies: over HTTPS or on localhost; "testserver" over HTTP stays Lax.
    assert response.cookies["sessionid"]["samesite"] == "Lax"
    client.logout()
    url = platform.launch_url(user_id="p-6", roles=[LEARNER], custom={"path": "deep"})
    response = launch(
        client, platform, url, headers={"Origin": "https://school.example; script-src *", "Host": "localhost"}
    )
    cookie = response.cookies["sessionid"]
    assert cookie["secure"] and cookie["samesite"] == "None; Partitioned"
    page = client.get("/paths/deep/en/", headers={"Host": "localhost"})
    assert page["Content-Security-Policy"].endswith(f"; frame-ancestors 'self' {platform.url}")  # not the bad Origin
    csrf = page.cookies["csrftoken"]  # the page's forms (sign-out, answers) post with it inside the iframe
    assert csrf["secure"] and csrf["samesite"] == "None; Partitioned"


@pytest.mark.parametrize(("title", "expected"), [("T" * 150, "T" * 100), ("   ", "course-7"), ("", "course-7")])
def test_the_class_name_comes_from_the_course_within_limits(client, platform, sample_site, title, expected):
    url = platform.launch_url(
        user_id="t-7", roles=[INSTRUCTOR], context_id="course-7", context_title=title, custom={"path": "deep"}
    )
    assert launch(client, platform, url).status_code == 302
    assert Context.objects.get(context_id="course-7").classroom.name == expected


def test_a_username_taken_beforehand_does_not_link_anyone_to_it(platform, django_user_model, monkeypatch):
    from learningpaths.lti import services

    squatter = django_user_model.objects.create_user("lti-000000000000", password="pw-squat-123")
    names = iter(["000000000000", "abcdefabcdef"])
    monkeypatch.setattr(services.secrets, "token_hex", lambda n: next(names))
    identity = services.identity_sign_in(registration=platform.registration_row, sub="p-8", name="A", teacher=False)
    assert identity.user != squatter and identity.user.username == "lti-abcdefabcdef"
    assert (
        services.identity_sign_in(registration=platform.registration_row, sub="p-8", name="A", teacher=False)
        == identity
    )


def test_the_frame_check_costs_no_query_where_the_session_was_not_read(client, platform, sample_site):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    launch(client, platform, platform.launch_url(user_id="p-9", roles=[LEARNER], custom={"path": "deep"}))
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/lti/jwks/")  # reads neither the user nor the session
    assert response["X-Frame-Options"] == "DENY"
    assert not [q for q in queries if "django_session" in q["sql"]]


def test_a_pupil_sent_to_a_teacher_only_step_gets_the_path_and_never_the_step(client, platform, sample_site):
    url = platform.launch_url(user_id="p-10", roles=[LEARNER], custom={"path": "deep", "step": "guide"})
    response = launch(client, platform, url)
    assert response.status_code == 302 and response["Location"] == "/paths/deep/en/"
    assert b"TEACHER-GUIDE-TEXT" not in client.get(response["Location"]).content


def test_a_deactivated_registration_launches_nothing(client, platform, sample_site):
    url = platform.launch_url(user_id="p-11", roles=[LEARNER], custom={"path": "deep"})
    authorize(client, url)  # the login went through while it was active
    platform.registration_row.active = False
    platform.registration_row.save()
    response = launch_with(client, platform)
    assert response.status_code == 403 and b"Registration not found" in response.content
    assert client.get("/lti/login/", {"iss": platform.issuer, "login_hint": "x"}).status_code == 403
