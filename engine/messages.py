"""The few texts the engine writes for a pupil to read (``Neuron.explain``, ``summary()``, the
verbose ``fit``), in the lesson's language: English, or Dutch after ``set_language("nl")``.

The page's worker sets the language of the lesson before each cell (``lp.set_language``); this
module holds that one fact, and ``lp`` reads it here for its own texts. Error messages stay English
(they name the API, whose names are English too).

>>> set_language("nl")
'nl'
>>> text("Total params: {n}", n=3), number(0.25)
('Parameters in totaal: 3', '0,25')
>>> set_language("en")
'en'
"""

from __future__ import annotations

from .errors import ConfigError

LANGUAGES = ("en", "nl")
_current = ["en"]

NL = {
    # Neuron.explain (engine/neuron.py): the labels are padded to one width, the values line up
    "inputs x": "inputs x",
    "weights w": "gewichten w",
    "products w*x": "producten w*x",
    "sum + bias": "som + bias",
    # Sequential.summary (engine/model.py)
    "Layer (type)": "Laag (soort)",
    "Output shape": "Vorm van de output",
    "Params": "Parameters",
    "batch": "batch",
    "Total params: {n}": "Parameters in totaal: {n}",
    "Trainable params: {n}": "Trainbare parameters: {n}",
    "Non-trainable params: {n}": "Niet-trainbare (bevroren) parameters: {n}",
    # ProgressPrinter (engine/callbacks.py, fit(verbose=True))
    "epoch": "epoch",
}
TABLES = {"nl": NL}


def set_language(code: str) -> str:
    """Speak ``code`` (``"en"``, ``"nl"``; a region such as ``"nl-BE"`` counts as its language).
    Returns the language chosen; an unknown one is a ConfigError naming the known ones."""
    base = str(code).strip().lower().replace("_", "-").split("-")[0]
    if base not in LANGUAGES:
        raise ConfigError(f"set_language: received {code!r}, expected one of {', '.join(LANGUAGES)}.")
    _current[0] = base
    return base


def language() -> str:
    """The language texts are written in now."""
    return _current[0]


def number(value: float) -> str:
    """``value`` as ``:g`` writes it, with the decimal comma in Dutch (0,25)."""
    written = f"{value:g}"
    return written.replace(".", ",") if _current[0] == "nl" else written


def numbers(values) -> str:
    """A list of numbers: ``[0.5, -1.0]``; in Dutch ``[0,5; -1]`` (the comma is the decimal sign there)."""
    if _current[0] != "nl":
        return str(list(values))
    return "[" + "; ".join(number(v) for v in values) + "]"


def text(msgid: str, **fields) -> str:
    """``msgid`` in the current language (English when the table has no entry), fields filled in."""
    chosen = TABLES.get(_current[0], {}).get(msgid, msgid)
    return chosen.format(**fields) if fields else chosen
