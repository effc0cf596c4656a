"""Question settings in the key (issue 16): hint, attempts, solution, per-option feedback, and
their diagnostics."""

from __future__ import annotations

import pytest

from learningpaths.compiler.render import render

from .conftest import make_input


def question(*lines: str) -> str:
    return "```question\n" + "\n".join(lines) + "\n```\n"


def test_settings_and_option_feedback_go_into_the_key_as_sanitised_html():
    body = question(
        "id: capital",
        "kind: multiple_choice",
        "prompt: Capital?",
        "options:",
        "  - {text: Antwerp, feedback: 'A **port** city. <img src=x.png onerror=alert(1)>'}",
        "  - Brussels",
        "answer: 1",
        "feedback: Since 1830.",
        "hint: Think of the *EU*.",
        "attempts: 2",
        "solution: never",
    )
    result = render(make_input(body))
    [q] = result.questions
    assert q.options == ["Antwerp", "Brussels"]
    assert q.key["option_feedback"][1] == ""
    assert q.key["option_feedback"][0].startswith("<p>A <strong>port</strong> city.")
    assert "onerror" not in q.key["option_feedback"][0]  # the page's own sanitiser ran on it
    assert q.key["hint"] == "<p>Think of the <em>EU</em>.</p>"
    assert (q.key["feedback"], q.key["attempts"], q.key["solution"]) == ("<p>Since 1830.</p>", 2, "never")
    # none of it is in the page
    assert "port" not in result.html and "EU" not in result.html and "1830" not in result.html
    assert "lp.question" not in [d.code for d in result.diagnostics]  # (the raw <img> warns, as on a page)


def test_true_false_feedback_per_answer():
    body = question("kind: true_false", "prompt: p", "answer: false", "feedback_true: No.", "feedback_false: Yes.")
    [q] = render(make_input(body)).questions
    assert q.key["option_feedback"] == ["<p>No.</p>", "<p>Yes.</p>"]


def test_open_question_with_settings_gets_a_dict_key():
    [q] = render(make_input(question("kind: open", "prompt: Explain.", "attempts: 1"))).questions
    assert q.key == {"feedback": "", "attempts": 1}
    [q] = render(make_input(question("kind: open", "prompt: Explain."))).questions
    assert q.key is None


@pytest.mark.parametrize(
    "line,message,hint",
    [
        (
            "attempts: 0",
            "'attempts' must be a whole number ≥ 1 (the most tries a student gets), not 0",
            "e.g. attempts: 3; leave it out for unlimited tries",
        ),
        (
            "attempts: yes",
            "'attempts' must be a whole number ≥ 1 (the most tries a student gets), not True",
            "e.g. attempts: 3; leave it out for unlimited tries",
        ),
        ("solution: lats", "unknown solution policy 'lats'", "did you mean 'last'?"),
        ("hint: [a, b]", "'hint' must be a text (Markdown)", "e.g. hint: Look at the second paragraph again."),
    ],
)
def test_bad_settings_are_errors_at_their_line(line, message, hint):
    body = question("kind: numeric", "prompt: p", "answer: 1", line)
    result = render(make_input(body, body_line=10))
    [d] = result.diagnostics
    assert (d.line, d.severity, d.code, d.message, d.hint) == (14, "error", "lp.question", message, hint)
    assert result.questions == []


def test_bad_option_mapping_is_an_error():
    body = question("kind: multiple_choice", "prompt: p", "options:", "  - {txt: a}", "  - b", "answer: 1")
    [d] = render(make_input(body)).diagnostics
    assert d.code == "lp.question" and d.message.startswith("option {'txt': 'a'} must be a text, or a mapping")
    assert d.hint == "e.g. - {text: Antwerp, feedback: That is a port city.}"


def test_true_false_feedback_on_another_kind_is_a_warning():
    body = question("kind: numeric", "prompt: p", "answer: 1", "feedback_true: x")
    [d] = render(make_input(body)).diagnostics
    assert (d.severity, d.message) == ("warning", "'feedback_true' belongs to a true_false question; it is ignored")


def test_gift_plain_feedback_is_escaped_not_rendered():
    body = "```gift\n[plain] Two? {=2 #*right* <b>x</b> ~3 #no}\n```\n"
    [q] = render(make_input(body)).questions
    right = q.options.index("2")
    assert q.key["option_feedback"][right] == "<p>*right* &lt;b&gt;x&lt;/b&gt;</p>"
