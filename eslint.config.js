// eslint flat config (`npx eslint`, run by `make lint`): the recommended rules on the site's own
// JavaScript. Three kinds of file, read from the files themselves:
//   - ES modules in the browser: static/js/runtime/ (index.js loads with <script type="module">);
//   - classic browser scripts (an IIFE, no import): boot.js, content.js, static/site/ and any app's
//     static/ folder; a classic script's top-level names are page globals, hence "script";
//   - the Pyodide worker, a classic worker script (importScripts, self.onmessage);
//   - the Node runners (*.mjs: learningpaths/runtime/node/, tests/engine/; ES modules, top-level await).
import js from "@eslint/js";
import globals from "globals";

export default [
  {
    // Vendored and generated files are not ours; node_modules is ignored by default.
    ignores: ["static/vendor/**", "static/engine/**", "content/**", "var/**", ".venv/**", "build/**", "dist/**"],
  },
  js.configs.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: "error" },
    // `const { label, ...rest } = run` is how the code drops a key from an object.
    rules: { "no-unused-vars": ["error", { ignoreRestSiblings: true }] },
  },
  {
    files: ["static/js/runtime/**/*.js"],
    languageOptions: { sourceType: "module", globals: { ...globals.browser } },
  },
  {
    files: ["static/js/*.js", "static/js/runtime/boot.js", "static/site/**/*.js", "learningpaths/*/static/**/*.js"],
    languageOptions: { sourceType: "script", globals: { ...globals.browser } },
  },
  {
    // The service worker (served at /sw.js with self.LP_SW in front, see learning/views_offline.py).
    files: ["static/site/sw.js"],
    languageOptions: { sourceType: "script", globals: { ...globals.serviceworker } },
  },
  {
    files: ["static/js/runtime/worker.js"],
    languageOptions: { sourceType: "script", globals: { ...globals.worker } },
  },
  {
    files: ["**/*.mjs", "eslint.config.js"],
    languageOptions: { sourceType: "module", globals: { ...globals.node } },
  },
];
