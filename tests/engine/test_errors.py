"""Wrong input is refused with a sentence that names the layer or function, what it expected, what
it got and the fix (or it works, where that is right). One test per class of mistake, parametrised
over members of the class; docs/engine.md ("Errors") lists the classes."""

import re

import numpy as np
import pytest

from engine import (
    LSTM,
    Autoencoder,
    AvgPool2D,
    BatchNorm,
    BinaryCrossEntropy,
    CategoricalCrossEntropy,
    Conv2D,
    Dense,
    EarlyStopping,
    Embedding,
    Flatten,
    LeakyReLU,
    MaxPool2D,
    MeanSquaredError,
    Neuron,
    Sequential,
    SinePositionEncoding,
    Softmax,
    SoftmaxCrossEntropy,
    TimeDistributed,
    TransformerBlock,
    data,
    metrics,
)
from engine.errors import ConfigError, DataError, ShapeError
from engine.layers.base import Layer


def compiled(layers, loss="softmax_crossentropy", **kwargs):
    model = Sequential(layers, seed=0, **kwargs)
    model.compile(loss=loss, optimizer="adam", learning_rate=0.01, metrics=["accuracy"])
    return model


IMAGES = np.zeros((4, 1, 6, 6), dtype=np.float32)


@pytest.mark.parametrize(
    "run, fix",
    [
        (lambda: Sequential([Conv2D(2, 3), Dense(3)]).forward(IMAGES), "add Flatten() before it"),
        (lambda: Sequential([Conv2D(2, 3), MaxPool2D(2), Dense(3)]).forward(IMAGES), "add Flatten() before it"),
        (lambda: Sequential([LSTM(3, return_sequences=True), Dense(2)]).forward(np.zeros((2, 5, 1))), "Flatten()"),
        (lambda: Sequential([Dense(4), Conv2D(2, 3)]).forward(np.zeros((2, 3))), "add Reshape((1, height, width))"),
        (lambda: Sequential([Dense(4), MaxPool2D(2)]).forward(np.zeros((2, 3))), "add Reshape((1, height, width))"),
        (lambda: Sequential([Conv2D(2, 3)]).forward(np.zeros((2, 6, 6))), "x[:, None]"),
        (lambda: Conv2D(2, 3, in_channels=1).forward(np.zeros((2, 6, 6, 1))), "use x.transpose(0, 3, 1, 2)"),
        (lambda: Sequential([Conv2D(2, 3)]).forward(np.zeros((2, 6, 6, 1))), "use x.transpose(0, 3, 1, 2)"),
        (lambda: Dense(2).forward(np.zeros(4)), "x.reshape(-1, 1)"),
        (lambda: BatchNorm().forward(np.zeros((2, 3, 4))), "BatchNorm"),
    ],
)
def test_input_of_the_wrong_rank_names_the_fix(run, fix):
    with pytest.raises(ShapeError) as info:
        run()
    assert fix in str(info.value)
    assert re.match(r"\w+ '\w+' expected input of shape \(", str(info.value))


@pytest.mark.parametrize(
    "run",
    [
        lambda: Sequential([Dense(2)]).forward(np.array([["a", "b"]])),
        lambda: Dense(2).forward([["1", "2"]]),
        lambda: compiled([Dense(2)]).fit(np.array([["a", "b"]] * 4), np.zeros(4, int)),
        lambda: compiled([Dense(2)]).fit(np.zeros((2, 2)), np.array(["cat", "dog"])),
        lambda: compiled([Dense(2)]).evaluate(np.zeros((2, 2)), np.array(["cat", "dog"])),
        lambda: SoftmaxCrossEntropy()(np.zeros((2, 2)), np.array(["cat", "dog"])),
        lambda: metrics.accuracy(["cat", "dog"], [0, 1]),
        lambda: metrics.roc_auc([0, 1], ["low", "high"]),
        lambda: Sequential([Dense(2)]).forward([[1.0, 2.0], [3.0]]),
    ],
)
def test_text_and_ragged_data_are_refused(run):
    with pytest.raises(DataError, match=r"expected numbers\. Turn categories into numbers|not a regular array"):
        run()


@pytest.mark.parametrize(
    "run",
    [
        lambda: compiled([Dense(2)]).fit(np.zeros((0, 2)), np.zeros(0, int)),
        lambda: compiled([Dense(2)], input_shape=(2,)).evaluate(np.zeros((0, 2)), np.zeros(0, int)),
        lambda: SoftmaxCrossEntropy()(np.zeros((0, 2)), np.zeros(0, int)),
        lambda: BinaryCrossEntropy()(np.zeros((0, 1)), np.zeros((0, 1))),
        lambda: metrics.accuracy([], []),
        lambda: metrics.roc_auc([], []),
        lambda: metrics.mean_squared_error([], []),
        lambda: metrics.confusion_matrix([], []),
    ],
)
def test_an_empty_set_is_refused(run):
    with pytest.raises(DataError, match="received no samples"):
        run()


class Square(Layer):
    """A layer as a lesson might write it: it does not record self.output itself."""

    def forward(self, x, *, training=False):
        self._x = self._prepare(x)
        return self._x**2

    def backward(self, grad_y, *, need_input_grad=True):
        return 2 * grad_y * self._x


@pytest.mark.parametrize(
    "make, x",
    [
        (lambda: Dense(3, input_dim=2), np.ones((4, 2))),
        (lambda: Conv2D(2, 3, in_channels=1), np.ones((2, 1, 5, 5))),
        (lambda: MaxPool2D(2), np.ones((2, 1, 4, 4))),
        (lambda: BatchNorm(num_features=2), np.ones((4, 2))),
        (lambda: LSTM(3, input_dim=2), np.ones((2, 4, 2))),
        (lambda: Sequential([Dense(3), Dense(2)], input_shape=(2,)), np.ones((4, 2))),
        (lambda: Square(), np.ones((3, 2))),
    ],
)
def test_backward_before_forward_or_with_a_wrong_gradient(make, x):
    layer = make()
    with pytest.raises(ConfigError, match=r"\.backward was called before forward: run y = layer\.forward\(x\) first"):
        layer.backward(np.ones((1, 1)))
    y = layer.forward(x, training=True)
    assert layer.output is y
    with pytest.raises(ShapeError, match="The gradient dL/dy has the shape of the layer's last output"):
        layer.backward(np.ones((*y.shape[:-1], y.shape[-1] + 1)))
    assert layer.backward(np.ones_like(y)) is not None


class Pair(Layer):
    """A layer whose forward returns two arrays (as attention may: output and weights)."""

    def forward(self, x, *, training=False):
        x = self._prepare(x)
        return 2 * x, x

    def backward(self, grad_y, *, need_input_grad=True):
        return 2 * grad_y


def test_a_layer_returning_two_arrays_may_run_backward_after_forward():
    layer = Pair()
    with pytest.raises(ConfigError, match="backward was called before forward"):
        layer.backward(np.ones((2, 2)))
    y, _ = layer.forward(np.ones((2, 2)))
    assert layer.backward(np.ones_like(y)).tolist() == [[2.0, 2.0], [2.0, 2.0]]


@pytest.mark.parametrize(
    "run",
    [
        lambda: BatchNorm().forward(np.ones((1, 3)), training=True),
        lambda: BatchNorm().forward(np.ones((1, 3, 1, 1)), training=True),
        lambda: compiled([Dense(4), BatchNorm(), Dense(2)]).fit(np.ones((8, 2)), np.zeros(8, int), mode="stochastic"),
        lambda: compiled([Dense(4), BatchNorm(), Dense(2)]).fit(np.ones((1, 2)), np.zeros(1, int), mode="batch"),
        lambda: compiled([Dense(4), BatchNorm(), Dense(2)]).fit(np.ones((8, 2)), np.zeros(8, int), batch_size=1),
    ],
)
def test_batch_norm_refuses_training_on_one_value_per_channel(run):
    with pytest.raises((ShapeError, ConfigError), match=r"at least 2|mode='mini-batch' with batch_size >= 2"):
        run()


def test_batch_norm_trains_where_pytorch_does(rng):
    # one image has H*W values per channel: fine; inference on one sample: fine
    y = BatchNorm().forward(rng.normal(size=(1, 2, 3, 3)), training=True)
    assert np.isfinite(y).all() and abs(float(y.mean())) < 1e-6
    assert BatchNorm(num_features=3).forward(np.ones((1, 3))).shape == (1, 3)
    # a lone last sample of an epoch joins the batch before it, instead of breaking the run
    x, labels = data.make_moons(9, seed=0)
    model = compiled([Dense(4), BatchNorm(), Dense(2)])
    history = model.fit(x, labels, epochs=2, batch_size=4)
    assert [len(steps) for steps in [history.step_losses]] == [4] and np.isfinite(history["loss"]).all()


@pytest.mark.parametrize(
    "make",
    [
        lambda: MaxPool2D(2, padding=2),
        lambda: AvgPool2D(3, padding=2),
        lambda: MaxPool2D((2, 4), padding=(1, 3)),
        lambda: AvgPool2D(2, padding=(0, 2, 0, 0)),
    ],
)
def test_pooling_padding_over_half_the_window_is_refused(make):
    with pytest.raises(ConfigError, match=r"padding may be at most half the window .* Use padding='same'"):
        make()


def test_pooling_padding_up_to_half_the_window_gives_real_values(rng):
    x = rng.normal(size=(2, 1, 5, 5))
    for layer in (MaxPool2D(2, padding=1), AvgPool2D(3, strides=1, padding=1), MaxPool2D(3, padding="same")):
        assert np.isfinite(layer.forward(x)).all()


def test_dtype_float64_is_honoured_by_layers_models_gradients_and_optimizers():
    x, labels = data.make_moons(40, seed=0)
    model = compiled(
        [Conv2D(2, 1, activation="relu"), Flatten(), Dense(4, activation="tanh"), Dense(2)], dtype=np.float64
    )
    model.fit(x.reshape(-1, 2, 1, 1), labels, epochs=2, batch_size=8)
    assert model.forward(x.reshape(-1, 2, 1, 1)).dtype == np.float64
    assert {p.value.dtype for p in model.parameters()} == {np.dtype(np.float64)}
    assert {p.grad.dtype for p in model.parameters()} == {np.dtype(np.float64)}
    assert model._packed.value.dtype == np.float64
    state = model.optimizer.state_for(model["dense"].W)
    assert state["m"].dtype == np.float64 and state["v"].dtype == np.float64
    autoencoder = Autoencoder([Dense(1, activation="tanh")], [Dense(2)], dtype=np.float64, seed=0)
    assert autoencoder.encode(x).dtype == np.float64 and autoencoder.predict(x).dtype == np.float64
    ids = np.random.default_rng(0).integers(0, 10, size=(4, 5))
    transformer = compiled(
        [
            Embedding(10, 8),
            SinePositionEncoding(),
            TransformerBlock(16, 2, use_causal_mask=True),
            TimeDistributed(Dense(10)),
        ],
        dtype=np.float64,
    )
    transformer.fit(ids, ids, epochs=1, batch_size=2)
    assert transformer.forward(ids).dtype == np.float64
    assert {p.value.dtype for p in transformer.parameters()} == {np.dtype(np.float64)}
    # float64 precision, not float32's: the same as NumPy in float64 to 1e-12
    layer = Dense(3, activation="sigmoid", dtype=np.float64, seed=0, input_dim=2)
    inputs = np.array([[0.1, 0.2]], dtype=np.float64)
    expected = 1 / (1 + np.exp(-(inputs @ layer.W.value + layer.b.value)))
    assert layer.forward(inputs).dtype == np.float64
    assert np.abs(layer.forward(inputs) - expected).max() < 1e-12


@pytest.mark.parametrize(
    "run, message",
    [
        (lambda: Dense(2, dtype=int), "expected float32 or float64"),
        (lambda: Conv2D(2, 3, dtype="float16"), "expected float32 or float64"),
        (lambda: Sequential([Dense(2)], dtype="banana"), "expected float32 or float64"),
        (lambda: Sequential([Dense(2, dtype=np.float64)]), "give dtype= to the Sequential only"),
        (lambda: Sequential([Dense(2, dtype=np.float32)], dtype=np.float64), "give dtype= to the Sequential only"),
    ],
)
def test_dtype_errors(run, message):
    with pytest.raises(ConfigError, match=re.escape(message)):
        run()


@pytest.mark.parametrize(
    "run, fix",
    [
        (lambda: BinaryCrossEntropy()(np.array([[-2.0], [3.0]]), np.array([0, 1])), "activation='sigmoid'"),
        (lambda: BinaryCrossEntropy()(np.array([[0.2], [1.5]]), np.array([0, 1])), "from_logits=True"),
        (lambda: BinaryCrossEntropy()(np.array([[0.2], [0.5]]), np.array([0, 2])), "softmax_crossentropy"),
        (lambda: CategoricalCrossEntropy()(np.array([[-1.0, 2.0]]), np.array([1])), "activation='softmax'"),
        (lambda: CategoricalCrossEntropy()(np.array([[0.2, 0.3]]), np.array([1])), "sum to 1"),
        (
            lambda: compiled([Dense(1)], loss="binary_crossentropy").fit(
                np.random.default_rng(0).normal(size=(8, 2)) * 5, np.ones(8)
            ),
            "Dense(1, activation='sigmoid')",
        ),
    ],
)
def test_probabilities_that_are_not_are_refused(run, fix):
    with pytest.raises(DataError) as info:
        run()
    assert fix in str(info.value)


@pytest.mark.parametrize(
    "layers, loss, fix",
    [
        ([Dense(2, activation="softmax")], "softmax_crossentropy", "use loss='categorical_crossentropy'"),
        ([Dense(2), Softmax()], "softmax_crossentropy", "remove activation='softmax'"),
        ([Dense(1, activation="sigmoid")], BinaryCrossEntropy(from_logits=True), "use loss='binary_crossentropy'"),
    ],
)
def test_a_loss_on_logits_after_its_own_activation_is_refused(layers, loss, fix):
    x, labels = data.make_moons(8, seed=0)
    with pytest.raises(ConfigError, match=re.escape(fix)):
        compiled(layers, loss=loss).fit(x, labels)


def test_mse_on_class_labels_points_to_cross_entropy():
    with pytest.raises(ShapeError, match="For class labels use loss='softmax_crossentropy'"):
        MeanSquaredError()(np.zeros((4, 3)), np.array([0, 1, 2, 0]))


def test_the_right_losses_for_raw_outputs_work():
    z = np.array([[-2.0], [3.0]])
    assert np.isfinite(BinaryCrossEntropy(from_logits=True)(z, np.array([0, 1])))
    assert np.isnan(BinaryCrossEntropy()(np.array([[np.nan]]), np.array([1])))  # a diverged run shows NaN


@pytest.mark.parametrize(
    "run, error, message",
    [
        (lambda: SoftmaxCrossEntropy()(np.zeros((2, 3)), np.array([0, 3])), DataError, "e.g. a last layer Dense(4)"),
        (lambda: SoftmaxCrossEntropy()(np.zeros((2, 3)), np.array([0, -1])), DataError, "count the classes from 0"),
        (lambda: SoftmaxCrossEntropy()(np.zeros((2, 3)), np.array([0.5, 1])), DataError, "whole numbers"),
        (lambda: metrics.roc_auc([0, 1, 2, 1], [0.1, 0.5, 0.9, 0.3]), DataError, "one score column per class"),
        (lambda: metrics.accuracy([0, -1, 1], [0, 1, 1]), DataError, "count the classes from 0"),
        (lambda: metrics.confusion_matrix([0, -1], [0, 1]), DataError, "count the classes from 0"),
        (lambda: metrics.accuracy([0, 3], np.eye(3)[[0, 1]]), DataError, "needs 4 outputs"),
        (lambda: metrics.accuracy(np.eye(3), np.eye(4)[:3]), ShapeError, "one-hot with 3 classes"),
        (lambda: metrics.accuracy([0, 1, 1], [0, 1]), ShapeError, "y_true has 3 samples and y_pred 2"),
        (lambda: metrics.roc_auc([0, 1, 1], [0.1, 0.5]), ShapeError, "y_true has 3 samples and y_pred 2"),
        (lambda: metrics.mean_squared_error([1.0, 2.0], [1.0]), ShapeError, "y_true has 2 samples"),
        (lambda: metrics.confusion_matrix([0, 3], [0, 1], num_classes=2), DataError, "use num_classes=4"),
        (lambda: metrics.accuracy([0.3, 0.9], [0, 1]), DataError, "accuracy(y_true, y_pred)"),
    ],
)
def test_labels_are_checked(run, error, message):
    with pytest.raises(error) as info:
        run()
    assert message in str(info.value)


@pytest.mark.parametrize(
    "make, old, new",
    [
        (lambda **kw: Conv2D(2, 3, **kw), "stride", "strides"),
        (lambda **kw: Conv2D(2, 3, **kw), "out_channels", "filters"),
        (lambda **kw: MaxPool2D(2, **kw), "stride", "strides"),
        (lambda **kw: AvgPool2D(**kw), "kernel_size", "pool_size"),
        (lambda **kw: BatchNorm(**kw), "eps", "epsilon"),
        (lambda **kw: LeakyReLU(**kw), "alpha", "negative_slope"),
        (lambda **kw: BinaryCrossEntropy(**kw), "eps", "epsilon"),
        (lambda **kw: CategoricalCrossEntropy(**kw), "eps", "epsilon"),
        (lambda **kw: SoftmaxCrossEntropy(**kw), "eps", "epsilon"),
        (lambda **kw: EarlyStopping(**kw), "restore_best", "restore_best_weights"),
        (lambda **kw: Sequential([Dense(2)]).compile(**kw), "lr", "learning_rate"),
        (lambda **kw: Neuron([1.0]).fit_perceptron([[1.0]], [1], **kw), "lr", "learning_rate"),
        (lambda **kw: Neuron([1.0]).perceptron_step([1.0], 1, **kw), "lr", "learning_rate"),
    ],
)
def test_old_argument_names_are_a_type_error_naming_the_keras_name(make, old, new):
    with pytest.raises(TypeError, match=re.escape(f"`{old}=` is called `{new}=` (as in Keras): write {new}=2.")):
        make(**{old: 2})


@pytest.mark.parametrize(
    "obj, old, new",
    [
        (Conv2D(2, 3), "stride", "strides"),
        (MaxPool2D(2), "stride", "strides"),
        (BatchNorm(), "eps", "epsilon"),
        (LeakyReLU(), "alpha", "negative_slope"),
        (EarlyStopping(), "restore_best", "restore_best_weights"),
    ],
)
def test_old_attribute_names_are_an_attribute_error_naming_the_keras_name(obj, old, new):
    for access in (lambda: getattr(obj, old), lambda: setattr(obj, old, 1)):
        with pytest.raises(AttributeError, match=re.escape(f"`{old}` is called `{new}` (as in Keras).")):
            access()


@pytest.mark.parametrize("cls, args", [(Conv2D, (2, 3)), (MaxPool2D, (2,)), (AvgPool2D, (2,))])
def test_channels_last_is_refused_with_the_reason(cls, args):
    with pytest.raises(ConfigError, match=r"images are channels-first \(NCHW.*x\.transpose\(0, 3, 1, 2\)"):
        cls(*args, data_format="channels_last")
    assert cls(*args, data_format="channels_first").input_axes == (("channels", "height", "width"),)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"epochs": 0}, "`epochs`, expected a positive integer"),
        ({"epochs": "10"}, "`epochs`, expected a positive integer"),
        ({"batch_size": 0}, "batch_size must be a positive integer"),
        ({"mode": "online"}, "Unknown training mode 'online'"),
        ({"validation_data": np.zeros((4, 2))}, "validation_data must be a pair (x_val, y_val)"),
    ],
)
def test_fit_settings_are_checked(kwargs, message):
    x, labels = data.make_moons(8, seed=0)
    with pytest.raises(ConfigError, match=re.escape(message)):
        compiled([Dense(2)]).fit(x, labels, **kwargs)


def test_early_stopping_refuses_what_it_cannot_watch():
    model = compiled([Dense(2)])
    x, labels = data.make_moons(20, seed=0)
    with pytest.raises(ConfigError, match=r"monitors 'val_loss'.*Pass validation_data=\(x_val, y_val\) to fit"):
        model.fit(x, labels, epochs=2, callbacks=[EarlyStopping()])
    with pytest.raises(ConfigError, match="Unknown EarlyStopping mode 'lowest'"):
        EarlyStopping(mode="lowest")
    assert EarlyStopping("val_accuracy").mode == "max" and EarlyStopping("loss").mode == "min"
