"""ONNX export: ``to_onnx(model, input_shape=...) -> onnx.ModelProto``.

The engine's conventions are ONNX's (NCHW, Conv weights ``(out, in, kh, kw)``, Dense
``x @ W + b``, C-order Flatten), so each converter is a few lines mapping one layer to one node
and copying weights. The registry ``CONVERTERS = {LayerClass: converter}`` is looked up along the
layer's class hierarchy. The one unavoidable reorder, LSTM gates i,f,c,o -> ONNX i,o,f,c, lives in
:func:`lstm_gates_to_onnx`. Recurrent layers take batch-first input, so their ONNX nodes are
wrapped in ``Transpose``; the batch axis is dynamic (``"batch"``).

This is the only engine module that uses ``onnx``, and it imports it inside the functions, so
``import engine`` works without it (in the browser).
"""

from __future__ import annotations

import numpy as np

from .. import activations as act
from ..errors import ConfigError
from ..layers import (
    GRU,
    LSTM,
    RNN,
    AvgPool2D,
    BatchNorm,
    Conv2D,
    Dense,
    Dropout,
    Flatten,
    MaxPool2D,
    Reshape,
)
from ..layers.base import Layer

OPSET = 17
"""Default opset: supported by onnxruntime 1.14+ (and onnxruntime-web), enough for every layer."""
IR_VERSION = 8

CONVERTERS: dict = {}


def register_converter(layer_class):
    """Decorator registering ``fn(layer, graph, x_name, input_shape) -> output_name``; no overwrites."""

    def decorate(fn):
        if layer_class in CONVERTERS:
            raise ConfigError(f"An ONNX converter for {layer_class.__name__} is already registered.")
        CONVERTERS[layer_class] = fn
        return fn

    return decorate


def get_converter(layer):
    for cls in type(layer).__mro__:
        if cls in CONVERTERS:
            return CONVERTERS[cls]
    names = ", ".join(sorted(c.__name__ for c in CONVERTERS))
    raise ConfigError(f"No ONNX converter for {type(layer).__name__} ({len(CONVERTERS)} registered: {names}).")


class Graph:
    """Collects nodes and initializers with unique names while converters run."""

    def __init__(self):
        from onnx import helper, numpy_helper

        self.helper, self.numpy_helper = helper, numpy_helper
        self.nodes, self.initializers, self._used = [], [], set()
        # (name, (heads, query length, key length)) of every attention's weights, in graph order
        self.attention: list[tuple[str, tuple[int, int, int]]] = []

    def unique(self, base: str) -> str:
        name, k = base, 1
        while name in self._used:
            name, k = f"{base}_{k}", k + 1
        self._used.add(name)
        return name

    def const(self, base: str, array, dtype=np.float32) -> str:
        name = self.unique(base)
        self.initializers.append(self.numpy_helper.from_array(np.asarray(array, dtype=dtype), name))
        return name

    def node(self, op: str, inputs, *, prefix: str, outputs: int = 1, **attrs):
        names = [self.unique(f"{prefix}/{op}" + (f":{i}" if outputs > 1 else "")) for i in range(outputs)]
        node_name = self.unique(f"{prefix}/{op}_node")
        self.nodes.append(self.helper.make_node(op, list(inputs), names, name=node_name, **attrs))
        return names[0] if outputs == 1 else names


def to_onnx(
    model,
    input_shape=None,
    path=None,
    *,
    opset: int = OPSET,
    name: str | None = None,
    attention_output: str | None = None,
):
    """Convert a built model (or a single layer) to an ``onnx.ModelProto``; save it if ``path``.

    ``input_shape`` is the shape of one sample (without the batch axis); it defaults to the
    model's. The graph has one input ``"input"`` of shape ``(batch, *input_shape)`` and one output
    ``"output"``, and it passes ``onnx.checker``. With ``attention_output="attention"`` a second
    output of that name holds the weights of every ``MultiHeadAttention`` (also inside
    ``TransformerBlock``), concatenated along the head axis in the model's order: ``(batch,
    total heads, T, T)``, as the layers' ``attention_scores`` after ``predict`` (for drawing them).
    """
    import onnx
    from onnx import TensorProto, helper

    if not isinstance(model, Layer):
        raise ConfigError(f"to_onnx expects an engine model or layer, received {type(model).__name__}.")
    if input_shape is None:
        if model.input_shape is None or any(isinstance(d, str) for d in model.input_shape):
            raise ConfigError("to_onnx needs input_shape=(...) (one sample, no batch axis) for an unbuilt model.")
        input_shape = model.input_shape
    input_shape = tuple(int(d) for d in input_shape)
    if not model.built:
        model.build(input_shape)
    graph = Graph()
    out_shape = model.compute_output_shape(input_shape)
    x = get_converter(model)(model, graph, "input", input_shape)
    graph.nodes.append(helper.make_node("Identity", [x], ["output"], name="output/Identity"))
    outputs = [helper.make_tensor_value_info("output", TensorProto.FLOAT, ["batch", *out_shape])]
    if attention_output is not None:
        outputs.append(_attention_output(graph, attention_output, model))
    onnx_graph = helper.make_graph(
        graph.nodes,
        name or model.name,
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["batch", *input_shape])],
        outputs,
        graph.initializers,
    )
    proto = helper.make_model(
        onnx_graph, opset_imports=[helper.make_opsetid("", opset)], producer_name="learningpaths-engine"
    )
    proto.ir_version = IR_VERSION
    onnx.checker.check_model(proto)
    if path is not None:
        onnx.save(proto, str(path))
    return proto


def _attention_output(graph: Graph, output: str, model):
    """Join the attention weights the converters recorded into the graph output ``output``."""
    from onnx import TensorProto, helper

    if not graph.attention:
        raise ConfigError(f"to_onnx(attention_output={output!r}): {model.describe()} has no MultiHeadAttention.")
    if output in ("input", "output"):
        raise ConfigError(f"to_onnx: attention_output must not be named {output!r} (the graph's own input/output).")
    names = [n for n, _ in graph.attention]
    lengths = {shape[1:] for _, shape in graph.attention}
    if len(lengths) > 1:
        raise ConfigError(f"to_onnx(attention_output=...): the attention layers' lengths differ: {sorted(lengths)}.")
    heads = sum(shape[0] for _, shape in graph.attention)
    if len(names) > 1:
        graph.nodes.append(helper.make_node("Concat", names, [output], name=f"{output}/Concat", axis=1))
    else:
        graph.nodes.append(helper.make_node("Identity", names, [output], name=f"{output}/Identity"))
    return helper.make_tensor_value_info(output, TensorProto.FLOAT, ["batch", heads, *lengths.pop()])


# -- containers -------------------------------------------------------------------------------
def _sequential(model, g, x, shape):
    for layer in model.layers:
        x = get_converter(layer)(layer, g, x, shape)
        shape = layer.compute_output_shape(shape)
    return x


def _register_containers():
    from ..model import Sequential

    if Sequential not in CONVERTERS:
        register_converter(Sequential)(_sequential)


# -- activations ------------------------------------------------------------------------------
_SIMPLE = {act.ReLU: "Relu", act.Sigmoid: "Sigmoid", act.Tanh: "Tanh", act.Identity: "Identity"}


def _activation(layer, g, x, shape=None):
    prefix = layer.name
    if type(layer) in _SIMPLE:
        return g.node(_SIMPLE[type(layer)], [x], prefix=prefix)
    if isinstance(layer, act.LeakyReLU):
        return g.node("LeakyRelu", [x], prefix=prefix, alpha=layer.negative_slope)
    if isinstance(layer, act.Softmax):
        return g.node("Softmax", [x], prefix=prefix, axis=layer.axis)
    if isinstance(layer, act.Step):
        from onnx import TensorProto

        above = g.node("GreaterOrEqual", [x, g.const(f"{prefix}/threshold", layer.threshold)], prefix=prefix)
        return g.node("Cast", [above], prefix=prefix, to=TensorProto.FLOAT)
    raise ConfigError(f"No ONNX converter for activation {type(layer).__name__}.")


for _cls in (act.ReLU, act.Sigmoid, act.Tanh, act.Identity, act.LeakyReLU, act.Softmax, act.Step):
    register_converter(_cls)(_activation)


def _then_activation(layer, g, x):
    return x if layer.activation is None else _activation(layer.activation, g, x)


# -- layers -----------------------------------------------------------------------------------
@register_converter(Dense)
def _dense(layer, g, x, shape):
    w = g.const(f"{layer.name}/W", layer.W.value)
    if layer.use_bias:
        y = g.node("Gemm", [x, w, g.const(f"{layer.name}/b", layer.b.value)], prefix=layer.name)
    else:
        y = g.node("MatMul", [x, w], prefix=layer.name)
    return _then_activation(layer, g, y)


def _onnx_pads(pads):
    top, bottom, left, right = pads
    return [top, left, bottom, right]


@register_converter(Conv2D)
def _conv(layer, g, x, shape):
    inputs = [x, g.const(f"{layer.name}/W", layer.W.value)]
    if layer.use_bias:
        inputs.append(g.const(f"{layer.name}/b", layer.b.value))
    y = g.node(
        "Conv",
        inputs,
        prefix=layer.name,
        kernel_shape=list(layer.kernel_size),
        strides=list(layer.strides),
        pads=_onnx_pads(layer.pads(shape[1:])),
    )
    return _then_activation(layer, g, y)


@register_converter(MaxPool2D)
def _max_pool(layer, g, x, shape):
    return g.node(
        "MaxPool",
        [x],
        prefix=layer.name,
        kernel_shape=list(layer.pool_size),
        strides=list(layer.strides),
        pads=_onnx_pads(layer.pads(shape[1:])),
    )


@register_converter(AvgPool2D)
def _avg_pool(layer, g, x, shape):
    return g.node(
        "AveragePool",
        [x],
        prefix=layer.name,
        kernel_shape=list(layer.pool_size),
        strides=list(layer.strides),
        pads=_onnx_pads(layer.pads(shape[1:])),
        count_include_pad=int(layer.count_include_pad),
    )


@register_converter(Flatten)
def _flatten(layer, g, x, shape):
    return g.node("Flatten", [x], prefix=layer.name, axis=1)


@register_converter(Reshape)
def _reshape(layer, g, x, shape):
    target = g.const(f"{layer.name}/shape", [0, *layer.target_shape], dtype=np.int64)  # 0 keeps the batch
    return g.node("Reshape", [x, target], prefix=layer.name)


@register_converter(Dropout)
def _dropout(layer, g, x, shape):
    return g.node("Dropout", [x], prefix=layer.name)  # identity at inference


@register_converter(BatchNorm)
def _batch_norm(layer, g, x, shape):
    p = layer.name
    inputs = [
        x,
        g.const(f"{p}/gamma", layer.gamma.value),
        g.const(f"{p}/beta", layer.beta.value),
        g.const(f"{p}/running_mean", layer.running_mean),
        g.const(f"{p}/running_var", layer.running_var),
    ]
    return g.node("BatchNormalization", inputs, prefix=p, epsilon=layer.epsilon, momentum=layer.momentum)


# -- recurrent layers -------------------------------------------------------------------------
def lstm_gates_to_onnx(w: np.ndarray, axis: int = 0) -> np.ndarray:
    """Reorder the four gate blocks along ``axis`` from the engine's i, f, c, o to ONNX's i, o, f, c."""
    i, f, c, o = np.split(w, 4, axis=axis)
    return np.concatenate([i, o, f, c], axis=axis)


def _recurrent(layer, g, x, op, w, r, b, **attrs):
    """Transpose to time-major, run the ONNX op, take ``Y`` or ``Y_h``, back to batch-first."""
    p, h = layer.name, layer.units
    xt = g.node("Transpose", [x], prefix=p, perm=[1, 0, 2])
    inputs = [xt, g.const(f"{p}/W", w[None]), g.const(f"{p}/R", r[None]), g.const(f"{p}/B", b[None])]
    y, y_h = g.node(op, inputs, prefix=p, outputs=2, hidden_size=h, **attrs)
    if layer.return_sequences:  # Y: (T, 1, N, H) -> (N, T, H)
        y = g.node("Squeeze", [y, g.const(f"{p}/axis1", [1], dtype=np.int64)], prefix=p)
        return g.node("Transpose", [y], prefix=p, perm=[1, 0, 2])
    return g.node("Squeeze", [y_h, g.const(f"{p}/axis0", [0], dtype=np.int64)], prefix=p)  # (N, H)


@register_converter(RNN)
def _rnn(layer, g, x, shape):
    b = np.concatenate([layer.b.value, np.zeros_like(layer.b.value)])  # [Wb | Rb]
    return _recurrent(layer, g, x, "RNN", layer.W.value.T, layer.U.value.T, b, activations=["Tanh"])


@register_converter(LSTM)
def _lstm(layer, g, x, shape):
    w = lstm_gates_to_onnx(layer.W.value.T)
    r = lstm_gates_to_onnx(layer.U.value.T)
    b = np.concatenate([lstm_gates_to_onnx(layer.b.value), np.zeros_like(layer.b.value)])
    return _recurrent(layer, g, x, "LSTM", w, r, b)


@register_converter(GRU)
def _gru(layer, g, x, shape):
    # Same gate order z, r, n as ONNX; linear_before_reset=1 is the engine's (and PyTorch's) GRU.
    b = np.concatenate([layer.b.value, layer.b_h.value])
    return _recurrent(layer, g, x, "GRU", layer.W.value.T, layer.U.value.T, b, linear_before_reset=1)


_register_containers()
