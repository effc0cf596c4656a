"""Optimizers: update parameters from their gradients, in place.

State (momentum buffers, Adam moments) lives in ``optimizer.state``, a dict keyed by the
``Parameter`` object, never on the layers. The update rules and defaults are PyTorch's, so a
lesson can compare the two step by step.

>>> import numpy as np
>>> from engine.parameter import Parameter
>>> p = Parameter(np.array([1.0]), grad=np.array([0.5]))
>>> SGD([p], lr=0.1).step()
>>> p.value
array([0.95])
"""

from __future__ import annotations

import math

import numpy as np

from .errors import ConfigError, unknown_name


class Optimizer:
    """Base class.

    Parameters
    ----------
    params : list of Parameter, optional
        Parameters to update. A model passes its own when compiled, so this may be omitted:
        ``model.compile(optimizer=Adam(lr=0.01), ...)``.
    lr : float
        Learning rate (may be changed between steps, e.g. from a lesson's slider).
    weight_decay : float
        L2 penalty: ``g <- g + weight_decay * w`` before the update.
    """

    key = ""

    def __init__(self, params=None, lr: float = 0.01, weight_decay: float = 0.0):
        if isinstance(params, (int, float)):
            raise ConfigError(
                f"{type(self).__name__}: the first argument is the parameter list; "
                f"pass the learning rate as lr={params!r}."
            )
        if not lr > 0:
            raise ConfigError(f"{type(self).__name__}: lr must be positive, received lr={lr!r}.")
        self.params = list(params) if params is not None else None
        self.lr = float(lr)
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

    def get_config(self) -> dict:
        config = {"lr": self.lr}
        if self.weight_decay:
            config["weight_decay"] = self.weight_decay
        return config

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in self.get_config().items())})"


class SGD(Optimizer):
    """Stochastic gradient descent, optionally with (Nesterov) momentum.

    ``w <- w - lr * g`` without momentum. With momentum ``mu``: ``v <- mu * v + g`` (``v = g`` on the
    first step), then ``w <- w - lr * v``, or ``w <- w - lr * (g + mu * v)`` with ``nesterov=True``.
    """

    key = "sgd"

    def __init__(
        self, params=None, lr: float = 0.01, momentum: float = 0.0, nesterov: bool = False, weight_decay: float = 0.0
    ):
        super().__init__(params, lr, weight_decay)
        if not 0 <= momentum < 1:
            raise ConfigError(f"SGD: momentum must be in [0, 1), received momentum={momentum!r}.")
        if nesterov and not momentum:
            raise ConfigError("SGD: nesterov=True needs a momentum > 0.")
        self.momentum = float(momentum)
        self.nesterov = bool(nesterov)

    def _update(self, p, grad):
        if self.momentum:
            v = self.state.get(p)
            if v is None:
                v = self.state[p] = grad.copy()
            else:
                v *= self.momentum
                v += grad
            grad = grad + self.momentum * v if self.nesterov else v
        p.value -= self.lr * grad

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
    w <- w - lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
    """

    key = "adam"

    def __init__(
        self,
        params=None,
        lr: float = 0.001,
        beta1: float = 0.9,
        beta2: float = 0.999,
        eps: float = 1e-8,
        weight_decay: float = 0.0,
    ):
        super().__init__(params, lr, weight_decay)
        if not (0 <= beta1 < 1 and 0 <= beta2 < 1):
            raise ConfigError(f"Adam: betas must be in [0, 1), received beta1={beta1!r}, beta2={beta2!r}.")
        self.beta1, self.beta2, self.eps = float(beta1), float(beta2), float(eps)

    def _update(self, p, grad):
        state = self.state.get(p)
        if state is None:
            state = self.state[p] = {"t": 0, "m": np.zeros_like(p.value), "v": np.zeros_like(p.value)}
        state["t"] += 1
        t, m, v = state["t"], state["m"], state["v"]
        m *= self.beta1
        m += (1 - self.beta1) * grad
        v *= self.beta2
        v += (1 - self.beta2) * (grad * grad)
        denom = np.sqrt(v)
        denom *= 1.0 / math.sqrt(1 - self.beta2**t)
        denom += self.eps
        step = m / denom
        step *= self.lr / (1 - self.beta1**t)
        p.value -= step

    def get_config(self):
        config = super().get_config()
        for key, default in (("beta1", 0.9), ("beta2", 0.999), ("eps", 1e-8)):
            if getattr(self, key) != default:
                config[key] = getattr(self, key)
        return config


class RMSprop(Optimizer):
    """RMSprop (Hinton 2012)::

        s <- alpha s + (1 - alpha) g^2          w <- w - lr * g / (sqrt(s) + eps)

    With ``momentum`` ``mu``: ``b <- mu b + g / (sqrt(s) + eps)`` and ``w <- w - lr * b``.
    """

    key = "rmsprop"

    def __init__(
        self,
        params=None,
        lr: float = 0.01,
        alpha: float = 0.99,
        eps: float = 1e-8,
        momentum: float = 0.0,
        weight_decay: float = 0.0,
    ):
        super().__init__(params, lr, weight_decay)
        if not 0 <= alpha < 1 or not 0 <= momentum < 1:
            raise ConfigError(f"RMSprop: alpha and momentum must be in [0, 1), received {alpha=}, {momentum=}.")
        self.alpha, self.eps, self.momentum = float(alpha), float(eps), float(momentum)

    def _update(self, p, grad):
        state = self.state.get(p)
        if state is None:
            state = self.state[p] = {"s": np.zeros_like(p.value)}
            if self.momentum:
                state["b"] = np.zeros_like(p.value)
        s = state["s"]
        s *= self.alpha
        s += (1 - self.alpha) * (grad * grad)
        step = grad / (np.sqrt(s) + self.eps)
        if self.momentum:
            b = state["b"]
            b *= self.momentum
            b += step
            step = b
        p.value -= self.lr * step

    def get_config(self):
        config = super().get_config()
        for key, default in (("alpha", 0.99), ("eps", 1e-8), ("momentum", 0.0)):
            if getattr(self, key) != default:
                config[key] = getattr(self, key)
        return config


_REGISTRY = {"sgd": SGD, "adam": Adam, "rmsprop": RMSprop}


def get(identifier, **kwargs) -> Optimizer:
    """An optimizer from a name (``"adam"``) plus keyword arguments (``lr=0.01``), or passed through."""
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
