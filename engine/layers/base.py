"""The layer contract shared by every layer.

A layer turns a batch ``x`` into ``y`` and, given ``dL/dy``, returns ``dL/dx`` while *adding*
``dL/dparam`` into each ``Parameter.grad``:

* ``forward(x, *, training=False) -> y`` builds the weights on first use, checks the input shape,
  saves what ``backward`` needs, and records ``self.output`` so lessons can draw it;
* ``backward(grad_y, *, need_input_grad=True) -> grad_x`` (``None`` when the caller, e.g. the first
  layer of a model, does not need ``grad_x``);
* ``parameters()``, ``get_config()`` / ``from_config()``, ``extra_repr()``.

Conventions equal ONNX's: the batch axis comes first, images are NCHW. Every subclass's
``forward`` and ``backward`` are wrapped: ``forward`` records ``self.output``, and calling
``backward`` before ``forward``, or with a gradient whose shape is not the output's, is a clear
error instead of an AttributeError or a broadcasting error.
"""

from __future__ import annotations

import functools
import re

import numpy as np

from ..errors import ConfigError, ShapeError, as_numbers
from ..parameter import DEFAULT_DTYPE, Parameter

DTYPES = (np.dtype(np.float32), np.dtype(np.float64))
"""The dtypes a layer or model may compute in."""

LAYERS: dict[str, type[Layer]] = {}
"""Every Layer subclass by class name (filled automatically; used by ``load`` and ``get``)."""


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z])(?=[A-Z])", "_", name).lower()


def check_dtype(owner: str, dtype) -> np.dtype:
    """``dtype`` as a NumPy dtype if it is float32 or float64, else a ConfigError."""
    try:
        chosen = np.dtype(dtype)
    except TypeError:
        chosen = None
    if chosen is None or chosen not in DTYPES:  # (np.dtype(float64) == None is True)
        raise ConfigError(
            f"{owner}: received an invalid value for `dtype`, expected float32 or float64 "
            f"(e.g. dtype=np.float64). Received: dtype={dtype!r}"
        )
    return chosen


def _recorded_forward(forward):
    """Wrap a layer's ``forward`` so that ``self.output`` is always its last output (also for a
    layer written in a lesson that does not record it), which ``backward``'s checks rely on."""

    @functools.wraps(forward)
    def wrapper(self, x, *args, **kwargs):
        y = forward(self, x, *args, **kwargs)
        if isinstance(y, np.ndarray):
            self.output = y
        self.forward_ran = True  # also for a layer whose forward returns more than one array
        return y

    wrapper.checked = True  # type: ignore[attr-defined]
    return wrapper


def _checked_backward(backward):
    """Wrap a layer's ``backward``: refuse a call before ``forward`` or a gradient of the wrong shape."""

    @functools.wraps(backward)
    def wrapper(self, grad_y, *args, **kwargs):
        output = self.output
        if output is None and not getattr(self, "forward_ran", False):
            raise ConfigError(
                f"{self.describe()}.backward was called before forward: run y = layer.forward(x) first "
                "(backward needs what forward saved)."
            )
        if isinstance(output, np.ndarray):
            if not isinstance(grad_y, np.ndarray):
                grad_y = as_numbers(grad_y, f"{self.describe()}.backward", "gradient")
            if grad_y.shape != output.shape:
                raise ShapeError(
                    f"{self.describe()}.backward",
                    output.shape,
                    grad_y.shape,
                    "The gradient dL/dy has the shape of the layer's last output.",
                )
        return backward(self, grad_y, *args, **kwargs)

    wrapper.checked = True  # type: ignore[attr-defined]
    return wrapper


class Layer:
    """Base class of all layers. Subclasses implement ``forward`` and ``backward``.

    Parameters
    ----------
    name : str, optional
        Defaults to the class name in snake case (``"max_pool2d"``); a model makes names unique.
    dtype : numpy dtype, optional
        Computation dtype: float32 (the default) or float64. Inputs are cast to it; weights,
        gradients and optimizer state have it. In a model, give it to the ``Sequential`` (which
        sets it on every layer).
    seed : int or numpy.random.Generator, optional
        Randomness for weight initialisation (and dropout masks). Without it the model's generator
        is used, or fresh entropy for a layer used on its own.
    """

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        LAYERS[cls.__name__] = cls
        for method, wrap in (("forward", _recorded_forward), ("backward", _checked_backward)):
            fn = cls.__dict__.get(method)
            if fn is not None and not getattr(fn, "checked", False):
                setattr(cls, method, wrap(fn))

    def __init__(self, *, name: str | None = None, dtype=None, seed=None):
        if name is not None and not isinstance(name, str):
            raise ConfigError(f"{type(self).__name__}: `name` must be a string, received {name!r}.")
        self.name = name or getattr(type(self), "default_name", None) or _snake(type(self).__name__)
        self.dtype = check_dtype(type(self).__name__, dtype) if dtype is not None else DEFAULT_DTYPE
        self.dtype_given = dtype is not None  # chosen by the user (or astype), not the default
        self.seed = seed
        self.built = False
        self.input_shape: tuple | None = None
        self.output: np.ndarray | None = None
        self._spec: tuple | None = None
        self._trainable = True

    # -- freezing ----------------------------------------------------------------------------
    @property
    def trainable(self) -> bool:
        """False freezes the layer (and the layers inside it): ``fit`` leaves its weights as they
        are. Set it before ``compile``/``fit`` (as in Keras); it is not saved with the model."""
        return self._trainable

    @trainable.setter
    def trainable(self, value: bool) -> None:
        if not isinstance(value, bool):
            raise ConfigError(f"{self.describe()}: `trainable` must be True or False, received {value!r}.")
        self._trainable = value
        for layer in self.sublayers():
            layer.trainable = value

    def trainable_parameters(self) -> list[Parameter]:
        """The parameters ``fit`` updates: ``parameters()``, or none while the layer is frozen."""
        return self.parameters() if self._trainable else []

    # -- building ----------------------------------------------------------------------------
    def _rng(self, rng=None) -> np.random.Generator:
        """The generator to draw from: the layer's own seed wins over the model's ``rng``."""
        if isinstance(self.seed, np.random.Generator):
            return self.seed
        if self.seed is not None:
            return np.random.default_rng(self.seed)
        return rng if rng is not None else np.random.default_rng()

    input_axes: tuple[tuple, ...] = ()
    """The accepted per-sample axes, e.g. ``(("features",),)`` for Dense; empty accepts any."""

    def build(self, input_shape, rng=None) -> None:
        """Create weights for inputs of shape ``(batch, *input_shape)``. Subclasses extend this."""
        shape = tuple(input_shape)
        if self.input_axes and len(shape) not in [len(axes) for axes in self.input_axes]:
            axes = min(self.input_axes, key=lambda a: abs(len(a) - len(shape)))
            raise ShapeError(self.describe(), (None, *axes), (None, *shape), self._shape_hint((None, *shape)))
        self.input_shape = shape
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
        if not isinstance(x, np.ndarray) or x.dtype.kind not in "biuf":
            x = as_numbers(x, self.describe())
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

    def own_activation(self, activation):
        """``activation`` (a layer or None), cast to this layer's dtype so that it computes in it too."""
        if activation is not None and activation.dtype != self.dtype:
            activation.astype(self.dtype)
        return activation

    def zero_grad(self) -> None:
        for p in self.parameters():
            p.grad.fill(0)

    def count_params(self) -> int:
        return sum(p.size for p in self.parameters())

    def count_trainable_params(self) -> int:
        return sum(p.size for p in self.trainable_parameters())

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
        self.dtype = check_dtype(type(self).__name__, dtype)
        self.dtype_given = True
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
