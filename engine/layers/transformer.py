"""``TransformerBlock``: self-attention and a feed-forward network, each with a residual
connection and layer normalisation (the encoder layer of Vaswani et al. 2017)."""

from __future__ import annotations

from .. import activations
from ..errors import ConfigError, check_positive_int
from .attention import MultiHeadAttention
from .dense import Dense
from .dropout import Dropout
from .layer_normalization import LayerNormalization
from .sequence import _SequenceLayer


class TransformerBlock(_SequenceLayer):
    """One transformer block over ``(batch, time, d)``, built from the engine's own layers.

    Post-norm (``normalize_first=False``, the default, as in the paper, Keras-Hub's
    ``TransformerEncoder`` and ``torch.nn.TransformerEncoderLayer``)::

        x1 = norm1(x + dropout(attention(x)))
        y  = norm2(x1 + dropout(ffn(x1)))            ffn(z) = ffn2(activation(ffn1(z)))

    Pre-norm (``normalize_first=True``; trains more easily when blocks are stacked, end the
    stack with a ``LayerNormalization``)::

        x1 = x + dropout(attention(norm1(x)))
        y  = x1 + dropout(ffn(norm2(x1)))

    Backward runs the same graph in reverse; each residual ``a + f(a)`` passes the gradient
    both ways: ``dL/da = g + f.backward(g)``. The feed-forward ``Dense`` layers see every
    position as a row ``(N*T, d)``. The parts are attributes for lessons: ``block.attention``
    (with ``attention_scores``), ``block.norm1``, ``block.ffn1``, ``block.ffn2``, ``block.norm2``;
    their parameters are named ``"attention.Wq"``, ``"ffn1.W"``, ... ONNX: the parts' nodes plus
    ``Add`` for the residuals.

    Shape:
        input ``(batch, time, d)``; output the same.

    Parameters
    ----------
    intermediate_dim : int
        Width of the feed-forward network's hidden layer (often ``4 * d``).
    num_heads : int
        Attention heads.
    key_dim : int, optional
        Size of each head; default ``d // num_heads``.
    dropout : float
        Rate for the attention scores and for both branches before their residual (default 0).
    activation : str
        Of the feed-forward hidden layer, default ``"relu"``.
    layer_norm_epsilon : float
        Default 1e-5 (Keras-Hub's and PyTorch's; a lone ``LayerNormalization`` defaults to 1e-3).
    normalize_first : bool
        Pre-norm instead of post-norm.
    use_causal_mask : bool
        Each position attends to itself and earlier positions only (for next-token prediction).

    Example
    -------
    >>> import numpy as np
    >>> block = TransformerBlock(16, num_heads=2, use_causal_mask=True, seed=0)
    >>> block.forward(np.ones((3, 5, 8))).shape, block.attention.attention_scores.shape
    ((3, 5, 8), (3, 2, 5, 5))
    """

    # created by build(): their sizes depend on the input's width d
    attention: MultiHeadAttention
    ffn2: Dense

    def __init__(
        self,
        intermediate_dim: int,
        num_heads: int,
        *,
        key_dim: int | None = None,
        dropout: float = 0.0,
        activation="relu",
        layer_norm_epsilon: float = 1e-5,
        normalize_first: bool = False,
        use_causal_mask: bool = False,
        seed=None,
        name=None,
        dtype=None,
    ):
        super().__init__(name=name, dtype=dtype, seed=seed)
        self.intermediate_dim = check_positive_int("TransformerBlock", "intermediate_dim", intermediate_dim)
        self.num_heads = check_positive_int("TransformerBlock", "num_heads", num_heads)
        self.key_dim = None if key_dim is None else check_positive_int("TransformerBlock", "key_dim", key_dim)
        if not isinstance(dropout, (int, float)) or not 0 <= dropout < 1:
            raise ConfigError(f"TransformerBlock: dropout must be in [0, 1), received dropout={dropout!r}.")
        self.dropout = float(dropout)
        self.layer_norm_epsilon = float(layer_norm_epsilon)
        self.normalize_first = bool(normalize_first)
        self.use_causal_mask = bool(use_causal_mask)
        self.norm1 = LayerNormalization(epsilon=self.layer_norm_epsilon, name="norm1", dtype=dtype)
        self.norm2 = LayerNormalization(epsilon=self.layer_norm_epsilon, name="norm2", dtype=dtype)
        self.ffn1 = Dense(self.intermediate_dim, activation=activation, name="ffn1", dtype=dtype)
        self.drop1 = Dropout(self.dropout, name="drop1", dtype=dtype)
        self.drop2 = Dropout(self.dropout, name="drop2", dtype=dtype)

    def build(self, input_shape, rng=None):
        super().build(input_shape)
        rng = self._rng(rng)
        d = self.built_shape()[-1]
        key_dim = self.key_dim
        if key_dim is None:
            if d % self.num_heads:
                raise ConfigError(
                    f"{self.describe()}: {d} features do not split into {self.num_heads} heads; "
                    "pass key_dim=... or choose a width divisible by num_heads."
                )
            key_dim = d // self.num_heads
        self.attention = MultiHeadAttention(
            self.num_heads,
            key_dim,
            dropout=self.dropout,
            use_causal_mask=self.use_causal_mask,
            name="attention",
            dtype=self.dtype,
        )
        self.ffn2 = Dense(d, name="ffn2", dtype=self.dtype)
        shape = tuple(self.built_shape())
        for layer, layer_shape in (
            (self.attention, shape),
            (self.norm1, shape),
            (self.ffn1, (d,)),
            (self.ffn2, (self.intermediate_dim,)),
            (self.norm2, shape),
            (self.drop1, shape),
            (self.drop2, shape),
        ):
            layer.build(layer_shape, rng)
            for p in layer.parameters():
                p.name = f"{layer.name}.{p.name}"  # unique inside the block, for saving

    def sublayers(self):
        if not self.built:
            return [self.norm1, self.ffn1, self.norm2, self.drop1, self.drop2]
        return [self.attention, self.norm1, self.ffn1, self.ffn2, self.norm2, self.drop1, self.drop2]

    def parameters(self):
        if not self.built:
            return []
        return [p for layer in self.sublayers() for p in layer.parameters()]

    def _ffn(self, x, training):
        n, t, d = x.shape
        h = self.ffn1.forward(x.reshape(n * t, d), training=training)
        return self.ffn2.forward(h, training=training).reshape(n, t, d)

    def _ffn_backward(self, g):
        n, t, d = g.shape
        gh = self.ffn2.backward(g.reshape(n * t, d))
        return self.ffn1.backward(gh).reshape(n, t, d)

    def forward(self, x, *, training=False):
        x = self._prepare(x)
        if self.normalize_first:
            a = self.attention.forward(self.norm1.forward(x), training=training)
            x1 = x + self.drop1.forward(a, training=training)
            y = x1 + self.drop2.forward(self._ffn(self.norm2.forward(x1), training), training=training)
        else:
            a = self.attention.forward(x, training=training)
            x1 = self.norm1.forward(x + self.drop1.forward(a, training=training))
            y = self.norm2.forward(x1 + self.drop2.forward(self._ffn(x1, training), training=training))
        self.output = y
        return y

    def backward(self, grad_y, *, need_input_grad=True):
        if self.normalize_first:
            g1 = grad_y + self.norm2.backward(self._ffn_backward(self.drop2.backward(grad_y)))
            return g1 + self.norm1.backward(self.attention.backward(self.drop1.backward(g1)))
        g2 = self.norm2.backward(grad_y)
        g1 = self.norm1.backward(g2 + self._ffn_backward(self.drop2.backward(g2)))
        return g1 + self.attention.backward(self.drop1.backward(g1))

    def get_config(self):
        config = {**super().get_config(), "intermediate_dim": self.intermediate_dim, "num_heads": self.num_heads}
        if self.key_dim is not None:
            config["key_dim"] = self.key_dim
        if self.dropout:
            config["dropout"] = self.dropout
        activation = self.ffn1.activation
        if activation is None or activation.key != "relu":
            config["activation"] = None if activation is None else activations.serialize(activation)
        if self.layer_norm_epsilon != 1e-5:
            config["layer_norm_epsilon"] = self.layer_norm_epsilon
        for key in ("normalize_first", "use_causal_mask"):
            if getattr(self, key):
                config[key] = True
        return config

    def extra_repr(self):
        text = f"intermediate_dim={self.intermediate_dim}, num_heads={self.num_heads}"
        if self.normalize_first:
            text += ", normalize_first=True"
        return text + (", use_causal_mask=True" if self.use_causal_mask else "")
