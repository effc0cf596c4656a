"""Optimizers: update parameters from their gradients, in place.

State (momentum buffers, Adam moments) lives in ``optimizer.state``, a dict keyed by the
``Parameter`` object, never on the layers. ``fit`` packs a model's parameters into one flat
buffer, so their state is kept under that packed Parameter; ``optimizer.state_for(layer.W)``
gives one weight's part of it. Arguments have Keras 3's names (``learning_rate``, ``beta_1``,
``epsilon``, ...); the update rules and defaults are PyTorch's, so a lesson can compare the two
step by step.

>>> import numpy as np
>>> from engine.parameter import Parameter
>>> p = Parameter(np.array([1.0]), grad=np.array([0.5]))
>>> SGD([p], learning_rate=0.1).step()
>>> p.value
array([0.95])
"""

from __future__ import annotations

import math

import numpy as np

from .errors import ConfigError, Renamed, renamed_arguments, unknown_name
from .parameter import Parameter


def _address(array) -> int:
    return array.__array_interface__["data"][0]


class Optimizer:
    """Base class.

    Parameters
    ----------
    params : list of Parameter, optional
        Parameters to update. A model passes its own when compiled, so this may be omitted:
        ``model.compile(optimizer=Adam(learning_rate=0.01), ...)``.
    learning_rate : float
        Step size (may be changed between steps, e.g. from a lesson's slider).
    weight_decay : float
        L2 penalty: ``g <- g + weight_decay * w`` before the update.
    """

    key = ""
    lr = Renamed("learning_rate")

    @renamed_arguments(lr="learning_rate")
    def __init__(self, params=None, learning_rate: float = 0.01, weight_decay: float = 0.0):
        if isinstance(params, (int, float)) and not isinstance(params, bool):
            raise ConfigError(
                f"{type(self).__name__}: the first argument is the parameter list; "
                f"pass the learning rate as learning_rate={params!r}."
            )
        if not isinstance(learning_rate, (int, float)) or not learning_rate > 0:
            raise ConfigError(
                f"{type(self).__name__}: learning_rate must be a positive number, "
                f"received learning_rate={learning_rate!r}."
            )
        self.params = list(params) if params is not None else None
        self.learning_rate = float(learning_rate)
        self.weight_decay = float(weight_decay)
        self.state: dict = {}
        self.iterations = 0

    def step(self, params=None) -> None:
        """Apply one update to every parameter (those given, else those passed at construction)."""
        params = self._chosen(params, "step")
        self.iterations += 1
        for p in params:
            grad = p.grad
            if self.weight_decay:
                grad = grad + self.weight_decay * p.value
            self._update(p, grad)

    def zero_grad(self, params=None) -> None:
        for p in self._chosen(params, "zero_grad"):
            p.grad.fill(0)

    def _chosen(self, params, method: str) -> list:
        """``params`` if given, else those passed at construction; a ConfigError if neither."""
        params = self.params if params is None else params
        if params is None:
            raise ConfigError(
                f"{type(self).__name__}.{method}: no parameters; pass them to the constructor or to {method}()."
            )
        return params

    def _update(self, p, grad) -> None:
        raise NotImplementedError

    def state_for(self, param: Parameter) -> dict:
        """This optimizer's state for one weight, e.g. ``{"t": 3, "m": ..., "v": ...}`` for Adam.

        The arrays have the weight's shape and are views of the state itself (also when ``fit``
        packed the model's weights into one buffer and keeps the state under that), so they show
        each later step. Empty before the first step and for plain SGD, which keeps no state.
        """
        if not isinstance(param, Parameter):
            raise ConfigError(
                f"{type(self).__name__}.state_for expects a Parameter such as layer.W, received {type(param).__name__}."
            )
        if param in self.state:
            return dict(self.state[param])
        value = param.value
        for owner, state in self.state.items():
            flat = owner.value
            if flat.ndim == 1 and value.base is flat:  # a view into a packed buffer: find where
                start = (_address(value) - _address(flat)) // value.itemsize
                part = slice(start, start + value.size)
                return {
                    k: v[part].reshape(value.shape) if isinstance(v, np.ndarray) and v.shape == owner.shape else v
                    for k, v in state.items()
                }
        if self.params is not None and not any(p is param for p in self.params):
            raise ConfigError(f"{type(self).__name__}.state_for: {param!r} is not among the parameters it updates.")
        return {}

    def get_config(self) -> dict:
        config = {"learning_rate": self.learning_rate}
        if self.weight_decay:
            config["weight_decay"] = self.weight_decay
        return config

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in self.get_config().items())})"


class SGD(Optimizer):
    """Stochastic gradient descent, optionally with (Nesterov) momentum.

    ``w <- w - lr * g`` without momentum. With momentum ``mu``: ``v <- mu * v + g`` (``v = g`` on the
    first step), then ``w <- w - lr * v``, or ``w <- w - lr * (g + mu * v)`` with ``nesterov=True``.
    State: ``{"v": ...}`` with momentum, nothing without.
    """

    key = "sgd"

    @renamed_arguments(lr="learning_rate")
    def __init__(
        self,
        params=None,
        learning_rate: float = 0.01,
        momentum: float = 0.0,
        nesterov: bool = False,
        weight_decay: float = 0.0,
    ):
        super().__init__(params, learning_rate, weight_decay)
        if not 0 <= momentum < 1:
            raise ConfigError(f"SGD: momentum must be in [0, 1), received momentum={momentum!r}.")
        if nesterov and not momentum:
            raise ConfigError("SGD: nesterov=True needs a momentum > 0.")
        self.momentum = float(momentum)
        self.nesterov = bool(nesterov)

    def _update(self, p, grad):
        if self.momentum:
            state = self.state.get(p)
            if state is None:
                v = grad.copy()
                self.state[p] = {"v": v}
            else:
                v = state["v"]
                v *= self.momentum
                v += grad
            grad = grad + self.momentum * v if self.nesterov else v
        p.value -= self.learning_rate * grad

    def get_config(self):
        config = super().get_config()
        if self.momentum:
            config["momentum"] = self.momentum
        if self.nesterov:
            config["nesterov"] = True
        return config


class Adam(Optimizer):
    """Adam (Kingma & Ba 2015)::

    m <- b1 m + (1 - b1) g          v <- b2 v + (1 - b2) g^2
    w <- w - lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + epsilon)

    with ``b1 = beta_1``, ``b2 = beta_2``, ``lr = learning_rate``. State: ``{"t", "m", "v"}``.
    ``epsilon`` is added after the bias correction, as in PyTorch (Keras adds it before).
    """

    key = "adam"
    beta1 = Renamed("beta_1")
    beta2 = Renamed("beta_2")
    eps = Renamed("epsilon")

    @renamed_arguments(lr="learning_rate", beta1="beta_1", beta2="beta_2", eps="epsilon")
    def __init__(
        self,
        params=None,
        learning_rate: float = 0.001,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-8,
        weight_decay: float = 0.0,
    ):
        super().__init__(params, learning_rate, weight_decay)
        if not (0 <= beta_1 < 1 and 0 <= beta_2 < 1):
            raise ConfigError(f"Adam: beta_1 and beta_2 must be in [0, 1), received {beta_1=}, {beta_2=}.")
        self.beta_1, self.beta_2, self.epsilon = float(beta_1), float(beta_2), float(epsilon)

    def _update(self, p, grad):
        state = self.state.get(p)
        if state is None:
            state = self.state[p] = {"t": 0, "m": np.zeros_like(p.value), "v": np.zeros_like(p.value)}
        state["t"] += 1
        t, m, v = state["t"], state["m"], state["v"]
        m *= self.beta_1
        m += (1 - self.beta_1) * grad
        v *= self.beta_2
        v += (1 - self.beta_2) * (grad * grad)
        denom = np.sqrt(v)
        denom *= 1.0 / math.sqrt(1 - self.beta_2**t)
        denom += self.epsilon
        step = m / denom
        step *= self.learning_rate / (1 - self.beta_1**t)
        p.value -= step

    def get_config(self):
        config = super().get_config()
        for key, default in (("beta_1", 0.9), ("beta_2", 0.999), ("epsilon", 1e-8)):
            if getattr(self, key) != default:
                config[key] = getattr(self, key)
        return config


class RMSprop(Optimizer):
    """RMSprop (Hinton 2012)::

        s <- rho s + (1 - rho) g^2          w <- w - lr * g / (sqrt(s) + epsilon)

    With ``momentum`` ``mu``: ``b <- mu b + g / (sqrt(s) + epsilon)`` and ``w <- w - lr * b``.
    ``rho`` is Keras's name for PyTorch's ``alpha``. State: ``{"s"}`` (and ``"b"`` with momentum).
    """

    key = "rmsprop"
    alpha = Renamed("rho")
    eps = Renamed("epsilon")

    @renamed_arguments(lr="learning_rate", alpha="rho", eps="epsilon")
    def __init__(
        self,
        params=None,
        learning_rate: float = 0.01,
        rho: float = 0.99,
        epsilon: float = 1e-8,
        momentum: float = 0.0,
        weight_decay: float = 0.0,
    ):
        super().__init__(params, learning_rate, weight_decay)
        if not 0 <= rho < 1 or not 0 <= momentum < 1:
            raise ConfigError(f"RMSprop: rho and momentum must be in [0, 1), received {rho=}, {momentum=}.")
        self.rho, self.epsilon, self.momentum = float(rho), float(epsilon), float(momentum)

    def _update(self, p, grad):
        state = self.state.get(p)
        if state is None:
            state = self.state[p] = {"s": np.zeros_like(p.value)}
            if self.momentum:
                state["b"] = np.zeros_like(p.value)
        s = state["s"]
        s *= self.rho
        s += (1 - self.rho) * (grad * grad)
        step = grad / (np.sqrt(s) + self.epsilon)
        if self.momentum:
            b = state["b"]
            b *= self.momentum
            b += step
            step = b
        p.value -= self.learning_rate * step

    def get_config(self):
        config = super().get_config()
        for key, default in (("rho", 0.99), ("epsilon", 1e-8), ("momentum", 0.0)):
            if getattr(self, key) != default:
                config[key] = getattr(self, key)
        return config


_REGISTRY = {"sgd": SGD, "adam": Adam, "rmsprop": RMSprop}


def get(identifier, **kwargs) -> Optimizer:
    """An optimizer from a name (``"adam"``) plus keyword arguments (``learning_rate=0.01``), or passed through."""
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, dict):
        return get(identifier["name"], **identifier.get("config", {}), **kwargs)
    if not isinstance(identifier, str):
        raise ConfigError(f"Expected an optimizer name or Optimizer, received {identifier!r}.")
    key = identifier.lower()
    if key not in _REGISTRY:
        raise unknown_name("optimizer", identifier, _REGISTRY)
    return _REGISTRY[key](**kwargs)


def serialize(optimizer: Optimizer) -> dict:
    return {"name": optimizer.key, "config": optimizer.get_config()}
