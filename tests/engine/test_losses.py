"""Losses: values and gradients against PyTorch, gradchecks, target formats, registry."""

import numpy as np
import pytest
from engine_helpers import assert_close, assert_gradcheck

from engine import losses
from engine.errors import ConfigError, DataError, ShapeError
from engine.gradcheck import check_loss


def torch_loss(torch, fn, y_pred, y_true):
    tp = torch.tensor(y_pred, requires_grad=True)
    value = fn(tp, torch.tensor(y_true))
    value.backward()
    return value.item(), tp.grad.numpy()


def test_mse(torch, rng):
    p, t = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
    loss = losses.MeanSquaredError()
    value, grad = torch_loss(torch, torch.nn.functional.mse_loss, p, t)
    assert abs(loss(p, t) - value) < 1e-12
    assert_close(loss.backward(), grad, "mse grad")
    assert_gradcheck(check_loss(loss, p, t))
    assert abs(loss(p[:, :1], t[:, 0]) - np.mean((p[:, 0] - t[:, 0]) ** 2)) < 1e-12  # (n,) vs (n, 1)


def test_binary_cross_entropy(torch, rng):
    z, t = rng.normal(size=(6, 1)), rng.integers(0, 2, size=(6, 1)).astype(float)
    p = 1 / (1 + np.exp(-z))
    loss = losses.BinaryCrossEntropy()
    value, grad = torch_loss(torch, torch.nn.functional.binary_cross_entropy, p, t)
    assert abs(loss(p, t) - value) < 1e-10
    assert_close(loss.backward(), grad, "bce grad")
    assert_gradcheck(check_loss(loss, p, t))
    logits = losses.BinaryCrossEntropy(from_logits=True)
    value, grad = torch_loss(torch, torch.nn.functional.binary_cross_entropy_with_logits, z, t)
    assert abs(logits(z, t) - value) < 1e-10
    assert_close(logits.backward(), grad, "bce logits grad")
    assert_gradcheck(check_loss(logits, z, t))


@pytest.mark.parametrize("targets", ["labels", "one_hot"])
def test_softmax_cross_entropy(targets, torch, rng):
    z, labels = rng.normal(size=(5, 4)) * 3, rng.integers(0, 4, size=5)
    t = labels if targets == "labels" else np.eye(4)[labels]
    loss = losses.SoftmaxCrossEntropy()
    value, grad = torch_loss(torch, torch.nn.functional.cross_entropy, z, t)
    assert abs(loss(z, t) - value) < 1e-10
    assert_close(loss.backward(), grad, "ce grad")
    assert_gradcheck(check_loss(loss, z, t))


@pytest.mark.parametrize("targets", ["labels", "one_hot"])
def test_categorical_cross_entropy_on_probabilities(targets, rng):
    z, labels = rng.normal(size=(5, 3)), rng.integers(0, 3, size=5)
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    t = labels if targets == "labels" else np.eye(3)[labels]
    loss = losses.CategoricalCrossEntropy()
    assert abs(loss(p, t) - losses.SoftmaxCrossEntropy()(z, t)) < 1e-12
    assert_gradcheck(check_loss(loss, p, t))
    loss(p, t)
    assert_close(loss.fused_gradient(), (p - np.eye(3)[labels]) / 5, "fused gradient")


def test_fused_gradient_survives_underflow():
    p = np.array([[1.0, 0.0]], dtype=np.float32)  # softmax underflowed: the true class has p == 0
    loss = losses.CategoricalCrossEntropy()
    assert np.isfinite(loss(p, np.array([1])))
    assert loss.fused_gradient().tolist() == [[1.0, -1.0]]


def test_target_errors():
    loss = losses.SoftmaxCrossEntropy()
    with pytest.raises(ShapeError) as info:
        loss(np.zeros((4, 3)), np.zeros((4, 2)))
    assert str(info.value) == (
        "SoftmaxCrossEntropy loss expected input of shape (batch, 3), received (4, 2). "
        "Targets must be labels (4,) or one-hot (4, 3)."
    )
    with pytest.raises(DataError) as info:
        loss(np.zeros((2, 3)), np.array([0, 3]))
    assert str(info.value) == (
        "SoftmaxCrossEntropy loss: labels must be in [0, 2], received values from 0 to 3. "
        "The model has 3 outputs; labels up to 3 need 4, e.g. a last layer Dense(4)."
    )
    with pytest.raises(ShapeError, match="Targets must match the predictions"):
        losses.MeanSquaredError()(np.zeros((4, 2)), np.zeros((4, 3)))


def test_registry():
    assert isinstance(losses.get("mse"), losses.MeanSquaredError)
    assert isinstance(losses.get("cross_entropy"), losses.SoftmaxCrossEntropy)
    assert losses.get("binary_crossentropy", from_logits=True).from_logits
    assert losses.get(losses.serialize(losses.BinaryCrossEntropy(from_logits=True))).from_logits
    with pytest.raises(ConfigError, match=r"Unknown loss 'hinge'. Valid names: bce, binary_crossentropy"):
        losses.get("hinge")


def test_cross_entropy_per_position(torch, rng):
    """(batch, time, classes) predictions, as a language model makes: the mean over all positions."""
    z, labels = rng.normal(size=(3, 4, 5)), rng.integers(0, 5, size=(3, 4))
    flat = lambda a, b: torch.nn.functional.cross_entropy(a.reshape(-1, 5), b.reshape(-1))  # noqa: E731
    value, grad = torch_loss(torch, flat, z, labels)
    loss = losses.SoftmaxCrossEntropy()
    assert abs(loss(z, labels) - value) < 1e-12
    assert_close(loss.backward(), grad, "grad per position")
    assert_close(loss.probabilities(z).sum(-1), np.ones((3, 4)), "softmax over the classes")
    p = np.exp(z) / np.exp(z).sum(-1, keepdims=True)
    probs = losses.CategoricalCrossEntropy()
    one_hot = np.eye(5)[labels]
    assert abs(probs(p, one_hot) - value) < 1e-12
    assert_gradcheck(check_loss(probs, p, one_hot))
    with pytest.raises(ShapeError, match=r"Targets must be labels \(3, 4\) or one-hot \(3, 4, 5\)"):
        loss(z, labels[:, :3])
