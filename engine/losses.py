"""Loss functions: ``forward(y_pred, y_true) -> float`` and ``backward() -> dL/dy_pred``.

All losses average over the batch, so gradients are already divided by the batch size.
Targets for the cross-entropies may be class labels ``(batch,)`` or one-hot rows ``(batch, C)``.

>>> import numpy as np
>>> loss = SoftmaxCrossEntropy()
>>> round(loss(np.array([[2.0, 0.0]]), np.array([0])), 4)
0.1269
>>> loss.backward().round(4).tolist()
[[-0.1192, 0.1192]]
"""

from __future__ import annotations

import numpy as np

from . import kernels
from .activations import Sigmoid, Softmax, softmax
from .errors import ConfigError, DataError, ShapeError, as_numbers, renamed_arguments, unknown_name


class Loss:
    """Base class. ``forward`` saves what ``backward`` needs.

    ``fused_activation`` names the output activation whose backward combines with this loss into
    the simple ``(p - y) / n``; a model uses that when its last layer has that activation.
    """

    key = ""
    fused_activation: type | None = None
    from_logits = False
    # saved by forward for backward: the probabilities, the targets and the averaging count
    _p: np.ndarray
    _y: np.ndarray
    _n: int
    _shape: tuple  # of y_pred, to give the gradient back in that shape

    def __call__(self, y_pred, y_true) -> float:
        return self.forward(y_pred, y_true)

    def forward(self, y_pred, y_true) -> float:
        raise NotImplementedError

    def backward(self) -> np.ndarray:
        raise NotImplementedError

    def fused_gradient(self) -> np.ndarray:
        """``dL/dz`` where ``y_pred = fused_activation(z)``: ``(y_pred - y_true) / n``."""
        return (self._p - self._y) / self._n

    def probabilities(self, y_pred) -> np.ndarray:
        """What metrics should see: probabilities for losses that take logits, else ``y_pred``."""
        return y_pred

    def describe(self) -> str:
        return f"{type(self).__name__} loss"

    def _arrays(self, y_pred, y_true):
        """Both as arrays of numbers, with at least one sample; a DataError otherwise."""
        y_pred = as_numbers(y_pred, self.describe(), "prediction")
        y_true = as_numbers(y_true, self.describe(), "target")
        if y_pred.size == 0 or y_true.size == 0:
            raise DataError(f"{self.describe()} received no samples (an empty array): a loss needs at least one.")
        return y_pred, y_true

    def _check_probabilities(self, p, fix: str) -> None:
        """Refuse predictions outside [0, 1] (NaN passes: a diverged run shows its NaN loss)."""
        lo, hi = float(p.min()), float(p.max())
        if lo < 0 or hi > 1:
            raise DataError(
                f"{self.describe()} expects probabilities in [0, 1], received values from {lo:.4g} to {hi:.4g}. {fix}"
            )

    def _same_shape_targets(self, y_pred, y_true):
        y_pred, y_true = self._arrays(y_pred, y_true)
        if y_true.shape != y_pred.shape:
            if y_true.size != y_pred.size or y_true.shape[:1] != y_pred.shape[:1]:
                hint = f"Targets must match the predictions {y_pred.shape}."
                if y_true.ndim == 1 and y_pred.ndim == 2 and y_pred.shape[1] > 1 and y_true.dtype.kind in "iu":
                    hint += " For class labels use loss='softmax_crossentropy'."
                raise ShapeError(self.describe(), ("batch", *y_pred.shape[1:]), y_true.shape, hint)
            y_true = y_true.reshape(y_pred.shape)
        return y_pred, y_true.astype(y_pred.dtype, copy=False)

    def get_config(self) -> dict:
        return {"from_logits": True} if self.from_logits else {}

    def __repr__(self) -> str:
        return f"{type(self).__name__}({'from_logits=True' if self.from_logits else ''})"


class MeanSquaredError(Loss):
    """``L = mean((y_pred - y_true)^2)`` over all elements; ``dL/dy_pred = 2 (y_pred - y_true) / size``.

    Shape: ``y_pred`` ``(batch, ...)``; ``y_true`` the same shape (or the same size, e.g. ``(batch,)``
    for ``(batch, 1)``).
    """

    key = "mse"

    def forward(self, y_pred, y_true):
        y_pred, y_true = self._same_shape_targets(y_pred, y_true)
        self._diff = y_pred - y_true  # saved for backward
        return float(np.mean(self._diff * self._diff))

    def backward(self):
        return self._diff * (2.0 / self._diff.size)


class BinaryCrossEntropy(Loss):
    """``L = -mean(y log p + (1 - y) log(1 - p))`` for targets ``y`` in {0, 1}.

    ``from_logits=False`` (default): ``y_pred = p`` are probabilities (after a sigmoid; values
    outside [0, 1] are refused), clipped to ``[epsilon, 1 - epsilon]`` inside the log;
    ``dL/dp = (p - y) / (p (1 - p) size)``.
    ``from_logits=True``: ``y_pred = z`` and ``p = sigmoid(z)``, computed stably as
    ``L = mean(max(z, 0) - z y + log(1 + exp(-|z|)))``; ``dL/dz = (sigmoid(z) - y) / size``.
    After a ``Sigmoid`` output layer a model uses the fused ``dL/dz`` too.
    """

    key = "binary_crossentropy"
    fused_activation = Sigmoid

    @renamed_arguments(eps="epsilon")
    def __init__(self, from_logits: bool = False, epsilon: float = 1e-7):
        self.from_logits = bool(from_logits)
        self.epsilon = float(epsilon)

    def forward(self, y_pred, y_true):
        y_pred, y = self._same_shape_targets(y_pred, y_true)
        lo, hi = float(y.min()), float(y.max())
        if lo < 0 or hi > 1:
            raise DataError(
                f"{self.describe()}: targets must be 0 or 1 (or in between), received values from {lo:g} to {hi:g}. "
                "For more than two classes use loss='softmax_crossentropy' and one output per class."
            )
        self._y, self._n = y, y.size
        if self.from_logits:
            z = y_pred
            self._p = kernels.sigmoid(z)
            return float(np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))))
        self._check_probabilities(
            y_pred,
            "End the model with activation='sigmoid' (e.g. Dense(1, activation='sigmoid')), or use "
            "BinaryCrossEntropy(from_logits=True) on outputs without a sigmoid.",
        )
        self._p = y_pred
        p = np.clip(y_pred, self.epsilon, 1 - self.epsilon)
        self._clipped = p
        return float(-np.mean(y * np.log(p) + (1 - y) * np.log1p(-p)))

    def backward(self):
        if self.from_logits:
            return (self._p - self._y) / self._n
        p = self._clipped
        return (p - self._y) / (p * (1 - p) * self._n)

    def probabilities(self, y_pred):
        return kernels.sigmoid(np.asarray(y_pred)) if self.from_logits else y_pred


class CategoricalCrossEntropy(Loss):
    """``L = -mean_n sum_c y[n, c] log p[n, c]``, targets as labels ``(batch,)`` or one-hot ``(batch, C)``.

    Predictions ``(batch, time, C)`` (a class per position) count every position as a row:
    targets ``(batch, time)`` or ``(batch, time, C)``, the mean over ``batch * time``.

    ``from_logits=False`` (default): ``y_pred = p`` are probabilities (after a softmax: rows in
    [0, 1] that sum to 1, else refused), clipped below at ``epsilon`` inside the log;
    ``dL/dp = -y / (p batch)``. In a model whose last activation is ``Softmax`` the two are fused:
    ``dL/dz = (p - y) / batch``, stable even when ``p`` underflows.
    ``from_logits=True`` (see :class:`SoftmaxCrossEntropy`): ``y_pred = z`` are logits,
    ``log p = z - max(z) - log(sum(exp(z - max(z))))`` and ``dL/dz = (softmax(z) - y) / batch``.
    """

    key = "categorical_crossentropy"
    fused_activation = Softmax

    @renamed_arguments(eps="epsilon")
    def __init__(self, from_logits: bool = False, epsilon: float = 1e-7):
        self.from_logits = bool(from_logits)
        self.epsilon = float(epsilon)

    def _targets(self, y_pred, y_true):
        """Return ``(y_pred, labels, one_hot)``: labels ``(batch,)`` or one-hot rows, the other None."""
        y_pred, y_true = self._arrays(y_pred, y_true)
        if y_pred.ndim != 2:
            raise ShapeError(self.describe(), ("batch", "classes"), y_pred.shape, "Predictions must be 2-D.")
        n, c = y_pred.shape
        if y_true.shape == y_pred.shape and not (c == 1 and np.issubdtype(y_true.dtype, np.integer)):
            return y_pred, None, y_true.astype(y_pred.dtype, copy=False)
        if y_true.shape not in ((n,), (n, 1)):
            raise ShapeError(
                self.describe(), ("batch", c), y_true.shape, f"Targets must be labels ({n},) or one-hot ({n}, {c})."
            )
        labels = y_true.reshape(n)
        if not np.issubdtype(labels.dtype, np.integer):
            if not np.all(labels == np.round(labels)):
                raise DataError(f"{self.describe()}: label targets must be whole numbers 0, 1, 2, ... (class numbers).")
            labels = labels.astype(np.int64)
        lo, hi = int(labels.min()), int(labels.max())
        if lo < 0 or hi >= c:
            fix = (
                "Labels count the classes from 0."
                if lo < 0
                else f"The model has {c} outputs; labels up to {hi} need {hi + 1}, e.g. a last layer Dense({hi + 1})."
            )
            raise DataError(
                f"{self.describe()}: labels must be in [0, {c - 1}], received values from {lo} to {hi}. {fix}"
            )
        return y_pred, labels, None

    def _positions(self, y_pred, y_true):
        """Fold predictions with a class per position, ``(batch, time, classes)`` as a language
        model makes, into rows ``(batch * time, classes)``: the loss is the mean over every
        position (as in Keras and PyTorch); targets are labels ``(batch, time)`` or one-hot."""
        y_pred = np.asarray(y_pred)
        self._shape = y_pred.shape
        if y_pred.ndim <= 2:
            return y_pred, y_true
        y_true, c = np.asarray(y_true), y_pred.shape[-1]
        if y_true.shape == y_pred.shape:
            return y_pred.reshape(-1, c), y_true.reshape(-1, c)
        if y_true.shape != y_pred.shape[:-1]:
            raise ShapeError(
                self.describe(),
                ("batch", *y_pred.shape[1:-1]),
                y_true.shape,
                f"Targets must be labels {y_pred.shape[:-1]} or one-hot {y_pred.shape}.",
            )
        return y_pred.reshape(-1, c), y_true.reshape(-1)

    def forward(self, y_pred, y_true):
        y_pred, labels, one_hot = self._targets(*self._positions(y_pred, y_true))
        n = self._n = len(y_pred)
        self._labels, self._one_hot = labels, one_hot
        rows = np.arange(n)
        if self.from_logits:
            shifted = y_pred - kernels.max_last(y_pred, keepdims=True)
            e = np.exp(shifted)
            total = kernels.sum_last(e, keepdims=True)
            self._p = e / total  # softmax, saved for backward
            log_p = shifted if labels is None else shifted[rows, labels]
            log_p = log_p - (np.log(total) if labels is None else np.log(total[:, 0]))
        else:
            self._check_distribution(y_pred)
            self._p = y_pred
            self._clipped = np.maximum(y_pred if labels is None else y_pred[rows, labels], self.epsilon)
            log_p = np.log(self._clipped)
        if labels is None:
            return float(-np.sum(one_hot * log_p) / n)
        return float(-np.sum(log_p) / n)

    def _check_distribution(self, p) -> None:
        fix = (
            "End the model with activation='softmax', or use loss='softmax_crossentropy' on outputs without a softmax."
        )
        self._check_probabilities(p, fix)
        sums = kernels.sum_last(p)
        worst = float(sums[np.argmax(np.abs(sums - 1))])
        if abs(worst - 1) > 1e-3:
            raise DataError(
                f"{self.describe()} expects each row of probabilities to sum to 1, one row sums to {worst:.4g}. {fix}"
            )

    def _minus_targets(self, grad):
        """``grad - y`` in place (``grad`` is a fresh array)."""
        if self._labels is None:
            grad -= self._one_hot
        else:
            grad[np.arange(self._n), self._labels] -= 1
        return grad

    def fused_gradient(self):
        grad = self._minus_targets(self._p.copy())
        grad *= 1.0 / self._n
        return grad.reshape(self._shape)

    def backward(self):
        if self.from_logits:
            return self.fused_gradient()
        if self._labels is None:
            return (-self._one_hot / (self._clipped * self._n)).reshape(self._shape)
        grad = np.zeros_like(self._p)
        grad[np.arange(self._n), self._labels] = -1.0 / (self._clipped * self._n)
        return grad.reshape(self._shape)

    def probabilities(self, y_pred):
        y_pred = np.asarray(y_pred)
        if not self.from_logits:
            return y_pred
        return softmax(y_pred.astype(np.float64) if y_pred.dtype.kind != "f" else y_pred)


class SoftmaxCrossEntropy(CategoricalCrossEntropy):
    """Softmax and categorical cross-entropy fused, on logits: ``dL/dz = (softmax(z) - y) / batch``.

    The same as ``CategoricalCrossEntropy(from_logits=True)`` and ``torch.nn.CrossEntropyLoss``.
    Use it after a last ``Dense`` layer without activation; ``loss.probabilities(z)`` gives the softmax.
    """

    key = "softmax_crossentropy"

    @renamed_arguments(eps="epsilon")
    def __init__(self, epsilon: float = 1e-7):
        super().__init__(from_logits=True, epsilon=epsilon)

    def get_config(self):
        return {}

    def __repr__(self):
        return "SoftmaxCrossEntropy()"


_REGISTRY = {
    "mse": MeanSquaredError,
    "mean_squared_error": MeanSquaredError,
    "binary_crossentropy": BinaryCrossEntropy,
    "bce": BinaryCrossEntropy,
    "categorical_crossentropy": CategoricalCrossEntropy,
    "sparse_categorical_crossentropy": CategoricalCrossEntropy,
    "softmax_crossentropy": SoftmaxCrossEntropy,
    "cross_entropy": SoftmaxCrossEntropy,
}


def get(identifier, **kwargs) -> Loss:
    """A loss from a name (``"mse"``, ``"categorical_crossentropy"``, ...), class or instance."""
    if isinstance(identifier, Loss):
        return identifier
    if isinstance(identifier, type) and issubclass(identifier, Loss):
        return identifier(**kwargs)
    if isinstance(identifier, dict):
        return get(identifier["name"], **identifier.get("config", {}))
    if not isinstance(identifier, str):
        raise ConfigError(f"Expected a loss name or Loss, received {identifier!r}.")
    key = identifier.lower().replace("-", "_")
    if key not in _REGISTRY:
        raise unknown_name("loss", identifier, _REGISTRY)
    return _REGISTRY[key](**kwargs)


def serialize(loss: Loss) -> dict:
    return {"name": loss.key, "config": loss.get_config()}
