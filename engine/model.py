"""Models: ``Sequential`` (a stack of layers with fit / evaluate / predict) and ``Autoencoder``."""

from __future__ import annotations

import re

import numpy as np

from . import activations, losses, metrics as metrics_module, optimizers
from .activations import Activation
from .callbacks import CallbackList, History, ProgressPrinter
from .errors import ConfigError, ShapeError, unknown_name
from .layers.base import Layer, get as get_layer

MODES = {"stochastic": "stochastic", "batch": "batch", "full-batch": "batch", "mini-batch": "mini-batch",
         "minibatch": "mini-batch"}
"""Training modes as the lessons name them: one sample, the whole set, or ``batch_size`` samples per step."""


class Sequential(Layer):
    """A stack of layers applied in order; itself a layer (forward, backward, parameters).

    Parameters
    ----------
    layers : list of Layer (or activation names such as ``"relu"``)
    input_shape : tuple, optional
        Shape of one sample (without the batch axis): builds every layer now. Otherwise the
        model is built at the first ``forward`` or ``fit``.
    seed : int or numpy.random.Generator, optional
        Seeds weight initialisation, dropout masks and shuffling: the same seed gives the same
        training run in the browser and on the server.

    Example
    -------
    >>> import numpy as np
    >>> from engine import Dense, data
    >>> x, y = data.make_moons(200, noise=0.1, seed=0)
    >>> model = Sequential([Dense(16, activation="relu"), Dense(2)], input_shape=(2,), seed=0)
    >>> model.compile(loss="softmax_crossentropy", optimizer="adam", lr=0.05, metrics=["accuracy"])
    >>> history = model.fit(x, y, epochs=30, mode="batch")
    >>> history["accuracy"][-1] > 0.8
    True
    """

    def __init__(self, layers=(), *, input_shape=None, seed=None, name: str = "sequential", dtype=None):
        super().__init__(name=name, dtype=dtype, seed=seed)
        self._generator = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
        self.layers: list[Layer] = []
        self.loss = self.optimizer = None
        self.metrics: dict = {}
        self.stop_training = False
        self.history: History | None = None
        self._fused = False
        self._params = None
        for layer in layers:
            self.add(layer)
        if input_shape is not None:
            self.build(input_shape)

    # -- structure ---------------------------------------------------------------------------
    def add(self, layer) -> "Sequential":
        """Append a layer (or an activation name). Names are made unique inside the model."""
        if isinstance(layer, str):
            layer = activations.get(layer)
        if not isinstance(layer, Layer):
            raise ConfigError(f"{self.describe()}.add expects a Layer, received {layer!r}.")
        taken = {l.name for l in self.layers}
        if layer.name in taken:
            base, k = re.sub(r"_\d+$", "", layer.name), 1
            while f"{base}_{k}" in taken:
                k += 1
            layer.name = f"{base}_{k}"
        if self.built:
            shape = self.output_shape
            self._build_layer(layer, shape)
        self.layers.append(layer)
        return self

    def _build_layer(self, layer, shape):
        if not layer.built:
            layer.build(shape, self._generator)
        elif layer._spec is not None:
            layer._prepare(np.empty((0, *[1 if isinstance(d, str) else d for d in shape]), layer.dtype))

    def build(self, input_shape, rng=None) -> "Sequential":
        shape = tuple(input_shape)
        super().build(shape)
        for layer in self.layers:
            self._build_layer(layer, shape)
            shape = layer.compute_output_shape(shape)
        return self

    def input_spec(self, input_shape):
        return None  # the first layer checks its input

    @property
    def output_shape(self) -> tuple:
        shape = self.input_shape
        for layer in self.layers:
            shape = layer.compute_output_shape(shape)
        return shape

    def compute_output_shape(self, input_shape):
        shape = tuple(input_shape)
        for layer in self.layers:
            shape = layer.compute_output_shape(shape)
        return shape

    def __getitem__(self, key) -> Layer:
        if isinstance(key, str):
            for layer in self.layers:
                if layer.name == key:
                    return layer
            raise unknown_name("layer", key, [l.name for l in self.layers])
        return self.layers[key]

    def __len__(self):
        return len(self.layers)

    def parameters(self):
        return [p for layer in self.layers for p in layer.parameters()]

    def named_parameters(self) -> list[tuple[str, object]]:
        """``[("dense.W", Parameter), ...]``, names qualified by layer name."""
        out = []
        for layer in self.layers:
            if isinstance(layer, Sequential):
                out += [(f"{layer.name}.{n}", p) for n, p in layer.named_parameters()]
            else:
                out += [(f"{layer.name}.{p.name}", p) for p in layer.parameters()]
        return out

    def named_buffers(self) -> dict[str, np.ndarray]:
        out = {}
        for layer in self.layers:
            items = layer.named_buffers().items() if isinstance(layer, Sequential) else layer.buffers().items()
            out.update({f"{layer.name}.{n}": v for n, v in items})
        return out

    def set_named_buffer(self, name: str, value) -> None:
        head, _, rest = name.partition(".")
        layer = self[head]
        if isinstance(layer, Sequential):
            layer.set_named_buffer(rest, value)
        else:
            layer.set_buffer(rest, value)

    def gradients(self) -> dict[str, np.ndarray]:
        """The gradients of the last backward pass, by qualified parameter name (for drawing)."""
        return {name: p.grad for name, p in self.named_parameters()}

    def sublayers(self):
        return list(self.layers)

    def astype(self, dtype):
        super().astype(dtype)
        return self

    # -- forward and backward ----------------------------------------------------------------
    def forward(self, x, *, training=False, return_activations=False):
        """Run every layer. With ``return_activations=True`` also return ``{layer name: output}``."""
        x = np.asarray(x)
        if x.dtype != self.dtype:
            x = x.astype(self.dtype)
        if not self.built:
            if x.ndim < 2:
                raise ShapeError(self.describe(), ("batch", "..."), x.shape, "Inputs need a batch axis.")
            self.build(x.shape[1:])
        outputs = {} if return_activations else None
        for layer in self.layers:
            x = layer.forward(x, training=training)
            if outputs is not None:
                outputs[layer.name] = x
        self.output = x
        return (x, outputs) if return_activations else x

    def __call__(self, x, *, training=False):
        return self.forward(x, training=training)

    def backward(self, grad_y, *, need_input_grad=True):
        layers = self.layers
        for k in range(len(layers) - 1, -1, -1):
            grad_y = layers[k].backward(grad_y, need_input_grad=need_input_grad or k > 0)
        return grad_y

    def _output_activation(self):
        last = self.layers[-1] if self.layers else None
        return last if isinstance(last, Activation) else getattr(last, "activation", None)

    def _backward_fused(self, grad_z):
        """Backward from ``dL/dz`` of the output activation's input (fused softmax/sigmoid + loss)."""
        layers = self.layers
        last = layers[-1]
        if isinstance(last, Activation):
            layers = layers[:-1]
        else:
            grad_z = last._backward_linear(grad_z, len(layers) > 1)
            layers = layers[:-1]
        for k in range(len(layers) - 1, -1, -1):
            grad_z = layers[k].backward(grad_z, need_input_grad=k > 0)

    # -- training ----------------------------------------------------------------------------
    def compile(self, *, loss="mse", optimizer="sgd", metrics=(), lr: float | None = None) -> None:
        """Choose the loss, the optimizer (name or instance; ``lr`` sets its learning rate) and metrics."""
        self.loss = losses.get(loss)
        self.optimizer = optimizers.get(optimizer, **({} if lr is None else {"lr": lr}))
        if lr is not None and isinstance(optimizer, optimizers.Optimizer):
            self.optimizer.lr = float(lr)
        names = [metrics] if isinstance(metrics, str) else list(metrics)
        self._params = None
        self.metrics = {m if isinstance(m, str) else getattr(m, "__name__", "metric"): metrics_module.get(m)
                        for m in names}

    def _check_compiled(self):
        if self.loss is None or self.optimizer is None:
            raise ConfigError(f"{self.describe()} is not compiled: call model.compile(loss=..., optimizer=...) first.")

    def _prepare_training(self, x):
        self._check_compiled()
        if not self.built:
            self.build(np.asarray(x).shape[1:])
        self._params = self.optimizer.params or self.parameters()
        fused = self.loss.fused_activation
        self._fused = fused is not None and not self.loss.from_logits and isinstance(
            self._output_activation(), fused
        )

    def train_step(self, x, y) -> float:
        """One gradient step on the batch ``(x, y)``; returns the loss before the update."""
        if self._params is None:
            self._prepare_training(x)
        return self._train_step(x, y)[0]

    def _train_step(self, x, y):
        out = self.forward(x, training=True)
        loss = self.loss.forward(out, y)
        for p in self._params:
            p.grad.fill(0)
        if self._fused:
            self._backward_fused(self.loss.fused_gradient())
        else:
            self.backward(self.loss.backward(), need_input_grad=False)
        self.optimizer.step(self._params)
        return loss, out

    def _metric_logs(self, y_true, out, prefix=""):
        if not self.metrics:
            return {}
        probs = self.loss.probabilities(out)
        return {prefix + name: float(fn(y_true, probs)) for name, fn in self.metrics.items()}

    def fit(self, x, y=None, *, epochs: int = 1, mode: str = "mini-batch", batch_size: int = 32,
            shuffle: bool = True, validation_data=None, callbacks=(), should_stop=None,
            verbose: bool = False) -> History:
        """Train with gradient descent and return the :class:`~engine.callbacks.History`.

        ``mode``: ``"stochastic"`` (one sample per step), ``"batch"`` (the whole set per step) or
        ``"mini-batch"`` (``batch_size`` samples per step). Each epoch visits every sample once,
        in a new random order when ``shuffle``. ``callbacks`` get every step and epoch;
        ``should_stop()`` is polled after every step (e.g. a Stop button's flag), as is
        ``model.stop_training``.
        """
        mode_key = MODES.get(str(mode).lower().replace("_", "-"))
        if mode_key is None:
            raise unknown_name("training mode", mode, ["stochastic", "batch", "mini-batch"])
        x = np.asarray(x)
        if y is None:
            raise ConfigError(f"{self.describe()}.fit needs targets y (an Autoencoder uses x itself).")
        y = np.asarray(y)
        if len(x) != len(y):
            raise ShapeError(f"{self.describe()}.fit targets", (len(x), "..."), y.shape,
                             f"x has {len(x)} samples but y has {len(y)}.")
        if x.dtype != self.dtype:
            x = x.astype(self.dtype)
        self._prepare_training(x)
        n = len(x)
        size = {"stochastic": 1, "batch": n, "mini-batch": batch_size}[mode_key]
        if not isinstance(size, int) or size < 1:
            raise ConfigError(f"{self.describe()}.fit: batch_size must be a positive integer, received {batch_size!r}.")
        history = History()
        cbs = CallbackList([history, *([ProgressPrinter()] if verbose else []), *callbacks], self)
        step_logs = cbs.wants_steps or bool(self.metrics)
        self.stop_training = False
        self.history = history
        cbs.call("on_train_begin", {"epochs": epochs, "samples": n, "batch_size": size, "mode": mode_key})
        iteration = 0
        for epoch in range(1, epochs + 1):
            cbs.call("on_epoch_begin", {"epoch": epoch})
            order = self._generator.permutation(n) if shuffle and size < n else None
            total, seen, outs, targets, stop = 0.0, 0, [], [], False
            for step, start in enumerate(range(0, n, size), 1):
                if order is None:
                    xb, yb = x[start : start + size], y[start : start + size]
                else:
                    idx = order[start : start + size]
                    xb, yb = x[idx], y[idx]
                loss, out = self._train_step(xb, yb)
                iteration += 1
                total += loss * len(xb)
                seen += len(xb)
                if self.metrics:
                    outs.append(out)
                    targets.append(yb)
                if step_logs:
                    logs = {"epoch": epoch, "step": step, "iteration": iteration, "batch_size": len(xb),
                            "loss": loss, **self._metric_logs(yb, out)}
                    stop = cbs.call("on_step_end", logs)
                if stop or self.stop_training or (should_stop is not None and should_stop()):
                    stop = True
                    break
            logs = {"epoch": epoch, "loss": total / seen}
            if outs:
                logs.update(self._metric_logs(np.concatenate(targets), np.concatenate(outs)))
            if validation_data is not None and not stop:
                val = self.evaluate(*validation_data)
                logs.update({f"val_{k}": v for k, v in val.items()})
            if stop:
                logs["stopped"] = True
            if cbs.call("on_epoch_end", logs) or stop or self.stop_training:
                break
        cbs.call("on_train_end", {"epochs_run": len(history.epochs), "iterations": iteration})
        return history

    def predict(self, x, *, batch_size: int | None = None) -> np.ndarray:
        """Outputs in inference mode (logits if the last layer has no activation)."""
        x = np.asarray(x)
        if batch_size is None or len(x) <= batch_size:
            return self.forward(x)
        return np.concatenate([self.forward(x[i : i + batch_size]) for i in range(0, len(x), batch_size)])

    def evaluate(self, x, y, *, batch_size: int | None = None) -> dict:
        """``{"loss": ..., <metric>: ...}`` over the whole set, in inference mode."""
        self._check_compiled()
        out = self.predict(x, batch_size=batch_size)
        return {"loss": float(self.loss.forward(out, y)), **self._metric_logs(np.asarray(y), out)}

    # -- description and persistence --------------------------------------------------------
    def summary(self, print_fn=print) -> str:
        """A table of layers, output shapes and parameter counts (printed and returned)."""
        rows = [("Layer (type)", "Output shape", "Params")]
        shape = self.input_shape
        for layer in self.layers:
            shape = layer.compute_output_shape(shape) if shape is not None else None
            out = "?" if shape is None else str((None, *shape)).replace("None", "batch")
            rows.append((f"{layer.name} ({type(layer).__name__})", out, str(layer.count_params())))
        widths = [max(len(r[i]) for r in rows) for i in range(3)]
        lines = [f"{r[0]:<{widths[0]}}  {r[1]:<{widths[1]}}  {r[2]:>{widths[2]}}" for r in rows]
        rule = "-" * len(lines[0])
        text = "\n".join([lines[0], rule, *lines[1:], rule, f"Total params: {self.count_params()}"])
        if print_fn is not None:
            print_fn(text)
        return text

    def get_config(self):
        config = super().get_config()
        if self.built:
            config["input_shape"] = list(self.input_shape)
        config["layers"] = [{"class": type(l).__name__, "config": l.get_config()} for l in self.layers]
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        layers = [get_layer(spec) for spec in config.pop("layers", [])]
        return cls(layers, **config)

    def extra_repr(self):
        return "\n" + "".join(f"  ({i}) {l.name}: {l!r}\n" for i, l in enumerate(self.layers))

    def save(self, file) -> None:
        """Save config and weights to one ``.npz`` file (a path or a binary file object)."""
        from .serialization import save

        save(self, file)

    @staticmethod
    def load(file) -> "Sequential":
        from .serialization import load

        return load(file)


class Autoencoder(Sequential):
    """An encoder followed by a decoder, trained to reproduce its input (``fit(x)`` uses ``y = x``).

    ``encode(x)`` gives the code (e.g. 2-D points a lesson can plot), ``decode(z)`` maps codes back.

    Example
    -------
    >>> import numpy as np
    >>> from engine import Dense
    >>> ae = Autoencoder([Dense(2, activation="tanh")], [Dense(4)], input_shape=(4,), seed=0)
    >>> ae.encode(np.zeros((3, 4))).shape, ae.predict(np.zeros((3, 4))).shape
    ((3, 2), (3, 4))
    """

    def __init__(self, encoder, decoder, *, input_shape=None, seed=None, name: str = "autoencoder", dtype=None):
        self.encoder = encoder if isinstance(encoder, Sequential) else Sequential(encoder, name="encoder")
        self.decoder = decoder if isinstance(decoder, Sequential) else Sequential(decoder, name="decoder")
        super().__init__([*self.encoder.layers, *self.decoder.layers], seed=seed, name=name, dtype=dtype)
        self.encoder.layers = self.layers[: len(self.encoder.layers)]
        self.decoder.layers = self.layers[len(self.encoder.layers):]
        if input_shape is not None:
            self.build(input_shape)

    def build(self, input_shape, rng=None):
        super().build(input_shape)
        self.encoder.built, self.encoder.input_shape = True, tuple(input_shape)
        self.decoder.built, self.decoder.input_shape = True, self.encoder.output_shape
        return self

    def encode(self, x) -> np.ndarray:
        if not self.built:
            self.build(np.asarray(x).shape[1:])
        return self.encoder.forward(np.asarray(x, dtype=self.dtype))

    def decode(self, z) -> np.ndarray:
        return self.decoder.forward(np.asarray(z, dtype=self.dtype))

    def fit(self, x, y=None, **kwargs):
        return super().fit(x, x if y is None else y, **kwargs)

    def get_config(self):
        config = Layer.get_config(self)
        if self.built:
            config["input_shape"] = list(self.input_shape)
        config["encoder"] = [{"class": type(l).__name__, "config": l.get_config()} for l in self.encoder.layers]
        config["decoder"] = [{"class": type(l).__name__, "config": l.get_config()} for l in self.decoder.layers]
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        encoder = [get_layer(spec) for spec in config.pop("encoder")]
        decoder = [get_layer(spec) for spec in config.pop("decoder")]
        return cls(encoder, decoder, **config)
