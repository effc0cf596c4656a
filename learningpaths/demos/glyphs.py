"""Letters and digits at 32x32, rendered offline from the fonts of Debian's font packages.

Each (font, character) is rendered once, large, and cropped to its ink; every sample is then made
from that crop by augmentation: thinner or bolder strokes (erosion or dilation), a small rotation,
a size and a shift, and pixel noise, deterministic by seed. The glyph is white on black and scaled
so that its longer side fills ``BOX`` pixels around the centre, which is how the widget normalises
a drawing (``static/js/runtime/widgets/glyph.js``).

Whole font families are held out for the test set (``TEST_FAMILIES``), so the test accuracy means
"on typefaces it never saw". The fonts and their licences: ``data/README.md``; the setup installs
the packages with ``scripts/install_fonts.sh``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

CLASSES = tuple("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
SIZE = 32  # the model's input, SIZE x SIZE
BOX = 24  # the longer side of a glyph before augmentation, as the widget scales a drawing
FONT_ROOT = Path("/usr/share/fonts")
# Debian package -> (folder under FONT_ROOT, files). Symbol, dingbat and script faces are left out.
FONT_PACKAGES: dict[str, tuple[str, tuple[str, ...]]] = {
    "fonts-dejavu-core": (
        "truetype/dejavu",
        ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSansMono.ttf", "DejaVuSansMono-Bold.ttf")
        + ("DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf"),
    ),
    "fonts-liberation": ("truetype/liberation", ("*.ttf",)),
    "fonts-freefont-ttf": ("truetype/freefont", ("*.ttf",)),
    "fonts-urw-base35": ("opentype/urw-base35", ("*.otf",)),
}
EXCLUDED = ("StandardSymbolsPS.otf", "D050000L.otf", "Z003-MediumItalic.otf")
# Families never seen in training: a geometric sans, a Palatino-like serif, two monospaced faces
# and a Times-like serif. (Some training families are metric clones of others, e.g. Liberation
# Sans and Nimbus Sans; none of these five has its clone in training except FreeSerif/Nimbus Roman.)
TEST_FAMILIES = ("URW Gothic", "P052", "Liberation Mono", "DejaVu Sans Mono", "FreeSerif")


class FontsMissing(Exception):
    """The font packages are not installed."""


@dataclass(frozen=True)
class Font:
    path: Path
    family: str
    style: str
    package: str


def fonts_find(root: Path = FONT_ROOT) -> list[Font]:
    """The installed fonts of ``FONT_PACKAGES``, sorted by path (so the data does not depend on the
    order the file system lists them)."""
    from PIL import ImageFont

    found = []
    for package, (folder, patterns) in FONT_PACKAGES.items():
        for pattern in patterns:
            for path in sorted((root / folder).glob(pattern)):
                if path.name in EXCLUDED:
                    continue
                family, style = ImageFont.truetype(str(path), 12).getname()
                found.append(Font(path, family or path.stem, style or "", package))
    found.sort(key=lambda f: str(f.path))
    train = [f for f in found if f.family not in TEST_FAMILIES]
    test = [f for f in found if f.family in TEST_FAMILIES]
    if not train or not test:
        raise FontsMissing(
            f"found {len(train)} training and {len(test)} test fonts under {root}; install the font "
            f"packages with `scripts/install_fonts.sh` ({', '.join(FONT_PACKAGES)})"
        )
    return found


def fonts_fingerprint(fonts: list[Font]) -> str:
    """sha256 over the fonts' names and bytes: the glyph data changes exactly when this does."""
    digest = hashlib.sha256()
    for font in fonts:
        digest.update(f"{font.path.name}\0{font.family}\0{font.style}\0".encode())
        digest.update(hashlib.sha256(font.path.read_bytes()).digest())
    return digest.hexdigest()


@cache
def _ink(path: Path, char: str, stroke: int = 0):
    """The character rendered white on black at 96 px, cropped to its ink (a PIL image, mode L);
    ``stroke`` -1 erodes it (unless that would wipe out thin strokes), 1 and 2 dilate it."""
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    if stroke:
        img = _ink(path, char)
        if stroke > 0:
            return img.filter(ImageFilter.MaxFilter(4 * stroke + 1))
        thin = img.filter(ImageFilter.MinFilter(3))
        ink = np.asarray(img, dtype=np.float32).sum()
        return thin if np.asarray(thin, dtype=np.float32).sum() > 0.6 * ink else img
    font = ImageFont.truetype(str(path), 96)
    canvas = Image.new("L", (192, 192), 0)
    ImageDraw.Draw(canvas).text((48, 24), char, fill=255, font=font)
    box = canvas.getbbox()
    if box is None:
        raise FontsMissing(f"{path.name} has no glyph for {char!r}")
    return canvas.crop(box)


def glyph_render(path: Path, char: str, rng: np.random.Generator | None = None) -> np.ndarray:
    """One (SIZE, SIZE) float32 image in [0, 1]; augmented when ``rng`` is given, else the plain
    glyph, its longer side BOX pixels, centred."""
    from PIL import Image

    img = _ink(path, char)
    side, angle, dx, dy, noise = BOX, 0.0, 0, 0, 0.0
    if rng is not None:
        img = _ink(path, char, int(rng.integers(-1, 3)))  # -1 thinner, 0 as drawn, 1-2 bolder
        angle = float(rng.uniform(-12, 12))
        side = int(rng.integers(BOX - 5, BOX + 3))
        dx, dy = (int(v) for v in rng.integers(-2, 3, size=2))
        noise = float(rng.uniform(0, 0.08))
    if angle:
        img = img.rotate(angle, resample=Image.Resampling.BILINEAR, expand=True, fillcolor=0)
        img = img.crop(img.getbbox() or (0, 0, 1, 1))
    w, h = img.size
    scale = side / max(w, h)
    w, h = max(1, round(w * scale)), max(1, round(h * scale))
    img = img.resize((w, h), Image.Resampling.BOX if scale < 1 else Image.Resampling.BILINEAR)
    out = Image.new("L", (SIZE, SIZE), 0)
    out.paste(img, ((SIZE - w) // 2 + dx, (SIZE - h) // 2 + dy))
    x = np.asarray(out, dtype=np.float32) / 255.0
    if noise:
        x = np.clip(x + rng.normal(0.0, noise, x.shape).astype(np.float32), 0.0, 1.0)
    return x


@dataclass(frozen=True)
class GlyphData:
    x_train: np.ndarray  # float32 (N, 1, SIZE, SIZE)
    y_train: np.ndarray  # int64 (N,), indices into CLASSES
    x_test: np.ndarray
    y_test: np.ndarray
    train_fonts: tuple[Font, ...]
    test_fonts: tuple[Font, ...]


def _samples(fonts, copies: int, rng: np.random.Generator, classes) -> tuple[np.ndarray, np.ndarray]:
    xs, ys = [], []
    for font in fonts:
        for label, char in enumerate(classes):
            for _ in range(copies):
                xs.append(glyph_render(font.path, char, rng))
                ys.append(label)
    return np.stack(xs)[:, None].astype(np.float32), np.asarray(ys, dtype=np.int64)


def glyphs_load(
    *, train_copies: int = 6, test_copies: int = 2, seed: int = 0, fonts: list[Font] | None = None, classes=CLASSES
) -> GlyphData:
    """Augmented samples: ``train_copies`` per training font and class, ``test_copies`` per test
    font and class (the test fonts augmented too, with their own random stream)."""
    fonts = fonts_find() if fonts is None else fonts
    train = tuple(f for f in fonts if f.family not in TEST_FAMILIES)
    test = tuple(f for f in fonts if f.family in TEST_FAMILIES)
    train_rng, test_rng = (np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(2))
    x_train, y_train = _samples(train, train_copies, train_rng, classes)
    x_test, y_test = _samples(test, test_copies, test_rng, classes)
    order = train_rng.permutation(len(x_train))
    return GlyphData(x_train[order], y_train[order], x_test, y_test, train, test)
