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
