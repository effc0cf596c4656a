"""ONNX converters of the sequence layers: embeddings, positions, layer normalisation, attention,
transformer blocks and ``TimeDistributed``.

Registered into :data:`engine.export.onnx.CONVERTERS` when the package ``engine.export`` loads
(which any import of ``engine.export.onnx`` does first). Only standard
opset-17 operators: ``Cast``, ``Gather``, ``Add``, ``LayerNormalization``, ``MatMul``, ``Mul``,
``Reshape``, ``Transpose``, ``Softmax``. The sequence length is the exported ``input_shape``'s,
so position tables and the causal mask are constants. Like every converter here, nothing in this
module imports ``onnx`` (the graph builder does).
"""

from __future__ import annotations

import numpy as np

from ..layers import (
    Embedding,
    LayerNormalization,
    MultiHeadAttention,
    PositionEmbedding,
    SinePositionEncoding,
    TimeDistributed,
    TransformerBlock,
)
from ..layers.attention import causal_mask
from .onnx import get_converter, register_converter


@register_converter(Embedding)
def _embedding(layer, g, x, shape):
    # The graph's input is float (like every exported model's); Gather needs integer indices.
    ids = g.node("Cast", [x], prefix=layer.name, to=g.helper.np_dtype_to_tensor_dtype(np.dtype(np.int64)))
    return g.node(
        "Gather", [g.const(f"{layer.name}/embeddings", layer.embeddings.value), ids], prefix=layer.name, axis=0
    )


@register_converter(PositionEmbedding)
@register_converter(SinePositionEncoding)
def _add_position(layer, g, x, shape):
    return g.node("Add", [x, g.const(f"{layer.name}/positions", layer.table(shape[0]))], prefix=layer.name)


@register_converter(LayerNormalization)
def _layer_norm(layer, g, x, shape):
    p, d = layer.name, shape[-1]
    inputs = [x, g.const(f"{p}/gamma", layer.gamma.value if layer.gamma is not None else np.ones(d))]
    if layer.beta is not None:
        inputs.append(g.const(f"{p}/beta", layer.beta.value))
    return g.node("LayerNormalization", inputs, prefix=p, axis=-1, epsilon=layer.epsilon)


def _rows(layers, g, x, shape):
    """Apply row-wise ``layers`` (Dense, ...) to every step: (N, T, f) -> (N*T, f) -> ... -> (N, T, out)."""
    prefix = layers[0].name
    x = g.node("Reshape", [x, g.const(f"{prefix}/rows", [-1, *shape[1:]], dtype=np.int64)], prefix=prefix)
    step = tuple(shape[1:])
    for layer in layers:
        x = get_converter(layer)(layer, g, x, step)
        step = layer.compute_output_shape(step)
    back = g.const(f"{prefix}/steps", [-1, shape[0], *step], dtype=np.int64)
    return g.node("Reshape", [x, back], prefix=prefix)


@register_converter(TimeDistributed)
def _time_distributed(layer, g, x, shape):
    return _rows([layer.layer], g, x, shape)


def _linear(g, prefix, x, w, b):
    y = g.node("MatMul", [x, g.const(f"{prefix}/{w.name}", w.value)], prefix=prefix)
    return y if b is None else g.node("Add", [y, g.const(f"{prefix}/{b.name}", b.value)], prefix=prefix)


@register_converter(MultiHeadAttention)
def _attention(layer, g, x, shape):
    """Self-attention: project, split heads, ``softmax(Q K^T / sqrt(k) + mask) V``, join, project."""
    p, h, t = layer.name, layer.num_heads, shape[0]

    def heads(w, b, size, perm):
        z = _linear(g, p, x, w, b)  # (N, T, h*size)
        z = g.node("Reshape", [z, g.const(f"{p}/heads", [0, 0, h, size], dtype=np.int64)], prefix=p)
        return g.node("Transpose", [z], prefix=p, perm=perm)

    q = heads(layer.Wq, layer.bq, layer.key_dim, [0, 2, 1, 3])  # (N, h, T, k)
    k_t = heads(layer.Wk, layer.bk, layer.key_dim, [0, 2, 3, 1])  # (N, h, k, T)
    v = heads(layer.Wv, layer.bv, layer.value_dim, [0, 2, 1, 3])  # (N, h, T, v)
    s = g.node("MatMul", [q, k_t], prefix=p)
    s = g.node("Mul", [s, g.const(f"{p}/scale", 1.0 / np.sqrt(layer.key_dim))], prefix=p)
    if layer.use_causal_mask:
        mask = np.where(causal_mask(t, t), 0.0, -np.inf)
        s = g.node("Add", [s, g.const(f"{p}/causal_mask", mask)], prefix=p)
    a = g.node("Softmax", [s], prefix=p, axis=-1)
    g.attention.append((a, (h, t, t)))  # for to_onnx(attention_output=...)
    o = g.node("Transpose", [g.node("MatMul", [a, v], prefix=p)], prefix=p, perm=[0, 2, 1, 3])
    o = g.node("Reshape", [o, g.const(f"{p}/join", [0, 0, h * layer.value_dim], dtype=np.int64)], prefix=p)
    return _linear(g, p, o, layer.Wo, layer.bo)


@register_converter(TransformerBlock)
def _transformer_block(layer, g, x, shape):
    """The block's graph with its parts' converters; dropout is the identity at inference."""
    p = layer.name

    def attention(z):
        return _attention(layer.attention, g, z, shape)

    def ffn(z):
        return _rows([layer.ffn1, layer.ffn2], g, z, shape)

    def norm(part, z):
        return _layer_norm(part, g, z, shape)

    if layer.normalize_first:
        x1 = g.node("Add", [x, attention(norm(layer.norm1, x))], prefix=p)
        return g.node("Add", [x1, ffn(norm(layer.norm2, x1))], prefix=p)
    x1 = norm(layer.norm1, g.node("Add", [x, attention(x)], prefix=p))
    return norm(layer.norm2, g.node("Add", [x1, ffn(x1)], prefix=p))
