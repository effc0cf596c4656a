"""Exceptions raised by the engine.

Every message says what was expected, what was received and, where it helps, how to fix it:

>>> from engine import Dense
>>> import numpy as np
>>> Dense(4, input_dim=2, seed=0).forward(np.zeros((5, 3)))
Traceback (most recent call last):
...
engine.errors.ShapeError: Dense 'dense' expected input of shape (batch, 2), received (5, 3).
"""

from __future__ import annotations


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
    """A layer, loss, optimizer or model was configured with an invalid value."""


def unknown_name(kind: str, name, valid) -> ConfigError:
    """Build the error for an unknown registry name, listing the valid ones."""
    return ConfigError(f"Unknown {kind} {name!r}. Valid names: {', '.join(sorted(valid))}.")


def check_positive_int(owner: str, argument: str, value) -> int:
    """Return ``value`` if it is a positive integer, else raise a ConfigError naming it."""
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ConfigError(
            f"{owner}: received an invalid value for `{argument}`, expected a positive integer. "
            f"Received: {argument}={value!r}"
        )
    return value
