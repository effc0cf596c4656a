"""``compilecontent --allow-errors`` over a tree with one broken object or path per diagnostic code.

The recipes are keyed by the compiler's own registry (``Code``): a new code fails
``test_every_code_has_a_recipe`` until it gets one here. Errors keep their object or path out (and
it is listed with its file, line and code); warnings do not.
"""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.db import IntegrityError

import learningpaths.compiler.pipeline as pipeline
import learningpaths.compiler.render.renderer as renderer
from learningpaths.compiler.codes import Code
from learningpaths.paths.models import LearningObject, LearningPath
from tests.compiler.helpers import front, path_json, write

pytestmark = pytest.mark.django_db

OBJ = "learning_objects"


def _obj(h: str, **kw) -> dict:
    return {f"{OBJ}/{h}/index.md": front(h, **kw)}


def _path(h: str, nodes: list, **kw) -> dict:
    return {f"learning_paths/{h}.json": path_json(h, nodes, **kw)}


def _chain(h: str, **kw) -> dict:
    """Two good objects and a path ``h`` over them; ``kw`` changes the path file."""
    return {**_obj(f"{h}_1"), **_obj(f"{h}_2"), **_path(h, [f"{h}_1", f"{h}_2"], **kw)}


def _yaml_path(h: str, body: str, objects: tuple[str, ...]) -> dict:
    files = {f"learning_paths/{h}.yaml": f"hruid: {h}\nlanguage: en\ntitle: {h}\ndescription: A path\nnodes:\n{body}"}
    for o in objects:
        files.update(_obj(o))
    return files


def _node(hruid: str, start: bool = False, to: tuple[str, ...] = ()) -> str:
    nexts = ", ".join(f"{{next: {{hruid: {t}}}}}" for t in to)
    return f"  - learningobject_hruid: {hruid}\n    start_node: {str(start).lower()}\n    transitions: [{nexts}]\n"


# code -> (files, the file that carries the code, "object"/"path" hruid served when only a warning)
RECIPES: dict[Code, tuple[dict, str]] = {
    Code.INTERNAL: (_obj("c_internal", body="BOOM_INTERNAL"), f"{OBJ}/c_internal/index.md"),
    Code.READ: ({f"{OBJ}/c_read/index.md": front("c_read").encode() + b"caf\xe9\n"}, f"{OBJ}/c_read/index.md"),
    Code.NESTED_OBJECT: (
        {**_obj("c_nested"), f"{OBJ}/c_nested/old/index.md": front("c_nested_old")},
        f"{OBJ}/c_nested/old/index.md",
    ),
    Code.AMBIGUOUS_SOURCE: (
        {**_obj("c_ambiguous"), f"{OBJ}/c_ambiguous/metadata.md": front("c_ambiguous", body="")},
        f"{OBJ}/c_ambiguous/index.md",
    ),
    Code.FRONT_MATTER: (_obj("c_front", title="Neurons: how"), f"{OBJ}/c_front/index.md"),
    Code.PATH_SYNTAX: ({"learning_paths/c_path_syntax.json": "{ nope"}, "learning_paths/c_path_syntax.json"),
    Code.FIELD_MISSING: (_obj("c_missing", title='""'), f"{OBJ}/c_missing/index.md"),  # the empty title
    Code.FIELD_TYPE: (_obj("c_type", target_ages="twelve"), f"{OBJ}/c_type/index.md"),
    Code.FIELD_VALUE: (_obj("c_value", difficulty=11), f"{OBJ}/c_value/index.md"),
    Code.FIELD_UNKNOWN: (_obj("c_unknown", licnese="MIT"), f"{OBJ}/c_unknown/index.md"),
    Code.FIELD_LENIENT: (_obj("c_lenient", version='"1"'), f"{OBJ}/c_lenient/index.md"),
    Code.PLACEHOLDER: (_obj("c_placeholder", content_location="example-location"), f"{OBJ}/c_placeholder/index.md"),
    Code.CONTENT_TYPE: (_obj("c_ctype", content_type="text/markdwon"), f"{OBJ}/c_ctype/index.md"),
    Code.FIELD_LIMIT: (_obj("c_limit", title="t" * 501), f"{OBJ}/c_limit/index.md"),
    Code.TEXT_CHAR: (_obj("c_char", description=json.dumps("nul \u0000 here")), f"{OBJ}/c_char/index.md"),
    Code.CALLBACK_SCHEMA: (
        _obj(
            "c_schema",
            return_value="\n  callback_url: /r\n  callback_schema:\n    properties:\n      a:\n"
            "        $ref: https://example.org/a.json",
        ),
        f"{OBJ}/c_schema/index.md",
    ),
    Code.DUPLICATE_ID: (
        {f"{OBJ}/c_dup_a/index.md": front("c_dup"), f"{OBJ}/c_dup_b/index.md": front("c_dup")},
        f"{OBJ}/c_dup_b/index.md",
    ),
    Code.REF_MISSING: (_obj("c_ref", body="[x](@learning-object/c_nothing/en/1)"), f"{OBJ}/c_ref/index.md"),
    Code.REF_CYCLE: (
        {
            **_obj("c_cycle_a", body="![x](@learning-object/c_cycle_b/en/1)"),
            **_obj("c_cycle_b", body="![x](@learning-object/c_cycle_a/en/1)"),
        },
        f"{OBJ}/c_cycle_b/index.md",
    ),
    Code.REF_SYNTAX: (_obj("c_ref_syntax", body="[x](@learning-object/only-one-part)"), f"{OBJ}/c_ref_syntax/index.md"),
    Code.REF_VERSION: (
        {**_obj("c_refv", body="[see](@learning-object/c_refv_b/en/3)"), **_obj("c_refv_b")},
        f"{OBJ}/c_refv/index.md",
    ),
    Code.REF_PATH: (
        _obj("c_ref_path", body="[p](https://dwengo.org/learning-path.html?hruid=c_none&language=nl)"),
        f"{OBJ}/c_ref_path/index.md",
    ),
    Code.PATH_NODE_MISSING: (
        {**_obj("c_pnm_1"), **_path("c_pnm", ["c_pnm_1", "c_pnm_gone"])},
        "learning_paths/c_pnm.json",
    ),
    Code.PATH_NODE_DUPLICATE: (
        {
            **_obj("c_pnd_1"),
            **_path("c_pnd", ["c_pnd_1", {"learningobject_hruid": "c_pnd_1", "language": "en", "version": 1}]),
        },
        "learning_paths/c_pnd.json",
    ),
    Code.PATH_START: (
        {
            **_obj("c_pstart_1"),
            **_path("c_pstart", [{"learningobject_hruid": "c_pstart_1", "language": "en", "version": 1}]),
        },
        "learning_paths/c_pstart.json",
    ),
    Code.PATH_UNREACHABLE: (
        _yaml_path("c_punr", _node("c_punr_a", True) + _node("c_punr_b"), ("c_punr_a", "c_punr_b")),
        "learning_paths/c_punr.yaml",
    ),
    Code.PATH_CYCLE: (
        _yaml_path(
            "c_pcyc",
            _node("c_pcyc_a", True, ("c_pcyc_b",))
            + _node("c_pcyc_b", False, ("c_pcyc_c",))
            + _node("c_pcyc_c", False, ("c_pcyc_b",)),
            ("c_pcyc_a", "c_pcyc_b", "c_pcyc_c"),
        ),
        "learning_paths/c_pcyc.yaml",
    ),
    Code.PATH_TRANSITION: (
        _yaml_path("c_ptr", _node("c_ptr_a", True, ("c_ptr_nowhere",)), ("c_ptr_a", "c_ptr_nowhere")),
        "learning_paths/c_ptr.yaml",
    ),
    Code.PATH_IMAGE: (_chain("c_pimg", image="not base64!"), "learning_paths/c_pimg.json"),
    Code.ASSET_MISSING: (_obj("c_asset", body="![d](img/d.png)"), f"{OBJ}/c_asset/index.md"),
    Code.DIRECTIVE: (
        _obj("c_directive", body="![](@yotube/https://www.youtube.com/watch?v=abc)"),
        f"{OBJ}/c_directive/index.md",
    ),
    Code.DIRECTIVE_OPTION: (_obj("c_dopt", body="![x](@extern/not-a-url)"), f"{OBJ}/c_dopt/index.md"),
    Code.UNSAFE_HTML: (_obj("c_unsafe", body='<div onclick="x()">hi</div>'), f"{OBJ}/c_unsafe/index.md"),
    Code.GIFT: (_obj("c_gift", body="```gift\nBroken { =a\n```"), f"{OBJ}/c_gift/index.md"),
    Code.QUESTION: (
        _obj("c_question", body="```question\nkind: multi_choice\nprompt: P\n```"),
        f"{OBJ}/c_question/index.md",
    ),
    Code.CELL: (_obj("c_cell", body="```python run id=a 9x=1\na = 1\n```"), f"{OBJ}/c_cell/index.md"),
    Code.CELL_RETURNS: (_obj("c_cret", body="```python run returns=acc\nacc = 1\n```"), f"{OBJ}/c_cret/index.md"),
    Code.TEACHER_BLOCK: (_obj("c_teacher", body="Visible.\n\n::: teacher\nhidden"), f"{OBJ}/c_teacher/index.md"),
    Code.ASSET_OUTSIDE: (_obj("c_outside", body="![x](../other/x.png)"), f"{OBJ}/c_outside/index.md"),
    Code.IMAGE_ALT: (
        {**_obj("c_alt", body="![](d.svg)"), f"{OBJ}/c_alt/d.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>"},
        f"{OBJ}/c_alt/index.md",
    ),
    Code.IFRAME_HOST: (
        _obj("c_iframe", body="![nb](@notebook/https://www.cantera.org/examples/flame.ipynb)"),
        f"{OBJ}/c_iframe/index.md",
    ),
    Code.RENDER_INTERNAL: (_obj("c_render", body="BOOM_RENDER"), f"{OBJ}/c_render/index.md"),
}
GOOD = {**_obj("good_a"), **_obj("good_b"), **_path("good_path", ["good_a", "good_b"])}
# A path over an object with an error goes too, listed at its node.
DEPENDENT = _path("c_dependent", ["good_a", "c_asset"])


def test_every_code_has_a_recipe():
    assert set(RECIPES) == set(Code)


@pytest.fixture
def broken_tree(tmp_path, settings, monkeypatch):
    settings.CONTENT_ASSET_ROOT = tmp_path / "assets"
    settings.COMPILE_CACHE_DIR = tmp_path / "cache"
    real_text, real_render = pipeline.html_to_text, renderer.render

    def text(html):
        if "BOOM_INTERNAL" in html:
            raise ZeroDivisionError("division by zero")
        return real_text(html)

    def render(inp):
        if "BOOM_RENDER" in (inp.body or ""):
            raise ZeroDivisionError("division by zero")
        return real_render(inp)

    monkeypatch.setattr(pipeline, "html_to_text", text)
    monkeypatch.setattr(renderer, "render", render)
    monkeypatch.setattr("learningpaths.compiler.render_pool._POOL_MIN", 10**6)  # in-process: the patches apply
    files = {**GOOD, **DEPENDENT}
    for recipe, _ in RECIPES.values():
        files.update(recipe)
    return write(tmp_path / "content", files)


def _in_tree(path: str) -> str:
    """A file's path inside the tree, however the command names it (from the tree's parent or absolute)."""
    return path.split("content/", 1)[-1]


def run(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("compilecontent", *map(str, args), stdout=out, stderr=err)
        return 0, out.getvalue(), err.getvalue()
    except SystemExit as exc:
        return exc.code, out.getvalue(), err.getvalue()


def test_allow_errors_loads_the_good_part_and_lists_every_bad_one(broken_tree, client):
    code, out, err = run(broken_tree, "--allow-errors", "--format", "json")
    assert code == 1
    doc = json.loads(out)
    listed = {(_in_tree(s["path"]), s["code"]) for s in doc["not_loaded"]}
    severities: dict[tuple[str, str], set[str]] = {}
    for d in doc["diagnostics"]:
        severities.setdefault((_in_tree(d["path"]), d["code"]), set()).add(d["severity"])
    served_objects = {_in_tree(o.source_path) for o in LearningObject.objects.all()}
    served_paths = {_in_tree(p.source_path) for p in LearningPath.objects.all()}
    for c, (_, subject) in RECIPES.items():
        found = severities.get((subject, c.value))
        assert found, f"{c.value} was not reported at {subject}"
        loaded = subject in served_objects | served_paths
        if "error" in found:
            assert not loaded and (subject, c.value) in listed, c.value
        else:
            assert loaded or c is Code.NESTED_OBJECT, c.value  # a nested object is never compiled
    # the first copy of a duplicate is as ambiguous as the second
    assert f"{OBJ}/c_dup_a/index.md" not in served_objects
    assert ("learning_paths/c_dependent.json", "lp.asset_missing") in listed
    assert "learning_paths/c_dependent.json" not in served_paths
    # everything listed has a file and a line, and nothing listed is in the database
    assert all(isinstance(s["line"], int) and s["path"] for s in doc["not_loaded"])
    assert not {p for p, _ in listed} & (served_objects | served_paths)
    # the good part is served
    assert client.get("/objects/good_a/en/1/").status_code == 200
    assert client.get("/paths/good_path/en/").status_code == 200
    assert client.get("/api/learningPath/good_path/en").status_code == 200
    assert client.get("/objects/c_asset/en/1/").status_code == 404


def test_the_text_listing_names_file_line_and_code(broken_tree):
    code, out, _ = run(broken_tree, "--allow-errors")
    assert code == 1
    lines = out.splitlines()
    assert any(line.startswith("not loaded (") for line in lines)
    assert (
        # (the tree lies outside the working folder: named absolutely, for an editor)
        f"  {broken_tree}/{OBJ}/c_missing/index.md:5: required field 'title' is empty [lp.field_missing]" in lines
    )


def test_without_allow_errors_nothing_is_written(broken_tree):
    code, out, _ = run(broken_tree)
    assert code == 1 and "nothing was loaded" in out
    assert not LearningObject.objects.exists() and not LearningPath.objects.exists()


def test_a_row_the_database_refuses_is_rolled_back_alone(tmp_path, settings):
    """The safety net under the compiler's checks: a refused row (here a NULL title, which the
    compiler never lets through) is listed, and so is the path over it; the rest is loaded."""
    from learningpaths.compiler import compile_content
    from learningpaths.paths.services import content_sync

    settings.CONTENT_ASSET_ROOT = tmp_path / "assets"
    result = compile_content(write(tmp_path / "content", {**GOOD, **_obj("lonely")}))
    refused = next(o for o in result.objects if o.key.hruid == "good_b")
    refused.metadata = {**refused.metadata, "title": None}
    report = content_sync(result=result, partial=True)
    assert [_in_tree(p) for p, _ in report.refused] == [
        f"{OBJ}/good_b/index.md",
        "learning_paths/good_path.json",
    ]
    assert sorted(LearningObject.objects.values_list("hruid", flat=True)) == ["good_a", "lonely"]
    assert not LearningPath.objects.exists()
    with pytest.raises(IntegrityError):
        content_sync(result=result)
