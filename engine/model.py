"""``Sequential``: a stack of layers with fit / evaluate / predict (``Autoencoder`` builds on it)."""

from __future__ import annotations

import re

import numpy as np

from . import activations, losses, metrics as metrics_module, optimizers, training
from .callbacks import History
from .errors import ConfigError, ShapeError, as_numbers, renamed_arguments, unknown_name
from .layers.base import Layer, get as get_layer, serialize
from .messages import text
from .parameter import Parameter


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
    dtype : float32 (default) or float64
        Every layer computes in it (a layer given another dtype is refused), and so do the
        gradients and the optimizer's state.

    Example
    -------
    >>> import numpy as np
    >>> from engine import Dense, data
    >>> x, y = data.make_moons(200, noise=0.1, seed=0)
    >>> model = Sequential([Dense(16, activation="relu"), Dense(2)], input_shape=(2,), seed=0)
    >>> model.compile(loss="softmax_crossentropy", optimizer="adam", learning_rate=0.05, metrics=["accuracy"])
    >>> history = model.fit(x, y, epochs=30, mode="batch")
    >>> history["accuracy"][-1] > 0.8
    True
    """

    def __init__(self, layers=(), *, input_shape=None, seed=None, name: str = "sequential", dtype=None):
        super().__init__(name=name, dtype=dtype, seed=seed)
        self._generator = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
        self.layers: list[Layer] = []
        self.loss: losses.Loss | None = None
        self.optimizer: optimizers.Optimizer | None = None
        self.metrics: dict = {}
        self.stop_training = False
        self.history: History | None = None
        self._fused = False
        self._params = None
        self._packed = None
        self._frozen: list[Parameter] = []
        for layer in layers:
            self.add(layer)
        if input_shape is not None:
            self.build(input_shape)

    # -- structure ---------------------------------------------------------------------------
    def add(self, layer) -> None:
        """Append a layer (or an activation name). Names are made unique inside the model."""
        if isinstance(layer, str):
            layer = activations.get(layer)
        if not isinstance(layer, Layer):
            raise ConfigError(f"{self.describe()}.add expects a Layer, received {layer!r}.")
        if layer.dtype != self.dtype:
            if layer.dtype_given:
                raise ConfigError(
                    f"{self.describe()} computes in {self.dtype.name} but {layer.describe()} was given "
                    f"dtype={layer.dtype.name}: give dtype= to the Sequential only (it sets every layer)."
                )
            layer.astype(self.dtype)
        taken = {layer_.name for layer_ in self.layers}
        if layer.name in taken:
            base, k = re.sub(r"_\d+$", "", layer.name), 1
            while f"{base}_{k}" in taken:
                k += 1
            layer.name = f"{base}_{k}"
        if self.built:
            shape = self.output_shape
            self._build_layer(layer, shape)
        self.layers.append(layer)

    def _build_layer(self, layer, shape):
        if not layer.built:
            layer.build(shape, self._generator)
        else:
            layer.check_input_shape((None, *[None if isinstance(d, str) else d for d in shape]))

    # Returns the model (for chaining), where a layer's build returns None.
    def build(self, input_shape, rng=None) -> Sequential:  # type: ignore[override]
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
        shape = self.built_shape()
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
            raise unknown_name("layer", key, [layer_.name for layer_ in self.layers])
        return self.layers[key]

    def __len__(self):
        return len(self.layers)

    def parameters(self):
        return [p for layer in self.layers for p in layer.parameters()]

    def trainable_parameters(self):
        return [p for layer in self.layers for p in layer.trainable_parameters()] if self.trainable else []

    def first_trained_layer(self) -> int:
        """Index of the lowest layer with weights that ``fit`` updates (``len(layers)`` if none):
        backward stops there, since the frozen layers below it need no gradient (fine-tuning)."""
        if not self.trainable:
            return len(self.layers)
        return next((k for k, layer in enumerate(self.layers) if layer.trainable_parameters()), len(self.layers))

    def named_parameters(self) -> list[tuple[str, Parameter]]:
        """``[("dense.W", Parameter), ...]``, names qualified by layer name."""
        out: list[tuple[str, Parameter]] = []
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

    # -- forward and backward ----------------------------------------------------------------
    def forward(self, x, *, training=False, return_activations=False):
        """Run every layer. With ``return_activations=True`` also return ``{layer name: output}``."""
        x = as_numbers(x, self.describe())
        if x.dtype != self.dtype:
            x = x.astype(self.dtype)
        if not self.built:
            if x.ndim < 2:
                raise ShapeError(self.describe(), ("batch", "..."), x.shape, "Inputs need a batch axis.")
            self.build(x.shape[1:])
        outputs: dict[str, np.ndarray] | None = {} if return_activations else None
        for layer in self.layers:
            x = layer.forward(x, training=training)
            if outputs is not None:
                outputs[layer.name] = x
        self.output = x
        return (x, outputs) if return_activations else x

    def __call__(self, x, *, training=False):
        return self.forward(x, training=training)

    def backward(self, grad_y, *, need_input_grad=True):
        """Backward through every layer; with ``need_input_grad=False`` (training) only down to the
        lowest trained layer, and the frozen layers under it are skipped (returns None then)."""
        layers = self.layers
        stop = 0 if need_input_grad else min(self.first_trained_layer(), len(layers) - 1)
        for k in range(len(layers) - 1, stop - 1, -1):
            grad_y = layers[k].backward(grad_y, need_input_grad=need_input_grad or k > stop)
        return grad_y

    # -- training ----------------------------------------------------------------------------
    @renamed_arguments(lr="learning_rate")
    def compile(self, *, loss="mse", optimizer="sgd", metrics=(), learning_rate: float | None = None) -> None:
        """Choose the loss, the optimizer (name or instance; ``learning_rate`` sets its learning
        rate) and metrics."""
        self.loss = losses.get(loss)
        rate = {} if learning_rate is None else {"learning_rate": learning_rate}
        self.optimizer = optimizers.get(optimizer, **rate)
        if learning_rate is not None and isinstance(optimizer, optimizers.Optimizer):
            self.optimizer.learning_rate = float(learning_rate)
        names = [metrics] if isinstance(metrics, str) else list(metrics)
        self._params = None
        self.metrics = {
            m if isinstance(m, str) else getattr(m, "__name__", "metric"): metrics_module.get(m) for m in names
        }

    def check_compiled(self) -> tuple[losses.Loss, optimizers.Optimizer]:
        """The loss and the optimizer; a ConfigError before ``compile``."""
        if self.loss is None or self.optimizer is None:
            raise ConfigError(f"{self.describe()} is not compiled: call model.compile(loss=..., optimizer=...) first.")
        return self.loss, self.optimizer

    def train_step(self, x, y) -> float:
        """One gradient step on the batch ``(x, y)``; returns the loss before the update."""
        if self._params is None:
            training.prepare(self, x)
        return training.train_step(self, x, y)[0]

    def fit(
        self,
        x,
        y=None,
        *,
        epochs: int = 1,
        mode: str = "mini-batch",
        batch_size: int = 32,
        shuffle: bool = True,
        validation_data=None,
        callbacks=(),
        should_stop=None,
        verbose: bool = False,
    ) -> History:
        """Train with gradient descent and return the :class:`~engine.callbacks.History`.

        ``mode``: ``"stochastic"`` (one sample per step), ``"batch"`` (the whole set per step) or
        ``"mini-batch"`` (``batch_size`` samples per step). Each epoch visits every sample once,
        in a new random order when ``shuffle``. ``callbacks`` get every step and epoch;
        ``should_stop()`` is polled after every step (e.g. a Stop button's flag), as is
        ``model.stop_training``. See :func:`engine.training.fit`.
        """
        return training.fit(
            self,
            x,
            y,
            epochs=epochs,
            mode=mode,
            batch_size=batch_size,
            shuffle=shuffle,
            validation_data=validation_data,
            callbacks=callbacks,
            should_stop=should_stop,
            verbose=verbose,
        )

    def predict(self, x, *, batch_size: int | None = None) -> np.ndarray:
        """Outputs in inference mode (logits if the last layer has no activation)."""
        x = as_numbers(x, f"{self.describe()}.predict", "x")
        if batch_size is None or len(x) <= batch_size:
            return self.forward(x)
        return np.concatenate([self.forward(x[i : i + batch_size]) for i in range(0, len(x), batch_size)])

    def evaluate(self, x, y, *, batch_size: int | None = None) -> dict:
        """``{"loss": ..., <metric>: ...}`` over the whole set, in inference mode."""
        loss, _ = self.check_compiled()
        x, y = training.check_data(self, "evaluate", x, y)
        out = self.predict(x, batch_size=batch_size)
        return {"loss": float(loss.forward(out, y)), **training.metric_logs(self, y, out)}

    # -- description and persistence --------------------------------------------------------
    def summary(self, print_fn=print) -> str | None:
        """Print a table of layers, output shapes and parameter counts (``print_fn=None`` returns it)."""
        rows = [(text("Layer (type)"), text("Output shape"), text("Params"))]
        shape = self.input_shape
        for layer in self.layers:
            shape = layer.compute_output_shape(shape) if shape is not None else None
            out = "?" if shape is None else str((None, *shape)).replace("None", text("batch"))
            rows.append((f"{layer.name} ({type(layer).__name__})", out, str(layer.count_params())))
        widths = [max(len(r[i]) for r in rows) for i in range(3)]
        lines = [f"{r[0]:<{widths[0]}}  {r[1]:<{widths[1]}}  {r[2]:>{widths[2]}}" for r in rows]
        rule = "-" * len(lines[0])
        total, trainable = self.count_params(), self.count_trainable_params()
        totals = [text("Total params: {n}", n=total)]
        if trainable != total:  # something is frozen: say how much fit() still trains
            totals += [
                text("Trainable params: {n}", n=trainable),
                text("Non-trainable params: {n}", n=total - trainable),
            ]
        table = "\n".join([lines[0], rule, *lines[1:], rule, *totals])
        if print_fn is None:
            return table
        print_fn(table)
        return None

    def get_config(self):
        config = super().get_config()
        if self.input_shape is not None:
            config["input_shape"] = list(self.input_shape)
        config["layers"] = [serialize(layer_) for layer_ in self.layers]
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        layers = [get_layer(spec) for spec in config.pop("layers", [])]
        return cls(layers, **config)

    def extra_repr(self):
        return "\n" + "".join(f"  ({i}) {layer_.name}: {layer_!r}\n" for i, layer_ in enumerate(self.layers))

    def save(self, file) -> None:
        """Save config and weights to one ``.npz`` file (a path or a binary file object)."""
        from .serialization import save

        save(self, file)

    @staticmethod
    def load(file) -> Sequential:
        from .serialization import load

        return load(file)
