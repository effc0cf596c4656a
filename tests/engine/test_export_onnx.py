"""ONNX export: every converter passes onnx.checker and matches onnxruntime within 1e-5."""

import re

import numpy as np
import pytest
from engine_helpers import assert_close

from engine import (
    GRU,
    LSTM,
    RNN,
    Autoencoder,
    AvgPool2D,
    BatchNorm,
    Conv2D,
    Dense,
    Dropout,
    Flatten,
    Identity,
    LeakyReLU,
    MaxPool2D,
    ReLU,
    Reshape,
    Sequential,
    Sigmoid,
    Softmax,
    Step,
    Tanh,
)
from engine.errors import ConfigError
from engine.export import CONVERTERS, register_converter, to_onnx
from engine.export.onnx import lstm_gates_to_onnx
from engine.layers.base import Layer


def run_onnx(ort, proto, x):
    session = ort.InferenceSession(proto.SerializeToString(), providers=["CPUExecutionProvider"])
    return session.run(["output"], {"input": x.astype(np.float32)})[0]


def randomize(model, rng):
    for p in model.parameters():
        p.value[...] = rng.normal(scale=0.5, size=p.shape)
    for layer in model.layers:
        if isinstance(layer, BatchNorm):
            layer.running_mean[...] = rng.normal(size=layer.running_mean.shape)
            layer.running_var[...] = rng.uniform(0.5, 2.0, size=layer.running_var.shape)


def check_parity(ort, model, input_shape, rng, batch=3):
    import onnx

    model.build(input_shape)
    randomize(model, rng)
    proto = to_onnx(model, input_shape=input_shape)
    onnx.checker.check_model(proto, full_check=True)
    x = rng.normal(size=(batch, *input_shape)).astype(np.float32)
    assert_close(run_onnx(ort, proto, x), model.predict(x), "onnxruntime vs engine", atol=1e-5, rtol=0)
    x1 = x[:1]  # the batch axis is dynamic
    assert_close(run_onnx(ort, proto, x1), model.predict(x1), "batch of one", atol=1e-5, rtol=0)
    return proto


LAYER_CASES = [
    ([Dense(4)], (3,)),
    ([Dense(4, use_bias=False, activation="relu")], (3,)),
    ([ReLU()], (5,)),
    ([LeakyReLU(0.2)], (5,)),
    ([Sigmoid()], (5,)),
    ([Tanh()], (5,)),
    ([Softmax()], (5,)),
    ([Identity()], (5,)),
    ([Step(0.1)], (5,)),
    ([Conv2D(3, 3)], (2, 6, 6)),
    ([Conv2D(3, 3, strides=2, padding=1, activation="sigmoid")], (2, 7, 7)),
    ([Conv2D(2, (2, 3), strides=(2, 1), padding="same", use_bias=False)], (1, 5, 6)),
    ([MaxPool2D(2)], (2, 6, 6)),
    ([MaxPool2D(3, strides=2, padding=1)], (2, 7, 7)),
    ([AvgPool2D(2)], (2, 6, 6)),
    ([AvgPool2D(3, strides=2, padding=1)], (2, 7, 7)),
    ([AvgPool2D(3, strides=2, padding=1, count_include_pad=True)], (2, 7, 7)),
    ([Flatten()], (2, 3, 4)),
    ([Reshape((2, -1))], (6,)),
    ([Dropout(0.5)], (4,)),
    ([BatchNorm()], (3,)),
    ([BatchNorm()], (3, 4, 4)),
    ([RNN(4)], (5, 3)),
    ([RNN(4, return_sequences=True)], (5, 3)),
    ([LSTM(4)], (5, 3)),
    ([LSTM(4, return_sequences=True)], (5, 3)),
    ([GRU(4)], (5, 3)),
    ([GRU(4, return_sequences=True)], (5, 3)),
]


@pytest.mark.parametrize(
    "layers, input_shape", LAYER_CASES, ids=[f"{type(c[0][0]).__name__}-{i}" for i, c in enumerate(LAYER_CASES)]
)
def test_each_layer(layers, input_shape, ort, rng):
    check_parity(ort, Sequential(layers, seed=0), input_shape, rng)


def test_lesson_cnn(ort, rng):
    model = Sequential(
        [
            Conv2D(8, 3, activation="relu"),
            MaxPool2D(2),
            BatchNorm(),
            Flatten(),
            Dropout(0.3),
            Dense(10, activation="softmax"),
        ],
        seed=0,
    )
    proto = check_parity(ort, model, (1, 28, 28), rng)
    ops = [node.op_type for node in proto.graph.node]
    assert ops == ["Conv", "Relu", "MaxPool", "BatchNormalization", "Flatten", "Dropout", "Gemm", "Softmax", "Identity"]
    assert proto.graph.input[0].type.tensor_type.shape.dim[0].dim_param == "batch"


def test_mlp_and_recurrent_models(ort, rng):
    check_parity(
        ort, Sequential([Dense(16, activation="tanh"), Dense(16, activation="leaky_relu"), Dense(3)], seed=0), (2,), rng
    )
    check_parity(
        ort,
        Sequential([LSTM(6, return_sequences=True), GRU(5, return_sequences=True), RNN(4), Dense(2)], seed=0),
        (7, 3),
        rng,
    )


def test_autoencoder_and_nested_sequential(ort, rng):
    check_parity(
        ort,
        Autoencoder([Dense(4, activation="relu"), Dense(2)], [Dense(4, activation="relu"), Dense(6)], seed=0),
        (6,),
        rng,
    )
    inner = Sequential([Dense(3, activation="tanh")], name="inner")
    check_parity(ort, Sequential([inner, Dense(2)], seed=0), (4,), rng)


def test_single_layer_and_save_to_path(ort, rng, tmp_path):
    import onnx

    layer = Dense(3, input_dim=2, seed=0)
    proto = to_onnx(layer, path=tmp_path / "dense.onnx")
    loaded = onnx.load(str(tmp_path / "dense.onnx"))
    x = rng.normal(size=(4, 2)).astype(np.float32)
    assert_close(run_onnx(ort, loaded, x), layer.forward(x), "saved model")
    assert proto.opset_import[0].version == 17


def test_lstm_gate_reorder_helper():
    w = np.repeat(np.arange(4), 2)[:, None] * np.ones((1, 3))  # blocks i=0, f=1, c=2, o=3
    assert lstm_gates_to_onnx(w)[:, 0].tolist() == [0, 0, 3, 3, 1, 1, 2, 2]  # i, o, f, c
    assert lstm_gates_to_onnx(np.arange(8.0), axis=0).tolist() == [0, 1, 6, 7, 2, 3, 4, 5]


def test_errors():
    pytest.importorskip("onnx")

    class Custom(Layer):
        def forward(self, x, *, training=False):
            return x

    with pytest.raises(ConfigError, match=r"No ONNX converter for Custom \(\d+ registered: AvgPool2D, BatchNorm, "):
        to_onnx(Sequential([Custom()]), input_shape=(2,))
    with pytest.raises(ConfigError, match=re.escape("An ONNX converter for Dense is already registered.")):
        register_converter(Dense)(lambda *args: None)
    with pytest.raises(ConfigError, match="to_onnx needs input_shape"):
        to_onnx(Sequential([Dense(2)]))
    assert Dense in CONVERTERS
