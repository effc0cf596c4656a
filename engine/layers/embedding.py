"""Token and position embeddings for sequence models: ``Embedding``, ``PositionEmbedding``,
``SinePositionEncoding``.

Token ids arrive as integers or, after a model's float32 cast, as whole-number floats (exact up
to 2**24); anything else is refused with a message. The two position layers *add* the position
signal to their input, so they fit in a ``Sequential`` after ``Embedding``.
"""

from __future__ import annotations

import numpy as np

from .. import initializers
from ..errors import ConfigError, ShapeError, check_positive_int
from ..parameter import Parameter
from .base import Layer
from .sequence import _SequenceLayer


class Embedding(Layer):
    """A lookup table of learned vectors: ``y[..., :] = E[ids[...], :]`` (like Keras
    ``Embedding`` and ``torch.nn.Embedding``).

    ``E`` has shape ``(input_dim, output_dim)``: row ``i`` is the vector of token ``i``.

    Backward scatters ``g = dL/dy`` into the rows that were looked up (a token used twice gets
    both contributions)::

        dL/dE[i] = sum of g[n, t] over all positions (n, t) with ids[n, t] == i

    The ids are not differentiable, so ``backward`` returns ``None`` (an ``Embedding`` comes first
    in a model). ONNX: ``Cast`` (to int64) + ``Gather(axis=0)``.

    Shape:
        input ``(batch, ...)`` of token ids in ``[0, input_dim)``, usually ``(batch, time)``;
        output ``(batch, ..., output_dim)``.

    Parameters
    ----------
    input_dim : int
        Vocabulary size: the number of rows.
    output_dim : int
        Length of each vector.
    embeddings_initializer : str or callable
        Default ``"uniform"``, U(-0.05, 0.05) as in Keras (PyTorch draws N(0, 1)).

    Example
    -------
    >>> import numpy as np
    >>> layer = Embedding(10, 4, seed=0)
    >>> layer.forward(np.array([[1, 2, 1]])).shape
    (1, 3, 4)
    >>> bool(np.array_equal(layer.output[0, 0], layer.embeddings.value[1]))
    True
    """

    embeddings: Parameter  # created by build()

    def __init__(
        self, input_dim: int, output_dim: int, *, embeddings_initializer="uniform", seed=None, name=None, dtype=None
    ):
        super().__init__(name=name, dtype=dtype, seed=seed)
        self.input_dim = check_positive_int("Embedding", "input_dim", input_dim)
        self.output_dim = check_positive_int("Embedding", "output_dim", output_dim)
        self.embeddings_initializer = initializers.get(embeddings_initializer)

    def build(self, input_shape, rng=None):
        super().build(input_shape)
        shape = (self.input_dim, self.output_dim)
        self.embeddings = Parameter(self.embeddings_initializer(shape, self._rng(rng), self.dtype), name="embeddings")

    def input_spec(self, input_shape):
        return (None, "time") if len(input_shape) == 1 else (None, *input_shape)  # any sequence length

    def compute_output_shape(self, input_shape):
        return (*input_shape, self.output_dim)

    def parameters(self):
        return [self.embeddings] if self.built else []

    def token_ids(self, x) -> np.ndarray:
        """``x`` as int64 ids, or a ConfigError naming the bad values and the fix."""
        x = np.asarray(x)
        if x.dtype.kind == "f":
            ids = x.astype(np.int64)
            if not np.array_equal(ids, x):
                bad = x[ids != x].ravel()[0].item()
                raise ConfigError(
                    f"{self.describe()} takes whole-number token ids, received {bad!r}. "
                    "Pass integer ids (e.g. from a vocabulary lookup), not features."
                )
        elif x.dtype.kind in "iu":
            ids = x.astype(np.int64)
        else:
            raise ConfigError(f"{self.describe()} takes integer token ids, received an array of dtype {x.dtype}.")
        if ids.size and (ids.min() < 0 or ids.max() >= self.input_dim):
            raise ConfigError(
                f"{self.describe()}: token ids must be in [0, {self.input_dim - 1}], received values from "
                f"{ids.min()} to {ids.max()}. Make input_dim at least the vocabulary size ({ids.max() + 1})."
            )
        return ids

    def forward(self, x, *, training=False):
        x = np.asarray(x)
        if not self.built:
            if x.ndim < 1:
                raise ShapeError(self.describe(), ("batch", "time"), x.shape, "Inputs need a batch axis.")
            self.build(x.shape[1:])
        self.check_input_shape(x.shape)
        self._ids = ids = self.token_ids(x)  # saved for backward
        y = self.embeddings.value[ids]
        self.output = y
        return y

    def backward(self, grad_y, *, need_input_grad=True):
        # np.add.at adds every occurrence (a plain fancy-index += would keep only the last one).
        np.add.at(self.embeddings.grad, self._ids.ravel(), grad_y.reshape(-1, self.output_dim))
        return None

    def get_config(self):
        config = {**super().get_config(), "input_dim": self.input_dim, "output_dim": self.output_dim}
        name = initializers.name_of(self.embeddings_initializer)
        if name not in ("uniform", None):
            config["embeddings_initializer"] = name
        return config

    def extra_repr(self):
        return f"{self.input_dim} -> {self.output_dim}"


class _AddPosition(_SequenceLayer):
    """The position layers' forward: ``y = x + P[:time]`` for ``(batch, time, features)``."""

    def table(self, length: int) -> np.ndarray:
        """The position signal ``(length, features)`` added to a sequence of ``length`` steps."""
        raise NotImplementedError

    def forward(self, x, *, training=False):
        x = self._prepare(x)
        y = x + self.table(x.shape[1])
        self.output = y
        return y


class PositionEmbedding(_AddPosition):
    """Learned positions: ``y[n, t] = x[n, t] + P[t]`` with ``P`` of shape ``(sequence_length, features)``.

    Backward: ``dL/dx = g`` and ``dL/dP[t] = sum_n g[n, t]`` (rows past the input's length get 0).
    Keras-Hub's ``PositionEmbedding`` returns ``P[:time]`` alone for you to add; this layer adds
    it, so it fits in a ``Sequential``. ONNX: ``Add`` of the constant ``P[:time]``.

    Shape:
        input ``(batch, time, features)`` with ``time <= sequence_length``; output the same.

    Parameters
    ----------
    sequence_length : int
        The longest sequence the layer accepts.
    initializer : str or callable
        Default ``"glorot_uniform"`` (as Keras-Hub).

    Example
    -------
    >>> import numpy as np
    >>> layer = PositionEmbedding(8, seed=0)
    >>> y = layer.forward(np.zeros((2, 5, 4)))
    >>> y.shape, bool(np.array_equal(y[1], layer.embeddings.value[:5]))
    ((2, 5, 4), True)
    """

    embeddings: Parameter  # created by build()

    def __init__(self, sequence_length: int, *, initializer="glorot_uniform", seed=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype, seed=seed)
        self.sequence_length = check_positive_int("PositionEmbedding", "sequence_length", sequence_length)
        self.initializer = initializers.get(initializer)

    def build(self, input_shape, rng=None):
        super().build(input_shape)
        shape = (self.sequence_length, self.built_shape()[-1])
        self.embeddings = Parameter(self.initializer(shape, self._rng(rng), self.dtype), name="embeddings")

    def parameters(self):
        return [self.embeddings] if self.built else []

    def table(self, length):
        if length > self.sequence_length:
            raise ShapeError(
                self.describe(),
                (None, self.sequence_length, self.built_shape()[-1]),
                (None, length, self.built_shape()[-1]),
                f"Sequences may have at most sequence_length={self.sequence_length} steps.",
            )
        return self.embeddings.value[:length]

    def backward(self, grad_y, *, need_input_grad=True):
        self.embeddings.grad[: grad_y.shape[1]] += grad_y.sum(axis=0)
        return grad_y

    def get_config(self):
        config = {**super().get_config(), "sequence_length": self.sequence_length}
        name = initializers.name_of(self.initializer)
        if name not in ("glorot_uniform", None):
            config["initializer"] = name
        return config

    def extra_repr(self):
        return f"sequence_length={self.sequence_length}"


def sine_position_table(length: int, features: int, max_wavelength: float = 10000.0) -> np.ndarray:
    """The sinusoidal encoding of Vaswani et al. (2017), float64 ``(length, features)``::

    PE[t, 2i] = sin(t / max_wavelength ** (2i / features))
    PE[t, 2i + 1] = cos(t / max_wavelength ** (2i / features))
    """
    positions = np.arange(length, dtype=np.float64)[:, None]
    pairs = 2 * (np.arange(features) // 2)
    angles = positions / max_wavelength ** (pairs / features)
    return np.where(np.arange(features) % 2 == 0, np.sin(angles), np.cos(angles))


class SinePositionEncoding(_AddPosition):
    """Fixed sinusoidal positions: ``y[n, t] = x[n, t] + PE[t]`` (see :func:`sine_position_table`).

    Even features get a sine and odd ones a cosine, with wavelengths from ``2 pi`` to
    ``max_wavelength * 2 pi``, so every position has a distinct code and nearby positions have
    similar ones. No weights; backward is ``dL/dx = g``. Keras-Hub's ``SinePositionEncoding``
    returns ``PE`` alone (same values) for you to add; this layer adds it. ONNX: ``Add`` of the
    constant ``PE[:time]``.

    Shape:
        input ``(batch, time, features)``, any ``time``; output the same.

    Parameters
    ----------
    max_wavelength : float
        Default 10000, as in the paper.

    Example
    -------
    >>> import numpy as np
    >>> layer = SinePositionEncoding()
    >>> np.round(layer.forward(np.zeros((1, 3, 4)))[0].astype(float), 3).tolist()
    [[0.0, 1.0, 0.0, 1.0], [0.841, 0.54, 0.01, 1.0], [0.909, -0.416, 0.02, 1.0]]
    """

    def __init__(self, max_wavelength: float = 10000.0, *, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        if not isinstance(max_wavelength, (int, float)) or max_wavelength <= 1:
            raise ConfigError(f"SinePositionEncoding: max_wavelength must be > 1, received {max_wavelength!r}.")
        self.max_wavelength = float(max_wavelength)
        self._cache: np.ndarray | None = None

    def table(self, length):
        cache = self._cache
        if cache is None or len(cache) < length or cache.dtype != self.dtype:
            features = self.built_shape()[-1]
            cache = self._cache = sine_position_table(max(length, 64), features, self.max_wavelength).astype(self.dtype)
        return cache[:length]

    def backward(self, grad_y, *, need_input_grad=True):
        return grad_y

    def get_config(self):
        config = super().get_config()
        return config if self.max_wavelength == 10000.0 else {**config, "max_wavelength": self.max_wavelength}

    def extra_repr(self):
        return "" if self.max_wavelength == 10000.0 else f"max_wavelength={self.max_wavelength:g}"
