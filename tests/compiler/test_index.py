"""Identities: duplicates at both places, the latest version, hints for references that miss."""

from __future__ import annotations

from learningpaths.compiler.diagnostics import Reporter
from learningpaths.compiler.index import Located, ObjectIndex
from learningpaths.compiler.result import ObjectKey


def index_of(*keys: ObjectKey) -> ObjectIndex:
    index = ObjectIndex()
    for i, key in enumerate(keys):
        index.add(key, f"item{i}", Located(f"c/{i}/index.md", 2, 1), Reporter())
    return index


def test_duplicate_keeps_the_first_and_reports_both():
    reporter = Reporter()
    index = ObjectIndex()
    assert index.add(ObjectKey("a", "nl", 3), "first", Located("c/x/index.md", 2, 1), reporter)
    assert not index.add(ObjectKey("a", "nl", 3), "second", Located("c/y/index.md", 4, 1), reporter)
    assert index.items[ObjectKey("a", "nl", 3)] == "first"
    assert [d.format() for d in reporter.diagnostics] == [
        "c/y/index.md:4:1: error: learning object a/nl/3 is already defined in c/x/index.md:2; this one is left out "
        "[lp.duplicate_id]\n    hint: give one of them another hruid, language or version",
        "c/x/index.md:2:1: error: learning object a/nl/3 is defined again in c/y/index.md:4 [lp.duplicate_id]\n"
        "    hint: give one of them another hruid, language or version",
    ]


def test_latest_and_resolve():
    index = index_of(ObjectKey("a", "nl", 1), ObjectKey("a", "nl", 5), ObjectKey("a", "nl", 3), ObjectKey("a", "en", 1))
    assert index.latest("a", "nl") == 5 and index.latest("a", "fr") is None
    assert index.resolve("a", "nl", None) == ObjectKey("a", "nl", 5)
    assert index.resolve("a", "nl", 3) == ObjectKey("a", "nl", 3)
    assert index.resolve("a", "nl", 4) is None and index.resolve("b", "nl", None) is None


def test_hints_for_missing_references():
    index = index_of(ObjectKey("neuron", "nl", 1), ObjectKey("neuron", "nl", 2), ObjectKey("layer", "en", 1))
    index.rejected.add("broken")
    assert index.explain_missing("neuron", "nl", 7) == "versions that exist: 1, 2"
    assert index.explain_missing("neuron", "fr", 1) == "neuron exists in: nl"
    assert (
        index.explain_missing("broken", "nl", 1)
        == "an object broken was left out because of the errors reported for it"
    )
    assert index.explain_missing("neuronn", "nl", 1) == "did you mean 'neuron'?"
    assert index.explain_missing("layers", "nl", 1) == "did you mean 'layer'?"  # no nl candidate: any language
    assert index.explain_missing("zzz", "nl", 1) == ""
