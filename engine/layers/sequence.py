"""The input handling shared by layers over sequences ``(batch, time, features)``."""

from __future__ import annotations

from ..errors import ConfigError
from .base import Layer


class _SequenceLayer(Layer):
    """Any number of time steps, a fixed number of features; a message naming the usual fix."""

    def input_spec(self, input_shape):
        if len(input_shape) != 2:
            raise ConfigError(
                f"{self.describe()} takes sequences (batch, time, features); "
                f"it was built for per-sample shape {tuple(input_shape)}."
            )
        return (None, "time", input_shape[-1])

    def _shape_hint(self, shape):
        if len(shape) == 3:
            return ""
        return f"{type(self).__name__} takes (batch, time, features), e.g. after an Embedding."
