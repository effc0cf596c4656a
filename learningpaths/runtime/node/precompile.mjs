// Precompile Python bytecode with the vendored Pyodide itself (Python 3.12 inside), so that the
// page does not compile the standard library, NumPy and the engine from source at every start.
// Pyodide ships sources only and cannot cache bytecode between page loads; compiling them is
// most of its start-up time. Run by scripts/vendor_assets.py.
//
// stdin: {"indexURL": "/abs/pyodide/", "out": "/abs/dir/", "stdlib": true, "numpy": true,
//         "engineWheel": "/abs/engine-<hash>.whl" (optional)}
// Writes into "out" (and prints their names as one JSON line):
//   python_stdlib.zip   the official stdlib zip plus unchecked-hash .pyc beside the .py of every
//                       module a lesson page imports at start (zipimport prefers the .pyc)
//   numpy-site.tar      NumPy as installed in site-packages (less its build-only files: headers,
//                       stubs, static libraries) with unchecked-hash .pyc in __pycache__: an
//                       uncompressed ustar that the page writes into the file system from JS
//                       (worker.js untar), instead of loadPackage("numpy") unzipping the wheel in Python
//   engine-pyc.zip      engine/ and lp/ bytecode, *checked* hash: a stale file is recompiled
import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const input = JSON.parse(readFileSync(0, "utf8"));
const { loadPyodide } = await import(pathToFileURL(input.indexURL + "pyodide.mjs").href);
const pyodide = await loadPyodide({ indexURL: input.indexURL, stdout: () => {}, stderr: (t) => process.stderr.write(t + "\n") });
await pyodide.loadPackage("numpy", { messageCallback: () => {} });
const SITE = "/lib/python3.12/site-packages";
if (input.engineWheel) {
  pyodide.unpackArchive(new Uint8Array(readFileSync(input.engineWheel)), "wheel", { extractDir: SITE });
}
pyodide.globals.set("options", pyodide.toPy({ stdlib: !!input.stdlib, numpy: !!input.numpy, engine: !!input.engineWheel }));
const names = pyodide.runPython(`
import importlib._bootstrap_external as bx
import importlib.util, io, json, os, sys, tarfile, zipfile

SITE = "${SITE}"
STDLIB = "/lib/python312.zip"
written = {}


def hash_pyc(source: bytes, filename: str, checked: bool) -> bytes:
    code = compile(source, filename, "exec", dont_inherit=True)
    return bytes(bx._code_to_hash_pyc(code, importlib.util.source_hash(source), checked))


def package_pycs(roots, checked):
    """{arcname: pyc bytes} for every .py under SITE/<root>, in __pycache__ as importlib expects."""
    tag = sys.implementation.cache_tag
    out = {}
    for root in roots:
        for folder, _, files in os.walk(os.path.join(SITE, root)):
            for name in sorted(files):
                if not name.endswith(".py"):
                    continue
                path = os.path.join(folder, name)
                with open(path, "rb") as fh:
                    source = fh.read()
                try:
                    data = hash_pyc(source, path, checked)
                except SyntaxError:
                    continue
                rel = os.path.relpath(os.path.join(folder, "__pycache__", f"{name[:-3]}.{tag}.pyc"), SITE)
                out[rel] = data
    return out


def write_zip(name, entries, base=None):
    path = "/tmp/" + name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        if base is not None:
            for info in base.infolist():
                zf.writestr(info, base.read(info))
        for arc in sorted(entries):
            info = zipfile.ZipInfo(arc, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, entries[arc])
    written[name] = path


if options["stdlib"]:
    # What a lesson page imports at start (the worker's boot, numpy, the engine, lp, common stdlib).
    import numpy, numpy.random, asyncio, json, traceback, linecache, ast, inspect, random, statistics, dataclasses
    import typing, textwrap, pprint, functools, itertools, collections, time, re, math, copy, string
    try:
        import engine, lp, lp._runner, lp.widgets  # noqa: F401
    except ImportError:
        pass
    prefix = STDLIB + "/"
    used = set()
    for module in list(sys.modules.values()):
        f = getattr(module, "__file__", None) or ""
        if f.startswith(prefix) and f.endswith(".py"):
            used.add(f[len(prefix):])
    src = zipfile.ZipFile(STDLIB)
    extra = {}
    for info in src.infolist():
        if info.filename in used:
            try:
                extra[info.filename + "c"] = hash_pyc(src.read(info), prefix + info.filename, False)
            except SyntaxError:
                pass
    write_zip("python_stdlib.zip", extra, base=src)

# Only for building extensions against NumPy or for type checkers: never read when a cell runs.
BUILD_ONLY = (".pyi", ".h", ".a", ".pxd", ".pyx", ".c")


def write_site_tar(name, roots, extra):
    """Uncompressed ustar of SITE/<root> for each root, less BUILD_ONLY files, plus extra
    {arcname: bytes}; reproducible (sorted, fixed times and owners). USTAR: no PAX headers, so
    the page's reader needs only plain files."""
    entries = dict(extra)
    for root in roots:
        for folder, dirs, files in os.walk(os.path.join(SITE, root)):
            dirs.sort()
            for file in files:
                path = os.path.join(folder, file)
                if file.endswith(BUILD_ONLY) or "/__pycache__/" in path:
                    continue
                with open(path, "rb") as fh:
                    entries[os.path.relpath(path, SITE)] = fh.read()
    path = "/tmp/" + name
    with tarfile.open(path, "w", format=tarfile.USTAR_FORMAT) as tf:
        for arc in sorted(entries):
            info = tarfile.TarInfo(arc)
            info.size, info.mtime, info.mode = len(entries[arc]), 1577836800, 0o644
            tf.addfile(info, io.BytesIO(entries[arc]))
    written[name] = path


if options["numpy"]:
    dist_info = [d for d in os.listdir(SITE) if d.startswith("numpy-") and d.endswith(".dist-info")]
    write_site_tar("numpy-site.tar", ["numpy", *dist_info], package_pycs(["numpy"], checked=False))

if options["engine"]:
    write_zip("engine-pyc.zip", package_pycs(["engine", "lp"], checked=True))

json.dumps(written)
`);
const out = {};
for (const [name, path] of Object.entries(JSON.parse(names))) {
  writeFileSync(input.out + name, pyodide.FS.readFile(path));
  out[name] = input.out + name;
}
process.stdout.write(JSON.stringify(out) + "\n");
process.exit(0);
