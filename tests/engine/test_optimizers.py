"""Optimizers: several steps equal PyTorch's, state is keyed by parameter, errors are clear."""

import numpy as np
import pytest
from engine_helpers import assert_close

from engine import optimizers
from engine.errors import ConfigError
from engine.parameter import Parameter

CASES = [
    ("SGD", dict(learning_rate=0.1)),
    ("SGD", dict(learning_rate=0.1, momentum=0.9)),
    ("SGD", dict(learning_rate=0.1, momentum=0.9, nesterov=True)),
    ("SGD", dict(learning_rate=0.1, momentum=0.5, weight_decay=0.01)),
    ("Adam", dict(learning_rate=0.01)),
    ("Adam", dict(learning_rate=0.01, beta_1=0.8, beta_2=0.99, epsilon=1e-6, weight_decay=0.1)),
    ("RMSprop", dict(learning_rate=0.01)),
    ("RMSprop", dict(learning_rate=0.01, rho=0.9, epsilon=1e-6, momentum=0.5)),
]


def torch_kwargs(name, kwargs):
    """The same settings under PyTorch's names (Keras 3's names are the engine's)."""
    kwargs = dict(kwargs)
    kwargs["lr"] = kwargs.pop("learning_rate")
    if "epsilon" in kwargs:
        kwargs["eps"] = kwargs.pop("epsilon")
    if name == "Adam":
        kwargs["betas"] = (kwargs.pop("beta_1", 0.9), kwargs.pop("beta_2", 0.999))
    if "rho" in kwargs:
        kwargs["alpha"] = kwargs.pop("rho")
    return kwargs


@pytest.mark.parametrize("name, kwargs", CASES)
def test_steps_match_torch(name, kwargs, torch, rng):
    start = [rng.normal(size=(3, 2)), rng.normal(size=4)]
    grads = [[rng.normal(size=v.shape) for v in start] for _ in range(4)]
    params = [Parameter(v.copy(), name=f"p{i}") for i, v in enumerate(start)]
    opt = getattr(optimizers, name)(params, **kwargs)
    tparams = [torch.tensor(v.copy(), requires_grad=True) for v in start]
    topt = getattr(torch.optim, name)(tparams, **torch_kwargs(name, kwargs))
    for step_grads in grads:
        for p, tp, g in zip(params, tparams, step_grads):
            p.grad[...] = g
            tp.grad = torch.tensor(g)
        opt.step()
        topt.step()
    for p, tp in zip(params, tparams):
        assert_close(p.value, tp.detach().numpy(), f"{name} {kwargs}", atol=1e-10)


def test_state_is_keyed_by_parameter_and_updates_in_place():
    p = Parameter(np.ones(2), grad=np.ones(2))
    value = p.value
    opt = optimizers.Adam([p], learning_rate=0.1)
    opt.step()
    assert p.value is value and set(opt.state) == {p} and opt.state[p]["t"] == 1
    assert opt.iterations == 1


def test_parameters_may_be_passed_to_step():
    p = Parameter(np.array([1.0]), grad=np.array([1.0]))
    opt = optimizers.SGD(learning_rate=0.5)
    opt.step([p])
    assert p.value.tolist() == [0.5]
    with pytest.raises(ConfigError, match="no parameters"):
        opt.step()


def test_errors_and_registry():
    with pytest.raises(ConfigError) as info:
        optimizers.SGD(0.1)
    assert str(info.value) == (
        "SGD: the first argument is the parameter list; pass the learning rate as learning_rate=0.1."
    )
    with pytest.raises(ConfigError, match="nesterov=True needs a momentum > 0"):
        optimizers.SGD(learning_rate=0.1, nesterov=True)
    with pytest.raises(ConfigError, match=r"Unknown optimizer 'adagrad'. Valid names: adam, rmsprop, sgd."):
        optimizers.get("adagrad")
    opt = optimizers.get("adam", learning_rate=0.02)
    assert isinstance(opt, optimizers.Adam) and opt.learning_rate == 0.02
    assert optimizers.get(optimizers.serialize(optimizers.SGD(learning_rate=0.3, momentum=0.9))).momentum == 0.9
    assert repr(optimizers.SGD(learning_rate=0.3, momentum=0.9)) == "SGD(learning_rate=0.3, momentum=0.9)"


def test_pack_makes_views_and_detects_rebinding():
    from engine.parameter import is_packed, pack

    a, b = Parameter(np.ones((2, 2)), name="a"), Parameter(np.arange(3.0), name="b")
    flat = pack([a, b])
    assert flat.value.tolist() == [1, 1, 1, 1, 0, 1, 2] and is_packed(flat, [a, b])
    flat.value -= 1
    assert a.value.tolist() == [[0, 0], [0, 0]] and b.value.tolist() == [-1, 0, 1]
    a.grad += 5
    assert flat.grad[:4].tolist() == [5, 5, 5, 5]
    a.astype(np.float32)
    assert not is_packed(flat, [a, b])
    assert pack([a, a]) is None and pack([a, b]) is None  # listed twice; mixed dtypes


@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("adam", dict(learning_rate=0.01)),
        ("sgd", dict(learning_rate=0.1, momentum=0.9)),
        ("rmsprop", dict(learning_rate=0.01, momentum=0.5)),
    ],
)
def test_packed_model_training_equals_per_parameter_updates(name, kwargs):
    from engine import Dense, Sequential, data

    x, y = data.make_moons(64, seed=0)
    packed = Sequential([Dense(8, activation="relu"), Dense(2)], input_shape=(2,), seed=0)
    plain = Sequential([Dense(8, activation="relu"), Dense(2)], input_shape=(2,), seed=0)
    packed.compile(loss="softmax_crossentropy", optimizer=optimizers.get(name, **kwargs))
    packed.fit(x, y, epochs=3, batch_size=16, shuffle=False)
    assert packed._packed is not None
    opt = optimizers.get(name, **kwargs)
    loss = packed.loss
    for _ in range(3):
        for i in range(0, 64, 16):
            out = plain.forward(x[i : i + 16], training=True)
            loss.forward(out, y[i : i + 16])
            plain.zero_grad()
            plain.backward(loss.backward())
            opt.step(plain.parameters())
    for p, q in zip(packed.parameters(), plain.parameters()):
        assert_close(p.value, q.value, f"packed vs per-parameter {name}", atol=1e-6)


def test_training_continues_after_astype():
    from engine import Dense, Sequential, data

    x, y = data.make_moons(32, seed=0)
    model = Sequential([Dense(4, activation="tanh"), Dense(2)], seed=0)
    model.compile(loss="softmax_crossentropy", optimizer="sgd", learning_rate=0.5)
    model.fit(x, y, epochs=2, mode="batch")
    model.astype(np.float64)  # replaces every array: the packing is redone
    before = [p.value.copy() for p in model.parameters()]
    model.fit(x, y, epochs=1, mode="batch")
    assert all(not np.array_equal(a, p.value) for a, p in zip(before, model.parameters()))
    assert model._packed.value.dtype == np.float64


@pytest.mark.parametrize("name", ["adam", "sgd"])
def test_optimizer_state_survives_repeated_fit_calls(name):
    """A playground calls fit(epochs=1) again and again: momentum and Adam moments must carry over."""
    from engine import Dense, Sequential, data

    x, y = data.make_moons(64, seed=0)
    models = [Sequential([Dense(8, activation="relu"), Dense(2)], input_shape=(2,), seed=0) for _ in range(2)]
    for model in models:
        optimizer = (
            optimizers.SGD(learning_rate=0.05, momentum=0.9) if name == "sgd" else optimizers.Adam(learning_rate=0.05)
        )
        model.compile(loss="softmax_crossentropy", optimizer=optimizer)
    models[0].fit(x, y, epochs=3, batch_size=16, shuffle=False)
    for _ in range(3):
        models[1].fit(x, y, epochs=1, batch_size=16, shuffle=False)
    for p, q in zip(models[0].parameters(), models[1].parameters()):
        assert np.array_equal(p.value, q.value)


def test_zero_grad_without_parameters_says_where_to_pass_them():
    with pytest.raises(ConfigError) as info:
        optimizers.SGD(learning_rate=0.5).zero_grad()
    assert str(info.value) == "SGD.zero_grad: no parameters; pass them to the constructor or to zero_grad()."


@pytest.mark.parametrize(
    "cls, old, new",
    [
        (optimizers.SGD, "lr", "learning_rate"),
        (optimizers.Adam, "lr", "learning_rate"),
        (optimizers.Adam, "beta1", "beta_1"),
        (optimizers.Adam, "beta2", "beta_2"),
        (optimizers.Adam, "eps", "epsilon"),
        (optimizers.RMSprop, "alpha", "rho"),
        (optimizers.RMSprop, "eps", "epsilon"),
    ],
)
def test_old_argument_names_are_refused_with_the_keras_name(cls, old, new):
    with pytest.raises(TypeError) as info:
        cls(**{old: 0.5})
    assert str(info.value) == f"{cls.__name__}: `{old}=` is called `{new}=` (as in Keras): write {new}=0.5."
    opt = cls(**{new: 0.5})
    with pytest.raises(AttributeError, match=f"`{old}` is called `{new}`"):
        setattr(opt, old, 0.1)  # would otherwise change nothing, silently
    with pytest.raises(AttributeError, match=f"`{old}` is called `{new}`"):
        getattr(opt, old)


@pytest.mark.parametrize("name", ["sgd", "adam", "rmsprop"])
def test_state_for_shows_one_weight_of_the_packed_state(name):
    from engine import Dense, Sequential, data

    x, y = data.make_moons(64, seed=0)
    kwargs = {"learning_rate": 0.05} if name == "adam" else {"learning_rate": 0.05, "momentum": 0.9}
    model = Sequential([Dense(8, activation="relu"), Dense(2)], input_shape=(2,), seed=0)
    optimizer = optimizers.get(name, **kwargs)
    model.compile(loss="softmax_crossentropy", optimizer=optimizer)
    layer = model[1]
    assert optimizer.state_for(layer.W) == {}  # no step yet
    model.fit(x, y, epochs=2, batch_size=16)
    (packed,) = optimizer.state  # fit keeps the state under one packed Parameter
    flat = optimizer.state[packed]
    state = optimizer.state_for(layer.W)
    arrays = {k: v for k, v in state.items() if isinstance(v, np.ndarray)}
    assert set(arrays) == {"adam": {"m", "v"}, "sgd": {"v"}, "rmsprop": {"s", "b"}}[name]
    start = 2 * 8 + 8  # after dense.W (2, 8) and dense.b (8,)
    for key, value in arrays.items():
        assert value.shape == layer.W.shape
        assert np.array_equal(value.ravel(), flat[key][start : start + 16])
        assert np.shares_memory(value, flat[key])  # a view: it follows later steps
    if name == "adam":
        assert state["t"] == 8
    bias = optimizer.state_for(layer.b)
    assert np.array_equal(bias[next(iter(arrays))], flat[next(iter(arrays))][start + 16 :])


def test_state_for_unpacked_parameters_and_errors():
    p = Parameter(np.ones(3), grad=np.ones(3))
    opt = optimizers.Adam([p], learning_rate=0.1)
    opt.step()
    assert opt.state_for(p)["m"] is opt.state[p]["m"]
    with pytest.raises(ConfigError, match="is not among the parameters it updates"):
        opt.state_for(Parameter(np.ones(2), name="other"))
    with pytest.raises(ConfigError, match=r"expects a Parameter such as layer\.W"):
        opt.state_for(np.ones(3))
