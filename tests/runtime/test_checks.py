"""System checks E010-E013 fail loudly when the vendored files are missing or wrong."""

from learningpaths.runtime import assets, checks


def ids(errors):
    return [e.id for e in errors]


def test_missing_pyodide_and_numpy(monkeypatch, tmp_path):
    monkeypatch.setattr(assets, "PYODIDE_DIR", tmp_path)
    errors = checks.check_pyodide_vendored(None)
    assert ids(errors) == ["learningpaths.E010", "learningpaths.E011"]
    assert "make assets" in errors[0].hint and "pyodide.asm.wasm" in errors[0].msg


def test_numpy_checksum_mismatch(monkeypatch, tmp_path):
    for name in assets.PYODIDE_CORE_FILES:
        (tmp_path / name).write_text("x")
    (tmp_path / assets.NUMPY_WHEEL).write_bytes(b"not the official wheel")
    monkeypatch.setattr(assets, "PYODIDE_DIR", tmp_path)
    errors = checks.check_pyodide_vendored(None)
    assert ids(errors) == ["learningpaths.E011"] and "sha256" in errors[0].msg


def test_engine_wheel_and_math_assets(monkeypatch, tmp_path):
    monkeypatch.setattr(assets, "ENGINE_MANIFEST", tmp_path / "manifest.json")
    assert ids(checks.check_engine_wheel(None)) == ["learningpaths.E012"]
    monkeypatch.setattr(assets, "KATEX_DIR", tmp_path / "katex")
    assert ids(checks.check_math_and_highlighting(None)) == ["learningpaths.E013"]


def test_missing_bytecode_is_a_warning(monkeypatch, tmp_path):
    monkeypatch.setattr(assets, "PYC_DIR", tmp_path)
    monkeypatch.setattr(assets, "PYC_MANIFEST", tmp_path / "manifest.json")
    [warning] = checks.check_bytecode(None)
    assert warning.id == "learningpaths.W010" and "slower" in warning.msg


def test_all_present_after_make_assets():
    if assets.missing_pyodide_files():
        return  # covered by `make test`, which vendors first
    assert checks.check_pyodide_vendored(None) == []
    assert checks.check_math_and_highlighting(None) == []
