"""Deep Linking, grade passback (AGS) and roster sync (NRPS) against the loopback platform."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import requests
from django.core.management import call_command
from django.utils import timezone

from learningpaths.classroom.models import Membership
from learningpaths.lti import services
from learningpaths.lti.models import Context, Identity, Outcome

from .flow import launch
from .platform import INSTRUCTOR, LEARNER

pytestmark = pytest.mark.django_db


def _deep_link_page(client, platform):
    response = launch(
        client, platform, platform.launch_url(user_id="t-1", roles=[INSTRUCTOR], link_id=None, deep_linking=True)
    )
    assert response.status_code == 200
    return response, re.search(rb'name="launch_id" value="([^"]+)"', response.content).group(1).decode()


def test_deep_link_choice_is_signed_and_the_platform_verifies_it(client, platform, sample_site):
    page, launch_id = _deep_link_page(client, platform)
    assert b"Deep learning" in page.content and b'value="deep/en/neuron"' in page.content
    assert b"TEACHER-GUIDE" not in page.content and b'value="deep/en/guide"' not in page.content  # pupils never see it

    answer = client.post("/lti/deep-link/", {"launch_id": launch_id, "choice": "deep/en/neuron"})
    assert answer.status_code == 200
    assert f"form-action 'self' {platform.url}" in answer["Content-Security-Policy"]
    action = re.search(rb'action="([^"]+)" data-autosubmit', answer.content).group(1).decode()
    jwt_value = re.search(rb'name="JWT" value="([^"]+)"', answer.content).group(1).decode()
    assert action == platform.url + "/deep-link-return"
    placed = requests.post(action, data={"JWT": jwt_value}, timeout=10)
    assert placed.status_code == 200, placed.text  # the platform checked our signature against our JWKS
    (item,) = platform.deep_link_items[-1]
    assert item["type"] == "ltiResourceLink"
    assert item["custom"] == {"path": "deep", "language": "en", "step": "neuron"}
    assert item["lineItem"]["scoreMaximum"] == 2  # the steps a pupil sees
    assert item["url"] == "http://testserver/lti/launch/"

    again = client.post("/lti/deep-link/", {"launch_id": launch_id, "choice": "deep/en"})
    assert again.status_code == 400 and b"already sent" in again.content

    # A JWT changed on the way is refused by the platform.
    forged = jwt_value[:-4] + ("AAAA" if not jwt_value.endswith("AAAA") else "BBBB")
    assert requests.post(action, data={"JWT": forged}, timeout=10).status_code == 400

    # The placed link, launched by a pupil, opens that step.
    client.logout()
    response = launch(client, platform, platform.launch_url(user_id="p-1", roles=[LEARNER], custom=item["custom"]))
    assert response.status_code == 302 and response["Location"] == "/paths/deep/en/neuron/"


def test_deep_link_refusals(client, platform, sample_site):
    _page, launch_id = _deep_link_page(client, platform)
    assert client.post("/lti/deep-link/", {"launch_id": "lti1p3-launch-nope", "choice": "deep/en"}).status_code == 400
    assert client.post("/lti/deep-link/", {"launch_id": launch_id}).status_code == 400
    assert client.post("/lti/deep-link/", {"launch_id": launch_id, "choice": "deep/en/guide"}).status_code == 404
    assert client.post("/lti/deep-link/", {"launch_id": launch_id, "choice": "x" * 800}).status_code == 404
    assert client.post("/lti/deep-link/", {"launch_id": launch_id, "choice": ["deep/en"] * 30}).status_code == 400
    client.logout()
    pupil = launch(
        client, platform, platform.launch_url(user_id="p-1", roles=[LEARNER], link_id=None, deep_linking=True)
    )
    assert pupil.status_code == 403 and b"Only teachers" in pupil.content
    assert not Identity.objects.filter(sub="p-1").exists()  # refused before anyone is signed in


def test_the_path_score_reaches_the_platform_as_it_changes(
    client, platform, sample_site, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = launch(
            client, platform, platform.launch_url(user_id="p-1", roles=[LEARNER], custom={"path": "deep"})
        )
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get("/paths/deep/en/").status_code == 200  # the first step: seen
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get("/paths/deep/en/neuron/").status_code == 200  # the last one
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get("/paths/deep/en/neuron/").status_code == 200  # no change: nothing sent
    given = [(s["scoreGiven"], s["scoreMaximum"], s["activityProgress"]) for s in platform.scores]
    assert given == [(0, 2, "InProgress"), (1, 2, "InProgress"), (2, 2, "Completed")]
    assert {s["userId"] for s in platform.scores} == {"p-1"}
    assert {s["lineitem"] for s in platform.scores} == {"/lineitems/link-1"}
    assert platform.tokens_issued and all("lti-ags/scope/score" in t for t in platform.tokens_issued)


def test_a_platform_that_fails_gets_the_score_later(client, platform, sample_site, django_capture_on_commit_callbacks):
    platform.fail_scores = 1
    with django_capture_on_commit_callbacks(execute=True):
        response = launch(
            client, platform, platform.launch_url(user_id="p-1", roles=[LEARNER], custom={"path": "deep"})
        )
    assert response.status_code == 302  # the pupil never sees the platform's failure
    outcome = Outcome.objects.get()
    assert outcome.dirty and outcome.attempts == 1 and "503" in outcome.last_error
    assert outcome.retry_after > timezone.now()
    call_command("lti_send_scores")
    assert platform.scores == []  # not before its retry time
    Outcome.objects.update(retry_after=timezone.now() - timedelta(seconds=1))
    call_command("lti_send_scores")
    assert [s["scoreGiven"] for s in platform.scores] == [0]
    outcome.refresh_from_db()
    assert not outcome.dirty and outcome.sent_given == 0 and outcome.last_error == ""


def test_roster_sync_fills_the_class(client, platform, sample_site, django_capture_on_commit_callbacks):
    platform.roster = [
        {"user_id": "p-9", "name": "Piet", "roles": [LEARNER], "status": "Active", "email": "piet@example.org"},
        {"user_id": "t-1", "roles": [INSTRUCTOR]},
        {"user_id": "p-10", "roles": [LEARNER], "status": "Inactive"},
        {"user_id": 5, "roles": [LEARNER]},
        "nonsense",
    ]
    with django_capture_on_commit_callbacks(execute=True):
        response = launch(
            client, platform, platform.launch_url(user_id="t-1", roles=[INSTRUCTOR], custom={"path": "deep"})
        )
    assert response.status_code == 302
    context = Context.objects.get()
    piet = Identity.objects.get(sub="p-9").user
    assert piet.first_name == "Piet" and piet.email == ""  # the e-mail address is not kept
    assert Membership.objects.filter(classroom=context.classroom, user=piet, status="active").exists()
    assert not Identity.objects.filter(sub="p-10").exists()
    assert context.roster_synced_at is not None
    assert list(context.classroom.teachers.values_list("lti_identities__sub", flat=True)) == ["t-1"]

    platform.roster.append({"user_id": "p-11", "name": "Nora", "roles": [LEARNER]})
    call_command("lti_sync_rosters")  # the same from a timer, without a launch
    assert Membership.objects.filter(classroom=context.classroom, user__lti_identities__sub="p-11").exists()

    context.memberships_url = platform.url + "/no-such-service"
    assert services.roster_sync(context=context)[1].startswith("LtiServiceException")


def test_a_platform_that_hangs_is_given_up_on_after_the_timeout(client, platform, sample_site, settings):
    settings.LTI_HTTP_TIMEOUT = 1
    platform.slow_scores = 3
    response = launch(client, platform, platform.launch_url(user_id="p-1", roles=[LEARNER], custom={"path": "deep"}))
    assert response.status_code == 302
    outcome = Outcome.objects.get()
    assert services.outcome_send(outcome=outcome) is False
    outcome.refresh_from_db()
    assert outcome.dirty and "Timeout" in outcome.last_error


def test_background_tasks_run_off_the_request(settings):
    import threading

    from learningpaths.lti import tasks

    settings.LTI_BACKGROUND = True
    ran = threading.Event()
    where = []
    tasks._submit(lambda: (where.append(threading.current_thread().name), ran.set()))
    assert ran.wait(10)
    assert where[0].startswith("lti") and where[0] != threading.current_thread().name


def test_a_launch_without_the_grade_service_keeps_the_line_item(client, platform, sample_site):
    from learningpaths.lti.models import ResourceLink

    launch(client, platform, platform.launch_url(user_id="p-1", roles=[LEARNER], custom={"path": "deep"}))
    client.logout()
    launch(client, platform, platform.launch_url(user_id="t-1", roles=[INSTRUCTOR], custom={"path": "deep"}, ags=False))
    link = ResourceLink.objects.get()
    assert link.can_post_scores and link.lineitem_url == platform.lineitem_url("link-1")
