"""Teacher-only content never reaches the student variant, and what it holds is flagged."""

from __future__ import annotations

from learningpaths.compiler.render import render

from .conftest import make_input

SECRET = "Zebra-Quokka-7"  # a marker that must never reach students

BODY = f"""# Lesson

Visible text ![Logo](img/logo.png)

::: teacher Solution {SECRET}
## Answers {SECRET}

The answer is {SECRET} ![Diagram {SECRET}](embed/diagram.svg "{SECRET}")
and [notes](notes.txt "{SECRET}").

![](@learning-object/solution_{SECRET.lower().replace("-", "_")}/en/2)

[see](https://dwengo.org/learning-path.html?hruid=teachers_path&language=en)

```question
kind: open
prompt: Discuss {SECRET}.
```

```python run id=teacher_demo
print("{SECRET}")
```

<!-- {SECRET} in a comment -->
<div class="note" data-x="{SECRET}" title="{SECRET}">{SECRET}</div>
:::

<div class="teacher_only">
<p>Raw {SECRET} ![x](img/logo.png)</p>
<img src="docs/guide.pdf" alt="{SECRET}">
</div>

## Answers

```question
kind: short_text
prompt: Visible question
answer: ok
```
"""


def test_student_html_never_contains_teacher_text():
    result = render(make_input(BODY))
    assert SECRET not in result.html
    assert SECRET.lower().replace("-", "_") not in result.html
    assert "lp-teacher-only" not in result.html and "teacher_only" not in result.html
    assert "Visible text" in result.html and "Visible question" in result.html


def test_teacher_html_has_everything_wrapped():
    result = render(make_input(BODY))
    html = result.teacher_html
    assert html.count(SECRET) >= 5
    assert '<aside class="lp-teacher-only" aria-label="For teachers">' in html
    assert '<div class="teacher_only lp-teacher-only">' in html
    assert SECRET + " in a comment" not in html  # comments are dropped everywhere


def test_student_heading_ids_do_not_depend_on_teacher_headings():
    result = render(make_input(BODY))
    assert '<h2 id="answers">' in result.html  # the teacher's "Answers" heading does not take the slug


def test_assets_references_questions_cells_are_flagged():
    result = render(make_input(BODY))
    assert result.asset_refs == {
        "img/logo.png": False,
        "embed/diagram.svg": True,
        "notes.txt": True,
        "docs/guide.pdf": True,
    }
    assert {(r.hruid, r.kind, r.teacher_only) for r in result.references} == {
        ("solution_zebra_quokka_7", "transclude", True),
        ("teachers_path", "path", True),
    }
    assert [q.id for q in result.questions] == ["q1", "q2"]
    assert result.teacher_only_questions == ["q1"]
    assert [(q.id, q.teacher_only) for q in result.questions] == [("q1", True), ("q2", False)]
    assert [(c["id"], c["teacher_only"]) for c in result.cells] == [("teacher_demo", True)]
    assert 'data-question-id="q2"' in result.html and 'data-question-id="q1"' not in result.html


def test_asset_used_by_both_is_not_teacher_only():
    body = "![a](img/logo.png)\n\n::: teacher\n![b](img/logo.png)\n:::\n"
    assert render(make_input(body)).asset_refs == {"img/logo.png": False}
    body = "::: teacher\n![b](img/logo.png)\n:::\n\n![a](img/logo.png)\n"
    assert render(make_input(body)).asset_refs == {"img/logo.png": False}


def test_inline_teacher_only_span():
    body = f'Answer: <span class="teacher_only">{SECRET}</span> end.'
    result = render(make_input(body))
    assert SECRET not in result.html and "Answer:" in result.html and "end." in result.html
    assert SECRET in result.teacher_html


def test_unclosed_teacher_block_hides_the_rest():
    result = render(make_input(f"Shown\n\n::: teacher\n{SECRET}\n\nmore {SECRET}\n", body_line=7))
    assert SECRET not in result.html
    [diagnostic] = result.diagnostics
    assert (diagnostic.code, diagnostic.severity, diagnostic.line) == ("lp.teacher_block", "error", 9)


def test_teacher_block_inside_a_list_and_blockquote():
    body = f"- item\n\n  ::: teacher\n  {SECRET}\n  :::\n\n> quote\n>\n> ::: teacher\n> {SECRET}\n> :::\n"
    result = render(make_input(body))
    assert SECRET not in result.html and result.teacher_html.count(SECRET) == 2
