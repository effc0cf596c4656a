// Numbers as the page's UI language writes them (<html lang>: a decimal comma in Dutch), for the
// charts, the widgets' readouts and the cells' status lines; and sums written without "+ -".
// Read at each call: the path player can swap a step in another language (static/site/navigate.js).

const formatters = new Map();

function formatter(options) {
  const lang = document.documentElement.lang || "en";
  const key = lang + JSON.stringify(options);
  if (!formatters.has(key)) {
    let made;
    try { made = new Intl.NumberFormat(lang, options); } catch { made = new Intl.NumberFormat("en", options); }
    formatters.set(key, made);
  }
  return formatters.get(key);
}

// -0, or a value that rounds to zero, is written 0 (never "-0" or "-0.00").
const unsigned = (v, digits) => (Number(v.toFixed(digits)) === 0 ? 0 : v);

/** Four significant digits, the exponent form for the very large and the very small; "–" for none. */
export function fmt(v) {
  if (v === null || v === undefined || Number.isNaN(v)) return "–";
  if (!Number.isFinite(v)) return formatter({}).format(v);
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e5 || a < 1e-3)) return formatter({ notation: "scientific", maximumFractionDigits: 1 }).format(v);
  return formatter({ maximumSignificantDigits: 4 }).format(unsigned(v, 12));
}

/** A fixed number of decimals (a slider's value): 0.50 / 0,50. */
export function fixed(v, digits) {
  return formatter({ minimumFractionDigits: digits, maximumFractionDigits: digits }).format(unsigned(Number(v), digits));
}

/** A number as written, without exponent (up to 6 decimals): a choice in a list, 0.0001 / 0,0001. */
export function decimal(v) {
  return formatter({ maximumFractionDigits: 6 }).format(unsigned(Number(v), 6));
}

/** A sum of terms, each [value, text]: the value's sign becomes the operator and the text is its
 * absolute value as written (pass the value rounded as shown): "0.8 - 0.5 + 1", never "0.8 + -0.5"
 * (the hyphen-minus, as Intl.NumberFormat writes a negative number). */
export function sumText(terms) {
  return terms.map(([value, text], i) => (i === 0 ? (value < 0 ? "-" : "") : value < 0 ? "- " : "+ ") + text).join(" ");
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** A list of numbers a person typed, read as the page's language writes them: "0.01, 0.1" in
 * English; in Dutch "0,01; 0,1" (the comma is the decimal sign, ";" or spaces separate, "0.5" is read
 * too). Whole numbers (`integers`) may be separated by commas in every language: "8, 8". Null as
 * soon as one item is not a number ("8, abc", "8abc", "1e999"), so nothing is made of a typo. */
export function parseList(text, { integers = false } = {}) {
  const dutch = (document.documentElement.lang || "en").toLowerCase().startsWith("nl");
  const items = String(text).trim().split(integers || !dutch ? /[\s,;]+/ : /\s*;\s*|\s+/).filter(Boolean);
  const out = [];
  for (const item of items) {
    const t = dutch && !integers ? item.replace(",", ".") : item;
    if (!NUMBER.test(t) || (integers && !/^[+-]?\d+$/.test(t))) return null;
    const v = Number(t);
    if (!Number.isFinite(v)) return null;
    out.push(v);
  }
  return out;
}

/** The other way round: a list as parseList reads it back in the page's language. */
export function listText(values) {
  const dutch = (document.documentElement.lang || "en").toLowerCase().startsWith("nl");
  return values.map(decimal).join(dutch && values.some((v) => !Number.isInteger(v)) ? "; " : ", ");
}
