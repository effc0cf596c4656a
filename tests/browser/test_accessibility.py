"""Accessibility of every kind of page, audited in real headless Chromium (``tests/browser/a11y.py``):
landmarks and the skip link, text alternatives, labels and names, language, headings, ids,
contrast, visible focus and focus order with real Tab presses, the phone layout, and axe-core's
WCAG 2.x A/AA rules and best practices.

The audit is first shown to fail on a bad page and to pass on a good one, check by check.
"""

from __future__ import annotations

import functools
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser import a11y
from tests.browser.conftest import sign_in
from tests.browser.test_dashboard_swatches import luminance

pytestmark = [pytest.mark.browser]

ROOT = Path(__file__).resolve().parents[2]

# Passes every check: the audit does not cry wolf.
GOOD_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Good</title>
<style>
  body { margin: 0; font: 16px/1.5 sans-serif; color: #1b1f24; background: #fff; }
  :focus-visible { outline: 3px solid #ffbf47; outline-offset: 2px; box-shadow: 0 0 0 7px #1b1f24; }
  .skip { position: absolute; left: -999px; } .skip:focus { left: 0; }
  a, button, input { display: inline-block; min-height: 24px; min-width: 24px; }
</style></head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header><nav aria-label="Main"><a href="#main">Home</a> <a href="#about">About</a></nav></header>
<main id="main" tabindex="-1">
  <h1>A good page</h1>
  <p>Text with a <a href="#about">link</a> in it.</p>
  <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="">
  <h2 id="about">Form</h2>
  <label for="name">Name</label> <input id="name" type="text">
  <label><input type="checkbox" name="ok"> I agree</label>
  <button type="submit">Send</button>
  <nav aria-label="Pages"><a href="#main">Previous</a></nav>
</main>
<footer><p>Footer text</p></footer>
</body></html>"""

# At least one problem for every check.
BAD_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, user-scalable=no"><title>Bad</title>
<style> body { margin: 0; font: 16px/1.5 sans-serif; } .quiet { color: #bbbbbb; }
  .tiny { display: inline-block; width: 10px; height: 10px; font-size: 8px; overflow: hidden; }
  #plain:focus { outline: none; } </style></head>
<body>
<header><nav><a href="/one">One</a><a href="/two" style="margin-left: 600px">Two</a></nav></header>
<nav><a href="/three">Three</a></nav>
<h3>A heading that skips h1 and h2</h3>
<p class="quiet">Low-contrast text</p>
<input type="text" id="twice"><span id="twice"></span>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<canvas width="20" height="20"></canvas>
<canvas width="20" height="20" tabindex="0" aria-label="Drawing pad"></canvas>
<button id="plain" type="button">No focus ring</button>
<button type="button"></button>
<a href="/first" tabindex="2">Jumps the queue</a>
<p><a class="tiny" href="/a">a</a><a class="tiny" href="/b">b</a></p>
<textarea aria-label="Notes" onkeydown="if (event.key === 'Tab' || event.key === 'Escape') event.preventDefault()"></textarea>
<a href="/after-the-trap">After the trap</a>
</body></html>"""


# Problems a page can have while looking fine at first sight.
SUBTLE_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Subtle</title>
<style>
  body { margin: 0; font: 16px/1.5 sans-serif; color: #1b1f24; background: #fff; }
  :focus-visible { outline: 3px solid #1b1f24; outline-offset: 2px; }
  #yellow:focus-visible { outline-color: #ffbf47; }
  .skip { position: absolute; left: -999px; } .skip:focus { left: 0; }
  .grey { color: #888888; } .big { font-size: 24px; }
  .photo { background: linear-gradient(#000, #333); color: #444; }
  #menu-list { display: none; }
  a, button, input { display: inline-block; min-height: 24px; min-width: 24px; }
</style></head>
<body>
<a class="skip" href="#main" onclick="event.preventDefault()">Skip to content</a>
<header><button type="button" aria-expanded="false" aria-controls="menu-list">Menu</button>
  <nav aria-label="Main" id="menu-list"><a href="#one">One</a></nav></header>
<main id="main" tabindex="-1">
  <h1>Subtle problems</h1>
  <h3>A skipped level</h3>
  <nav aria-label="More"><a href="#two">Two</a></nav><nav aria-label="More"><a href="#three">Three</a></nav>
  <p class="grey">Small grey text</p><p class="grey big">Large grey text is fine</p>
  <p class="photo">Text over a picture is not measured</p>
  <input type="text" placeholder="Only a placeholder">
  <input type="text" aria-label="Described" aria-describedby="nowhere">
  <a href="#four"><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt=""></a>
  <button id="yellow" type="button">Yellow ring</button>
  <a href="#away" style="position: absolute; left: -9999px">Off screen</a>
  <textarea aria-label="Code" onkeydown="if (event.key === 'Tab' &amp;&amp; !this.out) event.preventDefault();
    this.out = event.key === 'Escape'"></textarea>
  <button type="button">Last</button>
</main>
</body></html>"""


@pytest.fixture
def page_file(tmp_path):
    def write(name: str, html: str) -> str:
        path = tmp_path / name
        path.write_text(html, encoding="utf-8")
        return path.as_uri()

    return write


def test_the_audit_passes_a_good_page(browser, page_file):
    report = a11y.audit(browser, page_file("good.html", GOOD_PAGE))
    assert set(report) == set(a11y.CHECKS)
    assert not any(report.values()), a11y.failures({"good": report})


def test_the_audit_catches_a_bad_page(browser, page_file):
    report = a11y.audit(browser, page_file("bad.html", BAD_PAGE), lang="nl")
    found = {check: "\n".join(problems) for check, problems in report.items()}
    assert "0 <main> elements" in found["landmarks"] and "without aria-label" in found["landmarks"]
    assert "is not a skip link" in found["landmarks"] and "outside any landmark" in found["landmarks"]
    assert "no skip link" in found["skip_link"]
    assert "has no alt" in found["images"] and "<canvas> has no text alternative" in found["images"]
    assert "takes the focus does not describe how to use it" in found["images"]
    assert "<input type=text> has no label" in found["names"] and "button with no accessible name" in found["names"]
    assert "is not a language tag" in found["lang"]
    assert "h3" in found["headings"] and "no <h1>" in found["headings"]
    assert 'id "twice" is used 2 times' in found["ids"]
    assert "p.quiet" in found["contrast"] and "< 4.5:1" in found["contrast"]
    assert "button#plain: no visible focus indicator" in found["focus_visible"]
    assert 'tabindex="2"' in found["focus_order"] and "moved backwards" in found["focus_order"]
    assert "never reached" in found["focus_order"]
    assert "trapped" in found["focus_trap"]
    assert "forbids zooming" in found["viewport"]
    assert "px wide on a 375px phone" in found["phone_scroll"]
    assert '"Two"' in found["phone_nav"]
    assert "closer than 24px" in found["phone_targets"]
    assert "image-alt (critical) img: Images must have alternative text" in found["axe"]
    assert "button-name (critical)" in found["axe"] and "html-has-lang (serious) html" in found["axe"]
    assert "meta-viewport (moderate)" in found["axe"] and "color-contrast (serious) .quiet" in found["axe"]
    assert all(report[check] for check in a11y.CHECKS), [c for c in a11y.CHECKS if not report[c]]


def test_axe_fails_a_page_with_one_image_without_alt(browser, page_file):
    """axe-core runs in the page and names the rule, its impact, the element and the help."""
    bad = GOOD_PAGE.replace('alt="">', ">").replace("<h2 id=", '<span role="img" aria-label="x">*</span><h2 id=')
    report = a11y.audit(browser, page_file("no-alt.html", bad), phone=False)
    assert report["axe"] == ["image-alt (critical) img: Images must have alternative text"], report["axe"]
    assert "[axe] image-alt (critical) img: Images must have alternative text  (on no-alt)" in a11y.failures(
        {"no-alt": {"axe": report["axe"]}}
    )
    # An aria-label on a plain <span> (axe only asks to review it; ARIA prohibits it).
    report = a11y.audit(
        browser,
        page_file(
            "span.html", GOOD_PAGE.replace("</main>", '<p>Takes <span aria-label="ten minutes">10\'</span>.</p></main>')
        ),
        phone=False,
    )
    assert [p.split(":")[0] for p in report["axe"]] == ["aria-prohibited-attr (serious) span"], report["axe"]
    # At phone size axe runs again for the layout rules: tap targets that shrink on a phone only.
    tiny = GOOD_PAGE.replace(
        "</style>",
        "@media (max-width: 500px) { .tiny { min-width: 0; min-height: 0;"
        " width: 8px; height: 8px; font-size: 6px; } }</style>",
    ).replace("</main>", '<p><a class="tiny" href="#a">a</a><a class="tiny" href="#b">b</a></p></main>')
    report = a11y.audit(browser, page_file("tiny.html", tiny))
    assert not [p for p in report["axe"] if "at phone size" not in p], report["axe"]
    assert any(p.startswith("target-size (serious) at phone size") for p in report["axe"]), report["axe"]


def test_the_audit_catches_subtle_problems(browser, page_file):
    report = a11y.audit(browser, page_file("subtle.html", SUBTLE_PAGE), lang="nl")
    found = {check: "\n".join(problems) for check, problems in report.items()}
    assert 'two <nav>s are labelled "More"' in found["landmarks"]
    assert "does not take the keyboard to main#main" in found["skip_link"]
    assert "<input type=text> has no label" in found["names"] and "link with no accessible name" in found["names"]
    assert '<html lang="en">, but the UI language is nl' in found["lang"]
    assert 'h3 "A skipped level" follows h1' in found["headings"]
    assert 'aria-describedby="nowhere" points at no element' in found["ids"]
    assert "p.grey" in found["contrast"] and "big" not in found["contrast"] and "photo" not in found["contrast"]
    assert "button#yellow: focus indicator contrast 1.6" in found["focus_visible"]
    assert "main#main > a:nth-of-type(2): focused but not visible on screen" in found["focus_visible"]
    assert "textarea" in found["focus_trap"] and "does not say how to" in found["focus_trap"]
    assert 'after opening the menu: nav#menu-list > a "One"' in found["phone_nav"]
    assert not (report["viewport"] or report["phone_scroll"] or report["focus_order"] or report["images"])


def test_error_pages_that_stand_alone(browser, page_file):
    """The server-error and database-outage pages render without the database, base.html or static
    files, so they have no banner, navigation or skip link (nothing to skip). All else must pass."""
    standalone = (
        "page <header>s",
        "no <nav>",
        "is not a skip link",
        "nothing on the page can take the focus",
        "no skip link",
    )
    reports = {}
    for name in ("500.html", "503.html"):
        html = (ROOT / "learningpaths" / "templates" / name).read_text(encoding="utf-8")
        report = a11y.audit(browser, page_file(name, html))
        reports[name] = {
            check: [p for p in problems if not any(s in p for s in standalone)] for check, problems in report.items()
        }
    assert not any(v for r in reports.values() for v in r.values()), a11y.failures(reports)


# -- the site -----------------------------------------------------------------------------------------

PATH = "/paths/deep_learning/en/"
# Steps of the real "Deep learning" path and what each one brings to the audit.
STEPS = {
    "dl_neuron": "images, math, the neuron widget, runnable cells, a numeric question",
    "dl_activation": "the activation widget and a multiple-choice question",
    "dl_layers": "the playground widget (trains in the page's Python worker)",
    "dl_cnn": "the convolution widget (a grid drawn with the keyboard)",
    "dl_attention": "the attention heat map (a table explored with the arrow keys)",
    "dl_transformer": "cells that train a transformer (a live loss chart when run)",
    "dl_finetuning": "the finetune widget (a drawing pad, class names typed, a live chart)",
    "dl_evaluation": "the confusion-matrix widget",
    "dl_project": "the draw-a-digit and compare-models widgets (server demos), open questions",
}
# The server demos answer with a model list, so the digit widgets show their drawing pads
# whether or not this machine has trained the demo models.
DEMOS_STUB = """
const realFetch = window.fetch;
window.fetch = function (url, options) {
  if (String(url).endsWith('/api/demos/') && !(options && options.method === 'POST')) {
    const models = [{name: 'digits-cnn', title: 'CNN', ready: true, labels: [...'0123456789']},
                    {name: 'digits-mlp', title: 'Dense network', ready: true, labels: [...'0123456789']}];
    return Promise.resolve(new Response(JSON.stringify({models}), {headers: {'Content-Type': 'application/json'}}));
  }
  return realFetch.apply(this, arguments);
};
"""


@functools.lru_cache(maxsize=1)
def real_content():
    from learningpaths.compiler import compile_content
    from learningpaths.compiler.options import CompileOptions

    result = compile_content([ROOT / "content"], options=CompileOptions())
    assert result.accepted(strict=False), [d.format() for d in result.errors]
    return result


@pytest.fixture
def site(db, settings, tmp_path, django_user_model):
    """The real content, a teacher with a class (a group, an assignment past its deadline, a student
    who answered, one waiting for approval) and the engine wheel for the Python widgets."""
    from learningpaths.classroom import services as classes
    from learningpaths.learning.services import progress_visit, submission_create
    from learningpaths.paths.models import LearningObject, LearningPath
    from learningpaths.paths.services import content_sync
    from learningpaths.runtime.bundle import build_engine_wheel

    build_engine_wheel()
    settings.CONTENT_ASSET_ROOT = tmp_path / "assets"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    content_sync(result=real_content())
    make = django_user_model.objects.create_user
    teacher = make("ms-peeters", password="pw-teacher-123", role="teacher")
    student = make("fox-42", password="pw-student-123", role="student")
    waiting = make("owl-7", password="pw-student-123", role="student")
    room = classes.classroom_create(teacher=teacher, name="Robotics 4C", approval_required=False)
    classes.membership_join(user=student, code=room.code)
    group = classes.group_create(classroom=room, actor=teacher, name="Table 1", member_ids=[student.pk])
    assignment = classes.assignment_create(
        classroom=room,
        actor=teacher,
        path_hruid="deep_learning",
        path_language="en",
        deadline=timezone.now() - timedelta(days=1),
    )
    path = LearningPath.objects.get(hruid="deep_learning", language="en")
    neuron = LearningObject.objects.get(hruid="dl_neuron", language="en")
    progress_visit(user=student, path=path, obj=neuron)
    submission_create(user=student, obj=neuron, question_id="beach", raw_answer="-3")
    room.approval_required = True
    room.save()
    classes.membership_join(user=waiting, code=room.code)
    return {"class": room, "group": group, "assignment": assignment, "student": student}


def audit_pages(browser, base: str, pages: dict[str, dict], lang: str = "en") -> dict[str, dict]:
    reports = {}
    for url, options in pages.items():
        reports[url if lang == "en" else f"{url} ({lang})"] = a11y.audit(browser, base + url, lang=lang, **options)
    return reports


def widgets_ready(browser):
    """Wait until the page's cells and widgets are built (the Python ones need not have trained)."""
    WebDriverWait(browser, 30, poll_frequency=0.1).until(
        lambda b: b.execute_script(
            "const w = document.querySelectorAll('.lp-widget'); const c = document.querySelectorAll('.lp-cell');"
            "return [...w].every((n) => n.dataset.ready !== undefined && n.dataset.state !== 'loading')"
            " && [...c].every((n) => n.classList.contains('lp-cell--live'))"
        )
    )


@pytest.mark.django_db(transaction=True)
def test_anonymous_pages(browser, live_server, site):
    reports = audit_pages(
        browser,
        live_server.url,
        {
            "/": {},
            "/?language=en&age=14&difficulty=3&time=600": {},
            "/?q=no-such-thing": {},
            "/search/?q=neuron": {},
            "/search/?q=no-such-thing": {},
            "/accounts/sign-in/": {},
            "/accounts/sign-up/": {},
            "/accounts/password-reset/": {},
            "/accounts/password-reset/sent/": {},
            "/no/such/page/": {},
            "/api/": {},
        },
    )
    # A form sent with errors: the messages must be readable and tied to their fields.
    browser.get(live_server.url + "/accounts/sign-in/")
    browser.find_element(By.NAME, "username").send_keys("nobody")
    browser.find_element(By.NAME, "password").send_keys("wrong-password")
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    WebDriverWait(browser, 10).until(lambda b: b.find_elements(By.CSS_SELECTOR, ".errorlist"))
    reports["/accounts/sign-in/ (with errors)"] = a11y.audit(browser, phone=False)
    assert not any(v for r in reports.values() for v in r.values()), a11y.failures(reports)


@pytest.mark.slow  # boots Python in the page for the playground
@pytest.mark.django_db(transaction=True)
def test_path_player_with_cells_questions_and_widgets(browser, live_server, site):
    browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": DEMOS_STUB})
    pages = {PATH: {"prepare": widgets_ready}, "/objects/dl_neuron/en/1/": {"prepare": widgets_ready}}
    pages.update({f"{PATH}{step}/": {"prepare": widgets_ready} for step in STEPS})
    reports = audit_pages(browser, live_server.url, pages)
    assert not any(v for r in reports.values() for v in r.values()), a11y.failures(reports)


@pytest.mark.django_db(transaction=True)
def test_student_pages(browser, live_server, site):
    sign_in(browser, live_server, "fox-42", "pw-student-123")
    reports = audit_pages(
        browser,
        live_server.url,
        {
            "/classes/": {},
            f"{PATH}dl_neuron/": {"prepare": widgets_ready},
            "/accounts/password/": {},
            "/classes/me/delete/": {},
        },
    )
    assert not any(v for r in reports.values() for v in r.values()), a11y.failures(reports)


@pytest.mark.django_db(transaction=True)
def test_teacher_pages(browser, live_server, site):
    room, assignment = site["class"].pk, site["assignment"].pk
    sign_in(browser, live_server, "ms-peeters", "pw-teacher-123")
    reports = audit_pages(
        browser,
        live_server.url,
        {
            "/classes/": {},
            f"/classes/{room}/": {},
            f"/classes/{room}/assignments/{assignment}/": {},
            f"/classes/{room}/assignments/{assignment}/?by=group": {},
            f"/classes/{room}/assignments/{assignment}/students/{site['student'].pk}/": {},
            f"/classes/{room}/assignments/new/": {},
            f"/classes/{room}/assignments/{assignment}/edit/": {},
            f"/classes/{room}/groups/{site['group'].pk}/": {},
            f"/classes/{room}/delete/": {},
            PATH: {},
            f"{PATH}dl_teacher_training/": {},
        },
    )
    assert not any(v for r in reports.values() for v in r.values()), a11y.failures(reports)


@pytest.mark.django_db(transaction=True)
def test_dutch_pages(browser, live_server, site, settings):
    browser.get(live_server.url + "/")
    browser.add_cookie({"name": settings.LANGUAGE_COOKIE_NAME, "value": "nl"})
    reports = audit_pages(
        browser,
        live_server.url,
        {
            "/": {},
            "/paths/deep_learning/nl/dl_neuron/": {"prepare": widgets_ready},
            "/accounts/sign-in/": {},
        },
        lang="nl",
    )
    assert not any(v for r in reports.values() for v in r.values()), a11y.failures(reports)


# Waits for the page's fonts, then: which faces loaded, from where, and the body's font-family.
FONTS_LOADED = """
const done = arguments[arguments.length - 1];
document.fonts.ready.then(() => done({
  loaded: [...document.fonts].filter((f) => f.family.includes('Atkinson') && f.status === 'loaded').length,
  urls: performance.getEntriesByType('resource').map((e) => e.name).filter((n) => /woff2?(\\?|$)/.test(n)),
  body: getComputedStyle(document.body).fontFamily,
}));
"""
DARK = {"media": "", "features": [{"name": "prefers-color-scheme", "value": "dark"}]}


@pytest.mark.django_db(transaction=True)
def test_dark_scheme_and_the_site_font(browser, live_server, site):
    """With the system set to dark (prefers-color-scheme), the pages turn dark and every text still
    passes WCAG AA contrast (our check and axe's), in the lesson with its widgets and on a teacher's
    dashboard; the figures and drawing pads keep a light paper. The text is set in the self-hosted
    Atkinson Hyperlegible, loaded from this site."""
    room, assignment = site["class"].pk, site["assignment"].pk
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", DARK)
    try:
        reports = {}
        for url, prepare in (("/", None), (f"{PATH}dl_neuron/", widgets_ready), ("/accounts/sign-in/", None)):
            browser.get(live_server.url + url)
            a11y.wait_ready(browser)
            if prepare:
                prepare(browser)
            reports[f"{url} (dark)"] = a11y.page_checks(browser)
            if url == "/":
                background = browser.execute_script("return getComputedStyle(document.body).backgroundColor")
                assert luminance(background) < 0.05, background  # the page really is dark
                fonts = browser.execute_async_script(FONTS_LOADED)
                assert fonts["loaded"] and all(u.startswith(live_server.url + "/static/") for u in fonts["urls"]), fonts
                assert fonts["body"].startswith('"Atkinson Hyperlegible"'), fonts
            if prepare:
                paper = browser.execute_script(
                    "return getComputedStyle(document.querySelector('main canvas')).backgroundColor"
                )
                assert luminance(paper) > 0.9, paper  # a drawing pad draws dark on light paper
        sign_in(browser, live_server, "ms-peeters", "pw-teacher-123")
        url = f"/classes/{room}/assignments/{assignment}/"
        browser.get(live_server.url + url)
        a11y.wait_ready(browser)
        reports[f"{url} (dark)"] = a11y.page_checks(browser)
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "", "features": []})
    assert not any(v for r in reports.values() for v in r.values()), a11y.failures(reports)
