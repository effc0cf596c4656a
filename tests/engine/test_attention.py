"""MultiHeadAttention: gradients, PyTorch parity (self- and cross-attention, causal mask),
the attention scores, dropout and the causal property."""

import numpy as np
import pytest
from engine_helpers import assert_close, assert_gradcheck, t2n

from engine import MultiHeadAttention
from engine.errors import ConfigError, ShapeError
from engine.gradcheck import check_layer, numerical_gradient


def randomize(layer, rng):
    for p in layer.parameters():
        p.value[...] = rng.normal(scale=0.5, size=p.shape)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"num_heads": 2, "key_dim": 3},
        {"num_heads": 2, "key_dim": 3, "use_causal_mask": True},
        {"num_heads": 3, "key_dim": 2, "value_dim": 4, "use_bias": False},
        {"num_heads": 1, "key_dim": 4, "use_causal_mask": True},
    ],
)
def test_gradcheck_self_attention(kwargs, rng):
    layer = MultiHeadAttention(**kwargs, seed=0)
    layer.build((4, 5))
    layer.astype(np.float64)
    randomize(layer, rng)
    result = check_layer(layer, rng.normal(size=(2, 4, 5)))
    assert_gradcheck(result)
    expected = {"x", "Wq", "Wk", "Wv", "Wo"} | ({"bq", "bk", "bv", "bo"} if kwargs.get("use_bias", True) else set())
    assert set(result.errors) == expected


def test_gradcheck_with_dropout(rng):
    layer = MultiHeadAttention(2, 3, dropout=0.3, seed=0)
    layer.build((4, 6))
    layer.astype(np.float64)

    def same_mask():
        layer._generator = np.random.default_rng(5)

    assert_gradcheck(check_layer(layer, rng.normal(size=(2, 4, 6)), training=True, before_forward=same_mask))


def test_cross_attention_gradients(rng):
    layer = MultiHeadAttention(2, 3, dtype=np.float64, seed=0)
    q, kv = rng.normal(size=(2, 3, 4)), rng.normal(size=(2, 5, 4))
    y = layer.forward(q, kv)
    r = rng.normal(size=y.shape)
    gq, gkv = layer.backward(r)
    assert y.shape == (2, 3, 4) and layer.attention_scores.shape == (2, 2, 3, 5)

    def loss():
        return float(np.sum(layer.forward(q, kv) * r))

    assert_close(gq, numerical_gradient(loss, q), "grad query", atol=1e-6)
    assert_close(gkv, numerical_gradient(loss, kv), "grad value (= key)", atol=1e-6)


def torch_reference(torch, layer, d):
    """torch.nn.MultiheadAttention with the engine layer's weights (embed_dim = num_heads * key_dim)."""
    module = torch.nn.MultiheadAttention(d, layer.num_heads, batch_first=True).double()
    with torch.no_grad():
        module.in_proj_weight.copy_(torch.tensor(np.concatenate([layer.Wq.value, layer.Wk.value, layer.Wv.value], 1).T))
        module.in_proj_bias.copy_(torch.tensor(np.concatenate([layer.bq.value, layer.bk.value, layer.bv.value])))
        module.out_proj.weight.copy_(torch.tensor(layer.Wo.value.T))
        module.out_proj.bias.copy_(torch.tensor(layer.bo.value))
    return module


@pytest.mark.parametrize("causal", [False, True])
@pytest.mark.parametrize("cross", [False, True])
def test_matches_torch(causal, cross, torch, rng):
    d, heads, tq, tk = 6, 2, 4, 4 if causal else 5
    layer = MultiHeadAttention(heads, d // heads, use_causal_mask=causal, dtype=np.float64, seed=0)
    layer.build((tq, d))
    randomize(layer, rng)
    module = torch_reference(torch, layer, d)
    q = rng.normal(size=(3, tq, d))
    kv = rng.normal(size=(3, tk, d)) if cross else q
    g = rng.normal(size=(3, tq, d))

    y, scores = layer.forward(q, kv if cross else None, return_attention_scores=True)
    layer.zero_grad()
    grads = layer.backward(g)
    gq, gkv = grads if cross else (grads, None)

    tq_, tkv = torch.tensor(q, requires_grad=True), torch.tensor(kv, requires_grad=True)
    key_value = tkv if cross else tq_
    mask = torch.tensor(~np.tril(np.ones((tq, tk), dtype=bool))) if causal else None  # True = may not attend
    ty, tw = module(tq_, key_value, key_value, attn_mask=mask, average_attn_weights=False)
    ty.backward(torch.tensor(g))

    assert_close(y, t2n(ty), "forward")
    assert_close(scores, t2n(tw), "attention scores")
    assert_close(gq, t2n(tq_.grad), "grad query")
    if cross:
        assert_close(gkv, t2n(tkv.grad), "grad key/value")
    e, h = d, d
    w_grad, b_grad = t2n(module.in_proj_weight.grad), t2n(module.in_proj_bias.grad)
    for i, name in enumerate("qkv"):
        assert_close(getattr(layer, f"W{name}").grad, w_grad[i * e : (i + 1) * e].T, f"grad W{name}")
        assert_close(getattr(layer, f"b{name}").grad, b_grad[i * h : (i + 1) * h], f"grad b{name}")
    assert_close(layer.Wo.grad, t2n(module.out_proj.weight.grad).T, "grad Wo")
    assert_close(layer.bo.grad, t2n(module.out_proj.bias.grad), "grad bo")


def test_causal_output_ignores_the_future_and_scores_are_kept(rng):
    layer = MultiHeadAttention(2, 4, use_causal_mask=True, seed=0)
    x = rng.normal(size=(2, 6, 8))
    y = layer.forward(x)
    scores = layer.attention_scores
    assert_close(scores.sum(-1), np.ones((2, 2, 6)), "rows sum to 1")
    assert not np.triu(scores[0, 0], 1).any()  # nothing above the diagonal
    x2 = x.copy()
    x2[:, 3:] = rng.normal(size=(2, 3, 8))  # change the future only
    assert np.array_equal(layer.forward(x2)[:, :3], y[:, :3])
    assert not np.allclose(layer.forward(x2)[:, 3:], y[:, 3:])
    full = layer.forward(x, use_causal_mask=False)  # the call argument overrides the constructor's
    assert not np.allclose(full[:, :3], y[:, :3])


def test_dropout_only_while_training(rng):
    layer = MultiHeadAttention(2, 4, dropout=0.5, seed=0)
    x = rng.normal(size=(2, 5, 8))
    assert np.array_equal(layer.forward(x), layer.forward(x))
    assert not np.allclose(layer.forward(x, training=True), layer.forward(x))


def test_errors():
    layer = MultiHeadAttention(2, 4, seed=0, name="mha")
    with pytest.raises(ShapeError, match=r"expected input of shape \(batch, time, 8\), received \(2, 5, 3\)"):
        layer.forward(np.zeros((2, 5, 8)))
        layer.forward(np.zeros((2, 5, 3)))
    with pytest.raises(ConfigError, match="takes sequences"):
        MultiHeadAttention(2, 4).forward(np.zeros((2, 8)))
    with pytest.raises(ConfigError, match="dropout must be in"):
        MultiHeadAttention(2, 4, dropout=1.0)
    with pytest.raises(ConfigError, match="a key needs a value too"):
        layer.forward(np.zeros((2, 5, 8)), key=np.zeros((2, 5, 8)))
    with pytest.raises(ShapeError, match="Batch sizes differ"):
        layer.forward(np.zeros((2, 5, 8)), np.zeros((3, 5, 8)))
