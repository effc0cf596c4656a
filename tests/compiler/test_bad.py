"""One failing fixture per diagnostic code the compiler core emits; the exact text is the contract."""

from __future__ import annotations

import pytest

from learningpaths.compiler import CompileOptions, compile_content
from learningpaths.compiler.codes import Code
from learningpaths.compiler.render import Rendered

from .helpers import BAD, formatted, front, path_json, write

FIXTURES = sorted(p.name for p in BAD.iterdir() if p.is_dir())
BUILT_HERE = {"lp.read", "lp.internal", "lp.ref_syntax"}
CORE_CODES = {
    Code.READ,
    Code.NESTED_OBJECT,
    Code.AMBIGUOUS_SOURCE,
    Code.FRONT_MATTER,
    Code.PATH_SYNTAX,
    Code.FIELD_MISSING,
    Code.FIELD_TYPE,
    Code.FIELD_VALUE,
    Code.FIELD_UNKNOWN,
    Code.FIELD_LENIENT,
    Code.PLACEHOLDER,
    Code.CONTENT_TYPE,
    Code.FIELD_LIMIT,
    Code.TEXT_CHAR,
    Code.CALLBACK_SCHEMA,
    Code.DUPLICATE_ID,
    Code.REF_MISSING,
    Code.REF_CYCLE,
    Code.REF_SYNTAX,
    Code.REF_VERSION,
    Code.REF_PATH,
    Code.PATH_NODE_MISSING,
    Code.PATH_NODE_DUPLICATE,
    Code.PATH_START,
    Code.PATH_UNREACHABLE,
    Code.PATH_CYCLE,
    Code.PATH_TRANSITION,
    Code.PATH_IMAGE,
    Code.ASSET_MISSING,
    Code.INTERNAL,
}


def test_every_core_code_has_a_fixture():
    assert {c.value for c in CORE_CODES} == set(FIXTURES) | BUILT_HERE


@pytest.mark.parametrize("code", FIXTURES)
def test_bad_fixture(code, fake_renderer):
    result = compile_content(BAD / code / "content", options=CompileOptions(jobs=1))
    expected = (BAD / code / "expected.txt").read_text().rstrip("\n")
    assert "\n".join(formatted(result)) == expected
    assert code in {d.code for d in result.diagnostics}


def test_read_not_utf8(tmp_path, fake_renderer):
    write(tmp_path / "content", {"a/index.md": front("a").encode() + b"caf\xe9\n", "b/index.md": front("b")})
    result = compile_content(tmp_path / "content")
    assert formatted(result) == [
        "content/a/index.md:11:4: error: file is not UTF-8 (byte 0xe9) [lp.read]\n    hint: save the file as UTF-8"
    ]
    assert [str(o.key) for o in result.objects] == ["b/en/1"]
    assert result.skipped == ["content/a/index.md"]


def test_text_char_raw_nul_in_a_file(tmp_path, fake_renderer):
    # a file saved as UTF-16 decodes as UTF-8 with a NUL in every other byte
    write(tmp_path / "content", {"a/index.md": front("a", body="ok\nx\x00y"), "b/index.md": front("b")})
    result = compile_content(tmp_path / "content")
    assert formatted(result) == [
        "content/a/index.md:11:2: error: file holds a NUL character (U+0000), which the database cannot store "
        "[lp.text_char]\n    hint: remove it (a file saved as UTF-16 has one in every other byte: save it as UTF-8)"
    ]
    assert [str(o.key) for o in result.objects] == ["b/en/1"]


def test_text_char_lone_surrogate_in_a_json_path(tmp_path, fake_renderer):
    path = path_json("p", ["a"]).replace('"title": "p"', '"title": "p\\ud800"')
    write(tmp_path / "content", {"learning_objects/a/index.md": front("a"), "learning_paths/p.json": path})
    result = compile_content(tmp_path / "content")
    assert formatted(result) == [
        "content/learning_paths/p.json:4:3: error: 'title' holds a lone surrogate (U+D800) at character 2, "
        "which the database cannot store [lp.text_char]\n    hint: remove the escape (\\0, \\u0000, \\ud800 ...) "
        "from the value"
    ]
    assert result.paths == [] and result.skipped == ["content/learning_paths/p.json"]


def test_huge_integers_are_diagnostics_not_crashes(tmp_path, fake_renderer):
    digits = "9" * 5000  # past Python's 4300-digit limit for int(str)
    path = path_json("p", ["a"]).replace('"version": "1"', f'"version": {digits}', 1)
    write(
        tmp_path / "content",
        {
            "learning_objects/a/index.md": front("a", estimated_time="9" * 400),
            "learning_objects/b/index.md": front("b", version=f'"{digits}"'),
            "learning_paths/p.json": path,
        },
    )
    result = compile_content(tmp_path / "content")
    assert formatted(result) == [
        "content/learning_objects/a/index.md:8:1: error: 'estimated_time' is a number of more than 40 digits; "
        "the database stores at most 2147483647 [lp.field_limit]\n    hint: use a number from 0 to 2147483647",
        "content/learning_objects/b/index.md:3:1: warning: 'version' should be a number, not the text "
        "'9999999999999999999999999999999999999...' [lp.field_lenient]",
        "content/learning_objects/b/index.md:3:1: error: 'version' is the text '9999999999999999999999999999999999999...'; "
        "the database stores at most 2147483647 [lp.field_limit]\n    hint: use a number from 0 to 2147483647",
        "content/learning_paths/p.json:1:0: error: invalid JSON: Exceeds the limit (4300 digits) for integer string "
        "conversion: value has 5000 digits; use sys.set_int_max_str_digits() to increase the limit [lp.path_syntax]",
    ]


def test_read_missing_source(tmp_path):
    result = compile_content(tmp_path / "nope")
    assert [d.format().replace(str(tmp_path), "TMP") for d in result.diagnostics] == [
        "TMP/nope:0:0: error: no such file or folder [lp.read]"
    ]


def test_internal_compiler_crash(tmp_path, monkeypatch):
    import learningpaths.compiler.pipeline as pipeline

    def broken(html):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(pipeline, "html_to_text", broken)
    write(tmp_path / "content", {"a/index.md": front("a"), "b/index.md": front("b")})
    result = compile_content(tmp_path / "content", options=CompileOptions(jobs=1))
    assert formatted(result) == [
        "content/a/index.md:0:0: error: the compiler failed on this file: ZeroDivisionError: division by zero [lp.internal]\n"
        "    hint: this is a bug in the compiler; please report it",
        "content/b/index.md:0:0: error: the compiler failed on this file: ZeroDivisionError: division by zero [lp.internal]\n"
        "    hint: this is a bug in the compiler; please report it",
    ]
    assert result.objects == []


def test_renderer_bug_is_one_render_internal_error(tmp_path, broken_rule):
    write(tmp_path / "content", {"a/index.md": front("a", body="# Title\n\nText.")})
    result = compile_content(tmp_path / "content", options=CompileOptions(jobs=1))
    assert formatted(result) == [
        "content/a/index.md:0:0: error: the renderer failed on this object (ZeroDivisionError: division by zero) "
        "[lp.render_internal]\n    hint: this is a bug in learningpaths; please report it with the file"
    ]
    assert [o.html for o in result.objects] == [""]  # still produced, but the build has an error
    assert not result.accepted()


def test_ref_syntax_malformed_marker(tmp_path, monkeypatch):
    import learningpaths.compiler.render_pool as render_pool

    marker = '<div class="lp-transclusion" data-lp-object="only-one-part"></div>'
    monkeypatch.setattr(render_pool, "render_object", lambda inp: Rendered(marker, marker))
    write(tmp_path / "content", {"a/index.md": front("a")})
    result = compile_content(tmp_path / "content")
    assert formatted(result) == [
        "content/a/index.md:0:0: error: malformed transclusion marker 'only-one-part' [lp.ref_syntax]"
    ]
    assert result.objects[0].html == ""
