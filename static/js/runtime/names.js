// Which cell makes a name: a small static scan of the cells' sources, so that a NameError raised
// because earlier cells were not run can say "`x` is made in cell 2. Run cell 2 first".
// Not a Python parser: it knows the ways a lesson makes a name (assignment, for, def, class,
// import, with/except ... as, :=) and is wrong only in the direction of saying nothing.

const IDENT = /^[A-Za-z_]\w*$/;

/** The name a failed run was missing (NameError, or ImportError of a name), or null. */
export function missingName(errorText) {
  const lines = String(errorText || "").trim().split("\n");
  const last = lines[lines.length - 1] || "";
  const m = /^(?:NameError: name|ImportError: cannot import name) '([A-Za-z_]\w*)'/.exec(last.trim());
  return m ? m[1] : null;
}

function names(targets) {
  // "a, (b, c)", "*rest", "x: int" -> identifiers that are plain targets (not x.y or x[0])
  return targets
    .replace(/:[^,]*$/, "")
    .split(",")
    .map((word) => word.replace(/[\s()*]/g, ""))
    .filter((word) => IDENT.test(word));
}

/** Targets of `a = b = 1`, `x, y = ...`, `n: int = 3` (an `=` outside brackets and strings, not ==, +=, <=). */
function assignedNames(line) {
  const out = [];
  let depth = 0;
  let quote = null;
  let start = 0;
  for (let i = 0; i < line.length; i += 1) {
    const ch = line[i];
    if (quote) {
      if (ch === "\\") i += 1;
      else if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if ("([{".includes(ch)) depth += 1;
    else if (")]}".includes(ch)) depth -= 1;
    else if (ch === "=" && depth === 0 && line[i + 1] !== "=" && !"=!<>+-*/%&|^@:".includes(line[i - 1] || "")) {
      out.push(...names(line.slice(start, i)));
      start = i + 1;
    }
  }
  return out;
}

function importedNames(list) {
  return list
    .replace(/[()]/g, "")
    .split(",")
    .map((part) => {
      const [what, alias] = part.trim().split(/\s+as\s+/);
      return (alias || what || "").split(".")[0].trim();
    })
    .filter((word) => IDENT.test(word));
}

/** The names a piece of Python code makes, in any indentation (a name made in a loop still counts). */
export function definedNames(code) {
  const found = new Set();
  const add = (list) => list.forEach((n) => found.add(n));
  for (const raw of String(code || "").split("\n")) {
    const line = raw.replace(/#.*$/, "");
    let m;
    if ((m = /^\s*(?:async\s+)?def\s+([A-Za-z_]\w*)/.exec(line)) || (m = /^\s*class\s+([A-Za-z_]\w*)/.exec(line))) {
      found.add(m[1]);
      continue;
    }
    if ((m = /^\s*from\s+\S+\s+import\s+(.+)$/.exec(line))) {
      add(importedNames(m[1]));
      continue;
    }
    if ((m = /^\s*import\s+(.+)$/.exec(line))) {
      add(importedNames(m[1]));
      continue;
    }
    if ((m = /^\s*(?:async\s+)?for\s+(.+?)\s+in\s/.exec(line))) add(names(m[1]));
    for (const as of line.matchAll(/\bas\s+([A-Za-z_]\w*)/g)) found.add(as[1]);
    for (const walrus of line.matchAll(/([A-Za-z_]\w*)\s*:=/g)) found.add(walrus[1]);
    add(assignedNames(line));
  }
  return found;
}
