"""compilecontent end to end: real compiler, real samples, one transaction, all pages render."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from learningpaths.paths.models import LearningObject, LearningPath

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parents[3]
SAMPLES = REPO.parent / "shared" / "dwengo" / "samples" / "learning_content"
needs_samples = pytest.mark.skipif(not SAMPLES.is_dir(), reason=f"{SAMPLES} is not present")


@pytest.fixture(autouse=True)
def isolated_storage(settings, tmp_path):
    settings.CONTENT_ASSET_ROOT = tmp_path / "assets"
    settings.COMPILE_CACHE_DIR = tmp_path / "cache"


def run(*args):
    """Run the command; returns (exit status, stdout, stderr)."""
    import io

    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("compilecontent", *map(str, args), stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def write_object(root: Path, folder: str, hruid: str, body: str = "Hello", **extra) -> Path:
    path = root / "learning_objects" / folder
    path.mkdir(parents=True, exist_ok=True)
    fields = {
        "hruid": hruid,
        "version": 1,
        "language": "en",
        "title": hruid.title(),
        "description": "d",
        "content_type": "text/markdown",
        "estimated_time": 5,
        "skos_concepts": [],
        **extra,
    }
    front = "\n".join(f"{k}: {json.dumps(v)}" for k, v in fields.items())
    (path / "index.md").write_text(f"---\n{front}\n---\n{body}\n", encoding="utf-8")
    return path


@needs_samples
def test_samples_load_and_every_page_renders(client, teacher):
    code, out, err = run(SAMPLES)
    assert code == 0, err
    assert "0 errors" in out and "loaded: 18 created" in out
    assert LearningPath.objects.filter(hruid="oefeningen1").exists()
    client.force_login(teacher)
    for obj in LearningObject.objects.all():
        assert client.get(obj.get_absolute_url()).status_code == 200, obj
    for path in LearningPath.objects.all():
        assert client.get(path.get_absolute_url()).status_code == 200, path


@needs_samples
def test_samples_hide_teacher_exclusive_objects_from_visitors(client):
    run(SAMPLES)
    hidden = LearningObject.objects.filter(teacher_exclusive=True)
    assert hidden.filter(hruid="un_ai4").exists()
    for obj in hidden:
        response = client.get(obj.get_absolute_url())
        assert response.status_code == 404, obj
        for asset in obj.assets.all():
            assert client.get(f"{obj.get_absolute_url()}assets/{asset.path}").status_code == 404
    for obj in LearningObject.objects.filter(teacher_exclusive=False):
        assert client.get(obj.get_absolute_url()).status_code == 200, obj


@needs_samples
def test_second_run_changes_nothing():
    run(SAMPLES)
    code, out, _ = run(SAMPLES)
    assert code == 0 and "0 created, 0 updated, 18 unchanged" in out


def test_check_touches_nothing(tmp_path):
    write_object(tmp_path, "a", "alpha")
    code, out, _ = run(tmp_path, "--check")
    assert code == 0 and LearningObject.objects.count() == 0 and "loaded" not in out


def test_rejected_build_leaves_the_database_unchanged(tmp_path):
    write_object(tmp_path, "a", "alpha")
    assert run(tmp_path)[0] == 0
    write_object(tmp_path, "a", "alpha", body="Changed")
    write_object(tmp_path, "b", "beta", body="![x](missing.png)")
    code, out, err = run(tmp_path)
    assert code == 1
    assert "missing.png" in err and "[lp.asset_missing]" in err
    assert "nothing was loaded" in out
    assert list(LearningObject.objects.values_list("hruid", flat=True)) == ["alpha"]
    assert "Hello" in LearningObject.objects.get().html


def test_allow_errors_loads_what_compiled(tmp_path):
    write_object(tmp_path, "a", "alpha")
    (tmp_path / "learning_objects" / "b").mkdir(parents=True)
    (tmp_path / "learning_objects" / "b" / "index.md").write_text("---\nhruid: [unclosed\n---\nx\n")
    code, out, err = run(tmp_path, "--allow-errors")
    assert code == 1 and "[lp.front_matter]" in err
    assert list(LearningObject.objects.values_list("hruid", flat=True)) == ["alpha"]


def test_strict_fails_on_warnings(tmp_path):
    write_object(tmp_path, "a", "alpha", colour="red")  # unknown key: a warning
    assert run(tmp_path)[0] == 0
    code, out, err = run(tmp_path, "--strict")
    assert code == 1 and "[lp.field_unknown]" in err


def test_json_format(tmp_path):
    write_object(tmp_path, "a", "alpha", colour="red")
    code, out, _ = run(tmp_path, "--check", "--format", "json")
    doc = json.loads(out)
    assert code == 0 and doc["objects"] == 1 and doc["paths"] == 0 and isinstance(doc["seconds"], float)
    (d,) = doc["diagnostics"]
    assert {"path", "line", "col", "severity", "code", "message"} <= set(d)
    assert d["code"] == "lp.field_unknown" and d["severity"] == "warning" and d["line"] == 10


def test_missing_source_is_a_command_error(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="content folder not found"):
        call_command("compilecontent", str(tmp_path / "nope"))


def test_values_the_database_cannot_hold_are_diagnostics_and_nothing_is_written(tmp_path):
    # (the source lies outside the working folder: diagnostics name it absolutely, for an editor)
    write_object(tmp_path, "a", "a", version=2**31)
    write_object(tmp_path, "b", "b", title="t" * 501)
    write_object(tmp_path, "c", "c", description="nul \u0000 here")
    write_object(tmp_path, "d", "d" * 201)
    code, out, err = run(tmp_path)
    assert code == 1
    assert err.splitlines()[::2] == [
        f"{tmp_path}/learning_objects/a/index.md:3:1: error: 'version' is the number 2147483648; "
        "the database stores at most 2147483647 [lp.field_limit]",
        f"{tmp_path}/learning_objects/b/index.md:5:1: error: 'title' is 501 characters long; "
        "the database stores at most 500 [lp.field_limit]",
        f"{tmp_path}/learning_objects/c/index.md:6:1: error: 'description' holds a NUL character (U+0000) "
        "at character 5, which the database cannot store [lp.text_char]",
        f"{tmp_path}/learning_objects/d/index.md:2:1: error: 'hruid' is 201 characters long; "
        "the database stores at most 200 [lp.field_limit]",
    ]
    assert "nothing was loaded" in out
    assert LearningObject.objects.count() == 0


def test_allow_errors_never_hands_the_database_a_value_it_refuses(tmp_path):
    write_object(tmp_path, "a", "a", version=2**31)
    write_object(tmp_path, "b", "b", title="t" * 501, estimated_time=2**40)
    write_object(tmp_path, "c", "c", keywords=["k\u0000"])
    write_object(tmp_path, "ok", "ok")
    code, out, err = run(tmp_path, "--allow-errors")
    # Objects with an error are left out whole (b used to be loaded with its bad values blanked).
    assert code == 1 and "loaded: 1 created" in out, out + err
    assert sorted(LearningObject.objects.values_list("hruid", "title", "estimated_time")) == [("ok", "Ok", 5)]
