"""Gated recurrent unit layer."""

from __future__ import annotations

import numpy as np

from .. import kernels
from ..parameter import Parameter
from .recurrent import _Recurrent


class GRU(_Recurrent):
    """Gated recurrent unit (Cho et al. 2014), gates in the order z, r, n (ONNX's order).

    With ``ax = x_t @ W + b`` and ``ah = h_{t-1} @ U + b_h``, each split into z, r, n blocks::

        z = sigmoid(ax_z + ah_z)    update gate
        r = sigmoid(ax_r + ah_r)    reset gate
        n = tanh(ax_n + r * ah_n)   candidate ("reset after" the recurrent product)
        h_t = (1 - z) * n + z * h_{t-1}                              (h_0 = 0)

    The reset gate multiplies ``h_{t-1} @ U_n + b_h_n``, as in PyTorch and in ONNX ``GRU`` with
    ``linear_before_reset=1``; that is why the recurrent bias ``b_h`` is separate. Backward::

        dz = dh * (h_{t-1} - n)    dn = dh * (1 - z)    da_n = dn * (1 - n^2)    dr = da_n * ah_n
        d_ax = [dz*z*(1-z), dr*r*(1-r), da_n]        d_ah = [.., .., da_n * r]
        dh_next = dh * z + d_ah @ U.T

    PyTorch stores the gates as r, z, n; ONNX as z, r, n like here (no reorder on export).

    Shape:
        input ``(batch, time, features)``; output ``(batch, units)`` or ``(batch, time, units)``.

    Example
    -------
    >>> import numpy as np
    >>> GRU(4, input_dim=3, seed=0).forward(np.zeros((2, 5, 3))).shape
    (2, 4)
    """

    gate_names = ("z", "r", "n")

    def build(self, input_shape, rng=None):
        super().build(input_shape, rng)
        self.b_h = Parameter(np.zeros(3 * self.units, dtype=self.dtype), name="b_h")

    def parameters(self):
        return [self.W, self.U, self.b, self.b_h] if self.built else []

    def _forward_steps(self, ax):
        t_steps, n, h = ax.shape[0], ax.shape[1], self.units
        u, b_h = self.U.value, self.b_h.value
        hs = np.zeros((t_steps + 1, n, h), dtype=ax.dtype)
        gates = np.empty_like(ax)  # z, r, n per step
        ah_n = np.empty((t_steps, n, h), dtype=ax.dtype)
        for t in range(t_steps):
            ah = kernels.matmul(hs[t], u) + b_h
            g = gates[t]
            g[:, : 2 * h] = kernels.sigmoid(ax[t, :, : 2 * h] + ah[:, : 2 * h])
            z, r = g[:, :h], g[:, h : 2 * h]
            ah_n[t] = ah[:, 2 * h :]
            g[:, 2 * h :] = kernels.tanh(ax[t, :, 2 * h :] + r * ah_n[t])
            hs[t + 1] = (1 - z) * g[:, 2 * h :] + z * hs[t]
        self._hs, self._gates, self._ah_n = hs, gates, ah_n  # saved for backward
        return hs

    def _backward_steps(self, grads):
        h, u = self.units, self.U.value
        hs, gates, ah_n = self._hs, self._gates, self._ah_n
        d_ax = np.empty_like(gates)
        d_ah = np.empty_like(gates)
        dh = np.zeros_like(grads[0])
        for t in range(len(grads) - 1, -1, -1):
            dh = dh + grads[t]
            g = gates[t]
            z, r, n = g[:, :h], g[:, h : 2 * h], g[:, 2 * h :]
            da_n = dh * (1 - z) * (1 - n * n)
            d_ax[t, :, :h] = dh * (hs[t] - n) * z * (1 - z)
            d_ax[t, :, h : 2 * h] = da_n * ah_n[t] * r * (1 - r)
            d_ax[t, :, 2 * h :] = da_n
            d_ah[t, :, : 2 * h] = d_ax[t, :, : 2 * h]
            d_ah[t, :, 2 * h :] = da_n * r
            dh = dh * z + kernels.matmul(d_ah[t], u.T)
        flat = d_ah.reshape(-1, 3 * h)
        self.U.grad += kernels.matmul(hs[:-1].reshape(-1, h).T, flat)
        self.b_h.grad += kernels.sum_rows(flat)
        return d_ax
