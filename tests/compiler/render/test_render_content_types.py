"""Golden HTML per content type (fixtures/types/<case>.html), plus checks of what each records."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from learningpaths.compiler.render import render

from .conftest import OBJECTS, load_object, make_input, show

TYPES = Path(__file__).parent / "fixtures" / "types"
MEDIA = OBJECTS / "media"

CASES = {
    "blockly": lambda: load_object(MEDIA),
    "image": lambda: make_input(None, content_type="image/image", folder=MEDIA, metadata={"title": "A pixel"}),
    "image_block": lambda: make_input(
        None, content_type="image/image-block", folder=MEDIA, metadata={"title": "A pixel"}
    ),
    "audio": lambda: make_input(None, content_type="audio/mpeg", folder=MEDIA),
    "pdf": lambda: make_input(None, content_type="application/pdf", folder=MEDIA, metadata={"title": "Doc"}),
    "markdown_from_metadata_md": lambda: make_input(None, folder=MEDIA),
    "extern_youtube": lambda: make_input(
        None,
        content_type="extern",
        folder=OBJECTS / "plain",
        metadata={
            "title": "Clip",
            "content_location": "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "aspect_ratio": "iframe-16-9",
        },
    ),
    "extern_not_allowed": lambda: make_input(
        None,
        content_type="extern",
        folder=OBJECTS / "plain",
        metadata={"title": "Elsewhere", "content_location": "https://example.org/app"},
    ),
    "extern_placeholder": lambda: make_input(
        None,
        content_type="extern",
        folder=OBJECTS / "plain",
        metadata={"title": "Template", "content_location": "example-location", "aspect_ratio": "wide"},
    ),
    "plain": lambda: make_input(None, content_type="text/plain", folder=OBJECTS / "plain"),
    "gift": lambda: make_input(None, content_type="text/gift", folder=OBJECTS / "gift"),
    "ct_schema": lambda: load_object(OBJECTS / "ctschema"),
    "missing_file": lambda: make_input(None, content_type="audio/mpeg", folder=OBJECTS / "plain"),
    "unknown_type": lambda: make_input("Just *text*.", content_type="text/html"),
}


def _golden(name: str) -> Path:
    return TYPES / f"{name}.html"


if os.environ.get("LP_UPDATE_FIXTURES"):
    TYPES.mkdir(exist_ok=True)
    for _name, _make in CASES.items():
        _golden(_name).write_text(show(render(_make())) + "\n", encoding="utf-8")


@pytest.mark.parametrize("name", sorted(CASES))
def test_content_type_golden(name):
    assert show(render(CASES[name]())) == _golden(name).read_text(encoding="utf-8").rstrip("\n")


def test_asset_refs_per_type():
    assert render(CASES["blockly"]()).asset_refs == {"prog.xml": False}
    assert render(CASES["image"]()).asset_refs == {"pic.png": False}
    assert render(CASES["audio"]()).asset_refs == {"clip.mp3": False}
    assert render(CASES["pdf"]()).asset_refs == {"doc.pdf": False}
    assert render(CASES["ct_schema"]()).asset_refs == {"pic.png": False}


def test_markdown_from_metadata_md_reports_lines_in_that_file():
    result = render(CASES["markdown_from_metadata_md"]())
    [diagnostic] = result.diagnostics
    assert (diagnostic.path, diagnostic.line, diagnostic.code) == ("content/demo/lesson.md", 5, "lp.asset_missing")


def test_ct_schema_grid_and_teacher_part():
    result = render(CASES["ct_schema"]())
    assert result.html.count('class="ct_schema_cell') == 6
    assert "Model answer" not in result.html and "Model answer" in result.teacher_html
    assert "</div></div></section>" not in result.html  # the stray </div> did not break the grid
    assert [d.code for d in result.diagnostics] == []


def test_gift_questions_recorded_with_keys():
    result = render(CASES["gift"]())
    kinds = [(q.id, q.kind) for q in result.questions]
    assert kinds == [
        ("q1", "multiple_choice"),
        ("q2", "multiple_choice"),
        ("q3", "true_false"),
        ("q4", "short_answer"),
        ("q5", "numerical"),
        ("q6", "numerical"),
        ("q7", "numerical"),
        ("q8", "matching"),
        ("q9", "multiple_choice"),
        ("q10", "essay"),
        ("q11", "multiple_choice"),
        ("q12", "true_false"),
    ]
    q = {q.id: q for q in result.questions}
    assert q["q1"].key["correct"] == [0] and q["q1"].key["multiple"] is False
    # general feedback (####) is the question's feedback; per-answer #feedback is per option (shown order)
    assert q["q1"].key["feedback"] == "<p>Jupiter outweighs all other planets together.</p>"
    assert q["q1"].key["option_feedback"] == ["<p>Yes, by far.</p>", "", "<p>Close, but smaller.</p>"]
    # answers are shown in a stable shuffled order; the key follows the shown order
    assert q["q2"].options == ["2", "4", "3"]
    assert q["q2"].key == {
        "correct": [0, 2],
        "multiple": True,
        "weights": [50.0, -100.0, 50.0],
        "option_feedback": ["", "<p>Four is even.</p>", ""],
    }
    assert q["q3"].key == {
        "correct": [0],
        "answer": True,
        # {T#shown when wrong#shown when right}: option 0 (true) is right here
        "option_feedback": ["<p>Correct, it is.</p>", "<p>Think again.</p>"],
    }
    assert q["q3"].options == ["True", "False"]
    assert q["q4"].key == {"accepted": ["Shakespeare", "William Shakespeare"], "partial": []}
    assert q["q5"].key == {
        "value": 3.14,
        "tolerance": 0.005,
        "answers": [{"weight": 100.0, "value": 3.14, "tolerance": 0.005}],
    }
    assert q["q6"].key == {"min": 1.0, "max": 5.0, "answers": [{"weight": 100.0, "min": 1.0, "max": 5.0}]}
    assert q["q7"].key["answers"][1] == {"weight": 50.0, "value": 1817.0, "tolerance": 2.0, "feedback": "<p>Close.</p>"}
    assert (q["q7"].key["value"], q["q7"].key["tolerance"]) == (1817.0, 0.0)
    assert q["q8"].options == ["Belgium", "France", "Netherlands"]
    assert q["q8"].key == {
        "pairs": {"q8-0": "1", "q8-1": "2", "q8-2": "0"},
        "choices": ["Amsterdam", "Brussels", "Paris"],
        "answers": [1, 2, 0],
    }
    assert q["q9"].prompt == "Machine learning is a _____ of artificial intelligence."
    assert q["q10"].key is None
    assert q["q11"].options == ["yes: always", "no"] and q["q11"].prompt == "Is 1 = 1 and is {x} a set?"
    assert q["q12"].key["correct"] == [1] and q["q12"].key["answer"] is False
    assert q["q1"].line == 4 and q["q12"].line == 44


def test_gift_answer_key_never_in_html():
    result = render(CASES["gift"]())
    for html in (result.html, result.teacher_html):
        for secret in (
            "Yes, by far",
            "Close, but smaller",
            "outweighs",
            "Four is even",
            "Think again",
            "Correct, it is",
            "Shakespeare",
            "3.14",
            "0.005",
            "1817",
            "Close.",
            "%50%",
            "#",
            "=Jupiter",
            "->",
        ):
            assert secret not in html, secret
    # the visible option labels are there
    assert "Jupiter" in result.html and "Brussels" in result.html and "subfield" in result.html
