"""Readable names for SKOS concept URIs (themes), in English and Dutch."""

from __future__ import annotations

from urllib.parse import unquote

from django.utils.translation import get_language

# Concepts our own content uses, plus the most common i-Learn ones. Anything else gets a name
# derived from the URI's last segment ("s-computers-en-systemen" -> "Computers en systemen").
KNOWN = {
    "s-computers-en-systemen": {"en": "Computers and systems", "nl": "Computers en systemen"},
    "s-artificiele-intelligentie": {"en": "Artificial intelligence", "nl": "Artificiële intelligentie"},
    "s-digitale-media-en-toepassingen": {
        "en": "Digital media and applications",
        "nl": "Digitale media en toepassingen",
    },
    "s-maatschappelijke-impact": {"en": "Impact on society", "nl": "Maatschappelijke impact"},
    "s-wiskunde": {"en": "Mathematics", "nl": "Wiskunde"},
    "s-wiskunde-algebra": {"en": "Algebra", "nl": "Algebra"},
    "s-wetenschappen": {"en": "Sciences", "nl": "Wetenschappen"},
    "s-stem": {"en": "STEM", "nl": "STEM"},
    "deep-learning": {"en": "Deep learning", "nl": "Deep learning"},
    "neural-networks": {"en": "Neural networks", "nl": "Neurale netwerken"},
    "machine-learning": {"en": "Machine learning", "nl": "Machinaal leren"},
}


def slug(uri: str) -> str:
    return unquote(uri.rstrip("/").rsplit("/", 1)[-1])


def theme_name(uri: str, language: str | None = None) -> str:
    key = slug(uri)
    lang = (language or get_language() or "en")[:2]
    if key in KNOWN:
        return KNOWN[key].get(lang, KNOWN[key]["en"])
    words = key[2:] if key.startswith("s-") else key
    words = words.replace("-", " ").replace("_", " ").strip()
    return words[:1].upper() + words[1:] if words else uri
