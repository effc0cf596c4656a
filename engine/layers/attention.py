"""Multi-head scaled dot-product attention, the core of a transformer."""

from __future__ import annotations

import numpy as np

from .. import activations, initializers, kernels
from ..errors import ConfigError, ShapeError, check_positive_int
from ..parameter import Parameter
from .sequence import _SequenceLayer


def causal_mask(q_len: int, k_len: int) -> np.ndarray:
    """``mask[i, j] = j <= i``: position ``i`` may look at itself and earlier positions only."""
    return np.tril(np.ones((q_len, k_len), dtype=bool))


class MultiHeadAttention(_SequenceLayer):
    """Multi-head attention (Vaswani et al. 2017) with Keras's arguments; the same math as
    ``torch.nn.MultiheadAttention``.

    For queries ``xq (N, Tq, d)`` and keys/values ``xk, xv (N, Tk, d)`` (all ``x`` in
    self-attention), with ``h = num_heads`` heads of size ``k = key_dim`` (``v = value_dim``)::

        Q = xq @ Wq + bq,  K = xk @ Wk + bk,  V = xv @ Wv + bv     split into heads: (N, h, T, k)
        S = Q @ K^T / sqrt(k)                                      (N, h, Tq, Tk)
        S[..., i, j] = -inf where the causal mask forbids j > i
        A = softmax(S, axis=-1)                                    the attention scores
        O = dropout(A) @ V                                         heads joined: (N, Tq, h*v)
        y = O @ Wo + bo                                            (N, Tq, d)

    Backward, with ``g = dL/dy`` and ``Ad = dropout(A)``::

        dWo = O^T g   dbo = sum g   dO = g @ Wo^T
        dV = Ad^T @ dO   dAd = dO @ V^T   dA = dropout_backward(dAd)
        dS = A * (dA - sum(dA * A, axis=-1))          (0 where masked, since A = 0 there)
        dQ = dS @ K / sqrt(k)   dK = dS^T @ Q / sqrt(k)
        dWq = xq^T dQ   dbq = sum dQ   dxq = dQ @ Wq^T   (likewise for K and V)

    ``Wq.value.reshape(d, h, k)`` is Keras's query kernel; PyTorch's ``in_proj_weight`` is
    ``[Wq; Wk; Wv]`` transposed and ``out_proj.weight`` is ``Wo.T``. ONNX: ``MatMul``, ``Add``,
    ``Reshape``, ``Transpose``, ``Softmax`` (and ``Add`` of a constant ``-inf`` mask when causal).

    After every forward ``layer.attention_scores`` holds ``A`` ``(N, h, Tq, Tk)`` for drawing:
    row ``i`` of head ``j`` says how much position ``i`` takes from each position.

    Shape:
        input ``(batch, time, features)``; output the same shape. In a ``Sequential`` the layer
        attends to its own input (self-attention); ``forward(query, value, key)`` does
        cross-attention (key and value need the query's number of features).

    Parameters
    ----------
    num_heads : int
        Number of heads ``h``.
    key_dim : int
        Size ``k`` of each head's queries and keys (Keras; PyTorch uses ``features / num_heads``).
    value_dim : int, optional
        Size of each head's values; defaults to ``key_dim``.
    dropout : float
        Dropout rate on the attention scores while training (default 0).
    use_bias : bool
        Biases on the four projections (default True).
    use_causal_mask : bool
        Mask future positions (a language model predicting the next token). Keras passes this
        to ``call``; a ``Sequential`` cannot, so here it is also a constructor argument, and
        ``forward(..., use_causal_mask=...)`` overrides it.
    kernel_initializer, bias_initializer : str or callable
        Defaults ``"glorot_uniform"`` and ``"zeros"``.

    Example
    -------
    >>> import numpy as np
    >>> mha = MultiHeadAttention(num_heads=2, key_dim=4, use_causal_mask=True, seed=0)
    >>> y, scores = mha.forward(np.ones((3, 5, 8)), return_attention_scores=True)
    >>> y.shape, scores.shape
    ((3, 5, 8), (3, 2, 5, 5))
    >>> np.round(scores[0, 0, :3, :3].astype(float), 2).tolist()  # causal: row i spreads over 0..i
    [[1.0, 0.0, 0.0], [0.5, 0.5, 0.0], [0.33, 0.33, 0.33]]
    """

    # created by build()
    Wq: Parameter
    Wk: Parameter
    Wv: Parameter
    Wo: Parameter

    def __init__(
        self,
        num_heads: int,
        key_dim: int,
        value_dim: int | None = None,
        dropout: float = 0.0,
        use_bias: bool = True,
        *,
        use_causal_mask: bool = False,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        seed=None,
        name=None,
        dtype=None,
    ):
        super().__init__(name=name, dtype=dtype, seed=seed)
        self.num_heads = check_positive_int("MultiHeadAttention", "num_heads", num_heads)
        self.key_dim = check_positive_int("MultiHeadAttention", "key_dim", key_dim)
        self.value_dim = (
            self.key_dim if value_dim is None else check_positive_int("MultiHeadAttention", "value_dim", value_dim)
        )
        if not isinstance(dropout, (int, float)) or not 0 <= dropout < 1:
            raise ConfigError(f"MultiHeadAttention: dropout must be in [0, 1), received dropout={dropout!r}.")
        self.dropout = float(dropout)
        self.use_bias = bool(use_bias)
        self.use_causal_mask = bool(use_causal_mask)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.bq = self.bk = self.bv = self.bo = None  # stay None without biases
        self.attention_scores: np.ndarray | None = None

    def build(self, input_shape, rng=None):
        super().build(input_shape)
        rng = self._rng(rng)
        self._generator = rng  # dropout masks
        d, hk, hv = self.built_shape()[-1], self.num_heads * self.key_dim, self.num_heads * self.value_dim
        for name, shape in (("q", (d, hk)), ("k", (d, hk)), ("v", (d, hv)), ("o", (hv, d))):
            setattr(self, f"W{name}", Parameter(self.kernel_initializer(shape, rng, self.dtype), name=f"W{name}"))
            if self.use_bias:
                bias = self.bias_initializer((shape[1],), rng, self.dtype)
                setattr(self, f"b{name}", Parameter(bias, name=f"b{name}"))

    def parameters(self):
        if not self.built:
            return []
        names = ("Wq", "bq", "Wk", "bk", "Wv", "bv", "Wo", "bo")
        return [p for p in (getattr(self, n) for n in names) if p is not None]

    # -- helpers ------------------------------------------------------------------------------
    def _project(self, x, w, b, size):
        """``(x @ w + b)`` split into heads: (N, T, d) -> (N, h, T, size)."""
        n, t, d = x.shape
        z = kernels.matmul(x.reshape(n * t, d), w.value)
        if b is not None:
            z += b.value
        return z.reshape(n, t, self.num_heads, size).transpose(0, 2, 1, 3)

    def _project_backward(self, x, w, b, d_heads, need_input_grad):
        """Accumulate ``w.grad``/``b.grad`` from ``d_heads`` (N, h, T, size); return ``dL/dx`` or None."""
        n, t, d = x.shape
        dz = d_heads.transpose(0, 2, 1, 3).reshape(n * t, -1)
        w.grad += kernels.matmul(x.reshape(n * t, d).T, dz)
        if b is not None:
            b.grad += kernels.sum_rows(dz)
        return kernels.matmul(dz, w.value.T).reshape(n, t, d) if need_input_grad else None

    def _other(self, name, array, query):
        if array is None:
            return query
        array = self._prepare(array)
        if array.shape[0] != query.shape[0]:
            raise ShapeError(
                f"{self.describe()} {name}",
                (query.shape[0], "time", query.shape[2]),
                array.shape,
                "Batch sizes differ.",
            )
        return array

    # -- the contract -------------------------------------------------------------------------
    def forward(
        self, query, value=None, key=None, *, training=False, use_causal_mask=None, return_attention_scores=False
    ):
        if key is not None and value is None:
            raise ConfigError(f"{self.describe()}: a key needs a value too, as in forward(query, value, key).")
        xq = self._prepare(query)
        xv = self._other("value", value, xq)
        xk = self._other("key", key, xv)
        self._inputs = (xq, xk, xv)  # saved for backward
        self._arguments = 1 + (value is not None) + (key is not None)
        q = self._project(xq, self.Wq, self.bq, self.key_dim)
        k = self._project(xk, self.Wk, self.bk, self.key_dim)
        v = self._project(xv, self.Wv, self.bv, self.value_dim)
        scale = 1.0 / np.sqrt(self.key_dim)
        s = kernels.matmul(q, k.transpose(0, 1, 3, 2)) * np.asarray(scale, dtype=q.dtype)
        causal = self.use_causal_mask if use_causal_mask is None else bool(use_causal_mask)
        if causal:
            s = np.where(causal_mask(s.shape[-2], s.shape[-1]), s, -np.inf)
        a = activations.softmax(s)
        ad = a
        self._mask = None
        if training and self.dropout > 0:
            keep = self._generator.random(a.shape, dtype=np.float32) >= self.dropout
            self._mask = keep * np.asarray(1.0 / (1.0 - self.dropout), dtype=a.dtype)
            ad = a * self._mask
        o_heads = kernels.matmul(ad, v)  # (N, h, Tq, v)
        n, tq = xq.shape[:2]
        o = o_heads.transpose(0, 2, 1, 3).reshape(n * tq, -1)
        y = kernels.matmul(o, self.Wo.value)
        if self.bo is not None:
            y += self.bo.value
        y = y.reshape(n, tq, -1)
        self._q, self._k, self._v, self._a, self._ad, self._o, self._scale = q, k, v, a, ad, o, scale
        self.attention_scores = a
        self.output = y
        return (y, a) if return_attention_scores else y

    def backward(self, grad_y, *, need_input_grad=True):
        """``dL/dquery`` for self-attention (the sum over the three uses of the input); after
        cross-attention ``(dL/dquery, dL/dvalue)``, or ``(dL/dquery, dL/dvalue, dL/dkey)`` when a
        separate key was given."""
        xq, xk, xv = self._inputs
        q, k, v, a, ad, scale = self._q, self._k, self._v, self._a, self._ad, self._scale
        n, tq, d = grad_y.shape
        g = grad_y.reshape(n * tq, d)
        self.Wo.grad += kernels.matmul(self._o.T, g)
        if self.bo is not None:
            self.bo.grad += kernels.sum_rows(g)
        do = kernels.matmul(g, self.Wo.value.T).reshape(n, tq, self.num_heads, self.value_dim).transpose(0, 2, 1, 3)
        dv = kernels.matmul(ad.transpose(0, 1, 3, 2), do)
        da = kernels.matmul(do, v.transpose(0, 1, 3, 2))
        if self._mask is not None:
            da = da * self._mask
        ds = a * (da - kernels.sum_last(da * a, keepdims=True))
        ds *= np.asarray(scale, dtype=ds.dtype)
        dq = kernels.matmul(ds, k)
        dk = kernels.matmul(ds.transpose(0, 1, 3, 2), q)
        gq = self._project_backward(xq, self.Wq, self.bq, dq, need_input_grad)
        gk = self._project_backward(xk, self.Wk, self.bk, dk, need_input_grad)
        gv = self._project_backward(xv, self.Wv, self.bv, dv, need_input_grad)
        if not need_input_grad:
            return None
        if self._arguments == 1:  # self-attention: the input served as query, key and value
            return gq + gk + gv
        return (gq, gv + gk) if self._arguments == 2 else (gq, gv, gk)

    def get_config(self):
        config = {**super().get_config(), "num_heads": self.num_heads, "key_dim": self.key_dim}
        if self.value_dim != self.key_dim:
            config["value_dim"] = self.value_dim
        if self.dropout:
            config["dropout"] = self.dropout
        if not self.use_bias:
            config["use_bias"] = False
        if self.use_causal_mask:
            config["use_causal_mask"] = True
        return initializers.add_to_config(
            config,
            kernel_initializer=(self.kernel_initializer, "glorot_uniform"),
            bias_initializer=(self.bias_initializer, "zeros"),
        )

    def extra_repr(self):
        text = f"num_heads={self.num_heads}, key_dim={self.key_dim}"
        if self.value_dim != self.key_dim:
            text += f", value_dim={self.value_dim}"
        if self.dropout:
            text += f", dropout={self.dropout:g}"
        return text + (", use_causal_mask=True" if self.use_causal_mask else "")
