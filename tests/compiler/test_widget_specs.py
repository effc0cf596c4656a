"""The widget registry: values typed or refused with a reason, and the browser code reading only
parameters the registry declares (so the compiler's checks cover what the widgets use)."""

from __future__ import annotations

import re

import pytest

from learningpaths.compiler.widget_specs import WIDGETS, ParamError

from .helpers import REPO_ROOT

WIDGET_JS = REPO_ROOT / "static" / "js" / "runtime" / "widgets"


@pytest.mark.parametrize(
    "widget,name,raw,value",
    [
        ("neuron", "weights", "0.5, -1", [0.5, -1]),
        ("neuron", "bias", "\u22122", -2),  # a typographic minus, as word processors write it
        ("neuron", "activation", "Sigmoid", "sigmoid"),
        ("activation", "derivative", "", True),
        ("activation", "derivative", "no", False),
        ("activation", "functions", "relu;tanh", ["relu", "tanh"]),
        ("playground", "layers", "8 8 4", [8, 8, 4]),
        ("confusion-matrix", "matrix", "50,10;5,35", [[50, 10], [5, 35]]),
        ("confusion-matrix", "labels", "cat,dog", ["cat", "dog"]),
        ("compare-models", "models", "digits-mlp", ["digits-mlp"]),
        ("attention", "model", " embed/attention_model.json ", "embed/attention_model.json"),
    ],
)
def test_values_are_typed(widget, name, raw, value):
    assert WIDGETS[widget].param(name).convert(raw) == value


@pytest.mark.parametrize(
    "widget,name,raw,reason",
    [
        ("neuron", "bias", "0,5", "must be a number (with a decimal point: 0.5), got '0,5'"),
        ("neuron", "bias", "inf", "must be a finite number"),
        ("neuron", "range", "1000", "must be from 0.5 to 100, got 1000"),
        ("neuron", "weights", "1,2,3,4,5,6", "must list 1 to 5 values separated by commas, got 6"),
        ("neuron", "n", "2.5", "must be a whole number, got '2.5'"),
        ("playground", "layers", "8, abc", "must be a whole number, got 'abc'"),
        ("playground", "layers", "8, 100", "must be from 1 to 64, got 100"),
        ("playground", "dataset", "moon", "must be one of moons, circles, xor, spirals, blobs, got 'moon'"),
        ("activation", "derivative", "maybe", "must be true or false, got 'maybe'"),
        ("confusion-matrix", "matrix", "1,2;3", "must be 2 rows of equal length"),
        ("confusion-matrix", "labels", "a,b,c", "must list 2 values separated by commas, got 3"),
        ("attention", "model", "weights.txt", "must be a .json file in the object's folder, got 'weights.txt'"),
    ],
)
def test_bad_values_say_what_was_expected(widget, name, raw, reason):
    with pytest.raises(ParamError) as caught:
        WIDGETS[widget].param(name).convert(raw)
    assert str(caught.value).startswith(reason)


def test_defaults_are_valid_values_of_their_parameter():
    for widget in WIDGETS.values():
        for param in widget.params:
            if param.default is None:
                continue
            shown = param.default
            if isinstance(shown, list):
                shown = ",".join(map(str, shown))
            elif isinstance(shown, bool):
                shown = str(shown).lower()
            assert param.convert(str(shown)) == param.default, (widget.name, param.name)


def test_the_browser_code_reads_only_declared_parameters():
    for widget in WIDGETS.values():
        module = WIDGET_JS / widget.module
        assert module.is_file(), f"{widget.name}: {module} is missing"
    for module in {w.module for w in WIDGETS.values()}:
        declared = {p.name for w in WIDGETS.values() if w.module == module for p in w.params}
        used = set(re.findall(r"\bparams\.(\w+)", (WIDGET_JS / module).read_text()))
        assert used <= declared, f"{module} reads {sorted(used - declared)}, which the registry does not declare"


# -- no default kept twice: the registry's reach the widget through widgets/index.js, never a copy --
# A widget module repeating a default reads it as a fallback on its parameter: `params.x || "a"`,
# `cfg.x ?? 3`, `num(params.x, 3)`, `bool(params.x, true)`, `list(params.x, Number, [8])`, or a key
# set before `...params` in an object literal. (`cfg` is what curves.js and playground.js call their
# copy of params.) A fallback on a parameter without a default is the widget's own decision.
_SOURCE = r"(?:params|cfg)\.(\w+)"
_OR = re.compile(rf"\b{_SOURCE}\s*(?:\|\||\?\?)")
_HELPER = re.compile(rf"\b(num|bool|list)\(\s*{_SOURCE}\s*")
_SPREAD = re.compile(r"\.\.\.(?:params|cfg)\b")
_FALLBACK_AT = {"num": 1, "bool": 1, "list": 2}  # the argument that is the fallback (ui.js)


def _top_level(text: str, start: int, close: str) -> tuple[list[tuple[int, str]], int]:
    """Pieces of ``text`` from ``start`` split at top-level commas, up to the bracket ``close``
    that ends them: [(offset, piece)], and the offset of ``close``. Strings and nested brackets are skipped."""
    pairs = {"(": ")", "[": "]", "{": "}"}
    depth, i, piece_start, pieces, quote = [], start, start, [], None
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = None
        elif ch in "\"'`":
            quote = ch
        elif ch in pairs:
            depth.append(pairs[ch])
        elif depth and ch == depth[-1]:
            depth.pop()
        elif not depth and ch in (close, ","):
            pieces.append((piece_start, text[piece_start:i]))
            if ch == close:
                return pieces, i
            piece_start = i + 1
        i += 1
    raise ValueError(f"no '{close}' after offset {start}")


def _object_start(text: str, at: int) -> int:
    """The offset of the ``{`` that opens the object literal holding offset ``at``."""
    depth = 0
    for i in range(at - 1, -1, -1):
        if text[i] in ")]}":
            depth += 1
        elif text[i] in "([{":
            if depth == 0:
                return i
            depth -= 1
    raise ValueError(f"no object around offset {at}")


def repeated_defaults(source: str, defaults: set[str]) -> list[tuple[int, str]]:
    """(line, what) for each place in ``source`` that gives one of ``defaults`` a value of its own."""
    found: list[tuple[int, str]] = []
    line = lambda offset: source.count("\n", 0, offset) + 1  # noqa: E731
    for m in _OR.finditer(source):
        if m.group(1) in defaults:
            found.append((line(m.start()), f"a fallback for '{m.group(1)}'"))
    for m in _HELPER.finditer(source):
        helper, name = m.group(1), m.group(2)
        args, _ = _top_level(source, m.start() + len(helper) + 1, ")")
        if name in defaults and len(args) > _FALLBACK_AT[helper]:
            found.append((line(m.start()), f"{helper}() with a fallback for '{name}'"))
    for m in _SPREAD.finditer(source):
        opening = _object_start(source, m.start())
        entries, _ = _top_level(source, opening + 1, "}")
        for offset, entry in entries:
            key = re.match(r"\s*(\w+)\s*:", entry)
            if key and key.group(1) in defaults:
                found.append((line(offset + key.start(1)), f"'{key.group(1)}' set beside ...params"))
    return sorted(found)


def test_the_drift_check_finds_each_way_of_repeating_a_default():
    source = (
        'const a = params.model || "glyphs-cnn";\n'
        "cfg.epochs = cfg.epochs ?? (lrMode ? 100 : 30);\n"
        "const r = num(params.range, 3), t = num(params.title);\n"
        'const f = list(params.functions, (s) => String(s).toLowerCase(), ["relu"]);\n'
        "const m = list(params.modes, String);\n"
        'const cfg = { dataset: "moons", resolution: 40, f: g(1, 2), ...params };\n'
    )
    assert repeated_defaults(source, {"model", "epochs", "range", "functions", "modes", "dataset"}) == [
        (1, "a fallback for 'model'"),
        (2, "a fallback for 'epochs'"),
        (3, "num() with a fallback for 'range'"),
        (4, "list() with a fallback for 'functions'"),
        (6, "'dataset' set beside ...params"),
    ]


def test_no_widget_module_repeats_a_default_of_the_registry():
    problems = []
    for module in sorted({w.module for w in WIDGETS.values()}):
        defaults = {p.name for w in WIDGETS.values() if w.module == module for p in w.params if p.default is not None}
        for line, what in repeated_defaults((WIDGET_JS / module).read_text(), defaults):
            problems.append(f"static/js/runtime/widgets/{module}:{line}: {what}")
    assert not problems, (
        "the registry (learningpaths/compiler/widget_specs.py) has these defaults and widgets/index.js hands "
        "them to the widget; drop the copy:\n" + "\n".join(problems)
    )
