"""LayerNormalization: gradients, PyTorch parity, arguments."""

import numpy as np
import pytest
from engine_helpers import assert_close, assert_gradcheck, engine_run, t2n, torch_run

from engine import LayerNormalization
from engine.errors import ConfigError
from engine.gradcheck import check_layer


@pytest.mark.parametrize("shape", [(4, 5), (2, 3, 4)])
@pytest.mark.parametrize("center, scale", [(True, True), (False, True), (True, False)])
def test_gradcheck(shape, center, scale, rng):
    layer = LayerNormalization(center=center, scale=scale)
    layer.build(shape[1:])
    for p in layer.parameters():
        p.value[...] = rng.normal(size=p.shape)
    result = check_layer(layer, rng.normal(size=shape) * 3 + 1)
    assert_gradcheck(result)
    assert set(result.errors) == {"x"} | ({"gamma"} if scale else set()) | ({"beta"} if center else set())


@pytest.mark.parametrize("shape", [(6, 4), (2, 5, 4)])
def test_matches_torch(shape, torch, rng):
    layer = LayerNormalization(epsilon=1e-3, dtype=np.float64)
    layer.build(shape[1:])
    ref = torch.nn.LayerNorm(4, eps=1e-3).double()
    gamma, beta = rng.normal(size=4), rng.normal(size=4)
    layer.gamma.value[...], layer.beta.value[...] = gamma, beta
    with torch.no_grad():
        ref.weight.copy_(torch.tensor(gamma))
        ref.bias.copy_(torch.tensor(beta))
    x, g = rng.normal(size=shape) * 2 + 1, rng.normal(size=shape)
    y, gx = engine_run(layer, x, g, training=True)
    ty, tgx = torch_run(torch, ref, x, g)
    assert_close(y, ty, "forward")
    assert_close(gx, tgx, "grad x")
    assert_close(layer.gamma.grad, t2n(ref.weight.grad), "grad gamma")
    assert_close(layer.beta.grad, t2n(ref.bias.grad), "grad beta")
    assert_close(layer.forward(x, training=False), ty, "same in inference")  # no batch statistics


def test_one_sample_is_fine_and_arguments_are_checked():
    layer = LayerNormalization()
    y = layer.forward(np.array([[1.0, 2.0, 3.0]]), training=True)
    assert abs(float(y.mean())) < 1e-6 and y.std() > 0.9  # per sample, unlike BatchNorm
    with pytest.raises(ConfigError, match=r"last axis only \(axis=-1\), received axis=1"):
        LayerNormalization(axis=1)
    with pytest.raises(ConfigError, match="epsilon must be > 0"):
        LayerNormalization(epsilon=0)
    assert LayerNormalization(epsilon=1e-5, center=False).get_config() == {
        "name": "layer_normalization",
        "epsilon": 1e-5,
        "center": False,
    }
