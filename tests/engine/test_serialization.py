"""save/load: weights, buffers, config and training settings survive a round trip."""

import io
import json
import re

import numpy as np
import pytest

from engine import (
    GRU,
    LSTM,
    Autoencoder,
    BatchNorm,
    Conv2D,
    Dense,
    Dropout,
    Flatten,
    LeakyReLU,
    MaxPool2D,
    Reshape,
    Sequential,
    data,
    load,
    save,
)
from engine.errors import ConfigError


def roundtrip(model):
    buffer = io.BytesIO()
    model.save(buffer)
    return load(io.BytesIO(buffer.getvalue()))


def test_cnn_round_trip_with_batchnorm_buffers(rng):
    model = Sequential(
        [
            Conv2D(3, 3, padding="same", activation="relu"),
            BatchNorm(),
            MaxPool2D(2),
            Flatten(),
            Dropout(0.1),
            Dense(4, activation=LeakyReLU(0.2)),
        ],
        input_shape=(1, 6, 6),
        seed=0,
    )
    x = rng.normal(size=(5, 1, 6, 6))
    model.forward(x, training=True)  # moves the running statistics
    clone = roundtrip(model)
    assert np.array_equal(clone.predict(x), model.predict(x))
    assert np.array_equal(clone["batch_norm"].running_var, model["batch_norm"].running_var)
    assert clone.get_config() == model.get_config()


def test_recurrent_and_reshape_round_trip(rng):
    model = Sequential([Reshape((4, 2)), LSTM(3, return_sequences=True), GRU(2)], input_shape=(8,), seed=1)
    x = rng.normal(size=(2, 8))
    assert np.array_equal(roundtrip(model).predict(x), model.predict(x))


def test_training_settings_are_restored(tmp_path):
    x, y = data.make_moons(50, seed=0)
    model = Sequential([Dense(4, activation="relu"), Dense(2)], seed=0)
    model.compile(loss="softmax_crossentropy", optimizer="sgd", learning_rate=0.3, metrics=["accuracy"])
    model.fit(x, y, epochs=2)
    save(model, tmp_path / "moons")
    clone = load(tmp_path / "moons.npz")
    assert type(clone.optimizer).__name__ == "SGD" and clone.optimizer.learning_rate == 0.3
    assert list(clone.metrics) == ["accuracy"]
    assert clone.evaluate(x, y) == model.evaluate(x, y)
    with np.load(tmp_path / "moons.npz") as archive:
        config = json.loads(archive["config.json"].tobytes())
        assert sorted(archive.files) == [
            "config.json",
            "params/dense.W",
            "params/dense.b",
            "params/dense_1.W",
            "params/dense_1.b",
        ]
    assert config["config"]["layers"][0] == {
        "class": "Dense",
        "config": {"name": "dense", "units": 4, "activation": "relu"},
    }


def test_autoencoder_round_trip(rng):
    ae = Autoencoder([Dense(2, activation="tanh")], [Dense(3)], input_shape=(3,), seed=0)
    clone = roundtrip(ae)
    x = rng.normal(size=(4, 3))
    assert isinstance(clone, Autoencoder)
    assert np.array_equal(clone.encode(x), ae.encode(x))


def test_errors():
    with pytest.raises(ConfigError, match="is not built yet"):
        Sequential([Dense(2)]).save(io.BytesIO())
    buffer = io.BytesIO()
    np.savez(buffer, weights=np.zeros(2))
    with pytest.raises(ConfigError, match=re.escape("Not an engine model file: it has no config.json entry.")):
        load(io.BytesIO(buffer.getvalue()))


def test_load_refuses_a_file_naming_a_layer_class():
    config = {"format": "learningpaths-engine", "version": 1, "class": "Dense", "config": {"units": 2}}
    buffer = io.BytesIO()
    np.savez(buffer, **{"config.json": np.frombuffer(json.dumps(config).encode(), dtype=np.uint8)})
    with pytest.raises(ConfigError) as info:
        load(io.BytesIO(buffer.getvalue()))
    assert str(info.value) == "Not an engine model file: 'Dense' is a layer, not a Sequential model."


def test_version_1_files_are_upgraded_to_the_keras_names(rng):
    """A file saved before the rename (stride, eps, alpha, lr; BatchNorm momentum as in PyTorch) loads."""
    model = Sequential(
        [
            Conv2D(2, 3, strides=2, activation=LeakyReLU(0.2)),
            BatchNorm(momentum=0.7, epsilon=1e-3),
            MaxPool2D(2, strides=1),
            Flatten(),
            Dense(2),
        ],
        input_shape=(1, 9, 9),
        seed=0,
    )
    model.compile(loss="softmax_crossentropy", optimizer="adam", learning_rate=0.02)
    buffer = io.BytesIO()
    model.save(buffer)
    with np.load(io.BytesIO(buffer.getvalue())) as archive:
        arrays = {k: archive[k] for k in archive.files}
    text = arrays["config.json"].tobytes().decode()
    for new, old in (('"strides"', '"stride"'), ('"epsilon"', '"eps"'), ('"negative_slope"', '"alpha"')):
        text = text.replace(new, old)
    text = text.replace('"learning_rate"', '"lr"').replace('"momentum": 0.7', '"momentum": 0.30000000000000004')
    old = json.loads(text)
    old["version"] = 1
    arrays["config.json"] = np.frombuffer(json.dumps(old).encode(), dtype=np.uint8)
    v1 = io.BytesIO()
    np.savez(v1, **arrays)
    clone = load(io.BytesIO(v1.getvalue()))
    assert clone.get_config() == model.get_config()
    assert clone.optimizer.learning_rate == 0.02 and clone[1].momentum == pytest.approx(0.7)
    x = rng.normal(size=(2, 1, 9, 9))
    assert np.array_equal(clone.predict(x), model.predict(x))
    old["version"] = 3
    arrays["config.json"] = np.frombuffer(json.dumps(old).encode(), dtype=np.uint8)
    v3 = io.BytesIO()
    np.savez(v3, **arrays)
    with pytest.raises(ConfigError, match="saved by a newer engine"):
        load(io.BytesIO(v3.getvalue()))
