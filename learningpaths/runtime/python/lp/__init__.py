"""``lp``: helpers for lesson code that runs in the page (Pyodide) or at build time (Node).

Everything here also works in plain CPython, where it records instead of drawing, so lesson code
can be tested on the server::

    import lp
    lp.progress(step, loss, accuracy=acc)       # streams one point to the page's live chart
    lp.plot(losses, title="loss")               # a line chart (one or several series)
    lp.scatter(x, y)                            # 2-D points coloured by class
    lp.boundary(model, x, y)                    # decision boundary of a 2-D classifier + the points
    lp.heatmap(matrix, labels=...)              # e.g. a confusion matrix or a feature map
    lp.images(batch, titles=...)                # an image grid (H x W or H x W x 3 arrays)
    model.fit(x, y, callbacks=[lp.callback()])  # stream an engine fit() to the page
    lp.set_language("nl")                       # the page does this: explain(), summary() in Dutch

The host (the page's worker, or the build-time runner) installs a sink with :func:`_connect`;
without one, messages are appended to :data:`history` (progress) and :data:`messages` (all).
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable
from typing import Any

__all__ = [
    "progress",
    "plot",
    "scatter",
    "boundary",
    "heatmap",
    "images",
    "callback",
    "history",
    "messages",
    "stop_requested",
    "set_language",
    "language",
]

from .messages import language, set_language

_sink: Callable[[str, str], None] | None = None
history: list[dict] = []  # every lp.progress() point of this session, in order
messages: list[tuple[str, dict]] = []  # everything emitted when no page is connected
_stop = False
MAX_POINTS = 20_000  # per plot series: more points than pixels only slow the page down
MAX_RATE = 30.0  # progress messages per second
_pending: list[dict] = []
_last_flush = 0.0


def _connect(sink: Callable[[str, str], None] | None) -> None:
    """Called by the host: ``sink(kind, json_text)`` delivers a message to the page."""
    global _sink
    _sink = sink


def _clean(value: Any) -> Any:
    """JSON-safe copy: NumPy arrays and scalars become lists and numbers, NaN/inf become None."""
    if hasattr(value, "tolist") and not isinstance(value, (str, bytes)):
        value = value.tolist()
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, (bool, int, str)) or value is None:
        return value
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    try:
        return _clean(float(value))
    except (TypeError, ValueError):
        return str(value)


def _emit(kind: str, payload: dict) -> None:
    if kind != "progress" and _pending:
        _flush()
    payload = _clean(payload)
    if _sink is None:
        messages.append((kind, payload))
        return
    _sink(kind, json.dumps(payload, separators=(",", ":")))


def stop_requested() -> bool:
    """True after the page asked the current task to stop (widgets use it; cells are terminated)."""
    return _stop


def progress(step: int, loss: float | None = None, **metrics: float) -> None:
    """Report one training step (or epoch): the page plots ``loss`` live and shows the metrics.

    Points are sent in batches, at most ``MAX_RATE`` messages a second; none is dropped."""
    global _last_flush
    point = {
        "step": int(step),
        "loss": None if loss is None else float(loss),
        "metrics": {k: float(v) for k, v in metrics.items()},
    }
    history.append(point)
    _pending.append(point)
    now = time.perf_counter()
    if now - _last_flush >= 1.0 / MAX_RATE:
        _last_flush = now
        _flush()


def _flush() -> None:
    """Send buffered progress points (the runner calls this when a cell or job ends)."""
    if _pending:
        points = list(_pending)
        _pending.clear()
        _emit("progress", {"points": points})


def _as_series(data, x=None, labels=None) -> list[dict]:
    if isinstance(data, dict):
        labels, data = [str(k) for k in data], list(data.values())
    data = _clean(data)
    if not isinstance(data, list):
        data = [data]
    many = bool(data) and isinstance(data[0], list)
    ys = data if many else [data]
    xs = _clean(x)
    series = []
    for i, y in enumerate(ys):
        y = y[:MAX_POINTS]
        sx = xs[: len(y)] if isinstance(xs, list) else list(range(len(y)))
        label = labels[i] if labels and i < len(labels) else (f"series {i + 1}" if many and len(ys) > 1 else "")
        series.append({"x": sx, "y": y, "label": str(label)})
    return series


def plot(*ys, x=None, labels=None, title: str = "", xlabel: str = "", ylabel: str = "", logy: bool = False) -> None:
    """Line chart: ``lp.plot(losses)``, ``lp.plot(a, b, labels=["train", "test"])`` or
    ``lp.plot({"learning_rate=0.1": l1, "learning_rate=1": l2})``."""
    data = [_clean(y) for y in ys] if len(ys) > 1 else ys[0]
    _emit(
        "plot",
        {
            "kind": "line",
            "series": _as_series(data, x, labels),
            "title": title,
            "xlabel": xlabel,
            "ylabel": ylabel,
            "logy": bool(logy),
        },
    )


def scatter(x, y=None, *, title: str = "", xlabel: str = "", ylabel: str = "") -> None:
    """2-D points ``x`` (n x 2) coloured by class ``y`` (n labels or one-hot)."""
    _emit(
        "plot",
        {
            "kind": "scatter",
            "points": _clean(x),
            "labels": _labels(y),
            "title": title,
            "xlabel": xlabel,
            "ylabel": ylabel,
        },
    )


def _labels(y):
    if y is None:
        return None
    y = _clean(y)
    if y and isinstance(y[0], list):  # one-hot or (n, 1) columns
        return [int(row.index(max(row))) if len(row) > 1 else int(round(row[0])) for row in y]
    return [int(round(v)) for v in y]


def boundary(model_or_fn, x, y=None, *, resolution: int = 60, title: str = "", padding: float = 0.5) -> None:
    """Decision boundary of a 2-D classifier, drawn under the points ``x`` coloured by ``y``.

    ``model_or_fn`` is an engine model (its ``predict``) or any function from an (n, 2) array to
    class scores (n, k) or probabilities (n,) / (n, 1)."""
    import numpy as np

    pts = np.asarray(x, dtype=float)
    predict = getattr(model_or_fn, "predict", model_or_fn)
    (x0, y0), (x1, y1) = pts.min(axis=0) - padding, pts.max(axis=0) + padding
    gx, gy = np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution))
    grid = np.stack([gx.ravel(), gy.ravel()], axis=1).astype(pts.dtype if pts.dtype.kind == "f" else float)
    scores = np.asarray(predict(grid.astype(np.float32) if pts.dtype == np.float32 else grid))
    values = _grid_values(scores).reshape(resolution, resolution)
    _emit(
        "plot",
        {
            "kind": "boundary",
            "grid": values.round(4),
            "extent": [x0, x1, y0, y1],
            "points": pts,
            "labels": _labels(y),
            "title": title,
        },
    )


def _grid_values(scores):
    """Class-1 probability for binary output, class index for multi-class output."""
    import numpy as np

    if scores.ndim == 2 and scores.shape[1] > 2:
        return scores.argmax(axis=1).astype(float)
    if scores.ndim == 2 and scores.shape[1] == 2:
        e = np.exp(scores - scores.max(axis=1, keepdims=True))
        p = e / e.sum(axis=1, keepdims=True)
        if np.allclose(scores.sum(axis=1), 1.0, atol=1e-3) and (scores >= 0).all():
            p = scores
        return p[:, 1]
    return scores.reshape(-1)


def heatmap(matrix, *, labels=None, xlabels=None, ylabels=None, title: str = "", annotate: bool = True) -> None:
    """A matrix as coloured cells (values written in when ``annotate`` and the matrix is small)."""
    _emit(
        "plot",
        {
            "kind": "heatmap",
            "matrix": _clean(matrix),
            "xlabels": _clean(xlabels or labels),
            "ylabels": _clean(ylabels or labels),
            "title": title,
            "annotate": bool(annotate),
        },
    )


def images(batch, *, titles=None, title: str = "", columns: int | None = None) -> None:
    """An image grid: ``batch`` is a list/array of H x W (grey) or H x W x 3 (RGB, 0..1) images."""
    imgs = [_clean(b) for b in batch]
    _emit("plot", {"kind": "images", "images": imgs, "titles": _clean(titles), "title": title, "columns": columns})


class callback:
    """Adapter from ``engine`` ``fit`` callbacks to :func:`progress`.

    ``on="step"`` (default) streams every ``every``-th training step (x axis: iterations);
    ``on="epoch"`` one point per epoch. A hook returns True (which stops ``fit``) once the page
    has asked a widget job to stop."""

    model = None

    def __init__(self, on: str = "step", every: int = 1):
        if on not in ("step", "epoch"):
            raise ValueError(f"lp.callback: on must be 'step' or 'epoch', received on={on!r}")
        self.on, self.every = on, max(1, int(every))

    def on_train_begin(self, logs):
        return None

    def on_epoch_begin(self, logs):
        return None

    def on_step_end(self, logs):
        if self.on == "step" and logs.get("iteration", 0) % self.every == 0:
            self._report(logs.get("iteration", 0), logs)
        return _stop or None

    def on_epoch_end(self, logs):
        if self.on == "epoch" and logs.get("epoch", 0) % self.every == 0:
            self._report(logs.get("epoch", 0), logs)
        return _stop or None

    def on_train_end(self, logs):
        _flush()

    @staticmethod
    def _report(step, logs):
        metrics = {
            k: v
            for k, v in logs.items()
            if k not in ("epoch", "step", "iteration", "batch_size", "loss")
            and isinstance(v, (int, float))
            and not isinstance(v, bool)
        }
        progress(step, logs.get("loss"), **metrics)
