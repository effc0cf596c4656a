"""Long short-term memory layer."""

from __future__ import annotations

import numpy as np

from .. import kernels
from .recurrent import _Recurrent


class LSTM(_Recurrent):
    """Long short-term memory (Hochreiter & Schmidhuber 1997), gates in the order i, f, c, o.

    With ``a_t = x_t @ W + h_{t-1} @ U + b`` split into four blocks of ``H`` columns::

        i = sigmoid(a_i)   input gate          f = sigmoid(a_f)   forget gate
        g = tanh(a_c)      candidate cell      o = sigmoid(a_o)   output gate
        c_t = f * c_{t-1} + i * g              h_t = o * tanh(c_t)         (h_0 = c_0 = 0)

    Backward through time (``dh``, ``dc`` include what flows back from step ``t + 1``)::

        do = dh * tanh(c_t)                    dc = dc_next + dh * o * (1 - tanh(c_t)^2)
        di = dc * g    df = dc * c_{t-1}    dg = dc * i    dc_next = dc * f
        da = [di*i*(1-i), df*f*(1-f), dg*(1-g^2), do*o*(1-o)]    dh_next = da @ U.T

    The order i, f, c, o is PyTorch's (``weight_ih = W.T``, ``weight_hh = U.T``, ``bias_ih = b``,
    ``bias_hh = 0``) and Keras's. ONNX wants i, o, f, c: the exporter reorders in one helper.

    Shape:
        input ``(batch, time, features)``; output ``(batch, units)`` or, with
        ``return_sequences=True``, ``(batch, time, units)``.

    Example
    -------
    >>> import numpy as np
    >>> lstm = LSTM(4, input_dim=3, return_sequences=True, seed=0)
    >>> lstm.forward(np.zeros((2, 5, 3))).shape
    (2, 5, 4)
    >>> [w.shape for w in lstm.gate("f")]
    [(3, 4), (4, 4), (4,)]
    """

    gate_names = ("i", "f", "c", "o")

    def _forward_steps(self, ax):
        t_steps, n, h = ax.shape[0], ax.shape[1], self.units
        u = self.U.value
        hs = np.zeros((t_steps + 1, n, h), dtype=ax.dtype)
        cs = np.zeros((t_steps + 1, n, h), dtype=ax.dtype)
        gates = np.empty_like(ax)  # activated i, f, g, o per step
        tanh_cs = np.empty((t_steps, n, h), dtype=ax.dtype)
        for t in range(t_steps):
            a = ax[t] + kernels.matmul(hs[t], u)
            z = gates[t]
            z[...] = kernels.sigmoid(a)
            z[:, 2 * h : 3 * h] = kernels.tanh(a[:, 2 * h : 3 * h])
            i, f, g, o = z[:, :h], z[:, h : 2 * h], z[:, 2 * h : 3 * h], z[:, 3 * h :]
            cs[t + 1] = f * cs[t] + i * g
            tanh_cs[t] = kernels.tanh(cs[t + 1])
            hs[t + 1] = o * tanh_cs[t]
        self._hs, self._cs, self._gates, self._tanh_cs = hs, cs, gates, tanh_cs  # saved for backward
        return hs

    def _backward_steps(self, grads):
        h, u = self.units, self.U.value
        hs, cs, gates, tanh_cs = self._hs, self._cs, self._gates, self._tanh_cs
        da = np.empty_like(gates)
        dh = np.zeros_like(grads[0])
        dc_next = np.zeros_like(grads[0])
        for t in range(len(grads) - 1, -1, -1):
            dh = dh + grads[t]
            z = gates[t]
            i, f, g, o = z[:, :h], z[:, h : 2 * h], z[:, 2 * h : 3 * h], z[:, 3 * h :]
            tc = tanh_cs[t]
            dc = dc_next + dh * o * (1 - tc * tc)
            d = da[t]
            d[:, :h] = dc * g * i * (1 - i)
            d[:, h : 2 * h] = dc * cs[t] * f * (1 - f)
            d[:, 2 * h : 3 * h] = dc * i * (1 - g * g)
            d[:, 3 * h :] = dh * tc * o * (1 - o)
            dc_next = dc * f
            dh = kernels.matmul(d, u.T)
        self.U.grad += kernels.matmul(hs[:-1].reshape(-1, h).T, da.reshape(-1, 4 * h))
        return da
