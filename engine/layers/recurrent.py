"""Recurrent layers over sequences ``(batch, time, features)``: the shared base and ``RNN``.

All recurrent layers keep their gate weights fused in one matrix per input, ``W (features, G*H)``
for ``x`` and ``U (H, G*H)`` for the previous hidden state, so each time step is one matrix
product; ``layer.gate("f")`` returns readable per-gate views. The input projection ``x @ W`` is
computed for all time steps at once; only ``h @ U`` runs in the loop over time (backpropagation
through time runs the same loop backwards).
"""

from __future__ import annotations

import numpy as np

from .. import initializers, kernels
from ..errors import ConfigError, check_positive_int
from ..parameter import Parameter
from .sequence import _SequenceLayer


class _Recurrent(_SequenceLayer):
    """Shared configuration, weights and input handling; subclasses define the cell."""

    gate_names: tuple[str, ...] = ("h",)
    # created by build()
    W: Parameter
    U: Parameter
    b: Parameter

    def __init__(
        self,
        units: int,
        *,
        return_sequences: bool = False,
        input_dim: int | None = None,
        kernel_initializer="glorot_uniform",
        recurrent_initializer="orthogonal",
        bias_initializer="zeros",
        seed=None,
        name=None,
        dtype=None,
    ):
        super().__init__(name=name, dtype=dtype, seed=seed)
        owner = type(self).__name__
        self.units = check_positive_int(owner, "units", units)
        self.return_sequences = bool(return_sequences)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.recurrent_initializer = initializers.get(recurrent_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        if input_dim is not None:
            self.build(("time", check_positive_int(owner, "input_dim", input_dim)))

    def build(self, input_shape, rng=None):
        super().build(input_shape)
        rng = self._rng(rng)
        features, size = self.built_shape()[-1], len(self.gate_names) * self.units
        self.W = Parameter(self.kernel_initializer((features, size), rng, self.dtype), name="W")
        self.U = Parameter(self.recurrent_initializer((self.units, size), rng, self.dtype), name="U")
        self.b = Parameter(self.bias_initializer((size,), rng, self.dtype), name="b")

    def _shape_hint(self, shape):
        return "Recurrent layers take (batch, time, features)." if len(shape) != 3 else ""

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.units) if self.return_sequences else (self.units,)

    def parameters(self):
        return [self.W, self.U, self.b] if self.built else []

    def gate(self, name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Views ``(W_gate, U_gate, b_gate)`` of one gate's weights, e.g. ``lstm.gate("f")``."""
        if name not in self.gate_names:
            raise ConfigError(f"{self.describe()} has gates {', '.join(self.gate_names)}; received {name!r}.")
        k, h = self.gate_names.index(name), self.units
        part = slice(k * h, (k + 1) * h)
        return self.W.value[:, part], self.U.value[:, part], self.b.value[part]

    def forward(self, x, *, training=False):
        x = self._prepare(x)
        xt = np.ascontiguousarray(x.transpose(1, 0, 2))  # time-major (T, N, F): contiguous steps
        self._xt = xt  # saved for backward
        hs = self._forward_steps(kernels.matmul(xt, self.W.value) + self.b.value)
        y = hs[-1] if not self.return_sequences else hs[1:].transpose(1, 0, 2)
        self.output = y
        return y

    def backward(self, grad_y, *, need_input_grad=True):
        t_steps, n, _ = self._xt.shape
        if self.return_sequences:
            grads = grad_y.transpose(1, 0, 2)  # (T, N, H)
        else:
            grads = np.zeros((t_steps, n, self.units), dtype=grad_y.dtype)
            grads[-1] = grad_y
        d_ax = self._backward_steps(grads)  # dL/d(x_t @ W + b) for every step: (T, N, G*H)
        flat = d_ax.reshape(-1, d_ax.shape[-1])
        self.W.grad += kernels.matmul(self._xt.reshape(-1, self._xt.shape[-1]).T, flat)
        self.b.grad += kernels.sum_rows(flat)
        if not need_input_grad:
            return None
        return kernels.matmul(d_ax, self.W.value.T).transpose(1, 0, 2)

    def _forward_steps(self, ax: np.ndarray) -> np.ndarray:
        """Run the cell over time given ``ax = x_t @ W + b`` (T, N, G*H); return ``hs`` (T+1, N, H)."""
        raise NotImplementedError

    def _backward_steps(self, grads: np.ndarray) -> np.ndarray:
        """BPTT given ``dL/dh_t`` from above (T, N, H): accumulate ``U.grad``, return ``dL/d(ax)``."""
        raise NotImplementedError

    def get_config(self):
        config = {**super().get_config(), "units": self.units}
        if self.return_sequences:
            config["return_sequences"] = True
        return initializers.add_to_config(
            config,
            kernel_initializer=(self.kernel_initializer, "glorot_uniform"),
            recurrent_initializer=(self.recurrent_initializer, "orthogonal"),
            bias_initializer=(self.bias_initializer, "zeros"),
        )

    def extra_repr(self):
        features = self.input_shape[-1] if self.input_shape is not None else "?"
        text = f"{features} -> {self.units}"
        return text + (", return_sequences=True" if self.return_sequences else "")


class RNN(_Recurrent):
    """Simple (Elman) recurrent layer: ``h_t = tanh(x_t @ W + h_{t-1} @ U + b)``, ``h_0 = 0``.

    Backward through time, with ``dh_t`` the gradient reaching ``h_t`` (from above and from
    step ``t + 1``)::

        da_t = dh_t * (1 - h_t^2)        dh_{t-1} += da_t @ U.T
        dL/dW = sum_t x_t.T @ da_t       dL/dU = sum_t h_{t-1}.T @ da_t      dL/db = sum_t da_t

    Same math as ``torch.nn.RNN`` (``weight_ih = W.T``, ``weight_hh = U.T``, one bias) and ONNX ``RNN``.

    Shape:
        input ``(batch, time, features)``; output ``(batch, units)`` (the last ``h``) or
        ``(batch, time, units)`` with ``return_sequences=True``.

    Parameters
    ----------
    units : int
        Size ``H`` of the hidden state.
    return_sequences : bool
        Return every ``h_t`` instead of the last one.
    input_dim : int, optional
        Number of features, to build the weights now.

    Example
    -------
    >>> import numpy as np
    >>> rnn = RNN(4, input_dim=3, seed=0)
    >>> rnn.forward(np.zeros((2, 5, 3))).shape
    (2, 4)
    """

    def _forward_steps(self, ax):
        t_steps, n, h = ax.shape[0], ax.shape[1], self.units
        hs = np.zeros((t_steps + 1, n, h), dtype=ax.dtype)
        u = self.U.value
        for t in range(t_steps):
            hs[t + 1] = kernels.tanh(ax[t] + kernels.matmul(hs[t], u))
        self._hs = hs  # saved for backward
        return hs

    def _backward_steps(self, grads):
        hs, u = self._hs, self.U.value
        da = np.empty_like(grads)
        dh = np.zeros_like(grads[0])
        for t in range(len(grads) - 1, -1, -1):
            dh = dh + grads[t]
            da[t] = dh * (1 - hs[t + 1] * hs[t + 1])
            dh = kernels.matmul(da[t], u.T)
        h = self.units
        self.U.grad += kernels.matmul(hs[:-1].reshape(-1, h).T, da.reshape(-1, h))
        return da


SimpleRNN = RNN
