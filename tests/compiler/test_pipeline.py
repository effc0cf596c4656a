"""The whole pipeline: Dwengo's real samples, keeping going past bad files, display paths."""

from __future__ import annotations

import json
import shutil

import pytest

from learningpaths.compiler import CompileOptions, ObjectKey, compile_content

from .helpers import SAMPLES, formatted, front, path_json, write

needs_samples = pytest.mark.skipif(not SAMPLES.is_dir(), reason=f"shared Dwengo samples not found at {SAMPLES}")


@pytest.fixture(scope="module")
def samples():
    return compile_content(SAMPLES, options=CompileOptions(jobs=1))


@needs_samples
def test_samples_compile_without_errors(samples):
    assert samples.errors == [], "\n".join(d.format() for d in samples.errors)
    assert len(samples.objects) == 18 and len(samples.paths) == 3
    assert samples.skipped == []
    assert samples.accepted() and not samples.accepted(strict=True)  # template placeholders are warnings


@needs_samples
def test_sample_facts(samples):
    objects = {str(o.key): o for o in samples.objects}
    un_ai4 = objects["un_ai4/nl/3"]
    assert un_ai4.metadata["teacher_exclusive"] is True
    assert (
        un_ai4.source_path == "learning_content/learning_objects/nederlands/content/uncategorised/ai/0104_ai/index.md"
    )
    assert un_ai4.metadata["return_value"] is None and un_ai4.metadata["content_location"] is None  # placeholders
    assert [(a.rel_path, a.teacher_only) for a in un_ai4.assets] == [("embed/convolutiedoel.png", True)]
    assert "Deep learning" in un_ai4.text
    lcd = objects["lcd_m1/nl/3"]
    assert lcd.metadata["content_type"] == "blockly" and lcd.source_path.endswith("0011_meta/metadata.md")
    vb1 = objects["g_lcd_vb1/nl/3"]
    assert vb1.transclusions == [ObjectKey("lcd_m1", "nl", 3)]
    assert '<div class="lp-transclusion" data-lp-object="lcd_m1/nl/3">' in vb1.html
    assert "Welkom robot" in vb1.html and "Welkom robot" in vb1.text  # lcd_m1's Blockly program, embedded
    ladder = objects["leerlijn_microcontrollers_microcontroller_naar_plc_ladder_4/nl/1"]
    assert "µ" in ladder.source_path and {a.rel_path for a in ladder.assets} == {
        "images/and.svg",
        "images/sample_no_labels.svg",
    }
    assert objects["opdracht_leds/nl/2"].metadata["version"] == 2
    assert len({o.content_hash for o in samples.objects}) == 18


@needs_samples
def test_sample_paths(samples):
    paths = {p.hruid: p for p in samples.paths}
    assert set(paths) == {"oefeningen1", "un_artificiele_intelligentie", "pc_leerlijn_van_µc_naar_plc"}
    oef = paths["oefeningen1"]
    assert oef.source_path == "learning_content/learning_paths/nederlands/0efeningen.json"
    assert [str(n.key) for n in oef.nodes] == ["g_lcd_vb1/nl/3"]  # the other 83 objects are not in the samples
    assert oef.nodes[0].start_node and oef.image_mime == "image/png" and oef.image.startswith(b"\x89PNG")
    ai = paths["un_artificiele_intelligentie"]
    assert (ai.min_age, ai.max_age, ai.estimated_time) == (12, 18, 6)
    missing = [d for d in samples.diagnostics if d.code == "lp.path_node_missing"]
    assert len(missing) == 83 + 7 + 11 and all(d.severity == "warning" for d in missing)
    first = next(d for d in missing if d.path.endswith("un_ai.json"))
    assert (first.line, first.col) == (9, 5)  # the node's own line in the JSON file


@needs_samples
def test_sample_paths_in_full_order_when_every_object_exists(tmp_path, fake_renderer):
    """Add a stub for every object the sample paths name: then all 84 nodes of oefeningen1 stay, in file order."""
    root = tmp_path / "learning_content"
    shutil.copytree(SAMPLES, root)
    existing = {str(o.key) for o in compile_content(root, options=CompileOptions(jobs=1)).objects}
    stubs = {}
    for file in sorted((root / "learning_paths").rglob("*.json")):
        for node in json.loads(file.read_text())["nodes"]:
            hruid, language, version = node["learningobject_hruid"], node["language"], node["version"]
            if f"{hruid}/{language}/{version}" not in existing:
                stubs[f"learning_objects/stubs/{hruid}/index.md"] = front(hruid, language=language, version=version)
    write(root, stubs)
    result = compile_content(root, options=CompileOptions(jobs=1))
    assert result.errors == []
    oef = {p.hruid: p for p in result.paths}["oefeningen1"]
    in_file = [
        n["learningobject_hruid"]
        for n in json.loads((root / "learning_paths/nederlands/0efeningen.json").read_text())["nodes"]
    ]
    assert len(in_file) == 84 and [n.key.hruid for n in oef.nodes] == in_file
    assert [n.start_node for n in oef.nodes] == [True] + [False] * 83
    assert formatted(result, "lp.path_node_missing") == [] and formatted(result, "lp.path_unreachable") == []


def test_bad_files_do_not_stop_good_ones_and_all_problems_come_in_one_run(tmp_path, fake_renderer):
    write(
        tmp_path / "content",
        {
            "objects/good1/index.md": front("good1"),
            "objects/yaml/index.md": "---\ntitle: [unclosed\n---\n",
            "objects/fields/index.md": front("fields", drop=("language",), difficulty=99),
            "objects/type/index.md": front("type", content_type="video"),
            "objects/good2/index.md": front("good2", body="![x](@learning-object/good1/en/1)"),
            "objects/zdup/index.md": front("good1"),
            "learning_paths/broken.json": "{",
            "learning_paths/ok.json": path_json("ok", ["good1", "type", "good2"]),
        },
    )
    result = compile_content(tmp_path / "content", options=CompileOptions(jobs=1))
    assert [str(o.key) for o in result.objects] == ["good1/en/1", "good2/en/1"]
    assert result.objects[1].transclusions == [ObjectKey("good1", "en", 1)]
    assert [p.hruid for p in result.paths] == ["ok"]
    assert sorted(result.skipped) == [
        "content/learning_paths/broken.json",
        "content/objects/fields/index.md",
        "content/objects/type/index.md",
        "content/objects/yaml/index.md",
        "content/objects/zdup/index.md",
    ]
    assert {(d.path.split("/", 1)[1], d.code) for d in result.diagnostics} == {
        ("objects/yaml/index.md", "lp.front_matter"),
        ("objects/fields/index.md", "lp.field_missing"),
        ("objects/fields/index.md", "lp.field_value"),
        ("objects/type/index.md", "lp.content_type"),
        ("objects/zdup/index.md", "lp.duplicate_id"),
        ("objects/good1/index.md", "lp.duplicate_id"),
        ("learning_paths/broken.json", "lp.path_syntax"),
        ("learning_paths/ok.json", "lp.path_node_missing"),
    }
    missing = next(d for d in result.diagnostics if d.code == "lp.path_node_missing")
    assert missing.hint == "an object type was left out because of the errors reported for it"
    assert not result.accepted()


def test_options_progress_and_sources_as_list(tmp_path, fake_renderer, capsys):
    write(tmp_path, {"one/a/index.md": front("a"), "two/b/index.md": front("b")})
    result = compile_content([tmp_path / "one", str(tmp_path / "two")], options=CompileOptions(progress=True, jobs=1))
    assert [o.source_path for o in result.objects] == ["one/a/index.md", "two/b/index.md"]
    assert capsys.readouterr().err == ""  # stderr is not a terminal under pytest: no bar
    assert result.seconds > 0


def test_render_pool_gives_the_same_result(tmp_path):
    write(tmp_path / "c", {f"o{i}/index.md": front(f"o{i}", body=f"# Object {i}\n\nText *{i}*.") for i in range(70)})
    serial = compile_content(tmp_path / "c", options=CompileOptions(jobs=1))
    pooled = compile_content(tmp_path / "c", options=CompileOptions(jobs=2))
    assert [(o.key, o.html, o.content_hash) for o in pooled.objects] == [
        (o.key, o.html, o.content_hash) for o in serial.objects
    ]
    assert pooled.diagnostics == serial.diagnostics


def test_questions_of_teacher_exclusive_objects_and_teacher_blocks_are_teacher_only(tmp_path):
    question = "```question\nid: {id}\nkind: short_text\nprompt: P\nanswer: a\n```\n"
    root = write(
        tmp_path,
        {
            "learning_objects/guide/index.md": front("guide", teacher_exclusive="true", body=question.format(id="g")),
            "learning_objects/lesson/index.md": front(
                "lesson", body=question.format(id="s") + "::: teacher\n" + question.format(id="t") + ":::\n"
            ),
        },
    )
    result = compile_content([root], options=CompileOptions(jobs=1))
    assert result.errors == []
    flags = {(o.key.hruid, q.id): q.teacher_only for o in result.objects for q in o.questions}
    assert flags == {("guide", "g"): True, ("lesson", "s"): False, ("lesson", "t"): True}
