"""Sequential and Autoencoder: training modes, callbacks, stopping, metrics, teaching hooks."""

import re

import numpy as np
import pytest
from engine_helpers import assert_close, assert_gradcheck

from engine import (
    Autoencoder,
    BatchNorm,
    Callback,
    Conv2D,
    Dense,
    Dropout,
    EarlyStopping,
    Flatten,
    LambdaCallback,
    MaxPool2D,
    Sequential,
    Softmax,
    data,
)
from engine.errors import ConfigError, DataError, ShapeError
from engine.gradcheck import check_layer


def mlp(seed=0, out=2, **kwargs):
    return Sequential([Dense(8, activation="tanh"), Dense(out, **kwargs)], input_shape=(2,), seed=seed)


@pytest.mark.parametrize(
    "mode, batch_size, steps", [("stochastic", 32, 10), ("batch", 32, 1), ("mini-batch", 4, 3), ("mini-batch", 5, 2)]
)
def test_modes_take_the_right_number_of_steps(mode, batch_size, steps):
    x, y = data.make_xor(10, seed=0)
    model = mlp()
    model.compile(loss="softmax_crossentropy", optimizer="sgd")
    sizes = []
    model.fit(
        x,
        y,
        epochs=2,
        mode=mode,
        batch_size=batch_size,
        callbacks=[LambdaCallback(on_step_end=lambda logs: sizes.append(logs["batch_size"]))],
    )
    assert len(sizes) == 2 * steps and sum(sizes) == 20


def test_unknown_mode_lists_valid_ones():
    model = mlp()
    model.compile(loss="mse")
    with pytest.raises(ConfigError) as info:
        model.fit(np.zeros((2, 2)), np.zeros((2, 2)), mode="online")
    assert str(info.value) == "Unknown training mode 'online'. Valid names: batch, mini-batch, stochastic."


def test_learns_moons_and_reports_metrics():
    x, y = data.make_moons(300, noise=0.1, seed=1)
    model = Sequential([Dense(16, activation="relu"), Dense(16, activation="relu"), Dense(2)], seed=0)
    model.compile(loss="softmax_crossentropy", optimizer="adam", learning_rate=0.02, metrics=["accuracy", "f1"])
    history = model.fit(x, y, epochs=60, mode="mini-batch", batch_size=32)
    assert history["loss"][-1] < history["loss"][0] / 4
    assert history["accuracy"][-1] > 0.95
    result = model.evaluate(x, y)
    assert set(result) == {"loss", "accuracy", "f1"} and result["accuracy"] > 0.95
    assert len(history.step_losses) == 60 * 10


def test_same_seed_same_training():
    x, y = data.make_circles(100, seed=0)
    runs = []
    for _ in range(2):
        model = Sequential([Dense(8, activation="relu"), Dropout(0.2), Dense(2)], seed=42)
        model.compile(loss="softmax_crossentropy", optimizer="sgd", learning_rate=0.1)
        runs.append(model.fit(x, y, epochs=3, batch_size=16).step_losses)
    assert runs[0] == runs[1]


def test_step_and_epoch_logs_stream_loss_and_metrics():
    x, y = data.make_xor(20, seed=0)
    model = mlp()
    model.compile(loss="softmax_crossentropy", optimizer="sgd", metrics=["accuracy"])
    steps, epochs = [], []
    model.fit(
        x,
        y,
        epochs=2,
        batch_size=10,
        validation_data=(x, y),
        callbacks=[LambdaCallback(on_step_end=steps.append, on_epoch_end=epochs.append)],
    )
    assert [(s["epoch"], s["step"], s["iteration"]) for s in steps] == [(1, 1, 1), (1, 2, 2), (2, 1, 3), (2, 2, 4)]
    assert set(steps[0]) == {"epoch", "step", "iteration", "batch_size", "loss", "accuracy"}
    assert set(epochs[0]) == {"epoch", "loss", "accuracy", "val_loss", "val_accuracy"}
    assert epochs[1]["loss"] == pytest.approx((steps[2]["loss"] + steps[3]["loss"]) / 2)


def test_stop_flag_between_steps():
    x, y = data.make_xor(40, seed=0)
    model = mlp()
    model.compile(loss="softmax_crossentropy", optimizer="sgd")
    calls = []
    history = model.fit(
        x,
        y,
        epochs=5,
        mode="stochastic",
        should_stop=lambda: len(calls) >= 3,
        callbacks=[LambdaCallback(on_step_end=calls.append)],
    )
    assert len(calls) == 3 and len(history.epochs) == 1

    class StopAfterTwo(Callback):
        def on_step_end(self, logs):
            if logs["iteration"] == 2:
                self.model.stop_training = True

    history = model.fit(x, y, epochs=5, batch_size=4, callbacks=[StopAfterTwo()])
    assert len(history.step_losses) == 2
    history = model.fit(x, y, epochs=5, batch_size=4, callbacks=[LambdaCallback(on_step_end=lambda logs: True)])
    assert len(history.step_losses) == 1


def test_early_stopping_restores_best():
    x, y = data.make_xor(40, seed=0)
    model = mlp()
    model.compile(loss="softmax_crossentropy", optimizer="sgd", learning_rate=1e-9)  # nothing improves
    stopper = EarlyStopping(monitor="loss", patience=2, restore_best_weights=True)
    history = model.fit(x, y, epochs=10, mode="batch", callbacks=[stopper])
    assert len(history.epochs) == 3 and stopper.stopped_epoch == 3


def test_fused_softmax_gradient_equals_logits_training():
    """Dense(softmax) + categorical CE trains exactly like Dense() + softmax CE on logits."""
    x, y = data.make_blobs(60, centers=3, seed=0)
    a = Sequential([Dense(8, activation="relu"), Dense(3, activation="softmax")], input_shape=(2,), seed=3)
    b = Sequential([Dense(8, activation="relu"), Dense(3)], input_shape=(2,), seed=3)
    c = Sequential([Dense(8, activation="relu"), Dense(3), Softmax()], input_shape=(2,), seed=3)
    a.compile(loss="categorical_crossentropy", optimizer="sgd", learning_rate=0.5)
    b.compile(loss="softmax_crossentropy", optimizer="sgd", learning_rate=0.5)
    c.compile(loss="categorical_crossentropy", optimizer="sgd", learning_rate=0.5)
    for model in (a, b, c):
        model.fit(x, y, epochs=5, mode="batch")
    assert a._fused and c._fused and not b._fused
    for pa, pb, pc in zip(a.parameters(), b.parameters(), c.parameters()):
        assert_close(pa.value, pb.value, "softmax layer vs logits", atol=1e-5)
        assert_close(pc.value, pb.value, "Softmax() vs logits", atol=1e-5)


def test_binary_classifier_with_sigmoid_output():
    x, y = data.make_circles(200, noise=0.05, seed=0)
    model = Sequential([Dense(16, activation="tanh"), Dense(1, activation="sigmoid")], seed=0)
    model.compile(loss="binary_crossentropy", optimizer="adam", learning_rate=0.05, metrics=["accuracy", "auc"])
    history = model.fit(x, y, epochs=80, mode="batch")
    assert model._fused and history["accuracy"][-1] > 0.95 and history["auc"][-1] > 0.95


def test_sequential_gradcheck_through_cnn(rng):
    model = Sequential(
        [Conv2D(2, 3, padding=1, activation="tanh"), MaxPool2D(2), BatchNorm(), Flatten(), Dense(3)], seed=0
    )
    model.build((1, 4, 4))
    assert_gradcheck(check_layer(model, rng.normal(size=(2, 1, 4, 4)), training=True))


def test_teaching_hooks(rng):
    model = Sequential(
        [Conv2D(4, 3, activation="relu"), MaxPool2D(2), Flatten(), Dense(2)], input_shape=(1, 8, 8), seed=0
    )
    x = rng.normal(size=(3, 1, 8, 8))
    y, acts = model.forward(x, return_activations=True)
    assert list(acts) == ["conv2d", "max_pool2d", "flatten", "dense"]
    assert acts["conv2d"].shape == (3, 4, 6, 6) and acts["dense"] is y
    assert model["conv2d"].output is acts["conv2d"] and model[0].W.value.shape == (4, 1, 3, 3)
    model.compile(loss="softmax_crossentropy", optimizer="sgd")
    model.train_step(x, np.array([0, 1, 0]))
    grads = model.gradients()
    assert list(grads) == ["conv2d.W", "conv2d.b", "dense.W", "dense.b"] and grads["conv2d.W"].any()


def test_summary_repr_and_unique_names():
    model = Sequential([Dense(4, activation="relu"), Dense(4), "softmax"], input_shape=(3,))
    text = model.summary(print_fn=None)
    assert text.splitlines()[2].split() == ["dense", "(Dense)", "(batch,", "4)", "16"]
    assert text.splitlines()[-1] == "Total params: 36"
    assert [layer.name for layer in model.layers] == ["dense", "dense_1", "softmax"]
    assert "(1) dense_1: Dense(4 -> 4)" in repr(model)


def test_errors():
    model = Sequential([Dense(2)], input_shape=(3,))
    with pytest.raises(ConfigError) as info:
        model.fit(np.zeros((2, 3)), np.zeros((2, 2)))
    assert str(info.value) == (
        "Sequential 'sequential' is not compiled: call model.compile(loss=..., optimizer=...) first."
    )
    model.compile(loss="mse")
    with pytest.raises(ShapeError, match="x has 2 samples but y has 3"):
        model.fit(np.zeros((2, 3)), np.zeros((3, 2)))
    with pytest.raises(ShapeError, match=r"Dense 'dense' expected input of shape \(batch, 3\), received \(2, 4\)"):
        model.predict(np.zeros((2, 4)))
    with pytest.raises(ConfigError, match=re.escape("Sequential 'sequential'.add expects a Layer")):
        model.add(42)
    with pytest.raises(ShapeError, match=r"Dense 'd' expected input of shape \(batch, 5\), received \(batch, 2\)"):
        Sequential([Dense(2, input_dim=5, name="d")], input_shape=(2,))


def test_predict_in_batches_matches_full(rng):
    model = mlp()
    x = rng.normal(size=(50, 2))
    assert_close(model.predict(x, batch_size=7), model.predict(x), "batched predict")


def test_autoencoder_reconstructs_and_encodes():
    x, _ = data.make_blobs(200, centers=3, std=0.3, seed=0)
    x = np.c_[x, x @ np.array([[0.5], [-1.0]])].astype(np.float32)  # 3-D points on a 2-D plane
    ae = Autoencoder([Dense(8, activation="tanh"), Dense(2)], [Dense(8, activation="tanh"), Dense(3)], seed=0)
    ae.compile(loss="mse", optimizer="adam", learning_rate=0.01)
    history = ae.fit(x, epochs=150, mode="batch")
    assert history["loss"][-1] < 0.05 * history["loss"][0]
    assert ae.encode(x).shape == (200, 2)
    assert_close(ae.decode(ae.encode(x)), ae.predict(x), "encode then decode", atol=1e-5)
    assert [layer.name for layer in ae.encoder.layers] == ["dense", "dense_1"]
    assert [layer.name for layer in ae.decoder.layers] == ["dense_2", "dense_3"]


def test_undefined_batch_metrics_are_nan_not_errors():
    x, y = data.make_xor(8, seed=0)
    model = mlp()
    model.compile(loss="softmax_crossentropy", optimizer="sgd", metrics=["auc"])
    steps = []
    history = model.fit(x, y, epochs=1, mode="stochastic", callbacks=[LambdaCallback(on_step_end=steps.append)])
    assert all(np.isnan(s["auc"]) for s in steps)  # one sample: AUC is undefined
    assert 0 <= history["auc"][0] <= 1
    with pytest.raises(DataError, match=r"fit received no samples \(x and y are empty\)"):
        model.fit(x[:0], y[:0])


def test_output_shape_of_an_unbuilt_model_says_how_to_build_it():
    with pytest.raises(ConfigError) as info:
        _ = Sequential([Dense(2)]).output_shape
    assert str(info.value) == (
        "Sequential 'sequential' is not built yet: call build(input_shape) or pass a batch through it first."
    )


# -- freezing layers (trainable=False), for fine-tuning -------------------------------------------
def three_layers(seed=0):
    return Sequential([Dense(6, activation="relu"), Dense(5, activation="tanh"), Dense(3)], input_shape=(4,), seed=seed)


def test_a_frozen_layer_keeps_its_weights_and_the_others_train():
    x, y = data.make_blobs(60, seed=0)
    x = np.hstack([x, x**2])
    model = three_layers()
    model.layers[0].trainable = False
    before = [w.copy() for layer in model.layers for w in layer.get_weights()]
    model.compile(loss="softmax_crossentropy", optimizer="adam", learning_rate=0.05)
    history = model.fit(x, y, epochs=20, mode="batch")
    after = [w for layer in model.layers for w in layer.get_weights()]
    assert all(np.array_equal(b, a) for b, a in zip(before[:2], after[:2], strict=True))  # layer 0: W and b
    assert all(not np.array_equal(b, a) for b, a in zip(before[2:], after[2:], strict=True))
    assert history["loss"][-1] < history["loss"][0]
    assert not model.layers[0].W.grad.any()  # backward stopped above it: nothing was computed into it


def test_fine_tuning_the_top_is_training_a_head_on_the_frozen_features():
    # One SGD step on the model with frozen lower layers equals one step of the top layer alone,
    # trained on what the lower layers output: the frozen part is a fixed feature extractor.
    x, y = data.make_blobs(40, seed=1)
    x = np.hstack([x, -x]).astype(np.float32)
    model = three_layers(seed=2)
    model.layers[0].trainable = False
    model.layers[1].trainable = False
    head = Sequential([Dense(3)], input_shape=(5,), seed=0)
    head.layers[0].set_weights(model.layers[2].get_weights())
    features = model.layers[1].forward(model.layers[0].forward(x))
    for m in (model, head):
        m.compile(loss="softmax_crossentropy", optimizer="sgd", learning_rate=0.5)
    model.train_step(x, y)
    head.train_step(features, y)
    assert_close(model.layers[2].W.value, head.layers[0].W.value, rtol=1e-5, atol=1e-6)
    assert model.count_trainable_params() == 5 * 3 + 3


def test_a_frozen_layer_between_trained_ones_stays_put():
    x, y = data.make_blobs(30, seed=0)
    x = np.hstack([x, x])
    model = three_layers()
    model.layers[1].trainable = False
    middle = [w.copy() for w in model.layers[1].get_weights()]
    first = model.layers[0].W.value.copy()
    model.compile(loss="softmax_crossentropy", optimizer="sgd", learning_rate=0.1)
    model.fit(x, y, epochs=3, mode="batch")
    assert all(np.array_equal(a, b) for a, b in zip(middle, model.layers[1].get_weights(), strict=True))
    assert not np.array_equal(first, model.layers[0].W.value)  # the gradient still flows through it


def test_freezing_a_model_freezes_its_layers_and_summary_counts_them():
    model = three_layers()
    body = Sequential([model.layers[0], model.layers[1]], name="body")
    full = Sequential([body, Dense(2)], input_shape=(4,), seed=0)
    body.trainable = False
    assert [layer.trainable for layer in body.layers] == [False, False]
    text = full.summary(print_fn=None)
    assert "Trainable params: 12" in text and f"Non-trainable params: {body.count_params()}" in text
    assert "Trainable params" not in three_layers().summary(print_fn=None)  # nothing frozen: unchanged table
    full.trainable = False
    full.compile(loss="softmax_crossentropy", optimizer="sgd")
    with pytest.raises(ConfigError, match="nothing to train: every layer is frozen"):
        full.fit(np.zeros((4, 4)), np.zeros(4, dtype=int))
    with pytest.raises(ConfigError, match="`trainable` must be True or False, received 0"):
        body.trainable = 0
