"""compilecontent --execute: cells found in compiled HTML, run in Pyodide under Node.js."""

import shutil

import pytest

from learningpaths.runtime import assets, execute
from tests.conftest import compile_result, compiled_object

SETUP = '<div hidden class="lp-cell-setup" data-lp-cell="1" data-line="3"><pre><code class="language-python">import engine\nN = 5</code></pre></div>'
GOOD = '<div class="lp-cell" data-lp-cell="2" data-line="8" data-id="data"><pre><code class="language-python">x, y = engine.data.make_moons(N * 10, seed=0)\nprint(x.shape, 1 &lt; 2)</code></pre></div>'
BAD = (
    '<div class="lp-cell" data-lp-cell="1" data-line="10"><pre><code class="language-python">a = 1\nb = a / 0\n'
    '</code></pre></div><div class="lp-cell" data-lp-cell="2" data-line="20"><pre><code>print("never")</code></pre></div>'
)
TRANSCLUDED = (
    '<div class="lp-transclusion" data-lp-object="other/en/1"><div class="lp-cell" data-lp-cell="1" '
    'data-line="3"><pre><code>raise SystemExit</code></pre></div></div>'
)


def test_cells_are_read_from_html_setup_first_without_transclusions():
    obj = compiled_object("x", html=GOOD + TRANSCLUDED + SETUP)
    cells = execute.cells_of(obj)
    assert [(c.number, c.line, c.setup) for c in cells] == [(1, 3, True), (2, 8, False)]
    assert cells[1].code == "x, y = engine.data.make_moons(N * 10, seed=0)\nprint(x.shape, 1 < 2)"
    assert cells[1].describe() == "cell 2 (id data)" and cells[0].filename == "<setup 1>"


def test_recorded_cells_are_preferred():
    obj = compiled_object("x", html="<p>no markup</p>")
    obj.cells = [{"n": 1, "id": "", "code": "1/0", "line": 4, "setup": False, "options": {}}]
    assert execute.cells_of(obj)[0].code == "1/0"


def test_objects_without_cells_need_nothing():
    assert execute.execute_cells(compile_result([compiled_object("plain")])) == []


@pytest.mark.slow
@pytest.mark.skipif(
    not shutil.which("node") or bool(assets.missing_pyodide_files()), reason="needs Node.js and `make assets`"
)
def test_failing_cell_is_reported_at_its_file_and_line():
    good = compiled_object("good", html=SETUP + GOOD)
    bad = compiled_object("bad", html="<p>intro</p>" + BAD + TRANSCLUDED)
    diagnostics = execute.execute_cells(compile_result([good, bad]))
    assert len(diagnostics) == 1
    d = diagnostics[0]
    assert (d.path, d.line, d.severity, d.code) == ("content/bad/index.md", 12, "error", "lp.cell")
    assert d.message == "cell 1 raised ZeroDivisionError: division by zero"
    assert 'File "<cell 1>", line 2' in d.hint


def test_missing_node_is_an_error_with_a_hint(monkeypatch):
    monkeypatch.setattr(execute.shutil, "which", lambda name: None)
    [d] = execute.execute_cells(compile_result([compiled_object("x", html=GOOD)]))
    assert d.code == "lp.cell" and "Node.js" in d.message and d.hint
