// Questions on every page that shows them: the path player, object pages and transcluded objects.
// Each form posts to its own object's answer route: the object is the nearest [data-lp-object]
// (the page's <article>, or a transcluded object's wrapper), the route comes from the
// [data-lp-answers] pattern on the article. The key never comes with the page: feedback, hint and
// solution arrive with the answer (or, after a reload, from learning:answers_mine).
// Emits `lp:answered` (bubbles; detail {body, form}) so the player can update its pager.
(function () {
  "use strict";
  const gettext = typeof window.gettext === "function" ? window.gettext : function (msgid) { return msgid; };
  const ngettext = typeof window.ngettext === "function" ? window.ngettext
    : function (one, many, n) { return n === 1 ? one : many; };
  const interpolate = typeof window.interpolate === "function" ? window.interpolate
    : function (fmt, obj) { return fmt.replace(/%\(\w+\)s/g, function (m) { return String(obj[m.slice(2, -2)]); }); };
  const csrf = decodeURIComponent((document.cookie.match(/(?:^|; )csrftoken=([^;]+)/) || [])[1] || "");
  const player = document.querySelector(".player");
  let pattern = null;  // .../HRUID/LANG/0/, from the [data-lp-answers] of the content shown

  function answersUrl(identity) {
    const parts = identity.split("/");  // hruid/language/version (hruids have no "/")
    if (parts.length !== 3) return null;
    return pattern.replace("HRUID/LANG/0/", parts.map(encodeURIComponent).join("/") + "/");
  }
  function objectOf(form) {
    const holder = form.closest("[data-lp-object]");
    return holder ? holder.dataset.lpObject : null;
  }

  function collect(form) {
    const kind = form.dataset.kind || "";
    const values = [];
    for (const [name, value] of new FormData(form).entries()) { if (name !== "csrfmiddlewaretoken") values.push([name, value]); }
    if (kind === "multiple_choice" || kind === "true_false") return values.map(function (v) { return v[1]; });
    if (kind === "matching") { const out = {}; values.forEach(function (v) { out[v[0]] = v[1]; }); return out; }
    return values.length ? values[0][1] : "";
  }

  function restoreAnswer(form, answer) {
    const kind = form.dataset.kind || "";
    if (kind === "multiple_choice" || kind === "true_false") {
      const picked = (Array.isArray(answer) ? answer : [answer]).map(String);
      form.querySelectorAll("input[type=radio], input[type=checkbox]").forEach(function (input) {
        input.checked = picked.indexOf(input.value) >= 0;
      });
    } else if (kind === "matching" && answer && typeof answer === "object") {
      form.querySelectorAll("select").forEach(function (select) {
        if (Object.prototype.hasOwnProperty.call(answer, select.name)) select.value = String(answer[select.name]);
      });
    } else {
      const field = form.querySelector("input[type=text], input[type=number], textarea");
      if (field && answer !== null && answer !== undefined) field.value = String(answer);
    }
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // Feedback and hints are HTML the compiler sanitised (the same cleaner as the page itself).
  function showResult(form, body) {
    const box = form.querySelector(".lp-question-feedback") || form.appendChild(el("div", "lp-question-feedback"));
    box.replaceChildren();
    const state = body.correct === true ? "ok" : body.correct === false ? (body.score > 0 ? "partial" : "wrong") : "saved";
    const icon = {ok: "✓", partial: "◐", wrong: "✗", saved: "✎"}[state];
    const label = {ok: gettext("Correct!"), partial: gettext("Partly right"), wrong: gettext("Not yet"), saved: gettext("Saved")}[state];
    const status = el("p", "lp-question-status " + state);
    status.setAttribute("role", "status");
    status.append(el("span", "lp-result-icon", icon), " ", el("strong", "lp-result-label", label));
    if (body.message && body.message !== label) status.append(" ", el("span", "lp-result-next", body.message));
    box.appendChild(status);
    if (body.feedback) {
      const said = el("div", "lp-feedback-text");
      said.innerHTML = body.feedback;
      box.appendChild(said);
    }
    if (body.hint) {
      const hint = el("div", "lp-hint");
      hint.appendChild(el("strong", "lp-hint-label", gettext("Hint")));
      const text = el("div");
      text.innerHTML = body.hint;
      hint.appendChild(text);
      box.appendChild(hint);
    }
    if (body.solution) {
      const solution = el("p", "lp-solution");
      solution.append(el("strong", "", gettext("Right answer:")), " ", el("span", "", body.solution));
      box.appendChild(solution);
    }
    if (typeof body.attempts_left === "number" && !(body.correct === true)) {
      const left = body.attempts_left;
      box.appendChild(el("p", "lp-tries meta", left === 0 ? gettext("No tries left.")
        : interpolate(ngettext("%(n)s try left", "%(n)s tries left", left), {n: left}, true)));
    }
    if (body.review && body.review.comment) {
      const review = el("div", "lp-review");
      review.append(el("strong", "", gettext("Your teacher's comment")), el("p", "", body.review.comment));
      box.appendChild(review);
    }
    form.dataset.state = state;
    const button = form.querySelector(".lp-question-submit");
    const over = body.attempts_left === 0;
    form.querySelectorAll("input, select, textarea").forEach(function (field) { field.disabled = over; });
    if (button) {
      if (!button.dataset.label) button.dataset.label = button.textContent;
      button.disabled = over;
      button.textContent = state === "wrong" || state === "partial" ? gettext("Try again") : button.dataset.label;
    }
  }

  function showMessage(form, text) {
    const box = form.querySelector(".lp-question-feedback") || form.appendChild(el("div", "lp-question-feedback"));
    box.replaceChildren(el("p", "lp-question-status", text));
  }

  // Sets up the questions under ``root`` (the page, or a step swapped in by the player: `lp:navigated`);
  // a form is set up once.
  function init(root) {
    const patternHolder = root.matches && root.matches("[data-lp-answers]") ? root : root.querySelector("[data-lp-answers]");
    const forms = Array.from(root.querySelectorAll("form.lp-question")).filter(function (form) { return !form.dataset.lpReady; });
    if (!patternHolder || !forms.length) return;
    pattern = patternHolder.dataset.lpAnswers;
    forms.forEach(function (form) { form.dataset.lpReady = "true"; });

    forms.forEach(function (form) {
      const identity = objectOf(form);
      const base = identity && answersUrl(identity);
      if (!base) return;
      // Enter on a radio or checkbox checks the answer, as it does in a text field.
      form.addEventListener("keydown", function (event) {
        const t = event.target;
        if (event.key === "Enter" && t.matches && t.matches("input[type=radio], input[type=checkbox]")) {
          event.preventDefault();
          form.requestSubmit();
        }
      });
      form.addEventListener("submit", async function (event) {
        event.preventDefault();
        const button = form.querySelector(".lp-question-submit");
        if (button) button.setAttribute("aria-busy", "true");
        const payload = {answer: collect(form)};
        if (player) { payload.path = player.dataset.path; payload.path_language = player.dataset.language; }
        try {
          const response = await fetch(base + encodeURIComponent(form.dataset.questionId) + "/", {
            method: "POST", credentials: "same-origin",
            headers: {"Content-Type": "application/json", "X-CSRFToken": csrf},
            body: JSON.stringify(payload),
          });
          const body = await response.json().catch(function () { return {}; });
          if (response.ok) {
            showResult(form, body);
            form.dispatchEvent(new CustomEvent("lp:answered", {bubbles: true, detail: {body: body, form: form}}));
          } else {
            showMessage(form, body.detail || response.statusText);
          }
        } catch {
          showMessage(form, form.dataset.offline || gettext("Could not reach the server. Check your connection and try again."));
        } finally {
          if (button) button.removeAttribute("aria-busy");
        }
      });
    });

    // After a reload: each object's latest answers, filled in with what was said about them.
    const byObject = new Map();
    forms.forEach(function (form) {
      const identity = objectOf(form);
      if (!identity) return;
      if (!byObject.has(identity)) byObject.set(identity, []);
      byObject.get(identity).push(form);
    });
    byObject.forEach(async function (list, identity) {
      const url = answersUrl(identity);
      if (!url) return;
      try {
        const response = await fetch(url, {credentials: "same-origin", headers: {Accept: "application/json"}});
        if (!response.ok) return;
        const answers = (await response.json()).answers || {};
        list.forEach(function (form) {
          const saved = answers[form.dataset.questionId];
          if (!saved || form.dataset.state) return;  // answered in the meantime: keep that
          restoreAnswer(form, saved.answer);
          showResult(form, saved);
        });
      } catch { /* offline: the forms stay empty and still work */ }
    });
  }

  init(document);
  document.addEventListener("lp:navigated", function (event) { if (event.detail && event.detail.root) init(event.detail.root); });
})();
