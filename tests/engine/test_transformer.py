"""TransformerBlock and TimeDistributed: gradients, PyTorch parity, a tiny character model that
learns, and saving/loading a transformer."""

import io
import re

import numpy as np
import pytest
from engine_helpers import assert_close, assert_gradcheck, t2n

from engine import (
    Adam,
    Dense,
    Embedding,
    LayerNormalization,
    PositionEmbedding,
    Sequential,
    SinePositionEncoding,
    TimeDistributed,
    TransformerBlock,
    kernels,
    load,
)
from engine.errors import ConfigError, ShapeError
from engine.gradcheck import check_layer


def randomize(layer, rng):
    for p in layer.parameters():
        p.value[...] = rng.normal(scale=0.4, size=p.shape)


@pytest.mark.parametrize("normalize_first", [False, True])
@pytest.mark.parametrize("causal", [False, True])
def test_block_gradcheck(normalize_first, causal, rng):
    block = TransformerBlock(8, num_heads=2, normalize_first=normalize_first, use_causal_mask=causal, seed=0)
    block.build((3, 4))
    block.astype(np.float64)
    randomize(block, rng)
    result = check_layer(block, rng.normal(size=(2, 3, 4)))
    assert_gradcheck(result)
    assert {"x", "attention.Wq", "norm1.gamma", "ffn1.W", "ffn2.b", "norm2.beta"} <= set(result.errors)


def torch_block(torch, block):
    """torch.nn.TransformerEncoderLayer with the block's weights."""
    d = block.ffn2.units
    ref = torch.nn.TransformerEncoderLayer(
        d,
        block.num_heads,
        dim_feedforward=block.intermediate_dim,
        dropout=0.0,
        batch_first=True,
        norm_first=block.normalize_first,
        layer_norm_eps=block.layer_norm_epsilon,
        dtype=torch.float64,
    )
    a, t = block.attention, lambda v: torch.tensor(np.ascontiguousarray(v))
    with torch.no_grad():
        ref.self_attn.in_proj_weight.copy_(t(np.concatenate([a.Wq.value, a.Wk.value, a.Wv.value], 1).T))
        ref.self_attn.in_proj_bias.copy_(t(np.concatenate([a.bq.value, a.bk.value, a.bv.value])))
        ref.self_attn.out_proj.weight.copy_(t(a.Wo.value.T))
        ref.self_attn.out_proj.bias.copy_(t(a.bo.value))
        for mine, theirs in ((block.ffn1, ref.linear1), (block.ffn2, ref.linear2)):
            theirs.weight.copy_(t(mine.W.value.T))
            theirs.bias.copy_(t(mine.b.value))
        for mine, theirs in ((block.norm1, ref.norm1), (block.norm2, ref.norm2)):
            theirs.weight.copy_(t(mine.gamma.value))
            theirs.bias.copy_(t(mine.beta.value))
    return ref


@pytest.mark.parametrize("normalize_first", [False, True])
@pytest.mark.parametrize("causal", [False, True])
def test_block_matches_torch(normalize_first, causal, torch, rng):
    block = TransformerBlock(16, 2, normalize_first=normalize_first, use_causal_mask=causal, seed=0)
    block.build((5, 6))
    block.astype(np.float64)
    randomize(block, rng)
    ref = torch_block(torch, block).train()  # train(): no fast path; dropout is 0 anyway
    x, g = rng.normal(size=(3, 5, 6)), rng.normal(size=(3, 5, 6))
    y = block.forward(x, training=True)
    block.zero_grad()
    gx = block.backward(g)
    tx = torch.tensor(x, requires_grad=True)
    mask = torch.nn.Transformer.generate_square_subsequent_mask(5, dtype=torch.float64) if causal else None
    ty = ref(tx, src_mask=mask, is_causal=causal)
    ty.backward(torch.tensor(g))
    assert_close(y, t2n(ty), "forward")
    assert_close(gx, t2n(tx.grad), "grad x")
    a = block.attention
    w = t2n(ref.self_attn.in_proj_weight.grad)
    assert_close(a.Wq.grad, w[:6].T, "grad Wq")
    assert_close(a.Wv.grad, w[12:].T, "grad Wv")
    assert_close(a.Wo.grad, t2n(ref.self_attn.out_proj.weight.grad).T, "grad Wo")
    assert_close(block.ffn1.W.grad, t2n(ref.linear1.weight.grad).T, "grad ffn1.W")
    assert_close(block.ffn2.b.grad, t2n(ref.linear2.bias.grad), "grad ffn2.b")
    assert_close(block.norm1.gamma.grad, t2n(ref.norm1.weight.grad), "grad norm1.gamma")
    assert_close(block.norm2.beta.grad, t2n(ref.norm2.bias.grad), "grad norm2.beta")


def test_block_errors():
    with pytest.raises(ConfigError, match="7 features do not split into 2 heads; pass key_dim"):
        TransformerBlock(8, 2).build((3, 7))
    assert TransformerBlock(8, 2, key_dim=3).forward(np.zeros((1, 3, 7))).shape == (1, 3, 7)
    with pytest.raises(
        ShapeError, match=re.escape("TransformerBlock takes (batch, time, features), e.g. after an Embedding.")
    ):
        block = TransformerBlock(8, 2)
        block.forward(np.zeros((1, 3, 4)))
        block.forward(np.zeros((1, 4)))
    with pytest.raises(ConfigError, match="dropout must be in"):
        TransformerBlock(8, 2, dropout=-0.1)


def test_time_distributed_gradcheck_and_steps(rng):
    layer = TimeDistributed(Dense(3, activation="tanh", seed=0))
    x = rng.normal(size=(2, 4, 5))
    assert_gradcheck(check_layer(layer, x))
    y = layer.forward(x)
    for t in range(4):  # the same Dense applied to each step
        assert_close(y[:, t], layer.layer.forward(x[:, t]), f"step {t}")
    with pytest.raises(ShapeError, match=re.escape("TimeDistributed takes (batch, time, ...).")):
        layer.forward(x[:, 0])


def char_model(vocab, length, seed=0):
    return Sequential(
        [
            Embedding(vocab, 16),
            SinePositionEncoding(),
            TransformerBlock(32, 2, use_causal_mask=True, normalize_first=True),
            LayerNormalization(),
            TimeDistributed(Dense(vocab)),
        ],
        input_shape=(length,),
        seed=seed,
    )


def test_tiny_character_model_learns_to_reverse():
    """Train on "abcd>dcba" (causal next-character prediction): the reversed half is predicted."""
    rng = np.random.default_rng(0)
    letters, length = 8, 4
    words = rng.integers(0, letters, size=(3000, length))
    seq = np.concatenate([words, np.full((3000, 1), letters), words[:, ::-1]], axis=1)
    x, y = seq[:, :-1], seq[:, 1:]
    model = char_model(letters + 1, 2 * length)
    model.compile(loss="softmax_crossentropy", optimizer=Adam(learning_rate=0.01))
    history = model.fit(x, y, epochs=3, batch_size=32)
    answer = model.predict(x[:500]).argmax(-1)[:, length:]
    assert (answer == y[:500, length:]).mean() > 0.95
    assert history["loss"][-1] < history["loss"][0]


def test_browser_kernels_give_the_same_training():
    """The emscripten kernels (einsum on 4-D attention products) train the model as native ones do."""
    rng = np.random.default_rng(3)
    x, y = rng.integers(0, 9, size=(64, 8)), rng.integers(0, 9, size=(64, 8))

    def run():
        model = char_model(9, 8)
        model.compile(loss="softmax_crossentropy", optimizer=Adam(learning_rate=0.01))
        losses = model.fit(x, y, epochs=2, batch_size=16, shuffle=False).step_losses
        return losses, model.predict(x)

    native = run()
    previous = kernels.set_platform("emscripten")
    try:
        browser = run()
    finally:
        kernels.set_platform(previous)
    for got, want in zip(browser, native, strict=True):
        assert_close(got, want, "emscripten vs native", atol=1e-5)


def test_transformer_model_round_trip(rng):
    model = Sequential(
        [
            Embedding(11, 8),
            PositionEmbedding(6),
            TransformerBlock(16, 2, dropout=0.1, use_causal_mask=True),
            TransformerBlock(12, 4, activation="tanh", normalize_first=True),
            LayerNormalization(epsilon=1e-5),
            TimeDistributed(Dense(11, activation="softmax")),
        ],
        input_shape=(6,),
        seed=0,
    )
    randomize(model, rng)
    buffer = io.BytesIO()
    model.save(buffer)
    clone = load(io.BytesIO(buffer.getvalue()))
    x = rng.integers(0, 11, size=(3, 6))
    assert np.array_equal(clone.predict(x), model.predict(x))
    assert clone.get_config() == model.get_config()
    names = [name for name, _ in clone.named_parameters()]
    assert "transformer_block.attention.Wq" in names and "transformer_block_1.ffn2.W" in names
