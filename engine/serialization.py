"""Save and load models: one ``.npz`` archive holding the weights and a JSON config.

The archive has an entry ``config.json`` (UTF-8 bytes stored as a uint8 array, so loading never
needs pickle) and one array per parameter (``params/<layer>.<name>``) and buffer
(``buffers/<layer>.<name>``). The config lists the layers with their ``get_config()`` and, when the
model was compiled, the loss, optimizer and metric names (optimizer state is not saved).
Files of format version 1 (before the Keras 3 argument names) are upgraded when loaded.

>>> import io, numpy as np
>>> from engine import Sequential, Dense
>>> model = Sequential([Dense(3, activation="relu"), Dense(1)], input_shape=(2,), seed=0)
>>> buffer = io.BytesIO()
>>> save(model, buffer)
>>> clone = load(io.BytesIO(buffer.getvalue()))
>>> bool(np.array_equal(clone.predict(np.ones((1, 2))), model.predict(np.ones((1, 2)))))
True
"""

from __future__ import annotations

import json
import os
from typing import Any

import numpy as np

from . import losses, optimizers
from .errors import ConfigError, ShapeError
from .layers.base import get_class
from .model import Sequential

FORMAT = "learningpaths-engine"
VERSION = 2  # 2: Keras 3 argument names (learning_rate, strides, epsilon, ...), BatchNorm momentum as in Keras


def save(model, file) -> None:
    """Write ``model`` to ``file`` (a path, to which ``.npz`` is added if missing, or a binary file)."""
    if not model.built:
        raise ConfigError(f"{model.describe()} is not built yet: call model.build(input_shape) or train it first.")
    config = {
        "format": FORMAT,
        "version": VERSION,
        "class": type(model).__name__,
        "config": model.get_config(),
    }
    if model.loss is not None:
        config["training"] = {
            "loss": losses.serialize(model.loss),
            "optimizer": optimizers.serialize(model.optimizer),
            "metrics": list(model.metrics),
        }
    arrays: dict[str, Any] = {"config.json": np.frombuffer(json.dumps(config).encode("utf-8"), dtype=np.uint8)}
    arrays.update({f"params/{name}": p.value for name, p in model.named_parameters()})
    arrays.update({f"buffers/{name}": value for name, value in model.named_buffers().items()})
    if isinstance(file, (str, os.PathLike)) and not str(file).endswith(".npz"):
        file = f"{file}.npz"
    np.savez(file, **arrays)


def load(file):
    """Rebuild a model saved with :func:`save` (compiled again if it was compiled)."""
    with np.load(file, allow_pickle=False) as archive:
        if "config.json" not in archive.files:
            raise ConfigError("Not an engine model file: it has no config.json entry.")
        config = json.loads(archive["config.json"].tobytes().decode("utf-8"))
        if config.get("format") != FORMAT:
            raise ConfigError(f"Not an engine model file (format {config.get('format')!r}).")
        if config.get("version", 1) > VERSION:
            raise ConfigError(
                f"The file was saved by a newer engine (format version {config['version']}; this one reads "
                f"up to {VERSION})."
            )
        if config.get("version", 1) == 1:
            _upgrade_v1(config)
        model = get_class(config["class"]).from_config(config["config"])
        if not isinstance(model, Sequential):
            raise ConfigError(f"Not an engine model file: {config['class']!r} is a layer, not a Sequential model.")
        params = dict(model.named_parameters())
        for key in archive.files:
            kind, _, name = key.partition("/")
            if kind == "params":
                if name not in params:
                    raise ConfigError(f"The file has weights for {name!r}, which the model does not have.")
                value = archive[key]
                if value.shape != params[name].shape:
                    raise ShapeError(f"parameter {name!r}", params[name].shape, value.shape)
                params[name].value[...] = value
            elif kind == "buffers":
                model.set_named_buffer(name, archive[key])
    missing = set(params) - {k.partition("/")[2] for k in archive.files if k.startswith("params/")}
    if missing:
        raise ConfigError(f"The file has no weights for {sorted(missing)}.")
    training = config.get("training")
    if training:
        model.compile(
            loss=losses.get(training["loss"]),
            optimizer=optimizers.get(training["optimizer"]),
            metrics=training["metrics"],
        )
    return model


def _upgrade_v1(config: dict) -> None:
    """Rename the arguments of a version-1 file to Keras 3's names, in place (the renames are the
    ones each constructor refuses, see ``errors.renamed_arguments``)."""

    def layer(spec):
        if not isinstance(spec, dict) or "class" not in spec:
            return  # an activation given by name
        cls = get_class(spec["class"])
        cfg = spec.setdefault("config", {})
        for old, new in getattr(cls.__init__, "renamed_arguments", {}).items():
            if old in cfg:
                cfg[new] = cfg.pop(old)
        if spec["class"] in ("BatchNorm", "BatchNormalization"):
            cfg["momentum"] = 1 - cfg.get("momentum", 0.1)  # PyTorch's meaning before
        for key in ("layers", "encoder", "decoder"):
            for sub in cfg.get(key, ()):
                layer(sub)
        layer(cfg.get("activation"))

    layer(config)
    optimizer = config.get("training", {}).get("optimizer")
    if optimizer:
        cls = optimizers.get(optimizer["name"]).__class__
        opt_cfg = optimizer.get("config", {})
        for old, new in getattr(cls.__init__, "renamed_arguments", {}).items():
            if old in opt_cfg:
                opt_cfg[new] = opt_cfg.pop(old)
