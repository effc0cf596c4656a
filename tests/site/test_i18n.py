"""The Dutch UI translation: learningpaths/locale/nl/LC_MESSAGES/django.po for Python and templates,
and djangojs.po for the scripts (static/js, static/site), served at ``/jsi18n/<language>/``.

* The committed catalogues are complete: no empty or fuzzy entries, placeholders kept.
* Every marked string in the code and templates is in the catalogue: ``makemessages`` is run into a
  temporary directory and its .pot compared with the committed .po (skipped without GNU xgettext).
  For the scripts a scanner does the same without gettext tools: every ``gettext('…')`` literal.
* The site answers in Dutch or English from ``Accept-Language``, and ``/i18n/setlang/`` switches it;
  each page loads the JavaScript catalogue of its own language.

Refresh the catalogues after adding strings (then translate the new entries and compile)::

    .venv/bin/python manage.py makemessages -l nl --ignore=.venv --ignore=var --ignore=static/vendor \
        --ignore=node_modules --ignore=tests --ignore=content --ignore=bench --no-obsolete
    .venv/bin/python manage.py makemessages -d djangojs -l nl --ignore=.venv --ignore=var \
        --ignore=static/vendor --ignore=node_modules --ignore=tests --ignore=content --ignore=bench --no-obsolete
    .venv/bin/python scripts/compile_messages.py
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import polib
import pytest
from django.core.management import call_command

from tests.conftest import compile_translations

ROOT = Path(__file__).resolve().parents[2]
PO_PATH = ROOT / "learningpaths" / "locale" / "nl" / "LC_MESSAGES" / "django.po"
JS_PO_PATH = PO_PATH.with_name("djangojs.po")
# The same directories the refresh command above leaves out (plus the real locale dir, so that
# makemessages writes only into the temporary one).
IGNORE = [".venv", "var", "static/vendor", "node_modules", "tests", "content", "bench", "learningpaths/locale"]
# printf-style placeholders: %(name)s, %(n)d, %s, %%.
PLACEHOLDER = re.compile(r"%(?:\([A-Za-z_]\w*\))?[-#0 +]*\d*(?:\.\d+)?[sdifrx%]")


@pytest.fixture(scope="session", autouse=True)
def compiled_translations():
    """Compile the .po files so this module does not rely on `make`."""
    compile_translations()
    assert PO_PATH.with_suffix(".mo").exists()


def catalogue() -> polib.POFile:
    return polib.pofile(str(PO_PATH))


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


# --- the committed catalogue -----------------------------------------------------------------------


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_catalogue_header_is_dutch_and_not_fuzzy(domain):
    po = catalogue() if domain == "django" else js_catalogue()
    assert po.metadata["Language"] == "nl"
    assert po.metadata["Plural-Forms"].startswith("nplurals=2;")
    assert not po.metadata_is_fuzzy


def test_every_entry_is_translated_and_none_is_fuzzy():
    po = catalogue()
    entries = [e for e in po if not e.obsolete]
    assert len(entries) > 200
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []
    for e in entries:
        if e.msgid_plural:
            assert sorted(e.msgstr_plural) == [0, 1], e.msgid
            assert all(s.strip() for s in e.msgstr_plural.values()), e.msgid
        else:
            assert e.msgstr.strip(), e.msgid


def test_no_obsolete_entries_are_kept():
    assert catalogue().obsolete_entries() == []


def test_placeholders_are_kept():
    """Every placeholder of the English text is in the Dutch text, and no new one appears."""
    for e in catalogue():
        if e.obsolete:
            continue
        if e.msgid_plural:
            # Each Dutch form carries the plural msgid's placeholders (Dutch always says the number).
            for form in e.msgstr_plural.values():
                assert placeholders(form) == placeholders(e.msgid_plural), (e.msgid, form)
            assert set(placeholders(e.msgid)) <= set(placeholders(e.msgid_plural)), e.msgid
        elif "python-format" in e.flags or PLACEHOLDER.search(e.msgid):
            assert placeholders(e.msgstr) == placeholders(e.msgid), (e.msgid, e.msgstr)


def test_python_format_entries_render():
    """Formatting each python-format msgstr with dummy values works (no broken %(…)s)."""
    for e in catalogue():
        if e.obsolete or "python-format" not in e.flags:
            continue
        names = set(re.findall(r"%\((\w+)\)", e.msgid + (e.msgid_plural or "")))
        values = {n: 3 for n in names}
        for text in e.msgstr_plural.values() if e.msgid_plural else [e.msgstr]:
            text % values


def test_terminology():
    """A few words the Flemish school vocabulary fixes."""
    po = {e.msgid: e for e in catalogue()}
    expected = {
        "Sign in": "Aanmelden",
        "Sign out": "Afmelden",
        "Sign up": "Registreren",
        "Learning paths": "Leerpaden",
        "Learning path": "Leerpad",
        "Teacher": "Leerkracht",
        "Student": "Leerling",
        "Classes": "Klassen",
        "Assignments": "Opdrachten",
        "Progress": "Voortgang",
    }
    for msgid, msgstr in expected.items():
        assert po[msgid].msgstr == msgstr
    assert po["%(n)s student"].msgstr_plural == {0: "%(n)s leerling", 1: "%(n)s leerlingen"}
    for e in po.values():
        text = " ".join([e.msgstr, *e.msgstr_plural.values()]).lower()
        assert "leraar" not in text and "student" not in text, e.msgid


# --- the catalogue covers the code ------------------------------------------------------------------


@pytest.mark.slow
def test_every_marked_string_has_a_dutch_translation(settings, tmp_path, monkeypatch):
    """makemessages into a temporary LOCALE_PATHS: every msgid it extracts is translated in the .po.

    Fails when someone adds a {% translate %} / gettext string and does not refresh the catalogue.
    """
    if not (shutil.which("xgettext") and shutil.which("msgmerge") and shutil.which("msguniq")):
        pytest.skip("GNU gettext (xgettext, msgmerge, msguniq) is not installed")
    settings.LOCALE_PATHS = [tmp_path]
    monkeypatch.chdir(ROOT)
    call_command("makemessages", locale=["nl"], ignore_patterns=IGNORE, keep_pot=True, no_obsolete=True, verbosity=0)
    pot = polib.pofile(str(tmp_path / "django.pot"))
    assert not (ROOT / "learningpaths" / "locale" / "django.pot").exists()
    extracted = {(e.msgctxt, e.msgid, e.msgid_plural) for e in pot if e.msgid}
    assert len(extracted) > 200
    translated = {
        (e.msgctxt, e.msgid, e.msgid_plural) for e in catalogue().translated_entries() if "fuzzy" not in e.flags
    }
    missing = sorted(m[1] for m in extracted - translated)
    assert missing == [], (
        f"{len(missing)} string(s) without a Dutch translation; refresh and translate "
        f"learningpaths/locale/nl/LC_MESSAGES/django.po (see this module's docstring)"
    )


TEMPLATE_TRANSLATE = re.compile(
    r"""{%\s*(?:translate|trans)\s+(["'])(.*?)\1(?:\s+(?:context\s+["'][^"']*["']|as\s+\w+|noop))*\s*%}"""
)


def test_every_simple_template_string_is_in_the_catalogue():
    """Without gettext tools: each literal {% translate "…" %} of the templates has a Dutch msgstr."""
    po = {e.msgid: e for e in catalogue() if not e.obsolete}
    found = 0
    for template in (ROOT / "learningpaths").rglob("templates/**/*.html"):
        for match in TEMPLATE_TRANSLATE.finditer(template.read_text(encoding="utf-8")):
            msgid = match.group(2)
            found += 1
            assert msgid in po and po[msgid].msgstr, f"{template.relative_to(ROOT)}: {msgid!r} is not translated"
    assert found > 100


# --- the site speaks Dutch ---------------------------------------------------------------------------


def nav(html: str) -> str:
    return html.split("<main", 1)[0]


def test_accept_language_nl_gives_the_dutch_ui(client, db):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="nl-BE,nl;q=0.9,en;q=0.5")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="nl">' in html
    assert ">Leerpaden</a>" in nav(html)
    assert ">Aanmelden</a>" in nav(html) and ">Registreren</a>" in nav(html)
    assert ">Zoeken</a>" in nav(html)
    assert "Naar de inhoud" in html
    assert "Sign in" not in html and "Learning paths" not in nav(html)
    assert response.headers["Content-Language"] == "nl"


def test_accept_language_en_gives_the_english_ui(client, db):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert ">Learning paths</a>" in nav(html) and ">Sign in</a>" in nav(html)
    assert "Aanmelden" not in html


def test_unknown_language_falls_back_to_english(client, db):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9").content.decode()
    assert '<html lang="en">' in html and ">Sign in</a>" in nav(html)


def test_language_switch_shows_both_languages_with_the_current_one_selected(client, db):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert '<option value="nl" lang="nl" selected>Nederlands</option>' in html
    assert '<option value="en" lang="en">English</option>' in html
    assert 'action="/i18n/setlang/"' in html
    assert ">Wisselen</button>" in html


def test_setlang_switches_to_dutch_and_back_with_a_cookie(client, db):
    response = client.post("/i18n/setlang/", {"language": "nl", "next": "/search/"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302 and response["Location"] == "/search/"
    assert client.cookies["django_language"].value == "nl"
    # The cookie wins over the browser's Accept-Language, on every page.
    html = client.get("/search/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="nl">' in html and "<h1>Lessen zoeken</h1>" in html
    html = client.get("/accounts/sign-in/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="nl">' in html and ">Aanmelden</a>" in nav(html)

    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert client.cookies["django_language"].value == "en"
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert '<html lang="en">' in html and ">Sign in</a>" in nav(html)


def test_setlang_ignores_an_unknown_language(client, db):
    client.post("/i18n/setlang/", {"language": "xx", "next": "/"})
    assert "django_language" not in client.cookies
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert '<html lang="nl">' in html


def test_setlang_does_not_redirect_off_site(client, db):
    response = client.post("/i18n/setlang/", {"language": "nl", "next": "https://evil.example/"})
    assert response.status_code == 302 and not response["Location"].startswith("https://evil")


def test_plural_forms_in_dutch(client, db, sample_site):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "1 leerpad</p>" in html
    assert re.search(r'<span class="badge">\d+ stappen</span>', html)
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "1 learning path</p>" in html and re.search(r'<span class="badge">\d+ steps</span>', html)


def test_messages_from_python_code_are_dutch(client, db, teacher):
    """gettext in views and services (flash messages, form help) follows the language too."""
    client.force_login(teacher)
    response = client.post("/i18n/setlang/", {"language": "nl", "next": "/classes/"})
    assert response.status_code == 302
    html = client.get("/classes/").content.decode()
    assert '<html lang="nl">' in html and "<h1>Mijn klassen</h1>" in html
    assert "Naam van de klas" in html  # a form label (gettext_lazy in forms.py)
    html = client.post("/classes/new/", {"name": "3B wetenschappen"}, follow=True).content.decode()
    assert "Klas aangemaakt. Geef je leerlingen de code" in html  # a flash message from views.py


# --- the scripts: djangojs.po and /jsi18n/ ------------------------------------------------------------

JS_ROOTS = [ROOT / "static" / "js", ROOT / "static" / "site"]
# A call of the JavaScript catalogue's functions (not a definition or a delegation like page.gettext).
JS_CALL = re.compile(r"(?<![\w.$])(gettext|ngettext|pgettext)\(")
JS_STRING = r"""("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')"""
JS_LITERAL_ARGS = {
    "gettext": re.compile(rf"\s*{JS_STRING}\s*\)"),
    "pgettext": re.compile(rf"\s*{JS_STRING}\s*,\s*{JS_STRING}\s*\)"),
    "ngettext": re.compile(rf"\s*{JS_STRING}\s*,\s*{JS_STRING}\s*,"),
}
JS_PLACEHOLDER = re.compile(r"%\(\w+\)s|%[sd%]")


def js_catalogue() -> polib.POFile:
    return polib.pofile(str(JS_PO_PATH))


def js_sources() -> list[Path]:
    files = sorted(f for root in JS_ROOTS for f in root.rglob("*.js"))
    assert len(files) > 15
    return files


def js_string(literal: str) -> str:
    """The value of a JavaScript string literal ('…' or "…", the escapes JSON knows)."""
    body = literal[1:-1]
    if literal[0] == "'":
        body = body.replace("\\'", "'").replace('"', '\\"')
    return json.loads(f'"{body}"')


def js_messages(path: Path) -> list[tuple[str | None, str, str | None, int]]:
    """(context, msgid, plural, line) of every gettext/ngettext/pgettext call in one script.

    A call whose message is not a plain string literal (a variable, a template literal, a
    concatenation) fails: makemessages cannot extract it, so it would stay English.
    """
    text = path.read_text(encoding="utf-8")
    found = []
    for call in JS_CALL.finditer(text):
        name, line = call.group(1), text.count("\n", 0, call.start()) + 1
        before = text[text.rfind("\n", 0, call.start()) + 1 : call.start()]
        if re.search(r"(^|\s)//", before) or re.match(r"\s*(/\*|\*)", before):
            continue  # in a comment
        if re.search(r"function\s*$", before):
            continue  # the fallback's own definition (static/js/runtime/i18n.js)
        args = JS_LITERAL_ARGS[name].match(text, call.end())
        where = f"{path.relative_to(ROOT)}:{line}"
        assert args, f"{where}: {name}() needs string literals, not {text[call.end() : call.end() + 40]!r}"
        values = [js_string(a) for a in args.groups()]
        if name == "gettext":
            found.append((None, values[0], None, line))
        elif name == "pgettext":
            found.append((values[0], values[1], None, line))
        else:
            found.append((None, values[0], values[1], line))
    return found


def js_placeholders(text: str) -> list[str]:
    return sorted(JS_PLACEHOLDER.findall(text))


def test_every_js_entry_is_translated_with_its_placeholders():
    po = js_catalogue()
    assert len(po) > 150
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []
    assert po.obsolete_entries() == []
    for e in po:
        if e.msgid_plural:
            assert sorted(e.msgstr_plural) == [0, 1], e.msgid
            for form in e.msgstr_plural.values():
                assert form.strip() and js_placeholders(form) == js_placeholders(e.msgid_plural), (e.msgid, form)
            assert set(js_placeholders(e.msgid)) <= set(js_placeholders(e.msgid_plural)), e.msgid
        else:
            assert e.msgstr.strip(), e.msgid
            assert js_placeholders(e.msgstr) == js_placeholders(e.msgid), (e.msgid, e.msgstr)
        # The scripts interpolate named placeholders only (interpolate(..., values, true)).
        assert not re.search(r"%[sd]", e.msgid + (e.msgid_plural or "")), e.msgid


def test_js_terminology_follows_the_lessons():
    """The words the Dutch lessons use (content/learning_objects/nederlands) and informal 'je'."""
    po = {(e.msgctxt, e.msgid): e for e in js_catalogue()}
    expected = {
        "▶ Run": "▶ Uitvoeren",
        "loss": "kost",
        "accuracy": "nauwkeurigheid",
        "precision": "precisie",
        "Confusion matrix": "Verwarringsmatrix",
        "Playground": "Speeltuin",
        "hidden layers": "verborgen lagen",
        "Decision boundary": "Beslissingsgrens",
        "noise": "ruis",
        "Error on line %(line)s": "Fout op regel %(line)s",
    }
    for msgid, msgstr in expected.items():
        assert po[(None, msgid)].msgstr == msgstr
    assert po[("activation function", "step")].msgstr == "stapfunctie"
    for e in po.values():
        words = set(re.findall(r"\w+", " ".join([e.msgstr, *e.msgstr_plural.values()]).lower()))
        assert not words & {"u", "uw", "leraar", "student"}, e.msgid


def test_every_js_string_is_in_the_catalogue():
    """Scanner: each gettext/ngettext/pgettext literal in static/js and static/site has a Dutch msgstr,
    and the catalogue holds nothing the scripts no longer say."""
    po = {(e.msgctxt, e.msgid, e.msgid_plural or None): e for e in js_catalogue() if e.translated()}
    used = set()
    for path in js_sources():
        for context, msgid, plural, line in js_messages(path):
            used.add((context, msgid, plural))
            assert (context, msgid, plural) in po, f"{path.relative_to(ROOT)}:{line}: {msgid!r} is not in djangojs.po"
    assert len(used) > 150
    assert sorted(m[1] for m in set(po) - used) == []


def test_scripts_translate_through_the_fallback():
    """Modules import gettext from runtime/i18n.js and classic scripts guard window.gettext, so a page
    whose catalogue did not load still works (in English); the worker sends codes, never text."""
    runtime = ROOT / "static" / "js" / "runtime"
    worker = runtime / "worker.js"
    assert not js_messages(worker) and "gettext" not in worker.read_text(encoding="utf-8")
    users = 0
    for path in js_sources():
        if path in (worker, runtime / "i18n.js") or not js_messages(path):
            continue
        users += 1
        text = path.read_text(encoding="utf-8")
        if re.search(r"^(import|export) ", text, re.M):
            assert re.search(r'^import \{[^}]*\bgettext\b[^}]*\} from "\.\.?/i18n\.js";', text, re.M), path
        else:
            assert 'typeof window.gettext === "function"' in text, path
    assert users >= 12


@pytest.mark.slow
def test_makemessages_finds_no_script_string_missing_from_djangojs(settings, tmp_path, monkeypatch):
    """GNU xgettext's own extraction (makemessages -d djangojs) agrees with the catalogue."""
    if not (shutil.which("xgettext") and shutil.which("msgmerge") and shutil.which("msguniq")):
        pytest.skip("GNU gettext (xgettext, msgmerge, msguniq) is not installed")
    settings.LOCALE_PATHS = [tmp_path]
    monkeypatch.chdir(ROOT)
    call_command(
        "makemessages",
        locale=["nl"],
        domain="djangojs",
        ignore_patterns=IGNORE,
        keep_pot=True,
        no_obsolete=True,
        verbosity=0,
    )
    pot = polib.pofile(str(tmp_path / "djangojs.pot"))
    extracted = {(e.msgctxt, e.msgid, e.msgid_plural) for e in pot if e.msgid}
    assert len(extracted) > 150
    translated = {(e.msgctxt, e.msgid, e.msgid_plural) for e in js_catalogue().translated_entries()}
    assert sorted(m[1] for m in extracted - translated) == []
    assert sorted(m[1] for m in translated - extracted) == []


def served_catalogue(response) -> dict:
    """The catalogue object in the JavaScript that JavaScriptCatalog serves ({} without one)."""
    body = response.content.decode()
    if "const newcatalog =" not in body:
        return {}
    start = body.index("{", body.index("const newcatalog ="))
    return json.JSONDecoder().raw_decode(body, start)[0]


def test_jsi18n_serves_the_dutch_catalogue_whatever_the_visitor_prefers(client, db):
    # The language is in the URL: neither Accept-Language nor the language cookie changes the answer.
    client.cookies["django_language"] = "en"
    response = client.get("/jsi18n/nl/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Content-Language"] == "nl"
    catalogue = served_catalogue(response)
    assert catalogue["▶ Run"] == "▶ Uitvoeren"
    assert catalogue["Waiting for Python to load…"] == "Wachten tot Python geladen is…"
    assert catalogue["activation function\x04step"] == "stapfunctie"
    assert catalogue["%(title)s of %(n)s point."] == ["%(title)s van %(n)s punt.", "%(title)s van %(n)s punten."]
    assert len(catalogue) == len(js_catalogue())  # our strings only, not the admin's djangojs
    body = response.content.decode()
    assert "django.pluralidx" in body and "globals.gettext = django.gettext" in body
    assert "eval(" not in body and "Function(" not in body  # the CSP allows no eval


def test_jsi18n_serves_english_without_dutch(client, db):
    client.cookies["django_language"] = "nl"
    response = client.get("/jsi18n/en/", HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 200 and response["Content-Language"] == "en"
    assert served_catalogue(response) == {}
    assert "Uitvoeren" not in response.content.decode()


def test_jsi18n_refuses_an_unknown_language(client, db):
    assert client.get("/jsi18n/xx/").status_code == 404
    assert client.get("/jsi18n/nl-be/").status_code == 200  # a variant of a supported language


def test_jsi18n_is_cacheable_and_revalidates(client, db, settings):
    settings.DEBUG = False
    response = client.get("/jsi18n/nl/")
    cache_control = response["Cache-Control"]
    assert "public" in cache_control and re.search(r"max-age=[1-9]\d*", cache_control)
    modified = response["Last-Modified"]
    again = client.get("/jsi18n/nl/", HTTP_IF_MODIFIED_SINCE=modified)
    assert again.status_code == 304


def test_each_page_loads_the_catalogue_of_its_language_first(client, db):
    for language in ("nl", "en"):
        html = client.get("/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert f'<html lang="{language}">' in html
        scripts = re.findall(r"<script\b[^>]*>", html)
        assert scripts[0] == f'<script src="/jsi18n/{language}/" defer>', scripts
        assert html.index(scripts[0]) < html.index("</head>")
