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
//   numpy-pyc.zip       numpy/**/__pycache__/*.cpython-312.pyc (unchecked hash), to unpack into
//                       site-packages after loadPackage("numpy")
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
import importlib.util, io, json, os, sys, zipfile

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
    import numpy, asyncio, json, traceback, linecache, ast, inspect, random, statistics, dataclasses
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

if options["numpy"]:
    write_zip("numpy-pyc.zip", package_pycs(["numpy"], checked=False))

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
