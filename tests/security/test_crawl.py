"""Crawlers over the REAL content (``content/`` through the real compiler): one anonymous, one
signed in as a student. Starting from ``/``, ``/sitemap.xml`` and ``/api/openapi.json`` (every route
with its example parameters, and with every object's and path's identifiers), searching for words
that occur only in teacher material, they follow every same-host link in HTML, JSON and XML, and
never see teacher-only text.

Teacher-only text: the whole ``teacher_text`` of teacher-exclusive objects, and the lines of
``teacher_text`` that are not in ``text`` for the others (``::: teacher`` blocks). It is compared as
runs of 6 consecutive words, which markup, entities and whitespace cannot hide; runs that also occur
in student material are not distinctive and are left out. A teacher crawling the same pages does
see them (the control test), so the comparison is not vacuous.
"""

from __future__ import annotations

import functools
import html
import json
import re
import tempfile
import time
from collections import deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, urlencode, urljoin, urlparse

import pytest

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "content"
MAX_PAGES = 2500
MAX_SECONDS = 90
RUN = 6  # words per compared run
WORD = re.compile(r"\w+", re.UNICODE)
SKIP_PREFIXES = ("/static/", "/runtime/", "/admin/", "/accounts/sign-out/", "/i18n/", "/media/")


# Besides the real content: a student object with a teacher-only question whose answer key is a
# word found nowhere else, and a link to a teacher-exclusive object (its hruid must not show).
SECRET_KEY = "quagganoctarine"
EXTRA_HRUID, GUIDE_HRUID = "crawl_secret_lesson", "crawl_secret_guide"
# Teacher-only files: an image used only in the lesson's teacher block, one in the teacher guide.
# They are SVG (text), so the crawler reads them; each holds a word found nowhere else.
SVG_SECRET = "zyxquagfigure"
SVG = f'<svg xmlns="http://www.w3.org/2000/svg"><text x="0" y="10">{SVG_SECRET}</text></svg>\n'
TEACHER_FILES = (f"/objects/{EXTRA_HRUID}/en/1/assets/key.svg", f"/objects/{GUIDE_HRUID}/en/1/assets/map.svg")
EXTRA = {
    f"learning_objects/{EXTRA_HRUID}/index.md": (
        f"---\nhruid: {EXTRA_HRUID}\nversion: 1\nlanguage: en\ntitle: Crawl lesson\ndescription: A lesson\n"
        "content_type: text/markdown\nestimated_time: 5\n---\nStudents read this and [the manual]"
        f"(@learning-object/{GUIDE_HRUID}/en/1).\n\n::: teacher\n```question\nid: secret\nkind: short_text\n"
        "prompt: Which hidden password do the teachers of this crawl keep for themselves\n"
        f"answer: {SECRET_KEY}\n```\n\n![The answer key](key.svg)\n:::\n"
    ),
    f"learning_objects/{EXTRA_HRUID}/key.svg": SVG,
    f"learning_objects/{GUIDE_HRUID}/map.svg": SVG,
    f"learning_objects/{GUIDE_HRUID}/index.md": (
        f"---\nhruid: {GUIDE_HRUID}\nversion: 1\nlanguage: en\ntitle: Crawl guide\ndescription: For teachers\n"
        "content_type: text/markdown\nestimated_time: 5\nteacher_exclusive: true\n---\n"
        "This guide for the crawl explains to teachers how the hidden password question is graded.\n\n"
        "![A map of the grading](map.svg)\n"
    ),
    "learning_paths/crawl_secret_path.json": json.dumps(
        {
            "hruid": "crawl_secret_path",
            "language": "en",
            "title": "Crawl path",
            "description": "A path",
            "nodes": [
                {"learningobject_hruid": h, "language": "en", "version": 1, "start_node": h == EXTRA_HRUID}
                for h in (EXTRA_HRUID, GUIDE_HRUID)
            ],
        }
    ),
}


@functools.lru_cache(maxsize=1)
def compiled():
    from learningpaths.compiler import compile_content
    from learningpaths.compiler.options import CompileOptions

    extra = Path(tempfile.mkdtemp(prefix="crawl-extra-")) / "content"
    for rel, text in EXTRA.items():
        (extra / rel).parent.mkdir(parents=True, exist_ok=True)
        (extra / rel).write_text(text, encoding="utf-8")
    result = compile_content([CONTENT, extra], options=CompileOptions())
    assert result.accepted(strict=False), [d.format() for d in result.errors]
    return result


def runs(text: str) -> set[tuple[str, ...]]:
    words = [w.lower() for w in WORD.findall(text)]
    return {tuple(words[i : i + RUN]) for i in range(len(words) - RUN + 1)}


@functools.lru_cache(maxsize=1)
def teacher_only() -> tuple[frozenset, frozenset, list[str]]:
    """(teacher-only runs, student-visible runs, teacher-only words for searching)."""
    result = compiled()
    teacher_lines, student_parts = [], []
    for obj in result.objects:
        meta = obj.metadata
        if meta.get("teacher_exclusive"):
            teacher_lines += obj.teacher_text.splitlines() + [meta.get("title", ""), meta.get("description", "")]
        else:
            visible = set(obj.text.splitlines())
            teacher_lines += [line for line in obj.teacher_text.splitlines() if line not in visible]
            student_parts += [
                obj.text,
                meta.get("title", ""),
                meta.get("description", ""),
                " ".join(meta.get("keywords") or []),
            ]
    for path in result.paths:
        student_parts += [path.title, path.description, " ".join(path.keywords or [])]
    student = set().union(*(runs(part) for part in student_parts))
    teacher = set().union(*(runs(line) for line in teacher_lines)) - student
    student_words = {w.lower() for part in student_parts for w in WORD.findall(part)}
    words = sorted(
        {w.lower() for line in teacher_lines for w in WORD.findall(line) if len(w) >= 8 and not w.isdigit()}
        - student_words
    )
    return frozenset(teacher), frozenset(student), words


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("href", "src", "data-src", "poster", "data"):
            if attrs.get(name):
                self.links.append(attrs[name])
        if tag == "form" and (attrs.get("method") or "get").lower() == "get":
            self.links.append(attrs.get("action") or "")


def visible_text(body: str, content_type: str) -> str:
    """Words a reader (or a script) could get from the response: JSON strings, HTML text and attributes."""
    if "json" in content_type:
        try:
            data = json.loads(body)
        except ValueError:
            return body
        parts = []

        def walk(value):
            if isinstance(value, dict):
                for k, v in value.items():
                    parts.append(str(k))
                    walk(v)
            elif isinstance(value, list):
                for v in value:
                    walk(v)
            elif value is not None:
                parts.append(str(value))

        walk(data)
        body = "\n".join(parts)
    return html.unescape(re.sub(r"<[^>]+>", " ", body)) + "\n" + html.unescape(body)


def links_in(url: str, body: str, content_type: str) -> list[str]:
    found = []
    if "html" in content_type:
        parser = _Links()
        parser.feed(body)
        found += parser.links
    found += re.findall(r"<loc>([^<]+)</loc>", body)  # sitemap
    if "json" in content_type:
        found += re.findall(r'"((?:https?://testserver)?/[^"\s]*)"', body)
    out = []
    for link in found:
        absolute = urljoin("http://testserver" + url, html.unescape(link.strip()))
        parts = urlparse(absolute)
        if parts.scheme in ("http", "https") and parts.hostname == "testserver" and "{" not in parts.path:
            out.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return out


def api_seeds(client) -> list[str]:
    """Every API route from the OpenAPI description: with its example parameters, without any, and
    with the identifiers of every object and path (teacher-only ones included)."""
    doc = client.get("/api/openapi.json").json()
    result = compiled()
    objects = [(o.key.hruid, o.key.language, o.key.version) for o in result.objects]
    paths = [(p.hruid, p.language) for p in result.paths]
    _, _, words = teacher_only()
    seeds = []
    for template, ops in doc["paths"].items():
        op = ops.get("get")
        if not op:
            continue
        params = op.get("parameters", [])
        path_params = {p["name"]: p.get("example", "x") for p in params if p["in"] == "path"}
        query = {p["name"]: p["example"] for p in params if p["in"] == "query" and "example" in p}
        url = "/api" + template if not template.startswith("/api") else template
        concrete = url
        for name, value in path_params.items():
            concrete = concrete.replace("{" + name + "}", quote(str(value), safe=""))
        seeds += [concrete, f"{concrete}?{urlencode(query)}"]
        names = {p["name"] for p in params}
        if "hruid" in names and "language" in names:
            for hruid, language, version in objects:
                seeds.append(f"{url}?{urlencode({'hruid': hruid, 'language': language})}")
                seeds.append(f"{url}?{urlencode({'hruid': hruid, 'language': language, 'version': version})}")
        if {"hruid", "language"} <= set(path_params):
            for hruid, language in paths:
                seeds.append(url.replace("{hruid}", hruid).replace("{language}", language))
        if "pathIdList" in names:
            seeds.append(f"{url}?{urlencode({'pathIdList': json.dumps({'hruids': [h for h, _ in paths]})})}")
        for term_name in ("searchTerm", "all", "title", "description", "keywords"):
            if term_name in names:
                seeds += [f"{url}?{urlencode({term_name: w})}" for w in words[:15] + ["teacher", "leerkracht"]]
    return seeds


def site_seeds() -> list[str]:
    result = compiled()
    _, _, words = teacher_only()
    seeds = ["/", "/sitemap.xml", "/api/", "/search/"]
    for w in words[:25] + ["teacher", "leerkracht", "solution", "oplossing", "handleiding", "guide"]:
        seeds += [f"/search/?q={quote(w)}", f"/?q={quote(w)}"]
    for o in result.objects:  # direct addresses, teacher-only objects included
        h, lang, v = o.key.hruid, o.key.language, o.key.version
        seeds += [f"/objects/{h}/{lang}/", f"/objects/{h}/{lang}/{v}/"]
        seeds += [f"/objects/{h}/{lang}/{v}/assets/{a.rel_path}" for a in o.assets]
        for p in result.paths:
            if p.language == lang:
                seeds.append(f"/paths/{p.hruid}/{lang}/{h}/")
    for p in result.paths:
        seeds += [f"/paths/{p.hruid}/{p.language}/", f"/paths/{p.hruid}/{p.language}/?as=student"]
    return seeds


def crawl(client, seeds: list[str]) -> tuple[dict[str, str], dict[str, int]]:
    """Breadth-first over same-host links; returns {url: visible text} and {url: status}."""
    queue, seen = deque(seeds), set()
    texts, statuses = {}, {}
    started = time.monotonic()
    while queue and len(seen) < MAX_PAGES and time.monotonic() - started < MAX_SECONDS:
        url = queue.popleft()
        if url in seen or url.startswith(SKIP_PREFIXES):
            continue
        seen.add(url)
        response = client.get(url)
        statuses[url] = response.status_code
        if response.status_code in (301, 302) and response.get("Location"):
            queue.extend(links_in(url, f'<a href="{html.escape(response["Location"])}">', "text/html"))
            continue
        content_type = response.get("Content-Type", "")
        if not any(t in content_type for t in ("html", "json", "xml", "text/", "csv")):
            continue
        body = (b"".join(response.streaming_content) if response.streaming else response.content).decode(
            "utf-8", "replace"
        )
        texts[url] = visible_text(body, content_type)
        queue.extend(link for link in links_in(url, body, content_type) if link not in seen)
    assert not queue or len(seen) >= MAX_PAGES or time.monotonic() - started >= MAX_SECONDS
    return texts, statuses


def leaks(texts: dict[str, str]) -> dict[str, list[str]]:
    teacher, _, _ = teacher_only()
    found = {}
    for url, text in texts.items():
        hit = runs(text) & teacher
        if hit:
            found[url] = sorted(" ".join(r) for r in hit)[:3]
    return found


@pytest.fixture
def real_site(db, settings, tmp_path):
    from learningpaths.paths.services import content_sync

    settings.CONTENT_ASSET_ROOT = tmp_path / "assets"
    content_sync(result=compiled())


def test_there_is_teacher_only_text_to_look_for():
    teacher, _, words = teacher_only()
    assert len(teacher) > 1000 and len(words) > 20


def _as(client, who: str, user) -> None:
    """Sign ``client`` in as ``user`` ("student", "teacher"), or give it ``user``'s API token on every
    request ("student-token", "teacher-token": the API and the file routes read it)."""
    from learningpaths.api.models import ApiToken

    if who.endswith("-token"):
        client.defaults["HTTP_AUTHORIZATION"] = f"Token {ApiToken.create_for(user, name='crawl')[1]}"
    elif who != "anonymous":
        client.force_login(user)


@pytest.mark.parametrize("who", ["anonymous", "student", "student-token"])
def test_crawler_never_sees_teacher_only_text(client, real_site, student, who):
    _as(client, who, student)
    texts, statuses = crawl(client, site_seeds() + api_seeds(client))
    assert len(texts) > 150, len(texts)
    assert not [u for u, s in statuses.items() if s >= 500]
    # Every path page and every student object was reached.
    result = compiled()
    for o in result.objects:
        url = f"/objects/{o.key.hruid}/{o.key.language}/{o.key.version}/"
        assert statuses.get(url) == (404 if o.metadata.get("teacher_exclusive") else 200), url
    assert leaks(texts) == {}
    assert [u for u, text in texts.items() if SECRET_KEY in text or SVG_SECRET in text] == []
    assert [statuses.get(u) for u in TEACHER_FILES] == [404, 404]  # seeded: every asset of every object
    for url in (f"/objects/{EXTRA_HRUID}/en/1/", f"/paths/crawl_secret_path/en/{EXTRA_HRUID}/"):
        assert "the manual" in texts[url] and GUIDE_HRUID not in texts[url], url


@pytest.mark.parametrize("who", ["anonymous", "student"])
def test_the_teacher_only_question_answers_like_one_that_does_not_exist(client, real_site, student, who):
    from learningpaths.learning.models import Submission

    if who == "student":
        client.force_login(student)

    def post(qid):
        body = json.dumps({"answer": SECRET_KEY})
        response = client.post(f"/learn/answers/{EXTRA_HRUID}/en/1/{qid}/", data=body, content_type="application/json")
        return response.status_code, response.content

    assert post("secret") == post("no_such_question")
    assert post("secret")[0] in (401, 404) and not Submission.objects.exists()


@pytest.mark.parametrize("who", ["teacher", "teacher-token"])
def test_control_a_teacher_gets_the_teacher_only_files(client, real_site, teacher, who):
    _as(client, who, teacher)
    texts, statuses = crawl(client, list(TEACHER_FILES))
    assert [statuses[u] for u in TEACHER_FILES] == [200, 200]
    assert all(SVG_SECRET in texts[u] for u in TEACHER_FILES)


def test_control_a_teacher_does_see_it(client, real_site, teacher):
    """The same comparison finds the teacher material when a teacher opens the pages."""
    client.force_login(teacher)
    result = compiled()
    exclusive = next(o for o in result.objects if o.metadata.get("teacher_exclusive"))
    with_block = next(o for o in result.objects if not o.metadata.get("teacher_exclusive") and o.teacher_text != o.text)
    urls = [f"/objects/{o.key.hruid}/{o.key.language}/{o.key.version}/" for o in (exclusive, with_block)]
    texts, statuses = crawl(client, urls + [f"/api/learningObject/getRaw?hruid={exclusive.key.hruid}&language=en"])
    found = leaks({u: texts[u] for u in urls + [f"/api/learningObject/getRaw?hruid={exclusive.key.hruid}&language=en"]})
    assert set(found) == set(urls) | {f"/api/learningObject/getRaw?hruid={exclusive.key.hruid}&language=en"}
