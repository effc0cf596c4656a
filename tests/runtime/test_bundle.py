"""The engine wheel: reproducible, named by its content, a valid wheel with engine and lp."""

import base64
import hashlib
import zipfile

from learningpaths.runtime import bundle


def test_wheel_is_reproducible_and_named_by_content(tmp_path, monkeypatch):
    engine_src = tmp_path / "engine"
    engine_src.mkdir()
    (engine_src / "__init__.py").write_text("VALUE = 1\n")
    monkeypatch.setattr(bundle, "ENGINE_SRC", engine_src)
    out = tmp_path / "out"
    first = bundle.build_engine_wheel(out)
    again = bundle.build_engine_wheel(out, force=True)
    assert first["wheel"] == again["wheel"] and first["sha256"] == again["sha256"]
    assert first["wheel"].startswith("engine-") and first["packages"] == ["engine", "lp"]
    (engine_src / "__init__.py").write_text("VALUE = 2\n")
    changed = bundle.build_engine_wheel(out)
    assert changed["wheel"] != first["wheel"]
    assert (out / changed["wheel"]).is_file() and (out / first["wheel"]).is_file()  # recent ones are kept

    with zipfile.ZipFile(out / changed["wheel"]) as zf:
        names = zf.namelist()
        assert "engine/__init__.py" in names and "lp/__init__.py" in names and "lp/_runner.py" in names
        record = zf.read(f"engine-{bundle.DIST_VERSION}.dist-info/RECORD").decode().splitlines()
        for row in record:
            name, digest, size = row.split(",")
            if digest:
                data = zf.read(name)
                expected = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
                assert digest == f"sha256={expected}" and int(size) == len(data)
        assert zf.read("engine/__init__.py") == b"VALUE = 2\n"


def test_stale_wheels_are_pruned(tmp_path, monkeypatch):
    engine_src = tmp_path / "engine"
    engine_src.mkdir()
    monkeypatch.setattr(bundle, "ENGINE_SRC", engine_src)
    out = tmp_path / "out"
    for i in range(6):
        (engine_src / "__init__.py").write_text(f"V = {i}\n")
        bundle.build_engine_wheel(out)
    assert len(list(out.glob("engine-*.whl"))) == bundle._KEEP_OLD_WHEELS + 1
