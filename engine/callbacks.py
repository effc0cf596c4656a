"""Hooks called by ``model.fit``: stream progress to a UI, record history, stop early.

Every hook receives one ``logs`` dict. Step logs hold ``epoch`` and ``step`` (both counted from
1), ``iteration`` (steps so far), ``batch_size``, ``loss`` and the compiled metrics on that batch;
epoch logs hold ``epoch``, ``loss``, the metrics and, with validation data, ``val_loss`` and
``val_<metric>``. A hook that returns ``True``, or sets ``self.model.stop_training = True``, stops
training after the current step.

>>> seen = []
>>> cb = LambdaCallback(on_epoch_end=lambda logs: seen.append(logs["epoch"]))
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from .errors import ConfigError, Renamed, renamed_arguments, unknown_name
from .messages import text

if TYPE_CHECKING:
    from .model import Sequential


class Callback:
    """Base class: override the hooks you need. ``self.model`` is set by ``fit``."""

    model: Sequential | None = None

    def on_train_begin(self, logs: dict):
        pass

    def on_epoch_begin(self, logs: dict):
        pass

    def on_step_end(self, logs: dict):
        pass

    def on_epoch_end(self, logs: dict):
        pass

    def on_train_end(self, logs: dict):
        pass


class LambdaCallback(Callback):
    """A callback from plain functions, e.g. ones that post messages to the browser page.

    >>> cb = LambdaCallback(on_step_end=print)
    """

    def __init__(
        self, on_train_begin=None, on_epoch_begin=None, on_step_end=None, on_epoch_end=None, on_train_end=None
    ):
        for hook, fn in (
            ("on_train_begin", on_train_begin),
            ("on_epoch_begin", on_epoch_begin),
            ("on_step_end", on_step_end),
            ("on_epoch_end", on_epoch_end),
            ("on_train_end", on_train_end),
        ):
            if fn is not None:
                setattr(self, hook, fn)


class History(Callback):
    """What ``fit`` returns: ``history[name]`` is the list of epoch values of ``loss``, a metric or
    a ``val_`` value; ``step_losses`` has the loss of every step."""

    def __init__(self):
        self.history: dict[str, list] = {}
        self.step_losses: list[float] = []
        self.epochs: list[int] = []

    def on_step_end(self, logs):
        self.step_losses.append(logs["loss"])

    def on_epoch_end(self, logs):
        self.epochs.append(logs["epoch"])
        for key, value in logs.items():
            if key != "epoch" and isinstance(value, (int, float)):
                self.history.setdefault(key, []).append(value)

    def __getitem__(self, key):
        return self.history[key]

    def __repr__(self):
        return f"History(epochs={len(self.epochs)}, keys={list(self.history)})"


class EarlyStopping(Callback):
    """Stop when ``monitor`` has not improved by more than ``min_delta`` for ``patience`` epochs.

    ``mode``: ``"min"`` (a loss), ``"max"`` (accuracy and the like) or ``"auto"`` (``"max"`` for
    names with acc, auc, precision, recall or f1, as in Keras). With
    ``restore_best_weights=True`` the weights of the best epoch are copied back at the end.
    """

    restore_best = Renamed("restore_best_weights")

    @renamed_arguments(restore_best="restore_best_weights")
    def __init__(
        self,
        monitor: str = "val_loss",
        patience: int = 5,
        min_delta: float = 0.0,
        mode: str = "auto",
        restore_best_weights: bool = False,
    ):
        if mode not in ("auto", "min", "max"):
            raise unknown_name("EarlyStopping mode", mode, ["auto", "min", "max"])
        if mode == "auto":
            mode = "max" if any(word in monitor for word in ("acc", "auc", "precision", "recall", "f1")) else "min"
        self.monitor, self.patience, self.min_delta = monitor, int(patience), float(min_delta)
        self.mode = mode
        self.sign = 1.0 if mode == "min" else -1.0
        self.restore_best_weights = bool(restore_best_weights)

    def on_train_begin(self, logs):
        self.best, self.wait, self.best_weights, self.stopped_epoch = math.inf, 0, None, None

    def on_epoch_end(self, logs):
        value = logs.get(self.monitor)
        if value is None:
            if logs.get("stopped"):
                return None  # stopped within the epoch: no validation was run
            have = ", ".join(k for k in logs if k != "epoch")
            hint = " Pass validation_data=(x_val, y_val) to fit." if self.monitor.startswith("val_") else ""
            raise ConfigError(
                f"EarlyStopping monitors {self.monitor!r}, which the epoch logs do not have (they have {have}).{hint}"
            )
        if self.sign * value < self.best - self.min_delta:
            self.best, self.wait = self.sign * value, 0
            if self.restore_best_weights and self.model is not None:
                self.best_weights = [p.value.copy() for p in self.model.parameters()]
            return None
        self.wait += 1
        if self.wait >= self.patience:
            self.stopped_epoch = logs["epoch"]
            return True
        return None

    def on_train_end(self, logs):
        if self.restore_best_weights and self.best_weights is not None and self.model is not None:
            for p, w in zip(self.model.parameters(), self.best_weights, strict=True):
                p.value[...] = w


class ProgressPrinter(Callback):
    """Print one line per epoch (what ``fit(verbose=True)`` uses)."""

    def __init__(self, print_fn=print):
        self.print_fn = print_fn

    def on_train_begin(self, logs):
        self.epochs = logs.get("epochs")

    def on_epoch_end(self, logs):
        parts = [f"{k}: {v:.4f}" for k, v in logs.items() if k != "epoch" and isinstance(v, float)]
        self.print_fn(f"{text('epoch')} {logs['epoch']}/{self.epochs} - " + " - ".join(parts))


def wants_steps(cb: Callback) -> bool:
    """Whether ``cb`` has an ``on_step_end`` of its own (a class override or a LambdaCallback's)."""
    return type(cb).on_step_end is not Callback.on_step_end or "on_step_end" in vars(cb)


class CallbackList:
    """Calls every callback's hook; reports whether any asked to stop (used by ``fit``)."""

    def __init__(self, callbacks, model):
        self.callbacks = list(callbacks)
        for cb in self.callbacks:
            cb.model = model
        self.wants_steps = any(wants_steps(cb) for cb in self.callbacks)

    def call(self, hook: str, logs: dict) -> bool:
        stop = False
        for cb in self.callbacks:
            if getattr(cb, hook)(logs) is True:
                stop = True
        return stop
