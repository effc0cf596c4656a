"""Small pieces: URL templates, options, embeds, slugs, XML layout, references, line numbers."""

from __future__ import annotations

import pytest
import yaml

from learningpaths.compiler.options import CompileOptions
from learningpaths.compiler.render import render
from learningpaths.compiler.render.links import parse_object_ref
from learningpaths.compiler.render.media import embed_url, pretty_xml
from learningpaths.compiler.render.plugins.anchors import slugify

from .conftest import make_input


@pytest.mark.parametrize(
    "url,expected",
    [
        ("https://www.youtube.com/watch?v=abc_-1", "https://www.youtube.com/embed/abc_-1"),
        ("https://youtube.com/watch?v=abc&t=90s", "https://youtube.com/embed/abc?start=90"),
        ("https://m.youtube.com/watch?v=abc", "https://www.youtube.com/embed/abc"),
        ("https://youtu.be/abc", "https://www.youtube.com/embed/abc"),
        ("https://www.youtube.com/embed/abc", "https://www.youtube.com/embed/abc"),
        ("https://player.vimeo.com/video/1", "https://player.vimeo.com/video/1"),
        ("https://www.youtube.com/watch?v=<x>", "https://www.youtube.com/watch?v=<x>"),
    ],
)
def test_embed_url(url, expected):
    assert embed_url(url) == expected


@pytest.mark.parametrize(
    "text,slug",
    [
        ("Deep learning", "deep-learning"),
        ("Wat is AI?", "wat-is-ai"),
        ("  --  ", "section"),
        ("De **OF** schakeling", "de-of-schakeling"),
        ("Élève & prof", "élève-prof"),
        ("snake_case", "snake-case"),
    ],
)
def test_slugify(text, slug):
    assert slugify(text) == slug


def test_pretty_xml_keeps_text_elements_on_one_line():
    xml = '<xml><block type="a"><field name="T">Hi</field><next/></block></xml>'
    assert pretty_xml(xml) == (
        '<xml>\n  <block type="a">\n    <field name="T">Hi</field>\n    <next/>\n  </block>\n</xml>'
    )


@pytest.mark.parametrize(
    "rest,ok",
    [
        ("lcd_m1/nl/3", ("lcd_m1", "nl", 3)),
        ("lcd_m1/NL", ("lcd_m1", "nl", None)),
        ("a-b.c/fr/latest", ("a-b.c", "fr", None)),
        ("x/nl/3/", ("x", "nl", 3)),
    ],
)
def test_parse_object_ref(rest, ok):
    ref, why = parse_object_ref(rest)
    assert (ref.hruid, ref.language, ref.version) == ok and why == ""


@pytest.mark.parametrize("rest", ["x", "x/nl/3/4", "x/dutch/3", "x y/nl/3", "x/nl/-1", "/nl/3"])
def test_parse_object_ref_rejects(rest):
    ref, why = parse_object_ref(rest)
    assert ref is None and why


def test_custom_url_templates_and_quoting():
    options = CompileOptions(
        object_url="/o/{language}/{hruid}@{version}",
        asset_url="/media/{hruid}/{version}/{path}",
        path_url="/p/{language}/{hruid}",
    )
    body = (
        "![a b](<img/a b.png>) [x](@learning-object/h/nl/2) [y](@learning-object/h/nl) "
        "[p](https://dwengo.org/fr/learning-path.html?hruid=P&language=fr#n;fr;1)"
    )
    result = render(make_input(body, files=("img/a b.png",), options=options))
    assert '<img src="/media/demo/1/img/a%20b.png" alt="a b">' in result.html
    assert '<a href="/o/nl/h@2" class="lp-object-link"' in result.html
    assert '<a href="/o/nl/h@latest" class="lp-object-link"' in result.html
    assert '<a href="/p/fr/P#n;fr;1"' in result.html


def test_custom_allowlist_and_widgets():
    options = CompileOptions(iframe_allowlist=("example.org",), widgets=("slider",))
    body = "![](@extern/https://example.org/app)\n\n![](@youtube/https://youtu.be/abc)\n\n![S](@widget/slider?min=0)"
    result = render(make_input(body, options=options))
    assert '<iframe src="https://example.org/app"' in result.html
    assert "youtube.com/embed" not in result.html and '<a href="https://youtu.be/abc"' in result.html
    assert 'data-widget="slider"' in result.html
    assert [d.code for d in result.diagnostics] == ["lp.iframe_host"]


def test_line_numbers_are_source_file_lines():
    body = "Intro\n\n![x](missing.png)\n\n- item [y](@nope/z)\n\n```question\nkind: nope\nprompt: p\n```\n"
    result = render(make_input(body, body_line=31))
    assert [(d.line, d.code) for d in result.diagnostics] == [
        (33, "lp.asset_missing"),
        (35, "lp.directive"),
        (38, "lp.question"),
    ]
    assert result.diagnostics[0].col == 6


def test_line_of_a_link_after_soft_breaks():
    body = "para line one\nline two\nline three [x](gone.txt)\n"
    [diagnostic] = render(make_input(body, body_line=10)).diagnostics
    assert (diagnostic.line, diagnostic.col) == (12, 16)


def test_transclusion_markers_are_the_boundary_format():
    from learningpaths.compiler.render import TRANSCLUSION_MARKER

    result = render(make_input("![a](@learning-object/x.y_z/en/4)\n\n![b](@learning-object/x/en)"))
    assert TRANSCLUSION_MARKER.format(ref="x.y_z/en/4") in result.html
    assert TRANSCLUSION_MARKER.format(ref="x/en/latest") in result.html
    assert [(r.hruid, r.version) for r in result.references] == [("x.y_z", 4), ("x", None)]


def test_cells_are_recorded_for_execution():
    body = "```python setup\nimport numpy as np\n```\n\n```python run id=train returns=acc\nacc = 1\n```\n"
    result = render(make_input(body, body_line=5))
    assert result.cells == [
        {
            "n": 1,
            "id": "",
            "code": "import numpy as np\n",
            "line": 5,
            "setup": True,
            "options": {},
            "teacher_only": False,
        },
        {
            "n": 2,
            "id": "train",
            "code": "acc = 1\n",
            "line": 9,
            "setup": False,
            "options": {"id": "train", "returns": "acc"},
            "teacher_only": False,
        },
    ]


def _returns_warnings(metadata: dict) -> list[tuple[int, str, str]]:
    body = "Text.\n\n```python run id=train returns=acc\nacc = 1\n```\n\n```python setup returns=acc\nacc = 0\n```\n"
    result = render(make_input(body, body_line=3, metadata=metadata))
    return [(d.line, d.severity, d.hint) for d in result.diagnostics if d.code == "lp.cell_returns"]


def test_returns_without_callback_schema_is_a_warning_with_the_front_matter_to_add():
    schema = {"type": "object", "properties": {"acc": {"type": "number"}}}
    hint = (
        "add to the front matter: return_value: {callback_url: /returns, callback_schema: "
        "{type: object, properties: {acc: {type: number}}, required: [acc]}}"
    )
    assert _returns_warnings({}) == [(5, "warning", hint)]  # the run cell only, at its fence line
    assert _returns_warnings({"return_value": None}) == [(5, "warning", hint)]
    assert _returns_warnings({"return_value": {"callback_url": "/returns", "callback_schema": schema}}) == []
    # the hint is front matter the compiler accepts: with it, the warning is gone
    added = yaml.safe_load(hint.removeprefix("add to the front matter: "))
    assert _returns_warnings(added) == []


def test_yaml_question_keys():
    body = (
        "```question\nid: pi\nkind: numeric\nprompt: pi?\nanswer: 3.14\ntolerance: 0.01\nfeedback: Nice\n```\n\n"
        "```question\nkind: short_text\nprompt: capital?\nanswer: Brussels\ncase_sensitive: true\n```\n"
    )
    result = render(make_input(body))
    first, second = result.questions
    assert (first.id, first.kind, first.prompt, first.line) == ("pi", "numerical", "pi?", 4)
    assert first.key == {
        "value": 3.14,
        "tolerance": 0.01,
        "answers": [{"value": 3.14, "tolerance": 0.01, "weight": 100.0}],
        "feedback": "<p>Nice</p>",  # Markdown rendered and sanitised at compile time
    }
    assert second.key == {"accepted": ["Brussels"], "case_sensitive": True, "feedback": ""}
    assert "3.14" not in result.html and "Nice" not in result.html and "Brussels" not in result.html


def test_language_of_labels():
    result = render(make_input("```question\nkind: true_false\nprompt: p\nanswer: true\n```", language="nl"))
    assert "Waar" in result.html and "Controleer" in result.html
    assert result.questions[0].options == ["Waar", "Onwaar"]


def test_keys_fit_the_grader():
    """The key shapes are the contract with learningpaths.learning.grading (pure, no Django)."""
    grading = pytest.importorskip("learningpaths.learning.grading")
    grade, normalise_answer = grading.grade, grading.normalise_answer
    body = (
        "```question\nkind: multiple_choice\nprompt: p\noptions: [a, b, c]\nanswer: [0, 2]\n```\n\n"
        "```gift\nT or F? {F}\n\nPi? {#3.14:0.01}\n\nWho? {=Ada =%50%Lovelace}\n\n"
        "Match {=a -> 1 =b -> 2}\n```\n"
    )
    result = render(make_input(body))
    mc, tf, num, short, match = result.questions
    assert grade(mc.kind, mc.key, normalise_answer(mc.kind, mc.options, ["2", "0"])) == (True, 1.0)
    assert grade(tf.kind, tf.key, normalise_answer(tf.kind, tf.options, "1")) == (True, 1.0)
    assert grade(num.kind, num.key, normalise_answer(num.kind, num.options, "3,145")) == (True, 1.0)
    assert grade(short.kind, short.key, normalise_answer(short.kind, [], " ada ")) == (True, 1.0)
    assert grade(short.kind, short.key, normalise_answer(short.kind, [], "Lovelace"))[0] is False
    answer = {"q5-0": "0", "q5-1": "1"}
    assert grade(match.kind, match.key, normalise_answer(match.kind, match.options, answer)) == (True, 1.0)


def test_a_file_parameter_of_a_widget_becomes_its_asset_url_or_an_error():
    body = (
        "![F](@widget/finetune?model=nets/digits.npz&classes=a,b)\n\n"
        "![G](@widget/finetune?model=nope.npz)\n\n"
        "![H](@widget/finetune?model=digits.txt)\n"
    )
    result = render(make_input(body, files=("nets/digits.npz",)))
    assert "&quot;model&quot;:&quot;/objects/demo/en/1/assets/nets/digits.npz&quot;" in result.html
    assert result.asset_refs == {"nets/digits.npz": False}  # published with the object, for everyone
    assert [(d.line, d.code) for d in result.diagnostics] == [(3, "lp.asset_missing"), (5, "lp.directive_option")]
    assert "widget 'finetune': 'model' 'nope.npz' does not exist in the object folder" in result.diagnostics[0].message
    assert "must be a .npz file in the object's folder, got 'digits.txt'" in result.diagnostics[1].message
