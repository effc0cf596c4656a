"""XSS payloads never run in a real browser (Debian's headless Chromium).

Content: a tree full of payloads (raw HTML, Markdown links, front matter, path JSON, questions,
GIFT, math, widgets, cells, teacher blocks) goes through the real compiler and ``content_sync``.
User input: class and group names, usernames (created directly, as an administrator or an import
could; the sign-up form refuses them), open answers, returned values, search terms and other
reflected parameters. Every page that shows them is opened as the people who see it; the probe
(conftest.py) fails on a payload that ran, a CSP violation, an event-handler attribute, a script
URL or an inline script in the DOM.
"""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from django.test import Client

from .conftest import SEARCH_WORD, browser_sign_in
from .payloads import run, user_payloads

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(django_user_model, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    make = django_user_model.objects.create_user
    return {
        "teacher": make("xss-teacher", password="pw-teacher-123", role="teacher"),
        # Usernames the sign-up form would refuse (test_sign_up_refuses_markup_in_usernames), as an
        # administrator or an import could still create them.
        "student": make(f'<img src=x onerror="{run("username")}">', password="pw-student-123", role="student"),
        "student2": make(f"<script>{run('username2')}</script>", password="pw-student-123", role="student"),
    }


def reflected_urls() -> list[str]:
    evil = quote(f'"><img src=x onerror="{run("reflected")}"><script>{run("reflected2")}</script>', safe="")
    return [
        f"/search/?q={evil}",
        f"/?q={evil}&theme={evil}&language={evil}&age={evil}",
        f"/accounts/sign-in/?next={quote('javascript:' + run('next'), safe='')}",
        f"/accounts/sign-in/?next={evil}",
        f"/accounts/sign-up/?next={evil}",
        f"/paths/xss_path/en/?as={evil}",
        f"/api/?x={evil}",
    ]


def content_urls() -> list[str]:
    return [
        "/",
        f"/?q={SEARCH_WORD}",
        f"/search/?q={SEARCH_WORD}",
        "/paths/xss_path/en/",
        "/paths/xss_path/en/xss_ret/",
        "/objects/xss_obj/en/1/",
        "/objects/xss_ret/en/1/",
        "/api/learningObject/getWrapped?hruid=xss_obj&language=en",
    ]


def visit(probe, base: str, urls: list[str], who: str) -> list[str]:
    failures = []
    for url in urls:
        failures += [f"{who} {url}: {p}" for p in probe(base + url)]
    return failures


def test_content_payloads_never_run(browser, probe, live_server, xss_content, people):
    failures = visit(probe, live_server.url, content_urls() + reflected_urls(), "anonymous")
    browser_sign_in(browser, live_server, people["student"])
    failures += visit(probe, live_server.url, content_urls(), "student")
    browser_sign_in(browser, live_server, people["teacher"])
    failures += visit(probe, live_server.url, content_urls() + ["/paths/xss_path/en/?as=student"], "teacher")
    assert failures == []


def test_user_input_payloads_never_run(browser, probe, live_server, xss_content, people):
    teacher, student, student2 = people["teacher"], people["student"], people["student2"]
    t, s = Client(), Client()
    t.force_login(teacher)
    # The teacher names a class and a group with payloads (through the real forms).
    class_name = user_payloads("class-name")[0]
    response = t.post("/classes/new/", {"name": class_name})
    assert response.status_code == 302, response.content[:500]
    class_id = int(response["Location"].strip("/").split("/")[-1])
    from learningpaths.classroom.models import Classroom, Group

    classroom = Classroom.objects.get(pk=class_id)
    assert classroom.name == class_name
    from learningpaths.classroom import services

    for who in (student, student2):
        services.membership_join(user=who, code=classroom.code)
    group_name = user_payloads("group-name")[1]
    assert (
        t.post(
            f"/classes/{class_id}/groups/new/", {"name": group_name, "members": [str(student.pk), str(student2.pk)]}
        ).status_code
        == 302
    )
    group = Group.objects.get(classroom=classroom)
    response = t.post(f"/classes/{class_id}/assignments/new/", {"path": "xss_path|en"})
    assert response.status_code == 302, response.content[:500]
    assignment_id = int(response["Location"].strip("/").split("/")[-1])
    # The student answers the open question and returns a value, both with payloads.
    s.force_login(student)
    answer = "\n".join(user_payloads("answer"))
    response = s.post(
        "/learn/answers/xss_obj/en/1/q1/",
        json.dumps({"answer": answer, "path": "xss_path", "path_language": "en"}),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    response = s.post(
        "/classes/returns/xss_ret/en/1/",
        json.dumps({"value": {"note": user_payloads("returned")[0]}}),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content

    base = f"/classes/{class_id}"
    teacher_urls = [
        "/classes/",
        f"{base}/",
        f"{base}/assignments/{assignment_id}/",
        f"{base}/assignments/{assignment_id}/?by=group",
        f"{base}/assignments/{assignment_id}/students/{student.pk}/",
        f"{base}/assignments/{assignment_id}/edit/",
        f"{base}/groups/{group.pk}/",
        f"{base}/delete/",
        "/classes/me/delete/",
    ]
    browser_sign_in(browser, live_server, teacher)
    failures = visit(probe, live_server.url, teacher_urls, "teacher")
    browser_sign_in(browser, live_server, student)
    failures += visit(
        probe,
        live_server.url,
        [
            "/classes/",
            "/paths/xss_path/en/",
            "/paths/xss_path/en/xss_ret/",
            f"/search/?q={SEARCH_WORD}",
            "/classes/me/delete/",
        ],
        "student",
    )
    assert failures == []

    # Downloads are never rendered as pages: the CSV and the GDPR export are attachments.
    for client, url, kind in [
        (t, f"{base}/assignments/{assignment_id}/export.csv", "text/csv"),
        (t, f"{base}/assignments/{assignment_id}/export.csv?by=group", "text/csv"),
        (s, "/classes/me/data.json", "application/json"),
    ]:
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"].startswith(kind) and response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"


def test_the_probe_sees_a_payload_that_reaches_a_page(browser, probe, live_server, settings, tmp_path):
    """The detector itself: HTML that skipped the compiler (written to the database directly) with
    an event handler is reported (the CSP blocks it, and the probe sees the attribute and the
    violation); without a CSP the same markup runs, and the probe sees that too."""
    from learningpaths.paths.services import content_sync
    from tests.conftest import compile_result, compiled_object

    settings.CONTENT_ASSET_ROOT = tmp_path
    raw = '<p>raw</p><img src="/nope.png" alt="" onerror="' + run("raw") + '">'
    content_sync(result=compile_result([compiled_object("raw", html=raw)]))
    problems = probe(live_server.url + "/objects/raw/en/1/")
    assert any(p.startswith("CSP violation") for p in problems), problems
    assert any("event handler attribute <img onerror>" in p for p in problems), problems
    problems = probe("data:text/html," + quote(raw))
    assert "payload ran: raw" in problems, problems


def test_reflected_form_errors_are_escaped(client, xss_content, people):
    """Forms that echo what was typed (sign-up, sign-in, join code, co-teacher) escape it."""
    evil = f'"><img src=x onerror="{run("echo")}"><script>{run("echo2")}</script>'
    raw_markers = ["<img src=x onerror=", "<script>window.__xss"]
    responses = [
        client.post(
            "/accounts/sign-up/", {"username": evil, "password1": "Long-enough-pw-1", "password2": "Long-enough-pw-1"}
        ),
        client.post("/accounts/sign-in/", {"username": evil, "password": "nope"}),
    ]
    client.force_login(people["student"])
    responses.append(client.post("/classes/join/", {"code": evil}))
    client.force_login(people["teacher"])
    class_id = int(client.post("/classes/new/", {"name": "Plain"})["Location"].strip("/").split("/")[-1])
    responses.append(client.post(f"/classes/{class_id}/teachers/add/", {"username": evil}))
    responses.append(client.post(f"/classes/{class_id}/groups/new/", {"name": evil * 5}))  # too long: echoed back
    for response in responses:
        assert response.status_code in (200, 400, 404, 429), response.status_code
        body = response.content.decode()
        assert not any(marker in body for marker in raw_markers), body[:2000]


def test_sign_up_refuses_markup_in_usernames(client, db):
    for evil in user_payloads("signup"):
        response = client.post(
            "/accounts/sign-up/", {"username": evil, "password1": "Long-enough-pw-1", "password2": "Long-enough-pw-1"}
        )
        assert response.status_code == 400, evil
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.exists()
