"""Every widget and its parameters, in one place (issue 19): the compiler checks and types what an
author writes, ``{% runtime_config_script %}`` hands the same table to the page (which module,
whether it needs Python, the defaults), and docs/authoring.md's widget table is generated from it.

An author writes ``![A neuron](@widget/neuron?weights=0.5,-1&activation=sigmoid)``; the compiler
turns each value into its JSON type (numbers, lists, booleans) or reports it at its line with what
was expected: an unknown name with "did you mean", a wrong type, a value out of range, a choice
that does not exist. The page then gets only values its widget can use.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

ACTIVATIONS = ("step", "identity", "linear", "relu", "leaky_relu", "sigmoid", "tanh")
DATASETS = ("moons", "circles", "xor", "spirals", "blobs")
MODES = ("stochastic", "mini-batch", "batch")
OPTIMIZERS = ("sgd", "adam")
KERNELS = ("vertical-edge", "horizontal-edge", "diagonal-edge", "blur", "sharpen", "outline", "identity")
_SPLIT = re.compile(r"[\s,;]+")
# Old parameter names that took the engine's Keras names (docs/engine.md): the hint says so.
RENAMED = {"lr": "learning_rate"}


class ParamError(ValueError):
    """What is wrong with one value, as the sentence's second half: "must be ..., got ..."."""


@dataclass(frozen=True)
class Param:
    name: str
    kind: str  # number | integer | boolean | choice | text | numbers | integers | choices | texts | matrix | file
    doc: str
    default: Any = None  # None: the widget works without it (and decides itself)
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] = ()
    items: tuple[int, int] = (1, 64)  # how many items a list may have

    def convert(self, raw: str) -> Any:
        text = raw.strip()
        if self.kind == "file":  # a file in the object's folder: the renderer turns it into its asset URL
            if not text.lower().endswith(self.choices):
                raise ParamError(f"must be a {' or '.join(self.choices)} file in the object's folder, got '{raw}'")
            return text
        if self.kind == "text":
            if len(text) > 200:
                raise ParamError(f"must be at most 200 characters, got {len(text)}")
            return text
        if self.kind == "boolean":
            lowered = text.lower()
            if lowered in ("true", "yes", "on", "1", ""):
                return True
            if lowered in ("false", "no", "off", "0"):
                return False
            raise ParamError(f"must be true or false, got '{raw}'")
        if self.kind == "choice":
            return self._choice(text)
        if self.kind == "matrix":  # rows separated by ';', numbers by ',': "50,10;5,35"
            rows = [self.with_kind("numbers").convert(row) for row in text.split(";")]
            if len({len(r) for r in rows}) != 1 or not self.items[0] <= len(rows) <= self.items[1]:
                raise ParamError(f"must be {_count(*self.items)} rows of equal length, like 50,10;5,35, got '{raw}'")
            return rows
        if self.kind in ("numbers", "integers", "choices", "texts"):
            parts = [p for p in _SPLIT.split(text) if p]
            low, high = self.items
            if not low <= len(parts) <= high:
                raise ParamError(f"must list {_count(low, high)} values separated by commas, got {len(parts)}")
            converters: dict[str, Callable[[str], Any]] = {
                "numbers": self._number,
                "integers": self._integer,
                "choices": self._choice,
                "texts": str,
            }
            one = converters[self.kind]
            return [one(p) for p in parts]
        return self._number(text) if self.kind == "number" else self._integer(text)

    def with_kind(self, kind: str) -> Param:
        return Param(self.name, kind, self.doc, None, self.low, self.high, self.choices, (1, 1000))

    def _number(self, text: str) -> float | int:
        try:
            value = float(text.replace("\u2212", "-"))  # a typographic minus, as word processors write it
        except ValueError:
            raise ParamError(f"must be a number (with a decimal point: 0.5), got '{text}'") from None
        if not math.isfinite(value):
            raise ParamError(f"must be a finite number, got '{text}'")
        self._range(value, text)
        return int(value) if value.is_integer() and "." not in text and "e" not in text.lower() else value

    def _integer(self, text: str) -> int:
        if not re.fullmatch(r"[+-]?\d{1,9}", text):
            raise ParamError(f"must be a whole number, got '{text}'")
        value = int(text)
        self._range(value, text)
        return value

    def _range(self, value: float, text: str) -> None:
        if (self.low is not None and value < self.low) or (self.high is not None and value > self.high):
            raise ParamError(f"must be from {_num(self.low)} to {_num(self.high)}, got {text}")

    def _choice(self, text: str) -> str:
        """The choice as the registry writes it, whatever the case the author typed (`Tanh`, `a`)."""
        for choice in self.choices:
            if choice.lower() == text.lower():
                return choice
        raise ParamError(f"must be one of {', '.join(self.choices)}, got '{text}'")

    def describe(self) -> str:
        """The kind of value, for the reference table."""
        span = f" from {_num(self.low)} to {_num(self.high)}" if self.low is not None and self.high is not None else ""
        return {
            "number": f"number{span}",
            "integer": f"whole number{span}",
            "boolean": "`true` / `false`",
            "choice": " / ".join(f"`{c}`" for c in self.choices),
            "numbers": f"numbers{span}, comma-separated ({_count(*self.items)})",
            "integers": f"whole numbers{span}, comma-separated ({_count(*self.items)})",
            "choices": "some of " + ", ".join(f"`{c}`" for c in self.choices),
            "texts": f"words, comma-separated ({_count(*self.items)})",
            "matrix": f"rows of numbers: `50,10;5,35` ({_count(*self.items)} rows)",
            "text": "text",
            "file": "a " + " / ".join(f"`{c}`" for c in self.choices) + " file in the object's folder",
        }[self.kind]


def _num(value: float | None) -> str:
    return "" if value is None else (str(int(value)) if float(value).is_integer() else str(value))


def _count(low: int, high: int) -> str:
    return f"{low}" if low == high else f"{low} to {high}"


@dataclass(frozen=True)
class Widget:
    name: str
    module: str  # static/js/runtime/widgets/<module>
    doc: str
    python: bool = False  # trains in the page's Python worker (the page then boots Pyodide)
    params: tuple[Param, ...] = field(default_factory=tuple)

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)

    @property
    def defaults(self) -> dict[str, Any]:
        return {p.name: p.default for p in self.params if p.default is not None}


_TITLE = Param("title", "text", "the heading shown above the widget (default: the widget's own)")
# The glyphs the server demos know (as learningpaths/demos/glyphs.py CLASSES; the compiler imports no
# site code, and a test checks the two agree).
GLYPHS = tuple("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _training(*, learning_rate: float, epochs: int, layers: list[int]) -> tuple[Param, ...]:
    """What every widget that trains a small network on a 2-D data set takes."""
    return (
        Param("dataset", "choice", "the data set", "moons", choices=DATASETS),
        Param("n", "integer", "number of points", 200, 10, 2000),
        Param("noise", "number", "how noisy the points are", 0.1, 0, 1),
        Param("seed", "integer", "random seed (the same seed gives the same data and weights)", 0, 0, 2**31 - 1),
        Param("layers", "integers", "neurons per hidden layer", layers, 1, 64, items=(1, 6)),
        Param("activation", "choice", "activation of the hidden layers", "tanh", choices=ACTIVATIONS[1:]),
        Param("optimizer", "choice", "the optimizer", "sgd", choices=OPTIMIZERS),
        Param("learning_rate", "number", "the learning rate (Keras's name)", learning_rate, 0.00001, 100),
        Param("mode", "choice", "how many points one step sees", "batch", choices=MODES),
        Param("batch_size", "integer", "points per step in mini-batch mode", 16, 1, 1000),
        Param("epochs", "integer", "epochs to train", epochs, 1, 100_000),
    )


WIDGETS: dict[str, Widget] = {
    w.name: w
    for w in (
        Widget(
            "neuron",
            "neuron.js",
            "one neuron, y = f(w·x + b), with sliders for inputs, weights and bias",
            params=(
                Param("inputs", "numbers", "start values of the inputs x1, x2, ...", None, -100, 100, items=(1, 5)),
                Param("weights", "numbers", "start values of the weights w1, w2, ...", None, -100, 100, items=(1, 5)),
                Param("n", "integer", "number of inputs when no inputs or weights are given", 2, 1, 5),
                Param("bias", "number", "the bias b", 0, -100, 100),
                Param("activation", "choice", "the activation function", "step", choices=ACTIVATIONS),
                Param("range", "number", "the sliders go from -range to range", 3, 0.5, 100),
                _TITLE,
            ),
        ),
        Widget(
            "activation",
            "activation.js",
            "activation functions drawn side by side, with their derivatives on request",
            params=(
                Param(
                    "functions",
                    "choices",
                    "the functions ticked at the start",
                    ["sigmoid", "tanh", "relu"],
                    choices=ACTIVATIONS,
                    items=(1, 7),
                ),
                Param("range", "number", "the z axis goes from -range to range", 5, 0.5, 100),
                Param("derivative", "boolean", "show the derivatives", False),
                _TITLE,
            ),
        ),
        Widget(
            "playground",
            "playground.js",
            "a TensorFlow-Playground-style trainer: data set, layers, activation, learning rate, batch mode",
            python=True,
            params=(
                *_training(learning_rate=0.1, epochs=1000, layers=[8, 8]),
                Param("test_fraction", "number", "share of the points kept apart for testing", 0, 0, 0.9),
                _TITLE,
            ),
        ),
        Widget(
            "convolution",
            "convolution.js",
            "a 3x3 convolution over an image you draw, then ReLU and 2x2 pooling",
            params=(
                Param("size", "integer", "image size in pixels", 12, 6, 28),
                Param("kernel", "choice", "the kernel at the start", "vertical-edge", choices=KERNELS),
                Param("image", "choice", "the picture at the start", "cross", choices=("cross", "square", "empty")),
                Param("pooling", "choice", "the pooling after the convolution", "max", choices=("max", "avg", "none")),
                Param("relu", "boolean", "apply ReLU to the feature map", True),
                _TITLE,
            ),
        ),
        Widget(
            "learning-rate",
            "curves.js",
            "one loss curve per learning rate, the same data and start weights",
            python=True,
            params=(
                Param("rates", "numbers", "the learning rates compared", [0.01, 0.1, 1], 0.00001, 100, items=(1, 6)),
                *_training(learning_rate=0.1, epochs=100, layers=[8]),
                _TITLE,
            ),
        ),
        Widget(
            "batch-modes",
            "curves.js",
            "stochastic, mini-batch and batch gradient descent side by side",
            python=True,
            params=(
                Param("modes", "choices", "the modes compared", list(MODES), choices=MODES, items=(1, 3)),
                *_training(learning_rate=0.05, epochs=30, layers=[8]),
                _TITLE,
            ),
        ),
        Widget(
            "confusion-matrix",
            "confusion.js",
            "a confusion matrix with accuracy, precision, recall and F1; a threshold slider for scores",
            params=(
                Param(
                    "labels",
                    "texts",
                    "the names of the two classes (default: the widget's, in the page's language)",
                    None,
                    items=(2, 2),
                ),
                Param(
                    "matrix",
                    "matrix",
                    "a fixed matrix: true negatives, false positives; false negatives, true positives",
                    None,
                    0,
                    10**9,
                    items=(2, 2),
                ),
                Param("truth", "integers", "true classes (0 or 1) of the examples", None, 0, 1, items=(2, 1000)),
                Param("scores", "numbers", "the model's scores (0 to 1), one per example", None, 0, 1, items=(2, 1000)),
                Param("threshold", "number", "the threshold at the start", 0.5, 0, 1),
                _TITLE,
            ),
        ),
        Widget(
            "finetune",
            "finetune.js",
            "draw examples of your own classes; a pre-trained network's new top layer vs the same network "
            "from scratch: accuracy against examples per class, live (the drawings stay in the browser)",
            python=True,
            params=(
                Param("model", "file", "the pre-trained network, saved by `engine.save`", choices=(".npz",)),
                Param(
                    "classes",
                    "texts",
                    "the class names at the start (the pupil can rename them; default: the widget's, in the page's "
                    "language)",
                    None,
                    items=(2, 5),
                ),
                Param("epochs", "integer", "epochs of each training run", 60, 5, 500),
                _TITLE,
            ),
        ),
        Widget(
            "attention",
            "attention.js",
            "type a sentence; a small trained attention model shows which word looks at which, as a heat map",
            params=(
                Param(
                    "model",
                    "file",
                    "the model's weights (written by content/tools/make_attention_model.py)",
                    choices=(".json",),
                ),
                Param("sentence", "text", "the sentence at the start", "the dog near the cats sleeps"),
                _TITLE,
            ),
        ),
        Widget(
            "digit",
            "server.js",
            "draw a digit; a model on the server recognises it (ONNX Runtime)",
            params=(Param("model", "text", "the server model", "digits-cnn"), _TITLE),
        ),
        Widget(
            "compare-models",
            "server.js",
            "the same drawing sent to several server models, answers side by side",
            params=(Param("models", "texts", "the server models", ["digits-mlp", "digits-cnn"], items=(1, 4)), _TITLE),
        ),
        Widget(
            "glyph",
            "glyph.js",
            "draw a letter or digit; the server's 32x32 CNN gives its top 3 and every conv block's feature maps",
            params=(Param("model", "text", "the server model", "glyphs-cnn"), _TITLE),
        ),
        Widget(
            "glyph-explorer",
            "latent.js",
            "the server's glyph autoencoder: two sliders morph one glyph into another through its latent space; "
            "draw a glyph and see it cleaned up (encoded and decoded)",
            params=(
                Param("model", "text", "the server model", "glyphs-autoencoder"),
                Param("from", "choice", "the first glyph at the start", "A", choices=GLYPHS),
                Param("to", "choice", "the second glyph at the start", "B", choices=GLYPHS),
                _TITLE,
            ),
        ),
        Widget(
            "word-inventor",
            "words.js",
            "a transformer on the server invents Dutch or English words letter by letter; "
            "each word's attention as a heat map",
            params=(
                Param("model", "text", "the server model", "words-transformer"),
                Param("language", "choice", "the language at first (default: the page's)", None, choices=("nl", "en")),
                Param("temperature", "number", "the temperature at the start", 0.8, 0.1, 2),
                Param("count", "integer", "words per click", 5, 1, 8),
                _TITLE,
            ),
        ),
    )
}
