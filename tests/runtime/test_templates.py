"""Content pages load math/highlighting always, the Python runtime only when the content needs it."""

import json

import pytest

from learningpaths.runtime.templatetags.runtime import needs_python, needs_runtime
from tests.conftest import compile_result, compiled_object

CELL = '<div class="lp-cell" data-lp-cell="1" data-line="3"><pre><code class="language-python">1 + 1</code></pre></div>'
NEURON = '<div class="lp-widget" data-widget="neuron" data-params="{}" role="group" aria-label="n"></div>'
PLAYGROUND = '<div class="lp-widget" data-widget="playground" data-params="{}" role="group" aria-label="p"></div>'


@pytest.mark.parametrize(
    "html, runtime, python",
    [
        ("<p>text</p>", False, False),
        ("<p>lp-cell is just a word here</p>", False, False),
        (CELL, True, True),
        (NEURON, True, False),
        (PLAYGROUND, True, True),
    ],
)
def test_filters(html, runtime, python):
    assert needs_runtime(html) is runtime
    assert needs_python(html) is python


def page(client, settings, tmp_path, html, hruid="lesson"):
    from learningpaths.paths.services import content_sync

    settings.CONTENT_ASSET_ROOT = tmp_path / "assets"
    content_sync(result=compile_result([compiled_object(hruid, html=html)]))
    response = client.get(f"/objects/{hruid}/en/1/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_plain_page_gets_math_and_highlighting_but_no_python(client, settings, tmp_path):
    html = page(client, settings, tmp_path, "<p>Math \\(x^2\\)</p>")
    assert "js/content.js" in html and "css/runtime.css" in html
    assert "lp-runtime-config" not in html and "runtime/index.js" not in html and "data-lp-boot" not in html


@pytest.mark.django_db
def test_page_with_cells_boots_python_early(client, settings, tmp_path):
    html = page(client, settings, tmp_path, CELL)
    start = html.index('id="lp-runtime-config"')
    config = json.loads(html[html.index(">", start) + 1 : html.index("</script>", start)])
    assert config["bootEarly"] is True
    assert config["indexURL"] == "/runtime/pyodide/0.27.7/"
    assert config["workerURL"].endswith("js/runtime/worker.js")
    assert config["engineURL"].startswith("/runtime/engine/engine-")
    if config["stdLibURL"]:  # precompiled bytecode (built by `make assets` when Node.js is there)
        assert config["stdLibURL"].startswith("/runtime/pyc/python_stdlib-")
        assert config["numpySiteURL"].startswith("/runtime/pyc/numpy-site-")
    assert html.index("data-lp-boot") < html.index("</head>") and "runtime/index.js" in html


@pytest.mark.django_db
def test_the_worker_starter_is_inline_before_the_stylesheets_and_allowed_by_its_hash(client, settings, tmp_path):
    """A parser-inserted script waits for the stylesheets above it: the starter comes before them, and
    the CSP, which allows no other inline script, names its exact text by hash."""
    import base64
    import hashlib

    settings.CONTENT_ASSET_ROOT = tmp_path / "assets"
    from learningpaths.paths.services import content_sync

    content_sync(result=compile_result([compiled_object("lesson", html=CELL)]))
    response = client.get("/objects/lesson/en/1/")
    html = response.content.decode()
    start = html.index(">", html.index("<script data-lp-boot")) + 1
    text = html[start : html.index("</script>", start)]
    assert "new Worker(config.workerURL, { name: JSON.stringify(init) })" in text
    assert html.index("data-lp-boot") < html.index('rel="stylesheet"')
    assert html.index('id="lp-runtime-config"') < html.index("data-lp-boot")  # it reads the config
    digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
    script_src = next(d for d in response["Content-Security-Policy"].split("; ") if d.startswith("script-src "))
    assert f"'sha256-{digest}'" in script_src.split() and "'unsafe-inline'" not in script_src


@pytest.mark.django_db
def test_page_with_only_js_widgets_does_not_boot_python(client, settings, tmp_path):
    html = page(client, settings, tmp_path, NEURON)
    assert "runtime/index.js" in html and '"bootEarly": false' in html and "data-lp-boot" not in html
