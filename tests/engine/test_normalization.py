"""BatchNorm: gradients in both modes, PyTorch parity incl. running statistics."""

import numpy as np
import pytest
from engine_helpers import assert_close, assert_gradcheck, engine_run, t2n, torch_run

from engine import BatchNorm
from engine.errors import ShapeError
from engine.gradcheck import check_layer


@pytest.mark.parametrize("shape", [(6, 3), (3, 2, 3, 4)])
@pytest.mark.parametrize("training", [True, False])
def test_gradcheck(shape, training, rng):
    layer = BatchNorm()
    layer.build(shape[1:])
    layer.gamma.value[...] = rng.normal(size=shape[1])
    layer.beta.value[...] = rng.normal(size=shape[1])
    layer.running_mean[...] = rng.normal(size=shape[1])
    layer.running_var[...] = rng.uniform(0.5, 2, size=shape[1])
    assert_gradcheck(check_layer(layer, rng.normal(size=shape), training=training))


@pytest.mark.parametrize("shape, module", [((8, 3), "BatchNorm1d"), ((4, 3, 5, 5), "BatchNorm2d")])
def test_matches_torch_train_then_eval(shape, module, torch, rng):
    layer = BatchNorm(momentum=0.8).astype(np.float64)  # Keras's momentum = 1 - PyTorch's
    ref = getattr(torch.nn, module)(3, momentum=0.2).double()
    layer.build(shape[1:])
    layer.astype(np.float64)
    gamma, beta = rng.normal(size=3), rng.normal(size=3)
    layer.gamma.value[...], layer.beta.value[...] = gamma, beta
    with torch.no_grad():
        ref.weight.copy_(torch.tensor(gamma))
        ref.bias.copy_(torch.tensor(beta))
    for step in range(3):  # running statistics follow torch's update rule
        x, g = rng.normal(size=shape) * 2 + 1, rng.normal(size=shape)
        ref.zero_grad()
        y, gx = engine_run(layer, x, g, training=True)
        ty, tgx = torch_run(torch, ref.train(), x, g)
        assert_close(y, ty, f"train forward {step}")
        assert_close(gx, tgx, f"train grad x {step}")
        assert_close(layer.gamma.grad, t2n(ref.weight.grad), "grad gamma")
        assert_close(layer.beta.grad, t2n(ref.bias.grad), "grad beta")
    assert_close(layer.running_mean, t2n(ref.running_mean), "running mean")
    assert_close(layer.running_var, t2n(ref.running_var), "running var")
    x, g = rng.normal(size=shape), rng.normal(size=shape)
    y, gx = engine_run(layer, x, g, training=False)
    ty, tgx = torch_run(torch, ref.eval(), x, g)
    assert_close(y, ty, "eval forward")
    assert_close(gx, tgx, "eval grad x")


def test_shape_error_and_buffers():
    layer = BatchNorm(num_features=3, name="bn")
    assert set(layer.buffers()) == {"running_mean", "running_var"}
    with pytest.raises(ShapeError) as info:
        layer.forward(np.zeros((2, 4)))
    assert str(info.value) == (
        "BatchNorm 'bn' expected input of shape (batch, 3), received (2, 4). "
        "BatchNorm takes (batch, C) or (batch, C, H, W) input."
    )
