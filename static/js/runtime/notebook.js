// The page's runnable cells together, as in a notebook: a "Run all" toolbar above the first cell, a
// "Run the cells above" action on every later cell, and which earlier cell makes a missing name.
// Cells run one after the other in page order and the run stops at the first error (that cell is
// marked and named) or when Stop is pressed (here or in the running cell: both restart Python).

import { el } from "./cell.js";
import { gettext, interpolate, ngettext } from "./i18n.js";
import { definedNames, missingName } from "./names.js";

export class CellNotebook {
  constructor(cells, runtime) {
    this.cells = cells;
    this.runtime = runtime;
    this.running = false;
    this.stopping = false;
    if (!cells.length) return;
    for (const cell of cells) cell.notebook = this;
    this._buildToolbar();
    cells.slice(1).forEach((cell) => this._addAboveButton(cell));
  }

  _buildToolbar() {
    this.runAllButton = el("button", { type: "button", class: "lp-btn lp-run-all" }, gettext("▶ Run all"));
    this.stopButton = el("button", { type: "button", class: "lp-btn lp-stop", disabled: true }, gettext("■ Stop"));
    this.status = el("span", { class: "lp-cells-bar__status", role: "status", "aria-live": "polite" });
    const count = this.cells.length;
    this.bar = el("div", { class: "lp-cells-bar", role: "toolbar", "aria-label": gettext("All Python cells on this page") },
      el("span", { class: "lp-cells-bar__label" },
        interpolate(ngettext("%(count)s Python cell on this page", "%(count)s Python cells on this page", count), { count })),
      this.runAllButton, this.stopButton, this.status);
    this.runAllButton.addEventListener("click", () => this.runAll());
    this.stopButton.addEventListener("click", () => this.stop());
    this.cells[0].element.before(this.bar);
  }

  _addAboveButton(cell) {
    cell.aboveButton = el("button", { type: "button", class: "lp-btn lp-run-above" }, gettext("▲ Run the cells above"));
    cell.aboveButton.addEventListener("click", () => this.runAbove(cell));
    cell.resetButton.after(cell.aboveButton);
  }

  runAll() {
    return this._runSequence(this.cells, null);
  }

  /** Run every cell before ``cell`` (not ``cell`` itself), then tell that cell it can run. */
  runAbove(cell) {
    return this._runSequence(this.cells.slice(0, this.cells.indexOf(cell)), cell);
  }

  stop() {
    if (!this.running) return;
    this.stopping = true;
    this.status.textContent = gettext("Stopping…");
    this.runtime.stop();
  }

  _sync() {
    this.runAllButton.disabled = this.running;
    this.stopButton.disabled = !this.running;
    for (const cell of this.cells) if (cell.aboveButton) cell.aboveButton.disabled = this.running;
    this.bar.setAttribute("aria-busy", this.running ? "true" : "false");
  }

  async _runSequence(list, target) {
    if (this.running || !list.length) return null;
    this.running = true;
    this.stopping = false;
    this._sync();
    for (const cell of this.cells) cell.element.classList.remove("lp-cell--failed");
    let failed = null;
    let stopped = false;
    let ran = 0;
    for (const [i, cell] of list.entries()) {
      this.status.textContent = interpolate(gettext("Running cell %(cell)s (%(i)s of %(total)s)…"),
        { cell: cell.number, i: i + 1, total: list.length });
      const result = await cell.run();
      if (this.stopping || !result || result.stopped) {
        stopped = true;
        break;
      }
      if (!result.ok) {
        failed = cell;
        break;
      }
      ran += 1;
    }
    this.running = false;
    this.stopping = false;
    this._sync();
    let text;
    if (failed) {
      text = interpolate(gettext("Cell %(cell)s has an error, so the cells after it did not run."), { cell: failed.number });
      failed.element.classList.add("lp-cell--failed");
      failed.element.scrollIntoView({ block: "center" });
      failed.output.focus({ preventScroll: true }); // the output is a log with tabindex=-1: its error is read out
    } else if (stopped) {
      text = gettext("Stopped. Python was restarted.");
    } else {
      text = interpolate(ngettext("%(count)s cell ran.", "%(count)s cells ran.", ran), { count: ran });
    }
    this.status.textContent = text;
    if (target) target.status.textContent = failed || stopped ? text : gettext("The cells above have run. Now run this cell.");
    return { failed, stopped, ran };
  }

  /**
   * {name, cell} when ``error`` is a NameError (or an ImportError of a name) for a name that an earlier
   * cell makes and that cell has not run since Python (re)started; else null.
   */
  whoMakes(cell, error) {
    const name = missingName(error);
    if (!name) return null;
    const source = this.cells.slice(0, this.cells.indexOf(cell)).find((c) => definedNames(c.code).has(name));
    if (!source || source.okGeneration === this.runtime.generation) return null;
    return { name, cell: source };
  }
}
