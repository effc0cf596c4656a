/*
 * Live preview (only while `manage.py preview` serves the site; see learningpaths/preview): waits
 * for the next build with a long poll, reloads the page when one lands, shows the build's
 * diagnostics (file:line:col, message, hint) in an overlay, and switches between looking at the
 * site as a student, a teacher or a visitor. Keyboard: every control is a button; Esc folds the list.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.dataset.events) return;
  var gettext = typeof window.gettext === "function" ? window.gettext : function (msgid) { return msgid; };
  var ngettext = typeof window.ngettext === "function" ? window.ngettext
    : function (one, many, n) { return n === 1 ? one : many; };
  var interpolate = function (fmt, args) {
    if (typeof window.interpolate === "function") return window.interpolate(fmt, args, true);
    return fmt.replace(/%\((\w+)\)s/g, function (m, k) { return args[k]; });
  };
  var lang = document.documentElement.lang || undefined;
  var seconds = function (s) { return s.toLocaleString(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 }); };
  var FOLDED = "lp-preview-folded";

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.append(c); });
    return node;
  }

  var style = el("link", { rel: "stylesheet", href: script.dataset.css });
  document.head.append(style);

  var summary = el("p", { class: "lp-preview__summary", role: "status", "aria-live": "polite" });
  var list = el("ol", { class: "lp-preview__list", id: "lp-preview-list" });
  var toggle = el("button", { type: "button", class: "lp-preview__toggle", "aria-controls": "lp-preview-list", "aria-expanded": "true" });
  var roles = el("div", { class: "lp-preview__roles", role: "group", "aria-label": gettext("View the page as") });
  var panel = el("aside", { class: "lp-preview", "aria-label": gettext("Preview") }, [
    el("div", { class: "lp-preview__bar" }, [summary, roles, toggle]), list]);

  var ROLE_NAMES = { student: gettext("student"), teacher: gettext("teacher"), visitor: gettext("visitor") };
  var csrf = document.querySelector("input[name=csrfmiddlewaretoken]");
  Object.keys(ROLE_NAMES).forEach(function (role) {
    var form = el("form", { method: "post", action: script.dataset.as.replace("ROLE", role) }, [
      el("input", { type: "hidden", name: "csrfmiddlewaretoken", value: csrf ? csrf.value : "" }),
      el("input", { type: "hidden", name: "next", value: location.pathname + location.search }),
      el("button", { type: "submit", "aria-pressed": String(script.dataset.role === role), text: ROLE_NAMES[role] })]);
    roles.append(form);
  });

  function folded(value) {
    if (value !== undefined) sessionStorage.setItem(FOLDED, value ? "1" : "");
    var is = !!sessionStorage.getItem(FOLDED);
    list.hidden = is;
    toggle.setAttribute("aria-expanded", String(!is));
    toggle.textContent = is ? gettext("Show problems") : gettext("Hide problems");
    return is;
  }
  toggle.addEventListener("click", function () { folded(!folded()); });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !list.hidden && list.contains(document.activeElement)) { folded(true); toggle.focus(); }
  });

  function show(build) {
    var problems = build.diagnostics || [];
    var text = interpolate(gettext("Preview, build %(n)s: %(objects)s objects in %(s)s s"),
      { n: build.build, objects: build.objects, s: seconds(build.seconds) });
    if (build.errors) text += " · " + interpolate(ngettext("%(n)s error", "%(n)s errors", build.errors), { n: build.errors });
    if (build.warnings) text += " · " + interpolate(ngettext("%(n)s warning", "%(n)s warnings", build.warnings), { n: build.warnings });
    if (!problems.length) text += " · " + gettext("no problems");
    summary.textContent = text;
    panel.classList.toggle("lp-preview--errors", build.errors > 0);
    list.replaceChildren.apply(list, problems.map(function (d) {
      var where = d.path ? d.path + ":" + d.line + ":" + d.col : "";
      return el("li", { class: "lp-preview__item lp-preview__item--" + d.severity, tabindex: "0" }, [
        where ? el("code", { class: "lp-preview__where", text: where }) : null,
        el("span", { class: "lp-preview__severity", text: d.severity === "error" ? gettext("error") : gettext("warning") }),
        el("span", { class: "lp-preview__message", text: d.message + " [" + d.code + "]" }),
        d.hint ? el("span", { class: "lp-preview__hint", text: interpolate(gettext("hint: %(hint)s"), { hint: d.hint }) }) : null]);
    }));
    toggle.hidden = !problems.length;
    folded();
  }

  var current = -1;
  var retry = 500;
  function listen() {
    fetch(script.dataset.events + "?since=" + current, { cache: "no-store", credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (build) {
        retry = 500;
        if (current >= 0 && build.build > current) {
          location.reload(); // the new build is in the database: show it
          return;
        }
        current = build.build;
        show(build);
        listen();
      })
      .catch(function () {
        summary.textContent = gettext("The preview server does not answer; trying again…");
        setTimeout(listen, retry);
        retry = Math.min(retry * 2, 5000);
      });
  }

  document.body.append(panel);
  listen();
})();
