"""Train the server demo models with our own engine, export them to ONNX, write their model cards.

``TRAINERS`` is the table ``manage.py trainmodels`` runs: one entry per model (its training
function, default settings, data fingerprint, the modules whose source it depends on, and the
accuracy floor). Each model is cached by ``training_key``, a hash of its data, code and settings
stored in the model card, so a model is retrained only when one of those changes.

* ``digits-cnn``, ``digits-mlp``: the UCI handwritten digits (8x8), shipped in ``demos/data/``.
* ``glyphs-cnn``: letters and digits at 32x32 rendered from Debian's fonts (``demos/glyphs.py``),
  tested on font families it never saw.
* ``glyphs-autoencoder`` (with ``glyphs-decoder``): the denoising autoencoder on the same glyphs
  (``glyphgen.py``), its reconstruction loss measured on the held-out font families.
* ``words-transformer``: the character-level word inventor on Debian's word lists (``wordgen.py``,
  which has its own training loop and card check).
"""

from __future__ import annotations

import dataclasses
import hashlib
import inspect
import json
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

import engine

from . import digits, glyphgen, glyphs, wordgen, words
from .digits import digits_load
from .registry import DEMOS, card_path, model_path, models_dir

ENGINE_DIR = Path(engine.__file__).resolve().parent


def load_digits(seed: int = 0):
    """(x_train, y_train, x_test, y_test): x float32 (N, 1, 8, 8) in [0, 1], y int labels; 25% test."""
    data = digits_load()
    x = (data.images / 16.0).astype(np.float32)[:, None, :, :]
    y = data.target.astype(np.int64)
    order = np.random.default_rng(seed).permutation(len(x))
    x, y = x[order], y[order]
    cut = int(len(x) * 0.75)
    return x[:cut], y[:cut], x[cut:], y[cut:]


def build(name: str, seed: int = 0, *, filters=(8, 16, 32), dropout: float = 0.3) -> engine.Sequential:
    if name == "digits-cnn":
        layers = [
            engine.Conv2D(8, 3, padding=1, activation="relu", name="conv1"),
            engine.MaxPool2D(2, name="pool1"),
            engine.Conv2D(16, 3, padding=1, activation="relu", name="conv2"),
            engine.MaxPool2D(2, name="pool2"),
            engine.Flatten(name="flatten"),
            engine.Dense(10, activation="softmax", name="classifier"),
        ]
    elif name == "digits-mlp":
        layers = [
            engine.Flatten(name="flatten"),
            engine.Dense(32, activation="relu", name="hidden"),
            engine.Dense(10, activation="softmax", name="classifier"),
        ]
    elif name == "glyphs-cnn":
        # Conv blocks of 3x3 convolution + ReLU, batch norm and 2x2 max-pooling, each halving the
        # image and doubling the filters; then dropout and one dense layer over the 36 classes.
        layers = []
        for i, f in enumerate(filters, start=1):
            layers += [
                engine.Conv2D(f, 3, padding=1, activation="relu", name=f"conv{i}"),
                engine.BatchNorm(name=f"norm{i}"),
                engine.MaxPool2D(2, name=f"pool{i}"),
            ]
        layers += [
            engine.Flatten(name="flatten"),
            engine.Dropout(dropout, seed=seed, name="dropout"),
            engine.Dense(len(DEMOS[name].labels), activation="softmax", name="classifier"),
        ]
    else:
        raise KeyError(name)
    return engine.Sequential(layers, input_shape=DEMOS[name].input_shape, seed=seed)


@dataclass
class Trained:
    name: str
    accuracy: float
    max_abs_diff: float  # engine vs ONNX Runtime on the test set
    seconds: float
    path: Path


def add_feature_map_outputs(proto, names: tuple[str, ...], shapes: list[tuple]) -> None:
    """Expose the activations of the first ``len(names)`` convolutions as extra graph outputs (for
    the widgets that draw feature maps): the output of the activation that follows each Conv."""
    from onnx import TensorProto, helper

    nodes = list(proto.graph.node)
    convs = [i for i, n in enumerate(nodes) if n.op_type == "Conv"]
    if len(convs) < len(names):
        raise ValueError(f"{len(names)} feature map outputs asked for, the graph has {len(convs)} Conv nodes")
    for name, shape, conv in zip(names, shapes, convs, strict=False):
        act = next(n for n in nodes[conv + 1 :] if n.op_type in ("Relu", "Sigmoid", "Tanh"))
        proto.graph.node.append(helper.make_node("Identity", [act.output[0]], [name], name=f"{name}/Identity"))
        proto.graph.output.append(helper.make_tensor_value_info(name, TensorProto.FLOAT, ["batch", *shape]))


def _progress(name: str, epochs: int, steps: int):
    """A tqdm bar over every training step, with the epoch and the epoch's running loss and
    accuracy (weighted by batch size), as an engine callback. On a terminal only (stderr), so logs
    and tests stay clean."""
    from tqdm import tqdm

    bar = tqdm(total=epochs * steps, desc=name, unit="step", file=sys.stderr, disable=not sys.stderr.isatty())
    seen = {"epoch": None, "n": 0, "loss": 0.0, "accuracy": 0.0}

    def on_step_end(logs):
        if logs["epoch"] != seen["epoch"]:
            seen.update(epoch=logs["epoch"], n=0, loss=0.0, accuracy=0.0)
        n = logs.get("batch_size", 1)
        seen["n"] += n
        seen["loss"] += logs["loss"] * n
        seen["accuracy"] += logs.get("accuracy", 0.0) * n
        bar.update(1)
        figures = {"loss": f"{seen['loss'] / seen['n']:.3f}"}
        if "accuracy" in logs:  # a classifier's
            figures["acc"] = f"{seen['accuracy'] / seen['n']:.3f}"
        bar.set_postfix(epoch=f"{logs['epoch']}/{epochs}", **figures, refresh=False)  # the engine counts epochs from 1

    return bar, engine.LambdaCallback(on_step_end=on_step_end, on_train_end=lambda logs: bar.close())


def _fit(
    name, model, x, y, *, epochs: int, batch_size: int, learning_rate: float, loss: str = "categorical_crossentropy"
) -> float:
    optimizer = engine.Adam(learning_rate=learning_rate)
    metrics = ["accuracy"] if loss == "categorical_crossentropy" else []
    model.compile(loss=loss, optimizer=optimizer, metrics=metrics)
    steps = -(-len(x) // batch_size)
    bar, callback = _progress(name, epochs, steps)
    start = time.perf_counter()
    try:
        model.fit(x, y, epochs=epochs, mode="mini-batch", batch_size=batch_size, callbacks=[callback])
    finally:
        bar.close()
    return time.perf_counter() - start


def _write_atomic(path: Path, data: bytes) -> None:
    """Write through a temporary file and rename: a running server never reads half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def _export(name, model, x_test, probs, *, card: dict, out_dir, log) -> tuple[float, Path]:
    """ONNX export with the feature map outputs, parity with the engine on ``x_test``, the .onnx
    file and its model card written atomically. Returns (max |engine - ONNX Runtime|, path)."""
    import onnx
    import onnxruntime as ort

    spec = DEMOS[name]
    proto = engine.export.to_onnx(model, input_shape=spec.input_shape)
    map_names = spec.map_outputs
    if map_names:
        convs = [layer for layer in model.layers if isinstance(layer, engine.Conv2D)]
        shapes, shape = [], spec.input_shape
        for layer in model.layers:  # each conv's output shape, from the shapes flowing through
            out = layer.compute_output_shape(shape)
            if layer in convs:
                shapes.append(tuple(out))
            shape = out
        add_feature_map_outputs(proto, map_names, shapes)
    onnx.checker.check_model(proto)
    session = ort.InferenceSession(proto.SerializeToString(), providers=["CPUExecutionProvider"])
    onnx_probs = session.run([session.get_outputs()[0].name], {session.get_inputs()[0].name: x_test})[0]
    diff = float(np.abs(onnx_probs - probs).max())

    path = model_path(name) if out_dir is None else Path(out_dir) / f"{name}.onnx"
    data = proto.SerializeToString()
    _write_atomic(path, data)
    card = {
        "name": name,
        "title": spec.title,
        "engine_version": engine.__version__,
        **card,
        "architecture": repr(model),
        "parameters": int(sum(p.value.size for p in model.parameters())),
        "onnx_max_abs_diff": diff,
        "load_average": [round(v, 2) for v in os.getloadavg()],  # the machine is shared: read times with it
        "size_bytes": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    card_file = card_path(name) if out_dir is None else Path(out_dir) / f"{name}.json"
    _write_atomic(card_file, json.dumps(card, indent=2).encode())
    log(
        f"{name}: test accuracy {card['test_accuracy']:.3f}, engine vs ONNX Runtime max |diff| {diff:.1e}, "
        f"{len(data) / 1024:.1f} KiB, trained in {card['training_seconds']:.1f} s"
    )
    return diff, path


def train_digits(name: str, *, settings: dict, key: str = "", out_dir: Path | None = None, log=print) -> Trained:
    """The 8x8 digit models (``digits-cnn``, ``digits-mlp``)."""
    epochs, seed = int(settings["epochs"]), int(settings["seed"])
    x_train, y_train, x_test, y_test = load_digits(seed)
    model = build(name, seed)
    seconds = _fit(name, model, x_train, y_train, epochs=epochs, batch_size=32, learning_rate=0.01)
    probs = model.predict(x_test)
    accuracy = float((probs.argmax(axis=1) == y_test).mean())
    card = {
        "data": "UCI digits (optical recognition of handwritten digits), 8x8, 1,797 images; "
        f"{len(x_train)} for training, {len(x_test)} for testing (seed {seed})",
        "data_licence": "CC BY 4.0 (UCI Machine Learning Repository); see learningpaths/demos/data/README.md",
        "epochs": epochs,
        "optimizer": "Adam(learning_rate=0.01), mini-batch 32",
        "test_accuracy": round(accuracy, 4),
        "training_seconds": round(seconds, 2),
        "settings": settings,
        "training_key": key,
    }
    diff, path = _export(name, model, x_test, probs, card=card, out_dir=out_dir, log=log)
    return Trained(name, accuracy, diff, seconds, path)


def train_glyphs(name: str, *, settings: dict, key: str = "", out_dir: Path | None = None, log=print) -> Trained:
    """The 32x32 letter and digit CNN (``glyphs-cnn``), tested on held-out font families."""
    seed = int(settings["seed"])
    start = time.perf_counter()
    data = glyphs.glyphs_load(train_copies=settings["train_copies"], test_copies=settings["test_copies"], seed=seed)
    data_seconds = time.perf_counter() - start
    model = build(name, seed, filters=tuple(settings["filters"]), dropout=settings["dropout"])
    seconds = _fit(
        name,
        model,
        data.x_train,
        data.y_train,
        epochs=settings["epochs"],
        batch_size=settings["batch_size"],
        learning_rate=settings["learning_rate"],
    )
    probs = model.predict(data.x_test)
    predicted = probs.argmax(axis=1)
    accuracy = float((predicted == data.y_test).mean())
    per_family = {
        family: round(float((predicted[idx] == data.y_test[idx]).mean()), 4)
        for family in glyphs.TEST_FAMILIES
        if len(idx := _family_rows(data, family))
    }
    card = {
        "data": f"{len(glyphs.CLASSES)} classes ({''.join(glyphs.CLASSES)}) rendered at {glyphs.SIZE}x{glyphs.SIZE} "
        f"from {len(data.train_fonts) + len(data.test_fonts)} fonts of Debian's packages "
        f"({', '.join(glyphs.FONT_PACKAGES)}), augmented (stroke width, rotation up to 12 degrees, size, "
        f"shift, noise); {len(data.x_train)} training samples from {len(data.train_fonts)} fonts, "
        f"{len(data.x_test)} test samples from {len(data.test_fonts)} fonts of families never seen in "
        f"training ({', '.join(glyphs.TEST_FAMILIES)}); seed {seed}",
        "data_licence": "rendered from fonts under the Bitstream Vera licence, the GPL and the AGPL with font "
        "exceptions; see learningpaths/demos/data/README.md",
        "train_fonts": sorted(f.path.name for f in data.train_fonts),
        "test_fonts": sorted(f.path.name for f in data.test_fonts),
        "epochs": settings["epochs"],
        "optimizer": f"Adam(learning_rate={settings['learning_rate']}), mini-batch {settings['batch_size']}",
        "test_accuracy": round(accuracy, 4),
        "test_accuracy_per_family": per_family,
        "data_seconds": round(data_seconds, 2),
        "training_seconds": round(seconds, 2),
        "time_budget": TRAINERS[name].budget,
        "settings": settings,
        "training_key": key,
    }
    diff, path = _export(name, model, data.x_test, probs, card=card, out_dir=out_dir, log=log)
    return Trained(name, accuracy, diff, seconds, path)


def train_autoencoder(name: str, *, settings: dict, key: str = "", out_dir: Path | None = None, log=print) -> Trained:
    """The denoising glyph autoencoder (``glyphs-autoencoder``, and its decoder ``glyphs-decoder``):
    corrupted training glyphs in, the clean glyphs as targets; the loss measured on the held-out font
    families, corrupted the same way. ``Trained.accuracy`` holds that test loss."""
    seed = int(settings["seed"])
    start = time.perf_counter()
    data = glyphs.glyphs_load(train_copies=settings["train_copies"], test_copies=settings["test_copies"], seed=seed)
    rng = np.random.default_rng(seed + 1)
    clean = np.concatenate([data.x_train] * settings["noisy_copies"])
    noisy = glyphgen.corrupt(clean, rng, noise=settings["noise"])
    test_noisy = glyphgen.corrupt(data.x_test, rng, noise=settings["noise"])
    data_seconds = time.perf_counter() - start
    model = glyphgen.build(hidden=settings["hidden"], seed=seed)
    seconds = _fit(
        name,
        model,
        noisy,
        clean,
        epochs=settings["epochs"],
        batch_size=settings["batch_size"],
        learning_rate=settings["learning_rate"],
        loss="binary_crossentropy",
    )
    cleaned = model.predict(test_noisy)
    test_loss = glyphgen.pixel_loss(cleaned, data.x_test)
    mean_image = np.broadcast_to(data.x_train.mean(axis=0), data.x_test.shape)
    full, decoder = glyphgen.to_onnx(model)
    diff = glyphgen.onnx_diff(full, decoder, model, test_noisy[:512])

    out = models_dir() if out_dir is None else Path(out_dir)
    path = out / f"{name}.onnx"
    written = {}
    for proto, target in ((full, path), (decoder, out / f"{glyphgen.DECODER}.onnx")):
        written[target.stem] = proto.SerializeToString()
        _write_atomic(target, written[target.stem])
    card = {
        "name": name,
        "title": DEMOS[name].title,
        "engine_version": engine.__version__,
        "data": f"{len(glyphs.CLASSES)} classes ({''.join(glyphs.CLASSES)}) rendered at {glyphs.SIZE}x{glyphs.SIZE} "
        f"from the fonts of Debian's packages as for glyphs-cnn ({', '.join(glyphs.FONT_PACKAGES)}); "
        f"{len(data.x_train)} augmented training glyphs from {len(data.train_fonts)} fonts, each corrupted "
        f"{settings['noisy_copies']} times (pixel noise up to {settings['noise']}, an erased band, a stray "
        f"stroke; glyphgen.corrupt); {len(data.x_test)} test glyphs from {len(data.test_fonts)} fonts of the "
        f"families never seen in training ({', '.join(glyphs.TEST_FAMILIES)}), corrupted the same way; seed {seed}",
        "data_licence": "rendered from fonts under the Bitstream Vera licence, the GPL and the AGPL with font "
        "exceptions; see learningpaths/demos/data/README.md",
        "architecture": repr(model),
        "parameters": int(sum(p.value.size for p in model.parameters())),
        "latent": glyphgen.LATENT,
        "loss": "binary cross-entropy per pixel, corrupted glyph in, clean glyph as the target",
        "epochs": settings["epochs"],
        "optimizer": f"Adam(learning_rate={settings['learning_rate']}), mini-batch {settings['batch_size']}",
        "test_loss": round(test_loss, 4),
        "test_loss_clean_input": round(glyphgen.pixel_loss(model.predict(data.x_test), data.x_test), 4),
        "test_loss_mean_glyph": round(glyphgen.pixel_loss(mean_image, data.x_test), 4),
        "test_mse": round(float(np.mean((cleaned - data.x_test) ** 2)), 5),
        "test_mse_corrupted": round(float(np.mean((test_noisy - data.x_test) ** 2)), 5),
        "onnx_max_abs_diff": diff,
        "data_seconds": round(data_seconds, 2),
        "training_seconds": round(seconds, 2),
        "time_budget": TRAINERS[name].budget,
        "load_average": [round(v, 2) for v in os.getloadavg()],
        **glyphgen.latent_summary(model.encode(data.x_train), data.y_train),
        "decoder": glyphgen.DECODER,
        "size_bytes": {stem: len(b) for stem, b in written.items()},
        "sha256": {stem: hashlib.sha256(b).hexdigest() for stem, b in written.items()},
        "settings": settings,
        "training_key": key,
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    _write_atomic(out / f"{name}.json", json.dumps(card, indent=2).encode())
    model.save(out / f"{name}.npz")  # the engine's own copy, for the parity tests and bench/serving.py
    # The decoder's card only points to the autoencoder's: one fact in one place.
    _write_atomic(
        out / f"{glyphgen.DECODER}.json",
        json.dumps({"name": glyphgen.DECODER, "part_of": name, "training_key": key}, indent=2).encode(),
    )
    log(
        f"{name}: held-out loss {test_loss:.3f} per pixel (mean glyph {card['test_loss_mean_glyph']:.3f}), "
        f"engine vs ONNX Runtime max |diff| {diff:.1e}, trained in {seconds:.1f} s"
    )
    return Trained(name, test_loss, diff, seconds, path)


def _family_rows(data: glyphs.GlyphData, family: str) -> np.ndarray:
    per_font = len(data.y_test) // max(1, len(data.test_fonts))
    rows = [np.arange(i * per_font, (i + 1) * per_font) for i, f in enumerate(data.test_fonts) if f.family == family]
    return np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)


def train_words(name: str, *, settings: dict, key: str = "", out_dir: Path | None = None, log=print):
    """The word transformer (``wordgen.train``, its size ``wordgen.FULL``); the key and settings go
    into the card it writes."""
    out = models_dir() if out_dir is None else Path(out_dir)
    result = wordgen.train(size=wordgen.FULL, seed=int(settings["seed"]), out_dir=out, log=log)
    card_file = out / f"{name}.json"
    card = json.loads(card_file.read_text(encoding="utf-8"))
    card.update(settings=settings, training_key=key)
    tmp = card_file.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(card, indent=2, ensure_ascii=False), encoding="utf-8")
    tmp.replace(card_file)
    return result


def _words_fingerprint() -> str:
    digest = hashlib.sha256()
    for language, path in words.SOURCES.items():
        if not path.is_file():
            raise words.WordListMissing(f"{path} is missing; install the word lists with `scripts/install_words.sh`")
        digest.update(language.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _digits_fingerprint() -> str:
    return hashlib.sha256(digits.DIGITS_CSV.read_bytes()).hexdigest()


def _glyphs_fingerprint() -> str:
    return glyphs.fonts_fingerprint(glyphs.fonts_find())


@dataclass(frozen=True)
class Trainer:
    """One model for ``trainmodels``: ``train(name, settings=, key=, out_dir=, log=) -> Trained``."""

    train: Callable[..., Trained]
    settings: dict
    data: Callable[[], str]  # fingerprint of the training data
    min_accuracy: float = 0.0  # trainmodels refuses a model below this test accuracy
    code: tuple = field(default=())  # modules (besides this one and the engine) it depends on
    budget: str = ""  # the time it should take on the 2-core machine, for the model card's reader
    # Instead of the accuracy floor: a check of the written model card that raises ValueError.
    check: Callable[[dict], None] | None = None
    metric: str = "test_accuracy"  # the card's figure that "up to date" reports


TRAINERS: dict[str, Trainer] = {
    "digits-cnn": Trainer(train_digits, {"epochs": 30, "seed": 0}, _digits_fingerprint, 0.93, (digits,)),
    "digits-mlp": Trainer(train_digits, {"epochs": 30, "seed": 0}, _digits_fingerprint, 0.90, (digits,)),
    "glyphs-cnn": Trainer(
        train_glyphs,
        {
            "filters": [8, 16, 32],
            "dropout": 0.3,
            "epochs": 4,
            "batch_size": 64,
            "learning_rate": 0.003,
            "train_copies": 3,
            "test_copies": 2,
            "seed": 0,
        },
        _glyphs_fingerprint,
        0.85,
        (glyphs,),
        budget="at most 3 minutes on 2 shared cores (rendering and training)",
    ),
    "glyphs-autoencoder": Trainer(
        train_autoencoder,
        {
            "hidden": 256,
            "noise": 0.3,
            "noisy_copies": 2,
            "epochs": 6,
            "batch_size": 64,
            "learning_rate": 0.002,
            "train_copies": 2,
            "test_copies": 1,
            "seed": 0,
        },
        _glyphs_fingerprint,
        code=(glyphgen, glyphs),
        budget="at most 2 minutes on 2 shared cores (rendering and training)",
        check=lambda card: glyphgen.card_check(card),  # read at call time: tests lower the floor
        metric="test_loss",
    ),
    "words-transformer": Trainer(
        train_words,
        {"seed": 0, "size": dataclasses.asdict(wordgen.FULL)},
        _words_fingerprint,
        code=(wordgen, words),
        budget="about 3 minutes on 2 shared cores (training capped at wordgen.FULL.seconds)",
        check=lambda card: wordgen.card_check(card),  # read at call time: tests lower the floor
        metric="validation_loss",
    ),
}


def _sources_digest(paths) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def training_key(name: str, settings: dict | None = None) -> str:
    """sha256 of everything a trained model depends on: the data's fingerprint, the source of this
    module, of the trainer's modules and of the engine (with its version), and the settings."""
    trainer = TRAINERS[name]
    settings = trainer.settings if settings is None else settings
    modules = [sys.modules[__name__], *trainer.code]
    parts = {
        "name": name,
        "data": trainer.data(),
        "code": _sources_digest(Path(inspect.getfile(m)) for m in modules),
        "engine": [engine.__version__, _sources_digest(ENGINE_DIR.rglob("*.py"))],
        "settings": settings,
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def train(name: str, *, epochs: int | None = None, out_dir: Path | None = None, log=print) -> Trained:
    """Train one model with its default settings (``epochs`` overrides), e.g. for a script."""
    trainer = TRAINERS[name]
    settings = {**trainer.settings, **({"epochs": epochs} if epochs is not None else {})}
    return trainer.train(name, settings=settings, key=training_key(name, settings), out_dir=out_dir, log=log)
