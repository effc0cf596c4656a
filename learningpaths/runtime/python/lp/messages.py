"""What ``lp`` writes for a pupil (the widget jobs' problems), in the lesson's language.

The language itself is one fact kept by the engine (``engine.messages``, which also renders
``Neuron.explain`` and ``summary()``): the page's worker calls :func:`set_language` with the lesson's
language before each cell and widget job.
"""

from __future__ import annotations

NL = {
    "between 2 and 5 classes, received {n}": "tussen 2 en 5 klassen, niet {n}",
    "give one label per example": "geef elk voorbeeld één label",
    "at most {max} examples, received {n}": "hoogstens {max} voorbeelden, niet {n}",
    "every example is 64 numbers from 0 to 1 (8 by 8 pixels)": (
        "elk voorbeeld is 64 getallen van 0 tot 1 (8 bij 8 pixels)"
    ),
    "labels are class numbers 0 to {last}": "labels zijn klassennummers van 0 tot {last}",
    "every class needs at least 2 examples (one to learn from, one to test)": (
        "elke klasse heeft minstens 2 voorbeelden nodig (één om van te leren, één om te testen)"
    ),
}


def set_language(code) -> str:
    """Speak the lesson's language (``"nl"``, ``"en"``; ``"nl-BE"`` counts as ``"nl"``); a language
    without texts falls back to English, so a page in another language still runs its cells."""
    import engine.messages

    try:
        return engine.messages.set_language(code)
    except ValueError:
        return engine.messages.set_language("en")


def language() -> str:
    import engine.messages

    return engine.messages.language()


def text(msgid: str, **fields) -> str:
    chosen = NL.get(msgid, msgid) if language() == "nl" else msgid
    return chosen.format(**fields) if fields else chosen
