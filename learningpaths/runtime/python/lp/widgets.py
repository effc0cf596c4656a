"""Jobs that the page's widgets run in the worker, training with ``engine``.

A job is an ``async`` function registered with :func:`task`. It streams messages with
``lp._emit`` and awaits :func:`pause` between chunks of training: that hands control back to
the worker's event loop so that a "cancel" message from the page (new settings, a Stop button)
is seen within one chunk (~50 ms) without terminating Python.

    playground   one model on a 2-D data set: loss curve + decision boundary, live
    curves       several runs side by side (learning rates, batch modes): one loss curve each
    finetune     a pre-trained network's new top layer vs the same network from scratch, on the
                 pupil's own drawings: accuracy against examples per class
"""

from __future__ import annotations

import asyncio
import json
import time
import traceback

import lp
from lp.messages import text

TASKS: dict = {}
RENAMED = {"lr": "learning_rate"}  # parameters that took the engine's Keras names (docs/engine.md)
CHUNK_SECONDS = 0.05  # train this long between looks at the page's messages
BOUNDARY_SECONDS = 0.25  # how often the playground redraws the decision boundary


def request_stop() -> None:
    lp._stop = True


def task(name: str):
    def register(fn):
        TASKS[name] = fn
        return fn

    return register


async def pause() -> bool:
    """Let the worker receive messages; True when the page asked this job to stop."""
    lp._flush()
    await asyncio.sleep(0)
    return lp._stop


async def run_task(name: str, params_json: str, language: str | None = None) -> dict:
    if language:
        lp.set_language(language)
    lp._stop = False
    lp._last_flush = 0.0
    fn = TASKS.get(name)
    if fn is None:
        return {"ok": False, "error": f"unknown job {name!r}; known: {', '.join(sorted(TASKS))}", "line": 0}
    try:
        params = json.loads(params_json)
        check_names(name, params)
        result = await fn(**params)
    except Exception as exc:  # noqa: BLE001  (shown in the widget; the worker keeps running)
        tb = traceback.TracebackException.from_exception(exc)
        return {
            "ok": False,
            "error": "".join(tb.format_exception_only()).strip(),
            "traceback": "".join(tb.format()),
            "line": 0,
        }
    finally:
        lp._flush()
    return {"ok": True, "result": json.dumps(lp._clean(result)), "stopped": lp._stop, "line": 0}


def check_names(job: str, params: dict) -> None:
    """Refuse an old parameter name (also inside ``runs``) instead of ignoring it silently."""
    for entry in [params, *(r for r in params.get("runs", ()) if isinstance(r, dict))]:
        for old, new in RENAMED.items():
            if old in entry:
                raise TypeError(f"{job}: `{old}` is called `{new}` (as in Keras): write {new}={entry[old]!r}.")


# -- building blocks shared by the jobs ----------------------------------------------------------
def make_data(dataset: str = "moons", n: int = 200, noise: float = 0.1, seed: int = 0, test_fraction: float = 0.0):
    import engine

    make = engine.data.DATASETS.get(dataset)
    if make is None or dataset in ("sine", "bars"):
        names = [k for k in engine.data.DATASETS if k not in ("sine", "bars")]
        raise ValueError(f"unknown data set {dataset!r}; choose one of {', '.join(names)}")
    kwargs = {"seed": seed}
    if dataset != "blobs":
        kwargs["noise"] = float(noise)
    x, y = make(int(n), **kwargs)
    if test_fraction and 0 < test_fraction < 1:
        return engine.data.train_test_split(x, y, test_size=test_fraction, seed=seed)
    return x, None, y, None


def make_model(
    layers=(8, 8),
    activation: str = "tanh",
    classes: int = 2,
    seed: int = 0,
    optimizer: str = "sgd",
    learning_rate: float = 0.1,
    regularization=None,
):
    import engine

    model = engine.Sequential(
        [engine.Dense(int(units), activation=activation) for units in layers] + [engine.Dense(int(classes))],
        input_shape=(2,),
        seed=seed,
    )
    model.compile(
        loss="softmax_crossentropy", optimizer=optimizer, learning_rate=float(learning_rate), metrics=["accuracy"]
    )
    return model


def boundary_grid(model, extent, resolution: int):
    import numpy as np

    x0, x1, y0, y1 = extent
    gx, gy = np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution))
    grid = np.stack([gx.ravel(), gy.ravel()], axis=1).astype(np.float32)
    return lp._grid_values(np.asarray(model.predict(grid))).reshape(resolution, resolution).round(3)


def weights_of(model) -> list:
    """Each Dense layer's weights (inputs x units), rounded: the playground draws them as its network
    diagram (blue positive, orange negative, thicker for larger), as TensorFlow Playground does."""
    return [layer.W.value.round(3) for layer in model.layers if getattr(layer, "W", None) is not None]


def extent_of(x, padding: float = 0.3):
    lo, hi = x.min(axis=0) - padding, x.max(axis=0) + padding
    return [float(lo[0]), float(hi[0]), float(lo[1]), float(hi[1])]


# -- the jobs ----------------------------------------------------------------------------------
_sessions: dict = {}  # playground state kept between jobs, so Pause and Train resume the same model
MAX_SESSIONS = 8


@task("playground")
async def playground(
    session="default",
    resume=False,
    run_epochs=None,
    dataset="moons",
    n=200,
    noise=0.1,
    seed=0,
    layers=(8, 8),
    activation="tanh",
    learning_rate=0.1,
    optimizer="sgd",
    mode="batch",
    batch_size=16,
    epochs=1000,
    resolution=40,
    test_fraction=0.0,
    **unused,
):
    """Train until ``epochs`` in all, ``run_epochs`` more, or a stop; streams the data set once
    ("data"), then "progress" points (one per epoch) and "boundary" grids a few times a second."""
    import numpy as np

    state = _sessions.get(session) if resume else None
    if state is None:
        x, x_test, y, y_test = make_data(dataset, n, noise, seed, test_fraction)
        classes = int(y.max()) + 1
        model = make_model(layers, activation, classes, seed, optimizer, learning_rate)
        extent = extent_of(x if x_test is None else np.concatenate([x, x_test]))
        state = {"x": x, "y": y, "x_test": x_test, "y_test": y_test, "model": model, "extent": extent, "epoch": 0}
        _sessions.pop(session, None)
        _sessions[session] = state
        while len(_sessions) > MAX_SESSIONS:
            _sessions.pop(next(iter(_sessions)))
        lp._emit(
            "data",
            {
                "points": x,
                "labels": y,
                "test_points": x_test,
                "test_labels": y_test,
                "extent": extent,
                "classes": classes,
            },
        )
        lp._emit(
            "boundary",
            {
                "epoch": 0,
                "grid": boundary_grid(model, extent, resolution),
                "extent": extent,
                "weights": weights_of(model),
            },
        )
    x, y, x_test, y_test, model, extent = (state[k] for k in ("x", "y", "x_test", "y_test", "model", "extent"))
    goal = int(epochs) if run_epochs is None else min(int(epochs), state["epoch"] + int(run_epochs))
    last_draw, started = time.perf_counter(), time.perf_counter()
    while state["epoch"] < goal:
        chunk_start = time.perf_counter()
        while state["epoch"] < goal and time.perf_counter() - chunk_start < CHUNK_SECONDS:
            hist = model.fit(x, y, epochs=1, mode=mode, batch_size=int(batch_size), should_stop=lp.stop_requested)
            state["epoch"] += 1
            metrics = {"accuracy": hist["accuracy"][-1]}
            if x_test is not None:
                test = model.evaluate(x_test, y_test)
                metrics.update(test_loss=test["loss"], test_accuracy=test["accuracy"])
            lp.progress(state["epoch"], hist["loss"][-1], **metrics)
            if lp._stop:
                break
        now = time.perf_counter()
        if now - last_draw >= BOUNDARY_SECONDS or state["epoch"] >= goal or lp._stop:
            last_draw = now
            lp._emit(
                "boundary",
                {
                    "epoch": state["epoch"],
                    "grid": boundary_grid(model, extent, resolution),
                    "extent": extent,
                    "weights": weights_of(model),
                },
            )
        if await pause():
            break
    return {"epoch": state["epoch"], "seconds": time.perf_counter() - started}


@task("curves")
async def curves(
    runs=(),
    dataset="moons",
    n=200,
    noise=0.1,
    seed=0,
    layers=(8,),
    activation="tanh",
    optimizer="sgd",
    learning_rate=0.1,
    mode="batch",
    batch_size=16,
    epochs=100,
    **unused,
):
    """Train one model per entry of ``runs`` (each may override learning_rate, mode, batch_size, optimizer)
    from the same initial weights, round-robin, so all curves grow together.
    Streams {"series": i, "epoch", "loss", "steps", "seconds"} as "curve" messages."""
    x, _, y, _ = make_data(dataset, n, noise, seed)
    classes = int(y.max()) + 1
    runs = list(runs) or [{}]
    models, configs = [], []
    for run in runs:
        cfg = {"learning_rate": learning_rate, "mode": mode, "batch_size": batch_size, "optimizer": optimizer, **run}
        configs.append(cfg)
        models.append(make_model(layers, activation, classes, seed, cfg["optimizer"], cfg["learning_rate"]))
    steps = [0] * len(runs)
    seconds = [0.0] * len(runs)
    epoch = 0
    while epoch < epochs:
        chunk_start = time.perf_counter()
        batch = []
        while epoch < epochs and time.perf_counter() - chunk_start < CHUNK_SECONDS:
            epoch += 1
            for i, (model, cfg) in enumerate(zip(models, configs, strict=True)):
                t0 = time.perf_counter()
                hist = model.fit(x, y, epochs=1, mode=cfg["mode"], batch_size=int(cfg["batch_size"]))
                seconds[i] += time.perf_counter() - t0
                steps[i] += len(hist.step_losses) if hist.step_losses else -(-len(x) // _batch(cfg, len(x)))
                loss = hist["loss"][-1]
                batch.append(
                    {
                        "series": i,
                        "epoch": epoch,
                        "loss": loss,
                        "steps": steps[i],
                        "seconds": seconds[i],
                        "accuracy": hist["accuracy"][-1],
                    }
                )
        lp._emit("curve", {"points": batch})
        if await pause():
            break
    return {"epochs": epoch, "steps": steps, "seconds": seconds}


def _batch(cfg, n):
    mode = str(cfg["mode"]).lower()
    return 1 if mode == "stochastic" else n if mode in ("batch", "full-batch") else int(cfg["batch_size"])


# -- fine-tuning on the pupil's own drawings (the finetune widget, lesson dl_finetuning) ----------
MAX_EXAMPLES = 300  # drawings in one job: far more than a pupil draws, few enough to check quickly
_bases: dict = {}  # the pre-trained network per file (its base64 text), loaded once per page


def base_model(model_b64: str):
    """The pre-trained network the page fetched (``engine.save``'s .npz, base64), loaded once."""
    import base64
    import io

    import engine

    if model_b64 not in _bases:
        _bases.clear()
        _bases[model_b64] = engine.load(io.BytesIO(base64.b64decode(model_b64, validate=True)))
    return _bases[model_b64]


def check_examples(examples, labels, classes: int):
    """The drawings as an (n, 64) array in 0..1 and the labels as ints; a ValueError that says what
    is wrong otherwise (the widget shows it)."""
    import numpy as np

    if not 2 <= int(classes) <= 5:
        raise ValueError("finetune: " + text("between 2 and 5 classes, received {n}", n=classes))
    if not isinstance(examples, list) or not isinstance(labels, list) or len(examples) != len(labels):
        raise ValueError("finetune: " + text("give one label per example"))
    if len(examples) > MAX_EXAMPLES:
        raise ValueError("finetune: " + text("at most {max} examples, received {n}", max=MAX_EXAMPLES, n=len(examples)))
    x = np.asarray(examples, dtype=np.float32)
    y = np.asarray(labels)
    if x.ndim != 2 or x.shape[1] != 64 or not np.isfinite(x).all() or x.min(initial=0) < 0 or x.max(initial=0) > 1:
        raise ValueError("finetune: " + text("every example is 64 numbers from 0 to 1 (8 by 8 pixels)"))
    if y.dtype.kind not in "iu" or y.min(initial=0) < 0 or y.max(initial=0) >= classes:
        raise ValueError("finetune: " + text("labels are class numbers 0 to {last}", last=classes - 1))
    counts = np.bincount(y, minlength=classes)
    return x, y.astype(np.int64), counts


def head_model(base, classes: int, *, pretrained: bool, seed: int):
    """The base network with a new top layer for ``classes``. With ``pretrained`` the lower layers
    are the base's own, frozen (they never change, so every run can share them); otherwise layers of
    the same kind and size start from random weights."""
    import engine
    from engine.layers.base import get, serialize

    body = base.layers[:-1]
    if pretrained:
        for layer in body:
            layer.trainable = False  # fine-tuning: only the new top layer learns
        layers = list(body)
    else:
        layers = [get(serialize(layer)) for layer in body]
    model = engine.Sequential([*layers, engine.Dense(int(classes))], input_shape=base.input_shape, seed=seed)
    model.compile(loss="softmax_crossentropy", optimizer="adam", learning_rate=0.02, metrics=["accuracy"])
    return model


@task("finetune")
async def finetune(model_b64="", examples=(), labels=(), classes=3, epochs=60, repeats=6, seed=0, **unused):
    """Accuracy against the number of training examples per class, for the pre-trained network with
    a new top layer (only that layer trains) and for the same network trained from scratch. For
    k = 1 .. (fewest examples of a class - 1): train both on k drawings per class, test on all the
    others; averaged over ``repeats`` random choices of the k. Streams one "point" per k."""
    import numpy as np

    x, y, counts = check_examples(list(examples), list(labels), int(classes))
    if counts.min() < 2:
        raise ValueError("finetune: " + text("every class needs at least 2 examples (one to learn from, one to test)"))
    base = base_model(model_b64)
    rng = np.random.default_rng(int(seed))
    points = []
    for k in range(1, min(int(counts.min()), 11)):
        scores = {"finetuned": [], "scratch": []}
        for r in range(int(repeats)):
            train = np.concatenate([rng.permutation(np.flatnonzero(y == c))[:k] for c in range(int(classes))])
            test = np.setdiff1d(np.arange(len(y)), train)
            for name, pretrained in (("finetuned", True), ("scratch", False)):
                model = head_model(base, int(classes), pretrained=pretrained, seed=int(seed) + r)
                model.fit(x[train], y[train], epochs=int(epochs), mode="batch")
                scores[name].append(model.evaluate(x[test], y[test])["accuracy"])
        point = {"examples": k, **{name: float(np.mean(v)) for name, v in scores.items()}}
        points.append(point)
        lp._emit("point", point)
        if await pause():
            break
    return {"points": points, "counts": counts.tolist()}
