"""Dwengo's own test objects (learning_objects/Test/*) and the five real sample objects render cleanly."""

from __future__ import annotations

import pytest

from learningpaths.compiler.render import TRANSCLUSION_MARKER, render

from .conftest import SAMPLES, load_object

pytestmark = pytest.mark.skipif(not SAMPLES.is_dir(), reason="Dwengo samples not available")

TEST_OBJECTS = [
    "all_emb",
    "audio",
    "audio_emb",
    "blockly",
    "blockly_emb",
    "demo/1",
    "demo/2",
    "extern",
    "extern_in_other_object",
    "images",
    "jupyter",
    "pdf",
    "pdf_emb",
]
REAL = {
    "un_ai4": "nederlands/content/uncategorised/ai/0104_ai",
    "g_lcd_vb1": "nederlands/exercises/general/0011_lcd_vb1",
    "lcd_m1": "nederlands/exercises/general/0011_meta",
    "m_ct04_09": "nederlands/content/computational_thinking/04_impact/0409_meta",
    "ladder_4": "nederlands/content/physical_computing/leerlijn_microcontrollers/4530_van_µc_naar_plc/0050_ladder_4",
}


def rendered(rel: str):
    return render(load_object(SAMPLES / rel))


@pytest.mark.parametrize("rel", [f"Test/{name}" for name in TEST_OBJECTS] + list(REAL.values()))
def test_renders_without_errors(rel):
    result = rendered(rel)
    assert [d.format() for d in result.diagnostics if d.severity == "error"] == []
    assert result.html.strip()
    for asset in result.asset_refs:  # every recorded asset exists
        assert (SAMPLES / rel / asset).is_file()


def test_all_emb_every_directive():
    result = rendered("Test/all_emb")
    html = result.html
    assert '<iframe src="https://www.youtube.com/embed/ANJ9JLV4IPg"' in html
    assert '<embed src="/objects/test/nl/3/assets/vergadering.pdf" type="application/pdf"' in html
    assert '<source src="/objects/test/nl/3/assets/momo.mp3" type="audio/mpeg">' in html
    assert '<figure class="lp-blockly">' in html and "&lt;block type=" in html and "<script" not in html
    assert '<a href="/objects/test/nl/3/assets/blocks.xml" title="download deze blocks" download=""' in html
    assert '<a href="/objects/opdracht_leds/nl/1/"' in html
    assert TRANSCLUSION_MARKER.format(ref="opdracht_leds/nl/1") in html
    # the notebook host is not allowed: a link and a warning, not an iframe
    assert '<a href="https://www.cantera.org/examples/jupyter/thermo/flame_temperature.ipynb"' in html
    assert [(d.code, d.line) for d in result.diagnostics] == [("lp.iframe_host", 76)]
    assert [(r.hruid, r.version, r.kind) for r in result.references] == [
        ("opdracht_leds", 1, "link"),
        ("opdracht_leds", 1, "transclude"),
    ]
    assert result.asset_refs == {
        "vergadering.pdf": False,
        "momo.mp3": False,
        "dwengo_logo.png": False,
        "blocks.xml": False,
    }


def test_pdf_in_subfolders_and_images_with_title():
    assert '<embed src="/objects/test-v8/nl/4/assets/pdfs/ver/vergadering.pdf"' in rendered("Test/pdf").html
    html = rendered("Test/images").html
    assert '<img src="/objects/Image/nl/3/assets/Test/dwengo_logo.png" alt="" title="dwengo logo">' in html


def test_extern_objects():
    html = rendered("Test/extern").html
    assert html.startswith(
        '<div class="iframe-container iframe-1-1"><iframe src="https://kiks.ilabt.imec.be/hub/tmplogin?id=1"'
    )
    jupyter = rendered("Test/jupyter").html
    assert '<iframe src="https://kiks.ilabt.imec.be/jupyterhub?id=12"' in jupyter
    assert TRANSCLUSION_MARKER.format(ref="extern-test/nl/3") in rendered("Test/extern_in_other_object").html


def test_demo_blockly_in_subfolder_and_youtube_embed():
    assert '<a href="/objects/opdracht_leds/nl/2/assets/images/LEDs.xml" download=""' in rendered("Test/demo/1").html
    html = rendered("Test/demo/2").html
    assert '<iframe src="https://www.youtube.com/embed/BilJBKQ4V0Y" title="Bouwen van een tekenrobot"' in html


def test_un_ai4_real_object():
    result = rendered(REAL["un_ai4"])
    html = result.html
    assert '<iframe src="https://www.youtube.com/embed/f4hHC9oiuPo"' in html
    assert '<iframe src="https://www.youtube.com/embed/NSVEcmMpHgI"' in html
    assert (
        '<img src="/objects/un_ai4/nl/3/assets/embed/convolutiedoel.png" alt="Doel convoluties" title="Doel convoluties">'
        in html
    )
    assert (
        '<div class="alert alert-box alert-success">' in html and '<div class="alert alert-box alert-warning">' in html
    )
    assert '<a href="/paths/kiks3_dl_basis/nl/#kiks_inleiding;nl;3"' in html
    assert '<span class="lp-center">Spamfilter</span>' in html
    assert [(r.hruid, r.language, r.kind) for r in result.references] == [
        ("kiks3_dl_basis", "nl", "path"),
        ("kiks4_dl_gevorderd", "nl", "path"),
    ]
    assert result.asset_refs == {"embed/convolutiedoel.png": False}
    assert result.diagnostics == []


def test_lcd_vb1_transcludes_lcd_m1():
    result = rendered(REAL["g_lcd_vb1"])
    assert TRANSCLUSION_MARKER.format(ref="lcd_m1/nl/3") in result.html
    assert [(r.hruid, r.language, r.version, r.kind, r.line) for r in result.references] == [
        ("lcd_m1", "nl", 3, "transclude", 40)
    ]
    assert '<div class="alert alert-box alert-success">' in result.html


def test_lcd_m1_blockly_object():
    html = rendered(REAL["lcd_m1"]).html
    assert html.startswith('<figure class="lp-blockly">')
    assert "Welkom robot" in html and '<a href="/objects/lcd_m1/nl/3/assets/Voorbeeld1.xml" download=""' in html


def test_ct_schema_real_object():
    result = rendered(REAL["m_ct04_09"])
    assert result.html.startswith('<div class="ct_schema_container">')
    assert result.html.count('<section class="ct_schema_cell') == 6
    assert "Patroonherkenning" in result.html and "<strong>Probleemstelling</strong>" in result.html
    assert "img/ct_schema" not in result.html  # no external logos


def test_ladder_4_math_tables_and_code():
    result = rendered(REAL["ladder_4"])
    html = result.html
    assert '<div class="math display">\\[A \\lor B \\Leftrightarrow Q\\]</div>' in html
    assert '<span class="math inline">\\(A\\)</span> <em>of</em> <span class="math inline">\\(B\\)</span>' in html
    assert "A &amp; B &amp; Q \\\\" in html  # \\\\ in Markdown is the TeX row break \\
    assert html.count("<table>") == 2
    assert (
        '<td style="text-align:center"><img src="/objects/leerlijn_microcontrollers_microcontroller_naar_plc_ladder_4/nl/1/assets/images/and.svg"'
        in html
    )
    assert '<pre><code class="language-cpp" data-filename="filename.cpp">\n   \n   if (A || B){' in html
    assert '<div class="dwengo-content assignment">' in html
    assert result.asset_refs == {"images/sample_no_labels.svg": False, "images/and.svg": False}
