"""Exceptions raised by the engine, and the checks that build their messages.

Every message names the layer or function, says what was expected, what was received and, where
it helps, how to fix it:

>>> from engine import Dense
>>> import numpy as np
>>> Dense(4, input_dim=2, seed=0).forward(np.zeros((5, 3)))
Traceback (most recent call last):
...
engine.errors.ShapeError: Dense 'dense' expected input of shape (batch, 2), received (5, 3).

Arguments carry Keras 3's names; an older name is a TypeError that gives the new one:

>>> from engine import Adam
>>> Adam(lr=0.01)
Traceback (most recent call last):
...
TypeError: Adam: `lr=` is called `learning_rate=` (as in Keras): write learning_rate=0.01.
"""

from __future__ import annotations

import functools
import numbers

import numpy as np


def format_shape(shape) -> str:
    """Format a shape for a message: ``None`` and strings are named axes, e.g. ``(batch, 2)``."""
    parts = ["batch" if s is None else str(s) for s in shape]
    return "(" + ", ".join(parts) + ("," if len(parts) == 1 else "") + ")"


class ShapeError(ValueError):
    """An array reached a layer, loss or metric with the wrong shape.

    Attributes ``layer`` (a description such as ``"Dense 'dense_1'"``), ``expected`` and ``received``
    (shapes, where ``"batch"`` or other names mark free axes) let callers build their own message.
    """

    def __init__(self, layer: str, expected, received, hint: str = ""):
        self.layer = layer
        self.expected = tuple(expected)
        self.received = tuple(received)
        message = (
            f"{layer} expected input of shape {format_shape(self.expected)}, received {format_shape(self.received)}."
        )
        if hint:
            message += " " + hint
        super().__init__(message)


class ConfigError(ValueError):
    """A layer, loss, optimizer or model was configured with an invalid value, or used out of order
    (``backward`` before ``forward``, ``fit`` before ``compile``)."""


class DataError(ValueError):
    """The values of the data cannot be used: text instead of numbers, an empty set, labels outside
    the classes, "probabilities" outside [0, 1]."""


def unknown_name(kind: str, name, valid) -> ConfigError:
    """Build the error for an unknown registry name, listing the valid ones."""
    return ConfigError(f"Unknown {kind} {name!r}. Valid names: {', '.join(sorted(valid))}.")


def check_positive_int(owner: str, argument: str, value) -> int:
    """Return ``value`` as an int if it is a positive integer (NumPy's too), else raise a ConfigError naming it."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value <= 0:
        raise ConfigError(
            f"{owner}: received an invalid value for `{argument}`, expected a positive integer. "
            f"Received: {argument}={value!r}"
        )
    return int(value)


def as_numbers(x, owner: str, what: str = "input") -> np.ndarray:
    """``x`` as a NumPy array of numbers (bool, int or float); a DataError for text, objects or
    ragged lists, saying how to turn them into numbers."""
    try:
        array = x if isinstance(x, np.ndarray) else np.asarray(x)
    except ValueError as exc:  # ragged nested lists
        raise DataError(
            f"{owner}: the {what} is not a regular array (rows of different lengths?): {str(exc).rstrip('.')}. "
            "Give every sample the same number of values."
        ) from None
    if array.dtype.kind not in "biuf":
        kind = "text" if array.dtype.kind in "US" else f"values of dtype {array.dtype}"
        raise DataError(
            f"{owner}: the {what} holds {kind}, expected numbers. Turn categories into numbers first, "
            "e.g. with a dict {'cat': 0, 'dog': 1} (and engine.data.one_hot for one column per category)."
        )
    return array


# -- renamed arguments and attributes ----------------------------------------------------------
def renamed_message(owner: str, old: str, new: str, value=None) -> str:
    example = f": write {new}={value!r}" if value is not None else ""
    return f"{owner}: `{old}=` is called `{new}=` (as in Keras){example}."


def renamed_arguments(**renames: str):
    """Decorate a function (or ``__init__``) whose keyword arguments took Keras 3's names: passing
    an old name raises a TypeError naming the new one, instead of being accepted silently.

    The map is kept as ``fn.renamed_arguments`` (old name -> new name), e.g. for loading files
    written before the rename.
    """

    def decorate(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            old = next((name for name in renames if name in kwargs), None)
            if old is not None:
                owner = type(args[0]).__name__ if fn.__name__ == "__init__" else fn.__qualname__
                raise TypeError(renamed_message(owner, old, renames[old], kwargs[old]))
            return fn(*args, **kwargs)

        wrapper.renamed_arguments = dict(renames)  # type: ignore[attr-defined]
        return wrapper

    return decorate


class Renamed:
    """A class attribute standing for a renamed one: reading or setting ``obj.old`` raises an
    AttributeError naming the new attribute (setting it would otherwise change nothing, silently)."""

    def __init__(self, new: str):
        self.new = new
        self.old = ""

    def __set_name__(self, owner, name):
        self.old = name

    def _error(self, obj) -> AttributeError:
        return AttributeError(f"{type(obj).__name__}: `{self.old}` is called `{self.new}` (as in Keras).")

    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        raise self._error(obj)

    def __set__(self, obj, value):
        raise self._error(obj)
