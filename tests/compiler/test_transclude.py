"""References found by the renderer: resolution, transclusion, teacher variants, cycles, hashes."""

from __future__ import annotations

import hashlib

from learningpaths.compiler import CompileOptions, compile_content

from .helpers import formatted, front, path_json, write


def build(tmp_path, files):
    write(tmp_path / "content", files)
    result = compile_content(tmp_path / "content", options=CompileOptions(jobs=1))
    return result, {str(o.key): o for o in result.objects}


def test_transclusion_is_filled_recursively_with_the_resolved_key(tmp_path, fake_renderer):
    result, objects = build(
        tmp_path,
        {
            "page/index.md": front("page", body="Intro\n![x](@learning-object/mid/en)"),
            "mid/index.md": front("mid", body="Middle\n![x](@learning-object/leaf/en/1)"),
            "leaf/index.md": front("leaf", body="Leaf text"),
        },
    )
    assert formatted(result) == []
    assert objects["page/en/1"].html == (
        '<p>Intro</p><div class="lp-transclusion" data-lp-object="mid/en/1"><p>Middle</p>'
        '<div class="lp-transclusion" data-lp-object="leaf/en/1"><p>Leaf text</p></div></div>'
    )
    assert [str(k) for k in objects["page/en/1"].transclusions] == ["mid/en/1"]
    assert objects["page/en/1"].text == "Intro\nMiddle\nLeaf text"


def test_teacher_exclusive_targets_and_teacher_blocks(tmp_path, fake_renderer):
    result, objects = build(
        tmp_path,
        {
            "lesson/index.md": front(
                "lesson",
                body="Task\n![x](@learning-object/solution/en/1)\n:::teacher\nHint for teachers\n"
                "![x](@learning-object/note/en/1)\n:::",
            ),
            "solution/index.md": front("solution", teacher_exclusive="true", body="The answer is 42"),
            "note/index.md": front("note", body="Note"),
        },
    )
    assert not result.errors
    lesson = objects["lesson/en/1"]
    assert lesson.html == "<p>Task</p>"
    assert "The answer is 42" in lesson.teacher_html and "Hint for teachers" in lesson.teacher_html
    assert '<div class="lp-transclusion" data-lp-object="note/en/1"><p>Note</p></div>' in lesson.teacher_html
    assert lesson.text == "Task"
    assert lesson.teacher_text == "Task\nThe answer is 42\nHint for teachers\nNote"
    assert {str(k) for k in lesson.transclusions} == {"solution/en/1", "note/en/1"}


def test_missing_references_and_wrong_versions(tmp_path, fake_renderer):
    result, objects = build(
        tmp_path,
        {
            "a/index.md": front(
                "a",
                body="![x](@learning-object/neuron/nl/1)\n[see](@learning-object/nothing/en/1)\n"
                "![x](@learning-object/neuron/en/7)",
            ),
            "n/index.md": front("neuron", body="Neuron"),
        },
    )
    assert formatted(result) == [
        "content/a/index.md:10:0: error: reference to learning object neuron/nl/1, which does not exist [lp.ref_missing]\n"
        "    hint: neuron exists in: en",
        "content/a/index.md:11:0: error: reference to learning object nothing/en/1, which does not exist [lp.ref_missing]",
        "content/a/index.md:12:0: warning: learning object neuron/en/7 does not exist; the latest version (1) is used "
        "[lp.ref_version]\n    hint: write @learning-object/neuron/en/1",
    ]
    assert objects["a/en/1"].html == (
        '<p><a href="/objects/nothing/en/1/">link</a></p>'
        '<div class="lp-transclusion" data-lp-object="neuron/en/1"><p>Neuron</p></div>'
    )


def test_cycles_name_the_chain_and_do_not_loop(tmp_path, fake_renderer):
    result, objects = build(
        tmp_path,
        {
            "a/index.md": front("a", body="A\n![x](@learning-object/b/en/1)"),
            "b/index.md": front("b", body="B\n![x](@learning-object/c/en/1)"),
            "c/index.md": front("c", body="C\n![x](@learning-object/a/en/1)"),
            "self/index.md": front("self", body="![x](@learning-object/self/en/1)"),
        },
    )
    assert formatted(result) == [
        "content/c/index.md:11:0: error: transclusions form a cycle: a/en/1 -> b/en/1 -> c/en/1 -> a/en/1 [lp.ref_cycle]\n"
        "    hint: an object cannot embed itself, directly or through others",
        "content/self/index.md:10:0: error: transclusions form a cycle: self/en/1 -> self/en/1 [lp.ref_cycle]\n"
        "    hint: an object cannot embed itself, directly or through others",
    ]
    assert objects["a/en/1"].html.count("<p>A</p>") == 1
    assert all(o.content_hash for o in result.objects)


def test_content_hash_follows_transcluded_objects_and_assets(tmp_path, fake_renderer):
    files = {
        "a/index.md": front("a", body="![x](@learning-object/b/en/1)"),
        "b/index.md": front("b", body="B"),
        "c/index.md": front("c", body="C ![pic](img/p.png)"),
        "c/img/p.png": b"\x89PNG one",
    }
    _, before = build(tmp_path, files)
    write(tmp_path / "content", {"b/index.md": front("b", body="B changed")})
    _, after = build(tmp_path, {})
    assert before["a/en/1"].content_hash != after["a/en/1"].content_hash
    assert before["c/en/1"].content_hash == after["c/en/1"].content_hash
    write(tmp_path / "content", {"c/img/p.png": b"\x89PNG two!"})
    _, again = build(tmp_path, {})
    assert again["c/en/1"].content_hash != after["c/en/1"].content_hash
    [asset] = again["c/en/1"].assets
    assert (asset.rel_path, asset.size, asset.teacher_only) == ("img/p.png", 9, False)
    assert asset.sha256 == hashlib.sha256(b"\x89PNG two!").hexdigest()
    assert asset.source == tmp_path / "content" / "c" / "img" / "p.png"


def test_assets_teacher_only(tmp_path, fake_renderer):
    _, objects = build(
        tmp_path,
        {
            "t/index.md": front("t", teacher_exclusive="true", body="![x](a.png)"),
            "t/a.png": b"a",
            "s/index.md": front("s", body="![x](a.png)\n:::teacher\n![x](b.png)\n![x](a.png)\n:::"),
            "s/a.png": b"a",
            "s/b.png": b"b",
        },
    )
    assert [(a.rel_path, a.teacher_only) for a in objects["t/en/1"].assets] == [("a.png", True)]
    assert [(a.rel_path, a.teacher_only) for a in objects["s/en/1"].assets] == [("a.png", False), ("b.png", True)]


def test_assets_outside_the_folder_are_refused(tmp_path, fake_renderer):
    result, objects = build(
        tmp_path,
        {"a/index.md": front("a", body="![x](../b/secret.png)"), "b/secret.png": b"x", "b/index.md": front("b")},
    )
    assert objects["a/en/1"].assets == []
    assert formatted(result) == [
        "content/a/index.md:0:0: error: file '../b/secret.png' is not in the object folder "
        "[lp.asset_missing]\n    hint: put the file next to the source file, or fix the link"
    ]


def test_links_to_paths(tmp_path, fake_renderer):
    result, _ = build(
        tmp_path,
        {
            "a/index.md": front(
                "a", body="[p](https://www.dwengo.org/learning-path.html?hruid=p&language=en&te=true#a;en;1)"
            ),
            "learning_paths/p.json": '{"hruid": "p", "language": "en", "title": "P", "description": "D", "nodes": '
            '[{"learningobject_hruid": "a", "language": "en", "version": "1", "start_node": true}]}',
        },
    )
    assert formatted(result) == []


LINKS = """Read [the manual](@learning-object/guide/en/1), [its latest](@learning-object/guide/en),
[the API form](https://dwengo.org/backend/api/learningObject/getWrapped?hruid=guide&version=1&language=en),
[by address](/objects/guide/en/1/#part), <a href="/objects/guide/en/1/">raw manual</a>,
[the path](https://dwengo.org/learning-path.html?hruid=teachers&language=en),
[a step](https://dwengo.org/learning-path.html?hruid=mixed&language=en#guide;en;1)
and [the lesson](@learning-object/other/en/1).
"""


def test_links_to_teacher_only_objects_become_text_for_students(tmp_path):
    result, objects = build(
        tmp_path,
        {
            "learning_objects/page/index.md": front("page", body=LINKS),
            "learning_objects/guide/index.md": front("guide", teacher_exclusive="true", body="Guide text"),
            "learning_objects/other/index.md": front("other", body="Other text"),
            "learning_paths/teachers.json": path_json("teachers", ["guide"]),
            "learning_paths/mixed.json": path_json("mixed", ["other", "guide"]),
        },
    )
    assert result.errors == [], formatted(result)
    page = objects["page/en/1"]
    assert "guide" not in page.html and "teachers" not in page.html  # no attribute names them
    for text in ("the manual", "its latest", "the API form", "by address", "raw manual", "the path", "a step"):
        assert text in page.html and text in page.text
    assert '<a href="/objects/other/en/1/" class="lp-object-link"' in page.html  # a student object stays a link
    assert '<a href="/paths/mixed/en/' not in page.html
    # The teacher variant keeps every link.
    assert page.teacher_html.count("<a ") == 8
    assert 'href="/objects/guide/en/1/"' in page.teacher_html and 'href="/paths/teachers/en/"' in page.teacher_html


def test_a_target_becoming_teacher_only_changes_the_linking_objects_hash(tmp_path):
    files = {
        "learning_objects/page/index.md": front("page", body="See [the guide](@learning-object/guide/en/1)."),
        "learning_objects/guide/index.md": front("guide", body="Guide text"),
    }
    _, before = build(tmp_path, files)
    assert 'href="/objects/guide/en/1/"' in before["page/en/1"].html
    files["learning_objects/guide/index.md"] = front("guide", teacher_exclusive="true", body="Guide text")
    _, after = build(tmp_path, files)
    assert "/objects/guide/" not in after["page/en/1"].html and "the guide" in after["page/en/1"].html
    assert after["page/en/1"].content_hash != before["page/en/1"].content_hash
