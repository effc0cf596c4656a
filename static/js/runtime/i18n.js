// Translations for the runtime's modules. base.html loads Django's JavaScript catalogue
// (/jsi18n/<language>/, domain djangojs) before any other script; it defines gettext, pgettext,
// ngettext and interpolate on window. Without it (the request failed), the English text is used as it is.
//
//   import { gettext, interpolate, ngettext } from "./i18n.js";
//   interpolate(gettext("Done in %(seconds)s s"), { seconds: "1.2" })
//
// Only string literals go into gettext()/pgettext()/ngettext() (makemessages extracts them; see
// tests/site/test_i18n.py). The worker (worker.js) has no catalogue: it sends codes, and
// client.js translates them here on the page.

const page = globalThis;

export function gettext(msgid) {
  return typeof page.gettext === "function" ? page.gettext(msgid) : msgid;
}

/** gettext with a context, for a word that is translated differently elsewhere. */
export function pgettext(context, msgid) {
  return typeof page.pgettext === "function" ? page.pgettext(context, msgid) : msgid;
}

export function ngettext(singular, plural, count) {
  if (typeof page.ngettext === "function") return page.ngettext(singular, plural, count);
  return count === 1 ? singular : plural;
}

/** Fill %(name)s placeholders from values (Django's interpolate with named=true). */
export function interpolate(text, values) {
  if (typeof page.interpolate === "function") return page.interpolate(text, values, true);
  return text.replace(/%\((\w+)\)s/g, (_, name) => String(values[name]));
}
