"""Optimizers: several steps equal PyTorch's, state is keyed by parameter, errors are clear."""

import numpy as np
import pytest

from engine import optimizers
from engine.errors import ConfigError
from engine.parameter import Parameter
from engine_helpers import assert_close

CASES = [
    ("SGD", dict(lr=0.1)),
    ("SGD", dict(lr=0.1, momentum=0.9)),
    ("SGD", dict(lr=0.1, momentum=0.9, nesterov=True)),
    ("SGD", dict(lr=0.1, momentum=0.5, weight_decay=0.01)),
    ("Adam", dict(lr=0.01)),
    ("Adam", dict(lr=0.01, beta1=0.8, beta2=0.99, weight_decay=0.1)),
    ("RMSprop", dict(lr=0.01)),
    ("RMSprop", dict(lr=0.01, alpha=0.9, momentum=0.5)),
]


def torch_kwargs(name, kwargs):
    kwargs = dict(kwargs)
    if name == "Adam":
        kwargs["betas"] = (kwargs.pop("beta1", 0.9), kwargs.pop("beta2", 0.999))
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
    opt = optimizers.Adam([p], lr=0.1)
    opt.step()
    assert p.value is value and set(opt.state) == {p} and opt.state[p]["t"] == 1
    assert opt.iterations == 1


def test_parameters_may_be_passed_to_step():
    p = Parameter(np.array([1.0]), grad=np.array([1.0]))
    opt = optimizers.SGD(lr=0.5)
    opt.step([p])
    assert p.value.tolist() == [0.5]
    with pytest.raises(ConfigError, match="no parameters"):
        opt.step()


def test_errors_and_registry():
    with pytest.raises(ConfigError) as info:
        optimizers.SGD(0.1)
    assert str(info.value) == "SGD: the first argument is the parameter list; pass the learning rate as lr=0.1."
    with pytest.raises(ConfigError, match="nesterov=True needs a momentum > 0"):
        optimizers.SGD(lr=0.1, nesterov=True)
    with pytest.raises(ConfigError, match=r"Unknown optimizer 'adagrad'. Valid names: adam, rmsprop, sgd."):
        optimizers.get("adagrad")
    opt = optimizers.get("adam", lr=0.02)
    assert isinstance(opt, optimizers.Adam) and opt.lr == 0.02
    assert optimizers.get(optimizers.serialize(optimizers.SGD(lr=0.3, momentum=0.9))).momentum == 0.9
    assert repr(optimizers.SGD(lr=0.3, momentum=0.9)) == "SGD(lr=0.3, momentum=0.9)"
