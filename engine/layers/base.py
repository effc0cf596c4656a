"""The layer contract shared by every layer.

A layer turns a batch ``x`` into ``y`` and, given ``dL/dy``, returns ``dL/dx`` while *adding*
``dL/dparam`` into each ``Parameter.grad``:

* ``forward(x, *, training=False) -> y`` builds the weights on first use, checks the input shape,
  saves what ``backward`` needs, and records ``self.output`` so lessons can draw it;
* ``backward(grad_y, *, need_input_grad=True) -> grad_x`` (``None`` when the caller, e.g. the first
  layer of a model, does not need ``grad_x``);
* ``parameters()``, ``get_config()`` / ``from_config()``, ``extra_repr()``.

Conventions equal ONNX's: the batch axis comes first, images are NCHW.
"""

from __future__ import annotations

import re

import numpy as np

from ..errors import ConfigError, ShapeError
from ..parameter import DEFAULT_DTYPE, Parameter

LAYERS: dict[str, type[Layer]] = {}
"""Every Layer subclass by class name (filled automatically; used by ``load`` and ``get``)."""


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z])(?=[A-Z])", "_", name).lower()


class Layer:
    """Base class of all layers. Subclasses implement ``forward`` and ``backward``.

    Parameters
    ----------
    name : str, optional
        Defaults to the class name in snake case (``"max_pool2d"``); a model makes names unique.
    dtype : numpy dtype, optional
        Computation dtype, float32 by default. Inputs are cast to it.
    seed : int or numpy.random.Generator, optional
        Randomness for weight initialisation (and dropout masks). Without it the model's generator
        is used, or fresh entropy for a layer used on its own.
    """

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        LAYERS[cls.__name__] = cls

    def __init__(self, *, name: str | None = None, dtype=None, seed=None):
        if name is not None and not isinstance(name, str):
            raise ConfigError(f"{type(self).__name__}: `name` must be a string, received {name!r}.")
        self.name = name or getattr(type(self), "default_name", None) or _snake(type(self).__name__)
        self.dtype = np.dtype(dtype) if dtype is not None else DEFAULT_DTYPE
        self.seed = seed
        self.built = False
        self.input_shape: tuple | None = None
        self.output: np.ndarray | None = None
        self._spec: tuple | None = None

    # -- building ----------------------------------------------------------------------------
    def _rng(self, rng=None) -> np.random.Generator:
        """The generator to draw from: the layer's own seed wins over the model's ``rng``."""
        if isinstance(self.seed, np.random.Generator):
            return self.seed
        if self.seed is not None:
            return np.random.default_rng(self.seed)
        return rng if rng is not None else np.random.default_rng()

    def build(self, input_shape, rng=None) -> None:
        """Create weights for inputs of shape ``(batch, *input_shape)``. Subclasses extend this."""
        self.input_shape = tuple(input_shape)
        self._spec = self.input_spec(self.input_shape)
        self.built = True

    def built_shape(self) -> tuple:
        """``input_shape`` of a built layer; a ConfigError saying how to build it otherwise."""
        if self.input_shape is None:
            raise ConfigError(
                f"{self.describe()} is not built yet: call build(input_shape) or pass a batch through it first."
            )
        return self.input_shape

    def input_spec(self, input_shape) -> tuple | None:
        """The accepted input shape including the batch axis: ints must match, names are free."""
        return (None, *input_shape)

    def compute_output_shape(self, input_shape) -> tuple:
        """Output shape without the batch axis for an input shape without the batch axis."""
        return tuple(input_shape)

    def describe(self) -> str:
        return f"{type(self).__name__} '{self.name}'"

    def _prepare(self, x) -> np.ndarray:
        """Build on first use, check the shape against ``input_spec``, cast to ``self.dtype``."""
        if not isinstance(x, np.ndarray):
            x = np.asarray(x)
        if not self.built:
            if x.ndim < 1:
                raise ShapeError(self.describe(), ("batch", "..."), x.shape, "Inputs need a batch axis.")
            self.build(x.shape[1:])
        self.check_input_shape(x.shape)
        if x.dtype != self.dtype:
            x = x.astype(self.dtype)
        return x

    def check_input_shape(self, shape) -> None:
        """Raise a ShapeError unless ``shape`` (with the batch axis, which may be None) fits."""
        spec = self._spec
        if spec is not None and (
            len(shape) != len(spec)
            or any(
                s != d
                for s, d in zip(spec, shape, strict=True)
                if s is not None and not isinstance(s, str) and d is not None
            )
        ):
            raise ShapeError(self.describe(), spec, shape, self._shape_hint(shape))

    def _shape_hint(self, shape) -> str:
        return ""

    # -- the contract ------------------------------------------------------------------------
    def forward(self, x, *, training: bool = False) -> np.ndarray:
        raise NotImplementedError

    def backward(self, grad_y, *, need_input_grad: bool = True):
        raise NotImplementedError

    def __call__(self, x, *, training: bool = False) -> np.ndarray:
        return self.forward(x, training=training)

    def parameters(self) -> list[Parameter]:
        """Trainable parameters, in a fixed order."""
        return []

    def buffers(self) -> dict[str, np.ndarray]:
        """Non-trainable state saved with the model (e.g. BatchNorm running statistics)."""
        return {}

    def set_buffer(self, name: str, value) -> None:
        setattr(self, name, np.asarray(value, dtype=self.dtype))

    def sublayers(self) -> list[Layer]:
        """Layers owned by this one (a Dense layer's activation)."""
        return []

    def zero_grad(self) -> None:
        for p in self.parameters():
            p.grad.fill(0)

    def count_params(self) -> int:
        return sum(p.size for p in self.parameters())

    def get_weights(self) -> list[np.ndarray]:
        return [p.value for p in self.parameters()]

    def set_weights(self, weights) -> None:
        """Copy arrays into the parameters, in ``parameters()`` order, checking each shape."""
        params = self.parameters()
        if len(weights) != len(params):
            raise ConfigError(
                f"{self.describe()} has {len(params)} parameters "
                f"({', '.join(p.name for p in params)}), received {len(weights)} arrays."
            )
        for p, w in zip(params, weights, strict=True):
            w = np.asarray(w)
            if w.shape != p.shape:
                raise ShapeError(f"{self.describe()} parameter {p.name!r}", p.shape, w.shape)
            p.value[...] = w

    def astype(self, dtype) -> Layer:
        """Cast parameters and buffers to ``dtype`` (e.g. float64 for gradient checks); returns self."""
        self.dtype = np.dtype(dtype)
        for p in self.parameters():
            p.astype(self.dtype)
        for name, value in self.buffers().items():
            self.set_buffer(name, value)
        for layer in self.sublayers():
            layer.astype(dtype)
        return self

    # -- description -------------------------------------------------------------------------
    def get_config(self) -> dict:
        """Constructor arguments as JSON-compatible values: ``type(self)(**config)`` rebuilds it."""
        config = {"name": self.name}
        if self.dtype != DEFAULT_DTYPE:
            config["dtype"] = self.dtype.name
        if isinstance(self.seed, int):
            config["seed"] = self.seed
        return config

    @classmethod
    def from_config(cls, config: dict) -> Layer:
        return cls(**config)

    def extra_repr(self) -> str:
        return ""

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.extra_repr()})"


def serialize(layer: Layer) -> dict:
    """``{"class": "Dense", "config": {...}}``: what :func:`get` turns back into a layer."""
    return {"class": type(layer).__name__, "config": layer.get_config()}


def get(identifier) -> Layer:
    """A layer from a class name (``"Dense"``) and config, or a Layer passed through."""
    if isinstance(identifier, Layer):
        return identifier
    if isinstance(identifier, dict):
        cls = get_class(identifier["class"])
        return cls.from_config(identifier.get("config", {}))
    return get_class(identifier)()


def get_class(name: str) -> type[Layer]:
    from ..errors import unknown_name

    if name not in LAYERS or name.startswith("_"):
        raise unknown_name("layer", name, [n for n in LAYERS if not n.startswith("_")])
    return LAYERS[name]
