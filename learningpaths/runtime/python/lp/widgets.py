"""Jobs that the page's widgets run in the worker, training with ``engine``.

A job is an ``async`` function registered with :func:`task`. It streams messages with
``lp._emit`` and awaits :func:`pause` between chunks of training: that hands control back to
the worker's event loop so that a "cancel" message from the page (new settings, a Stop button)
is seen within one chunk (~50 ms) without terminating Python.

    playground   one model on a 2-D data set: loss curve + decision boundary, live
    curves       several runs side by side (learning rates, batch modes): one loss curve each
"""

from __future__ import annotations

import asyncio
import json
import time
import traceback

import lp

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


async def run_task(name: str, params_json: str) -> dict:
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
