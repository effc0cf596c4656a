"""Helpers shared by the engine tests (a plain module: tests/engine is not a package)."""

import numpy as np


def assert_close(actual, expected, what="", atol=1e-5, rtol=1e-5):
    """allclose that reports the worst element, so a failure says where and by how much."""
    actual, expected = np.asarray(actual, dtype=np.float64), np.asarray(expected, dtype=np.float64)
    assert actual.shape == expected.shape, f"{what}: shape {actual.shape} != expected {expected.shape}"
    if not np.allclose(actual, expected, atol=atol, rtol=rtol):
        err = np.abs(actual - expected)
        i = np.unravel_index(err.argmax(), err.shape)
        raise AssertionError(f"{what}: max error {err.max():.3e} at {i}: {actual[i]} vs {expected[i]}")


def assert_gradcheck(result):
    assert result.ok, result.report()


def engine_run(layer, x, grad_y, training=False):
    """Forward then backward with the given upstream gradient; returns ``(y, grad_x)``."""
    y = layer.forward(x, training=training)
    layer.zero_grad()
    return y, layer.backward(np.array(grad_y))


def torch_run(torch, module, x, grad_y):
    """The same through a torch module (float64); returns ``(y, grad_x)`` and fills module grads."""
    tx = torch.tensor(x, requires_grad=True)
    ty = module(tx)
    if isinstance(ty, tuple):
        ty = ty[0]
    ty.backward(torch.tensor(grad_y))
    return ty.detach().numpy(), tx.grad.numpy()


def t2n(tensor):
    return tensor.detach().numpy()
