// Run a Python script under Pyodide in Node with the engine sources copied into its file system.
// Usage: node pyodide_runner.mjs <pyodide dir> <numpy wheel> <repo root> <script.py>
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [pyodideDir, numpyWheel, repoRoot, scriptPath] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
const py = await loadPyodide({ indexURL: pyodideDir + path.sep, stdout: (s) => console.log(s), stderr: (s) => console.error(s) });
await py.loadPackage(numpyWheel, { messageCallback: () => {} });

function copyTree(src, dst) {
  py.FS.mkdirTree(dst);
  for (const entry of fs.readdirSync(src, { withFileTypes: true })) {
    const from = path.join(src, entry.name);
    if (entry.isDirectory() && entry.name !== "__pycache__") copyTree(from, `${dst}/${entry.name}`);
    else if (entry.name.endsWith(".py")) py.FS.writeFile(`${dst}/${entry.name}`, fs.readFileSync(from));
  }
}
copyTree(path.join(repoRoot, "engine"), "/home/pyodide/engine");
try {
  await py.runPythonAsync(fs.readFileSync(scriptPath, "utf8"));
} catch (err) {
  console.error(String(err));
  process.exit(1);
}
