"""The training loop behind ``Sequential.fit``: modes, shuffling, callbacks and stopping."""

from __future__ import annotations

import numpy as np

from .activations import Activation
from .callbacks import CallbackList, History, ProgressPrinter, wants_steps
from .errors import ConfigError, DataError, ShapeError, as_numbers, check_positive_int, unknown_name
from .layers.normalization import BatchNorm
from .parameter import is_packed, pack

MODES = {
    "stochastic": "stochastic",
    "batch": "batch",
    "full-batch": "batch",
    "mini-batch": "mini-batch",
    "minibatch": "mini-batch",
}
"""Training modes as the lessons name them: one sample, the whole set, or ``batch_size`` samples per step."""


def output_activation(model):
    """The activation producing the model's output (a last Activation layer or a layer's own)."""
    last = model.layers[-1] if model.layers else None
    return last if isinstance(last, Activation) else getattr(last, "activation", None)


def prepare(model, x) -> None:
    """Build the model if needed, collect and pack the parameters, decide whether the loss is fused."""
    model.check_compiled()
    if not model.built:
        model.build(np.asarray(x).shape[1:])
    params = model.optimizer.params or model.trainable_parameters()
    if not params:
        raise ConfigError(
            f"{model.describe()} has nothing to train: every layer is frozen (trainable=False). "
            "Set layer.trainable = True on the layers fit() should change."
        )
    # Keep an existing packing: the optimizer's state (momentum, Adam moments) lives under it, and
    # a lesson may call fit(epochs=1) again and again.
    if not (model._params == params and is_packed(model._packed, params)):
        model._packed = pack(params)
    model._params = params
    trained = {id(p) for p in params}
    # A frozen layer between trained ones still receives gradients: they are zeroed with the others.
    model._frozen = [p for p in model.parameters() if id(p) not in trained]
    fused = model.loss.fused_activation
    last = output_activation(model)
    if fused is not None and model.loss.from_logits and isinstance(last, fused):
        # Keras only warns; a lesson's model would train on a squashed output, to poor accuracy.
        name = "categorical_crossentropy" if fused.__name__ == "Softmax" else "binary_crossentropy"
        raise ConfigError(
            f"{model.describe()} ends in {last.key} but {model.loss.describe()} expects raw outputs (logits) and "
            f"applies {last.key} itself: use loss='{name}', or remove activation='{last.key}' from the last layer."
        )
    model._fused = fused is not None and not model.loss.from_logits and isinstance(last, fused)


def check_data(model, method: str, x, y):
    """``x`` and ``y`` as arrays of numbers with the same number of samples, at least one."""
    owner = f"{model.describe()}.{method}"
    if y is None:
        raise ConfigError(f"{owner} needs targets y (an Autoencoder uses x itself).")
    x, y = as_numbers(x, owner, "x"), as_numbers(y, owner, "y")
    if x.ndim == 0 or y.ndim == 0:
        raise ShapeError(owner, ("batch", "..."), (x if x.ndim == 0 else y).shape, "x and y need a batch axis.")
    if len(x) != len(y):
        raise ShapeError(f"{owner} targets", (len(x), "..."), y.shape, f"x has {len(x)} samples but y has {len(y)}.")
    if len(x) == 0:
        raise DataError(f"{owner} received no samples (x and y are empty): it needs at least one.")
    return x, y


def has_batch_norm(layer) -> bool:
    return isinstance(layer, BatchNorm) or any(has_batch_norm(sub) for sub in layer.sublayers())


def batch_slices(n: int, size: int, keep_pairs: bool) -> list[slice]:
    """The batches of one epoch. With ``keep_pairs`` (a model with BatchNorm, which cannot train on
    one sample) a last batch of one sample joins the batch before it."""
    starts = list(range(0, n, size))
    if keep_pairs and len(starts) > 1 and n - starts[-1] == 1:
        starts.pop()
    return [slice(a, b) for a, b in zip(starts, [*starts[1:], n], strict=True)]


def backward_fused(model, grad_z) -> None:
    """Backward from ``dL/dz``, the gradient at the input of the output softmax/sigmoid (fused
    with the cross-entropy: ``(p - y) / n``), skipping that activation's own backward."""
    layers = model.layers
    last = layers[-1]
    stop = model.first_trained_layer()  # the frozen layers below it need no gradient
    if not isinstance(last, Activation):
        grad_z = last._backward_linear(grad_z, stop < len(layers) - 1)
    layers = layers[:-1]
    stop = min(stop, len(layers))
    for k in range(len(layers) - 1, stop - 1, -1):
        grad_z = layers[k].backward(grad_z, need_input_grad=k > stop)


def train_step(model, x, y):
    """Forward, loss, zeroed gradients, backward, optimizer step. Returns ``(loss, output)``."""
    params, packed = model._params, model._packed
    if packed is not None and not is_packed(packed, params):
        packed = model._packed = pack(params)  # a parameter was replaced (e.g. by astype)
    out = model.forward(x, training=True)
    loss = model.loss.forward(out, y)
    if packed is not None:
        packed.grad.fill(0)
    else:
        for p in params:
            p.grad.fill(0)
    for p in model._frozen:
        p.grad.fill(0)
    if model._fused:
        backward_fused(model, model.loss.fused_gradient())
    else:
        model.backward(model.loss.backward(), need_input_grad=False)
    # One update over the packed buffers (same math as per parameter, far fewer NumPy calls).
    model.optimizer.step([packed] if packed is not None else params)
    return loss, out


def metric_logs(model, y_true, out, *, safe: bool = False) -> dict:
    """The compiled metrics on probabilities; with ``safe``, undefined values (AUC of a batch with
    one class) become NaN instead of raising."""
    if not model.metrics:
        return {}
    probs = model.loss.probabilities(out)
    logs = {}
    for name, fn in model.metrics.items():
        try:
            logs[name] = float(fn(y_true, probs))
        except ConfigError:
            if not safe:
                raise
            logs[name] = float("nan")
    return logs


def fit(
    model,
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
    """Train ``model`` (a compiled ``Sequential``) and return the History; see ``Sequential.fit``.

    Per epoch: (re)shuffle, then for each batch one step (forward, loss, backward, optimizer);
    after each step the step callbacks run and the stop flags are polled. Epoch logs average the
    step losses (weighted by batch size) and compute the metrics over the epoch's predictions.
    """
    mode_key = MODES.get(str(mode).lower().replace("_", "-"))
    if mode_key is None:
        raise unknown_name("training mode", mode, ["stochastic", "batch", "mini-batch"])
    x, y = check_data(model, "fit", x, y)
    check_positive_int(f"{model.describe()}.fit", "epochs", epochs)
    if validation_data is not None and (not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2):
        raise ConfigError(
            f"{model.describe()}.fit: validation_data must be a pair (x_val, y_val), "
            f"received {type(validation_data).__name__}."
        )
    if x.dtype != model.dtype:
        x = x.astype(model.dtype)
    prepare(model, x)
    n = len(x)
    size = {"stochastic": 1, "batch": n, "mini-batch": batch_size}[mode_key]
    if not isinstance(size, int) or isinstance(size, bool) or size < 1:
        raise ConfigError(f"{model.describe()}.fit: batch_size must be a positive integer, received {batch_size!r}.")
    keep_pairs = has_batch_norm(model)
    if keep_pairs and (size == 1 or n == 1):
        raise ConfigError(
            f"{model.describe()}.fit: the model has BatchNorm, which cannot train on one sample per step "
            f"(mode={mode!r}, {n} samples). Use mode='mini-batch' with batch_size >= 2, or mode='batch'."
        )
    slices = batch_slices(n, size, keep_pairs)
    history = History()
    cbs = CallbackList([history, *([ProgressPrinter()] if verbose else []), *callbacks], model)
    step_logs = cbs.wants_steps or bool(model.metrics)
    # History only records the step loss: the metrics of each batch are for callbacks that look.
    step_metrics = bool(model.metrics) and any(wants_steps(cb) for cb in callbacks)
    model.stop_training = False
    model.history = history
    cbs.call("on_train_begin", {"epochs": epochs, "samples": n, "batch_size": size, "mode": mode_key})
    iteration = 0
    for epoch in range(1, epochs + 1):
        cbs.call("on_epoch_begin", {"epoch": epoch})
        order = model._generator.permutation(n) if shuffle and size < n else None
        total, seen, outs, targets, stop = 0.0, 0, [], [], False
        for step, part in enumerate(slices, 1):
            if order is None:
                xb, yb = x[part], y[part]
            else:
                idx = order[part]
                xb, yb = x[idx], y[idx]
            loss, out = train_step(model, xb, yb)
            iteration += 1
            total += loss * len(xb)
            seen += len(xb)
            if model.metrics:
                outs.append(out)
                targets.append(yb)
            if step_logs:
                logs = {
                    "epoch": epoch,
                    "step": step,
                    "iteration": iteration,
                    "batch_size": len(xb),
                    "loss": loss,
                    **(metric_logs(model, yb, out, safe=True) if step_metrics else {}),
                }
                stop = cbs.call("on_step_end", logs)
            if stop or model.stop_training or (should_stop is not None and should_stop()):
                stop = True
                break
        logs = {"epoch": epoch, "loss": total / seen}
        if outs:
            logs.update(metric_logs(model, np.concatenate(targets), np.concatenate(outs), safe=True))
        if validation_data is not None and not stop:
            val = model.evaluate(*validation_data)
            logs.update({f"val_{k}": v for k, v in val.items()})
        if stop:
            logs["stopped"] = True
        if cbs.call("on_epoch_end", logs) or stop or model.stop_training:
            break
    cbs.call("on_train_end", {"epochs_run": len(history.epochs), "iterations": iteration})
    return history
