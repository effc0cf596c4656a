"""The browser (emscripten) kernel set gives the same results as the native one."""

import re

import numpy as np
import pytest
from engine_helpers import assert_close

from engine import GRU, LSTM, Conv2D, Dense, Flatten, MaxPool2D, Sequential, kernels
from engine.errors import ConfigError


@pytest.fixture
def emscripten():
    previous = kernels.set_platform("emscripten")
    yield
    kernels.set_platform(previous)


def test_kernels_agree(rng, emscripten):
    a, b = rng.normal(size=(5, 4)).astype(np.float32), rng.normal(size=(4, 3)).astype(np.float32)
    stacked = rng.normal(size=(2, 4, 6)).astype(np.float32)
    x = rng.normal(size=(3, 7)).astype(np.float32) * 5
    browser = [
        kernels.matmul(a, b),
        kernels.matmul(b.T, stacked),
        kernels.matmul(a.T, a),
        kernels.relu(x),
        kernels.tanh(x),
        kernels.relu_grad(x, x),
        kernels.sum_rows(x),
        kernels.sum_last(stacked),
    ]
    kernels.set_platform("native")
    native = [
        a @ b,
        b.T @ stacked,
        a.T @ a,
        np.maximum(x, 0),
        np.tanh(x),
        x * (x > 0),
        x.sum(axis=0),
        stacked.sum(axis=-1),
    ]
    assert_close(kernels.sum_rows(x), x.sum(axis=0), "native sum_rows")
    assert_close(kernels.sum_last(stacked), stacked.sum(axis=-1), "native sum_last")
    for cols in (1, 3, 40):
        scores = rng.normal(size=(6, cols))
        assert np.array_equal(kernels.max_last(scores, keepdims=True), scores.max(axis=-1, keepdims=True))
        assert_close(kernels.sum_last(scores, keepdims=True), scores.sum(axis=-1, keepdims=True), "sum_last")
    for got, want in zip(browser, native):
        assert_close(got, want, "kernel", atol=1e-5)


def test_whole_model_same_under_both_platforms(rng):
    def run():
        model = Sequential(
            [Conv2D(3, 3, activation="relu"), MaxPool2D(2), Flatten(), Dense(4, activation="tanh"), Dense(2)],
            input_shape=(1, 8, 8),
            seed=0,
        )
        model.compile(loss="softmax_crossentropy", optimizer="sgd", learning_rate=0.1)
        x = np.random.default_rng(0).normal(size=(6, 1, 8, 8))
        losses = [model.train_step(x, np.array([0, 1, 0, 1, 1, 0])) for _ in range(3)]
        rnn = Sequential([LSTM(3, return_sequences=True), GRU(2)], input_shape=(4, 2), seed=0)
        return losses, model.predict(x), rnn.predict(x.reshape(6, 4, 16)[:, :, :2])

    native = run()
    previous = kernels.set_platform("emscripten")
    try:
        browser = run()
    finally:
        kernels.set_platform(previous)
    for got, want in zip(browser, native):
        assert_close(got, want, "emscripten vs native", atol=1e-5)


def test_platform_names():
    assert kernels.platform() in kernels.PLATFORMS
    with pytest.raises(
        ConfigError, match=re.escape("Unknown kernel platform 'wasm'. Valid names: emscripten, native.")
    ):
        kernels.set_platform("wasm")
