"""The single teaching neuron."""

import numpy as np
import pytest

from engine import Neuron
from engine.errors import ConfigError, ShapeError


def test_explain_gives_every_intermediate_value():
    trace = Neuron([0.5, -1.0, 2.0], bias=-0.5, activation="sigmoid").explain([1.0, 2.0, 0.5])
    assert trace.products == [0.5, -2.0, 1.0]
    assert trace.weighted_sum == pytest.approx(-1.0)
    assert trace.output == pytest.approx(1 / (1 + np.e))
    assert trace.derivative == pytest.approx(trace.output * (1 - trace.output))
    assert trace.to_dict()["activation"] == "sigmoid"


def test_forward_single_and_batch():
    n = Neuron([1.0, 1.0], bias=-1.5, activation="step")  # AND gate
    assert n.forward([1, 1]) == 1.0 and n([1, 0]) == 0.0
    assert n.forward(np.array([[0, 0], [0, 1], [1, 0], [1, 1]])).tolist() == [0, 0, 0, 1]


def test_perceptron_learns_or():
    x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
    y = np.array([0, 1, 1, 1])
    n = Neuron([0.0, 0.0], bias=0.0, activation="step")
    mistakes = n.fit_perceptron(x, y, epochs=20, learning_rate=0.5)
    assert mistakes[-1] == 0 and n.forward(x).tolist() == y.tolist()


def test_wrong_number_of_inputs():
    with pytest.raises(ShapeError) as info:
        Neuron([1.0, 2.0]).explain([1.0, 2.0, 3.0])
    assert str(info.value) == "Neuron with 2 weights expected input of shape (..., 2), received (3,)."


def test_perceptron_needs_one_target_per_sample():
    x = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0]])
    with pytest.raises(ShapeError) as info:
        Neuron([0.0, 0.0], activation="step").fit_perceptron(x, [0, 1])
    assert str(info.value) == (
        "Neuron.fit_perceptron expected input of shape (3,), received (2,). Give one target per sample of x."
    )


def test_neuron_needs_an_activation():
    with pytest.raises(ConfigError) as info:
        Neuron([1.0], activation=None)
    assert str(info.value) == (
        "Neuron: received activation=None, expected an elementwise activation such as 'step' or 'sigmoid'."
    )
