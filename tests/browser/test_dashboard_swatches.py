"""The dashboard's colours in real headless Chromium (issue 20): the legend's swatches and the cells'
marks for "seen" and "answered" are told apart with WCAG's non-text contrast (3:1) against each
other, the page and the cell's own tint, as the browser computes them."""

from __future__ import annotations

import re

import pytest
from selenium.webdriver.common.by import By

from learningpaths.classroom import services
from learningpaths.compiler.result import Question
from learningpaths.paths.services import content_sync
from tests.browser.conftest import sign_in
from tests.conftest import compile_result, compiled_object, compiled_path

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STATES = ("seen", "answered", "correct", "partial", "wrong")
COLOURS = """
const opaque = (el) => { for (; el; el = el.parentElement) { const c = getComputedStyle(el).backgroundColor;
  if (!/rgba\\(.*, 0\\)$|transparent/.test(c)) return c; } return 'rgb(255, 255, 255)'; };
const out = {page: opaque(document.querySelector('.legend'))};
for (const s of document.querySelectorAll('.legend .swatch')) out['swatch ' + s.className.split('cell-')[1]] = getComputedStyle(s).backgroundColor;
for (const td of document.querySelectorAll('.lp-grid td[class*="cell-"]')) {
  const state = /cell-(\\w+)/.exec(td.className)[1], style = getComputedStyle(td);
  out['tint ' + state] = style.backgroundColor; out['mark ' + state] = style.boxShadow;
}
return out;"""


def luminance(css: str) -> float:
    r, g, b = (int(v) / 255 for v in re.findall(r"\d+", css)[:3])
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_contrast_arithmetic():
    assert round(contrast("rgb(0, 0, 0)", "rgb(255, 255, 255)"), 1) == 21.0
    # The old swatches: "seen" #eef4fb and "answered" #e8f4fd were the same to the eye.
    assert contrast("rgb(238, 244, 251)", "rgb(232, 244, 253)") < 1.1


@pytest.fixture
def dashboard(settings, tmp_path, django_user_model):
    from learningpaths.learning.services import progress_visit, submission_create
    from learningpaths.paths.models import LearningObject, LearningPath

    settings.CONTENT_ASSET_ROOT = tmp_path / "assets"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    intro = compiled_object("intro", title="Intro")
    essay = compiled_object("essay", title="Essay")
    essay.questions = [Question(id="e1", kind="essay", prompt="Why?", options=[], key=None)]
    content_sync(result=compile_result([intro, essay], [compiled_path("colours", [intro, essay])]))
    make = django_user_model.objects.create_user
    teacher = make("ms-peeters", password="pw-teacher-123", role="teacher")
    student = make("kim", password="pw-student-123", role="student")
    room = services.classroom_create(teacher=teacher, name="2A")
    services.membership_join(user=student, code=room.code)
    assignment = services.assignment_create(classroom=room, actor=teacher, path_hruid="colours", path_language="en")
    path = LearningPath.objects.get(hruid="colours")
    progress_visit(user=student, path=path, obj=LearningObject.objects.get(hruid="intro"))
    submission_create(
        user=student, obj=LearningObject.objects.get(hruid="essay"), question_id="e1", raw_answer="Because"
    )
    return f"/classes/{room.pk}/assignments/{assignment.pk}/"


def test_seen_and_answered_are_told_apart(browser, live_server, dashboard):
    sign_in(browser, live_server, "ms-peeters", "pw-teacher-123")
    browser.get(live_server.url + dashboard)
    assert browser.find_element(By.CSS_SELECTOR, ".legend")
    c = browser.execute_script(COLOURS)
    assert {f"swatch {s}" for s in STATES} <= set(c) and "mark seen" in c and "mark answered" in c, c
    page = c["page"]
    for s in STATES:
        assert contrast(c[f"swatch {s}"], page) >= 3, (s, c)
    assert contrast(c["swatch seen"], c["swatch answered"]) >= 3, c
    # In the grid the same colours: each cell's left bar against the page, its tint and the other's bar.
    for s in ("seen", "answered"):
        assert luminance(c[f"mark {s}"]) == luminance(c[f"swatch {s}"]), c
        assert contrast(c[f"mark {s}"], c[f"tint {s}"]) >= 3, (s, c)
    assert contrast(c["tint seen"], c["tint answered"]) > 1.02, c  # the tints differ too (not required 3:1)
