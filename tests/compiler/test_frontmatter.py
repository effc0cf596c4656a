"""Front matter: a line-based split more robust than Dwengo's regex, YAML with key lines."""

from __future__ import annotations

from learningpaths.compiler.diagnostics import Reporter
from learningpaths.compiler.frontmatter import load_yaml, split_front_matter


def _split(text):
    reporter = Reporter()
    return split_front_matter(text, "x.md", reporter), [d.format() for d in reporter.diagnostics]


def test_dashes_inside_a_value_do_not_end_the_front_matter():
    split, problems = _split('---\ntitle: "A --- B"\nkeywords: [a]\n---\n# Body\n')
    assert problems == []
    assert split.yaml_text == 'title: "A --- B"\nkeywords: [a]'
    assert (split.yaml_line, split.body, split.body_line) == (2, "# Body\n", 5)


def test_leading_blank_lines_and_dots_close():
    split, _ = _split("\n\n---\na: 1\n...\nbody")
    assert (split.yaml_text, split.yaml_line, split.body, split.body_line) == ("a: 1", 4, "body", 6)


def test_a_longer_line_of_dashes_closes_as_in_dwengo():
    # Two objects of Dwengo's own content repository close their front matter with "------".
    split, problems = _split("---\nhruid: a\ntitle: T\n----------\n# Body\n")
    assert problems == []
    assert (split.yaml_text, split.body, split.body_line) == ("hruid: a\ntitle: T", "# Body\n", 5)
    split, _ = _split("---\nhruid: a\n--\nb: 1\n---\nx")  # two dashes are YAML, not a fence
    assert split.yaml_text == "hruid: a\n--\nb: 1"


def test_closing_dashes_glued_to_a_line_are_accepted_with_a_warning():
    split, problems = _split("---\nhruid: a\nteacher_exclusive: true---\nBody")
    assert split.yaml_text == "hruid: a\nteacher_exclusive: true"
    assert split.body.strip() == "Body"
    assert problems == [
        "x.md:3:24: warning: the closing '---' of the front matter is not on a line of its own "
        "[lp.front_matter]\n    hint: put '---' on its own line"
    ]


def test_unclosed_and_absent():
    split, problems = _split("---\nhruid: a\n")
    assert split.yaml_text is None
    assert problems == [
        "x.md:1:1: error: the front matter is not closed [lp.front_matter]\n"
        "    hint: end the front matter with a line '---'"
    ]
    split, problems = _split("# Just markdown\n")
    assert (split.yaml_text, split.body, problems) == (None, "# Just markdown\n", [])


def test_key_lines_and_nested_items():
    reporter = Reporter()
    doc = load_yaml(
        "hruid: a\nskos_concepts: [\n  'http://x',\n  'http://y'\n]\nreturn_value:\n  callback_url: u\n",
        2,
        "x.md",
        reporter,
    )
    assert doc.data["skos_concepts"] == ["http://x", "http://y"]
    assert doc.pos("hruid") == (2, 1)
    assert doc.pos("skos_concepts", 1) == (5, 3)
    assert doc.pos("return_value", "callback_url") == (8, 3)
    assert doc.line("nope") == doc.line() == 2  # unknown keys fall back to the document's line


def test_yaml_error_is_reported_with_line_and_column():
    reporter = Reporter()
    assert load_yaml("a: 1\nb: [1, 2\nc: 3\n", 2, "x.md", reporter) is None
    [d] = reporter.diagnostics
    assert (d.line, d.code, d.severity) == (4, "lp.front_matter", "error")
    assert d.message.startswith("invalid YAML: while parsing a flow sequence")


def test_duplicate_keys_warn():
    reporter = Reporter()
    doc = load_yaml("title: a\ntitle: b\n", 2, "x.md", reporter)
    assert doc.data == {"title": "b"}
    assert [d.format() for d in reporter.diagnostics] == [
        "x.md:3:1: warning: key 'title' is given twice; the last one is used [lp.front_matter]\n"
        "    hint: the first is on line 2"
    ]


def test_bad_timestamp_and_python_tags_do_not_raise():
    for text in ("d: 2020-13-45\n", "x: !!python/object:os.system ls\n", "a: &x [*x]\n", "? [a]\n: 1\n"):
        reporter = Reporter()
        doc = load_yaml(text, 1, "x.md", reporter)
        assert doc is not None or reporter.diagnostics
