"""Glyph data: fonts from Debian's packages, whole families held out, deterministic augmentation."""

import numpy as np
import pytest

from learningpaths.demos import glyphs


@pytest.fixture(scope="module")
def fonts():
    return glyphs.fonts_find()


def test_fonts_split_by_family(fonts):
    train = {f.family for f in fonts if f.family not in glyphs.TEST_FAMILIES}
    test = {f.family for f in fonts if f.family in glyphs.TEST_FAMILIES}
    assert test == set(glyphs.TEST_FAMILIES)  # every held-out family is installed (scripts/install_fonts.sh)
    assert len(train) >= 8 and not train & test
    assert not any(f.path.name in glyphs.EXCLUDED for f in fonts)


def test_plain_glyph_fills_the_box_centred(fonts):
    x = glyphs.glyph_render(fonts[0].path, "H")
    assert x.shape == (glyphs.SIZE, glyphs.SIZE) and x.dtype == np.float32
    rows, cols = np.nonzero(x > 0.5)
    assert max(np.ptp(rows), np.ptp(cols)) + 1 in range(glyphs.BOX - 2, glyphs.BOX + 1)
    assert abs((rows.min() + rows.max()) / 2 - glyphs.SIZE / 2) <= 1.5
    assert abs((cols.min() + cols.max()) / 2 - glyphs.SIZE / 2) <= 1.5


def test_augmentation_is_deterministic_by_seed(fonts):
    few = [f for f in fonts if f.family in ("DejaVu Sans", "URW Gothic")]
    a = glyphs.glyphs_load(train_copies=1, test_copies=1, seed=3, fonts=few, classes="AB1")
    b = glyphs.glyphs_load(train_copies=1, test_copies=1, seed=3, fonts=few, classes="AB1")
    c = glyphs.glyphs_load(train_copies=1, test_copies=1, seed=4, fonts=few, classes="AB1")
    np.testing.assert_array_equal(a.x_train, b.x_train)
    np.testing.assert_array_equal(a.y_train, b.y_train)
    assert not np.array_equal(a.x_train, c.x_train)
    assert a.x_train.shape == (2 * 3, 1, 32, 32) and a.x_test.shape == (4 * 3, 1, 32, 32)
    assert {f.family for f in a.test_fonts} == {"URW Gothic"}
    assert 0.0 <= a.x_train.min() and a.x_train.max() <= 1.0
    # Every sample still shows its glyph: augmentation never wipes it out or pushes it off the image.
    assert (a.x_train.reshape(len(a.x_train), -1) > 0.5).sum(axis=1).min() >= 15


def test_missing_fonts_say_how_to_install(tmp_path):
    with pytest.raises(glyphs.FontsMissing, match=r"install_fonts\.sh"):
        glyphs.fonts_find(tmp_path)


def test_fingerprint_follows_the_font_files(fonts):
    assert glyphs.fonts_fingerprint(fonts) == glyphs.fonts_fingerprint(list(fonts))
    assert glyphs.fonts_fingerprint(fonts[:-1]) != glyphs.fonts_fingerprint(fonts)
