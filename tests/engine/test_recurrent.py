"""RNN, LSTM, GRU: gradients through time and PyTorch parity, including gate order."""

import numpy as np
import pytest
from engine_helpers import assert_close, assert_gradcheck, engine_run, t2n, torch_run

from engine import GRU, LSTM, RNN
from engine.errors import ConfigError, ShapeError
from engine.gradcheck import check_layer


def randomize(layer, rng):
    for p in layer.parameters():
        p.value[...] = rng.normal(scale=0.5, size=p.shape)


@pytest.mark.parametrize("cls", [RNN, LSTM, GRU])
@pytest.mark.parametrize("return_sequences", [False, True])
def test_gradcheck(cls, return_sequences, rng):
    layer = cls(3, input_dim=2, return_sequences=return_sequences, seed=0)
    layer.astype(np.float64)
    randomize(layer, rng)
    assert_gradcheck(check_layer(layer, rng.normal(size=(2, 4, 2))))


def torch_reference(torch, layer):
    """A batch-first torch module with the engine layer's weights (torch gate orders differ)."""
    f, h = layer.W.shape[0], layer.units
    module = {RNN: torch.nn.RNN, LSTM: torch.nn.LSTM, GRU: torch.nn.GRU}[type(layer)](f, h, batch_first=True).double()
    w, u, b = layer.W.value.T, layer.U.value.T, layer.b.value
    b_h = np.zeros_like(b)
    if isinstance(layer, GRU):  # engine z, r, n -> torch r, z, n
        order = lambda a: np.concatenate([a[h : 2 * h], a[:h], a[2 * h :]])  # noqa: E731
        w, u, b, b_h = order(w), order(u), order(b), order(layer.b_h.value)
    with torch.no_grad():  # LSTM: engine i, f, c, o == torch i, f, g, o
        module.weight_ih_l0.copy_(torch.tensor(w))
        module.weight_hh_l0.copy_(torch.tensor(u))
        module.bias_ih_l0.copy_(torch.tensor(b))
        module.bias_hh_l0.copy_(torch.tensor(b_h))
    return module


@pytest.mark.parametrize("cls", [RNN, LSTM, GRU])
@pytest.mark.parametrize("return_sequences", [False, True])
def test_matches_torch(cls, return_sequences, torch, rng):
    layer = cls(4, input_dim=3, return_sequences=return_sequences, seed=0, dtype=np.float64)
    randomize(layer, rng)
    module = torch_reference(torch, layer)
    x = rng.normal(size=(2, 5, 3))
    g = rng.normal(size=(2, 5, 4) if return_sequences else (2, 4))

    def ref(tx):
        out, _ = module(tx)
        return out if return_sequences else out[:, -1]

    y, gx = engine_run(layer, x, g)
    ty, tgx = torch_run(torch, ref, x, g)
    assert_close(y, ty, "forward")
    assert_close(gx, tgx, "grad x")
    h = layer.units
    grads = {
        "W": t2n(module.weight_ih_l0.grad).T,
        "U": t2n(module.weight_hh_l0.grad).T,
        "b": t2n(module.bias_ih_l0.grad),
    }
    if cls is GRU:
        back = lambda a: np.concatenate([a[..., h : 2 * h], a[..., :h], a[..., 2 * h :]], axis=-1)  # noqa: E731
        grads = {k: back(v) for k, v in grads.items()}
        assert_close(layer.b_h.grad, back(t2n(module.bias_hh_l0.grad)), "grad b_h")
    for name, expected in grads.items():
        assert_close(getattr(layer, name).grad, expected, f"grad {name}")


def test_gate_views_and_shapes():
    lstm = LSTM(4, input_dim=3, seed=0)
    w_f, u_f, b_f = lstm.gate("f")
    assert np.shares_memory(w_f, lstm.W.value) and w_f.shape == (3, 4) and b_f.shape == (4,)
    assert GRU(5, input_dim=2).compute_output_shape((7, 2)) == (5,)
    assert RNN(5, return_sequences=True).compute_output_shape((7, 2)) == (7, 5)
    with pytest.raises(ConfigError, match="has gates i, f, c, o; received 'z'"):
        lstm.gate("z")


def test_shape_error():
    layer = LSTM(4, input_dim=3, seed=0, name="lstm")
    with pytest.raises(ShapeError) as info:
        layer.forward(np.zeros((2, 3)))
    assert str(info.value) == (
        "LSTM 'lstm' expected input of shape (batch, time, 3), received (2, 3). "
        "Recurrent layers take (batch, time, features)."
    )
