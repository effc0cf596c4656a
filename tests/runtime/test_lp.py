"""The ``lp`` helpers and the cell runner, in CPython (the same code runs in the page's worker)."""

import asyncio
import itertools
import json

import numpy as np
import pytest

import engine


def run(coro):
    return asyncio.run(coro)


def test_progress_points_are_batched_but_never_dropped(lp):
    sent = []
    lp._connect(lambda kind, text: sent.append((kind, json.loads(text))))
    lp._last_flush = 0.0
    for step in range(1, 101):
        lp.progress(step, 1.0 / step, accuracy=step / 100)
    lp._flush()
    points = [p for kind, msg in sent if kind == "progress" for p in msg["points"]]
    assert [p["step"] for p in points] == list(range(1, 101))
    assert points[0] == {"step": 1, "loss": 1.0, "metrics": {"accuracy": 0.01}}
    assert len(sent) < 20  # batched: about 30 messages a second at most
    assert len(lp.history) == 100


def test_plots_are_json_safe(lp):
    lp.plot(np.array([1.0, np.nan, 3.0]), title="t")
    lp.plot([1, 2], [3, 4], labels=["a", "b"])
    lp.plot({"lr=0.1": [1, 2]})
    lp.heatmap(np.eye(2), labels=["x", "y"])
    lp.images(np.zeros((2, 3, 3)), titles=["a", "b"])
    lp.scatter(np.zeros((3, 2)), np.array([0, 1, 1]))
    kinds = [m["kind"] for _, m in lp.messages]
    assert kinds == ["line", "line", "line", "heatmap", "images", "scatter"]
    assert lp.messages[0][1]["series"][0]["y"] == [1.0, None, 3.0]
    assert [s["label"] for s in lp.messages[1][1]["series"]] == ["a", "b"]
    assert lp.messages[2][1]["series"][0]["label"] == "lr=0.1"
    json.dumps(lp.messages, allow_nan=False)


def test_callback_streams_engine_fit_and_boundary(lp):
    x, y = engine.data.make_moons(100, seed=0)
    model = engine.Sequential([engine.Dense(8, activation="tanh"), engine.Dense(2)], input_shape=(2,), seed=0)
    model.compile(loss="softmax_crossentropy", optimizer="sgd", learning_rate=0.5, metrics=["accuracy"])
    history = model.fit(x, y, epochs=15, mode="batch", callbacks=[lp.callback()])
    assert [p["step"] for p in lp.history] == list(range(1, 16))
    assert [p["loss"] for p in lp.history] == pytest.approx(history.step_losses)
    assert "accuracy" in lp.history[-1]["metrics"]
    lp.history.clear()
    model.fit(x, y, epochs=4, mode="mini-batch", batch_size=25, callbacks=[lp.callback(on="epoch")])
    assert [p["step"] for p in lp.history] == [1, 2, 3, 4]
    lp.boundary(model, x, y, resolution=10)
    grid = lp.messages[-1][1]["grid"]
    assert len(grid) == 10 and all(0 <= v <= 1 for row in grid for v in row)


def test_callback_stops_fit_when_the_page_asks(lp):
    x, y = engine.data.make_xor(64, seed=0)
    model = engine.Sequential([engine.Dense(4, activation="tanh"), engine.Dense(2)], input_shape=(2,), seed=0)
    model.compile(loss="softmax_crossentropy", optimizer="sgd")
    lp._stop = True
    history = model.fit(x, y, epochs=50, mode="batch", callbacks=[lp.callback()])
    assert len(history.epochs) == 1


def test_run_cell_shares_a_namespace_and_shows_the_last_value(lp):
    from lp import _runner

    assert run(_runner.run_cell("a = 40", "<cell 1>")) == {
        "ok": True,
        "result": None,
        "error": "",
        "line": 0,
        "returns": None,
    }
    out = run(_runner.run_cell("b = a + 2\nb", "<cell 2>", returns="b"))
    assert out["ok"] and out["result"] == "42" and out["returns"] == 42
    assert (
        run(_runner.run_cell("import asyncio\nawait asyncio.sleep(0)\n'top-level await'"))["result"]
        == "'top-level await'"
    )


def test_run_cell_reports_a_readable_traceback(lp):
    from lp import _runner

    out = run(_runner.run_cell("def f(x):\n    return x / 0\n\nf(1)", "<cell 3>"))
    assert not out["ok"] and out["line"] == 2
    assert out["error"].startswith('Traceback (most recent call last):\n  File "<cell 3>", line 4, in <module>')
    assert "return x / 0" in out["error"] and out["error"].rstrip().endswith("ZeroDivisionError: division by zero")
    assert "_runner.py" not in out["error"]
    syntax = run(_runner.run_cell("x = (", "<cell 4>"))
    assert syntax["line"] == 1 and "Traceback" not in syntax["error"] and "SyntaxError" in syntax["error"]
    assert run(_runner.run_cell("raise SystemExit(3)", "<cell 5>"))["error"].strip().endswith("SystemExit: 3")


def test_widget_jobs_train_with_the_engine(lp):
    from lp import widgets

    out = run(widgets.run_task("playground", json.dumps({"session": "t", "run_epochs": 5, "dataset": "circles"})))
    assert out["ok"], out
    kinds = [k for k, _ in lp.messages]
    assert kinds[:2] == ["data", "boundary"] and "progress" in kinds
    assert json.loads(out["result"])["epoch"] == 5
    out = run(widgets.run_task("playground", json.dumps({"session": "t", "run_epochs": 3, "resume": True})))
    assert json.loads(out["result"])["epoch"] == 8
    lp.messages.clear()
    out = run(
        widgets.run_task("curves", json.dumps({"runs": [{"learning_rate": 0.01}, {"learning_rate": 1.0}], "epochs": 4}))
    )
    points = [p for k, m in lp.messages if k == "curve" for p in m["points"]]
    assert sorted({p["series"] for p in points}) == [0, 1] and max(p["epoch"] for p in points) == 4
    bad = run(widgets.run_task("playground", json.dumps({"dataset": "nope"})))
    assert not bad["ok"] and "unknown data set 'nope'" in bad["error"]
    assert not run(widgets.run_task("nope", "{}"))["ok"]


@pytest.mark.parametrize(
    "job, params",
    [("playground", {"lr": 0.3}), ("curves", {"lr": 0.3}), ("curves", {"runs": [{"lr": 0.3}], "epochs": 1})],
)
def test_widget_jobs_refuse_the_old_learning_rate_name(lp, job, params):
    from lp import widgets

    out = run(widgets.run_task(job, json.dumps(params)))
    assert not out["ok"]
    assert out["error"] == f"TypeError: {job}: `lr` is called `learning_rate` (as in Keras): write learning_rate=0.3."


# -- the finetune job (widget finetune, lesson dl_finetuning) ---------------------------------------
NET = "content/learning_objects/english/deep_learning/0315_finetuning/digits_net.npz"


def symbols(per_class, seed=0):
    """8x8 drawings of three symbols (a bar, a stripe, a ring), shifted and noisy, as the pad gives them."""
    rng = np.random.default_rng(seed)
    shapes = [np.zeros((8, 8)), np.zeros((8, 8)), np.zeros((8, 8))]
    shapes[0][3:5, 1:7] = 0.8
    shapes[1][1:7, 3:5] = 0.8
    shapes[2][1:7, 1:7] = 0.7
    shapes[2][2:6, 2:6] = 0
    x, y = [], []
    for c, shape in enumerate(shapes):
        for _ in range(per_class):
            img = np.roll(shape, rng.integers(-1, 2, size=2), axis=(0, 1)) + rng.uniform(0, 0.2, (8, 8))
            x.append(np.clip(img, 0, 1).reshape(-1).round(3).tolist())
            y.append(c)
    return x, y


def test_finetune_compares_a_frozen_pretrained_body_with_training_from_scratch(lp):
    import base64
    from pathlib import Path

    from lp import widgets

    b64 = base64.b64encode((Path(__file__).resolve().parents[2] / NET).read_bytes()).decode("ascii")
    x, y = symbols(5)
    body = [w.copy() for layer in widgets.base_model(b64).layers[:-1] for w in layer.get_weights()]
    out = run(widgets.run_task("finetune", json.dumps({"model_b64": b64, "examples": x, "labels": y, "repeats": 2})))
    assert out["ok"], out
    points = json.loads(out["result"])["points"]
    assert [p["examples"] for p in points] == [1, 2, 3, 4]  # up to one fewer than the fewest of a class
    assert points == [m for k, m in lp.messages if k == "point"]  # streamed as they were computed
    assert all(0 <= p["finetuned"] <= 1 and 0 <= p["scratch"] <= 1 for p in points)
    assert points[-1]["finetuned"] > 0.6  # well above chance (1/3) with four drawings per class
    after = [w for layer in widgets.base_model(b64).layers[:-1] for w in layer.get_weights()]
    assert all(np.array_equal(a, b) for a, b in zip(body, after, strict=True))  # the frozen body never changed
    for bad, message in [
        ({"labels": y[:-1]}, "one label per example"),
        ({"labels": [3] * len(y)}, "labels are class numbers 0 to 2"),
        ({"examples": [row[:10] for row in x]}, "64 numbers from 0 to 1"),
        ({"examples": [[2.0] * 64] * len(y)}, "64 numbers from 0 to 1"),
        ({"labels": [0, 1] + [2] * (len(y) - 2)}, "at least 2 examples"),
        ({"classes": 9}, "between 2 and 5 classes"),
    ]:
        params = {"model_b64": b64, "examples": x, "labels": y, **bad}
        failed = run(widgets.run_task("finetune", json.dumps(params)))
        assert not failed["ok"] and message in failed["error"], (bad, failed["error"])


def test_the_lessons_language_reaches_explain_summary_and_the_jobs_problems(lp):
    from lp import _runner, widgets

    import engine.messages

    try:
        code = "import engine\nn = engine.Neuron(weights=[0.5, -1], bias=0.25)\nprint(n.explain([2, 1]))"
        import contextlib
        import io

        for language, expected, absent in [
            ("nl-BE", "som + bias      = 0 + 0,25 = 0,25", "weights"),
            ("en", "sum + bias      = 0 + 0.25 = 0.25", "gewichten"),
        ]:
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                result = run(_runner.run_cell(code, "<cell>", None, language))
            assert result["ok"], result
            assert expected in out.getvalue() and absent not in out.getvalue()
        bad = run(widgets.run_task("finetune", json.dumps({"classes": 9}), "nl"))
        assert "tussen 2 en 5 klassen, niet 9" in bad["error"]
        assert lp.set_language("fr") == "en"  # a language without texts: English, and the cell still runs
        assert lp.language() == engine.messages.language() == "en"
    finally:
        lp.set_language("en")


def pad_drawings(kinds, per_class, seed):
    """Drawings as the page's pad makes them (static/js/runtime/widgets/pad.js: a 3x3 brush on 32x32
    cells, pooled 4x4 to 8x8) of a ring (0), a cross (1), a hook (2) or a triangle (3), each moved,
    scaled and drawn a little differently."""
    rng = np.random.default_rng(seed)

    def stroke(px, points):
        for (a, b), (c, d) in itertools.pairwise(points):
            for t in np.linspace(0, 1, int(max(abs(c - a), abs(d - b))) + 1):
                r, k = round(a + (c - a) * t), round(b + (d - b) * t)
                for i in (-1, 0, 1):
                    for j in (-1, 0, 1):
                        if 0 <= r + i < 32 and 0 <= k + j < 32:
                            px[r + i, k + j] = min(1.0, px[r + i, k + j] + (0.5 if i or j else 1.0))

    x, y = [], []
    for label, kind in enumerate(kinds):
        for _ in range(per_class):
            px, size = np.zeros((32, 32)), 10 * rng.uniform(0.7, 1.1)
            cy, cx = 16 + rng.integers(-4, 5), 16 + rng.integers(-4, 5)
            shapes = {
                0: [[(cy + size * np.sin(t), cx + size * np.cos(t)) for t in np.linspace(0, 2 * np.pi, 30)]],
                1: [[(cy - size, cx - size), (cy + size, cx + size)], [(cy - size, cx + size), (cy + size, cx - size)]],
                2: [[(cy - size, cx - size / 2), (cy + size, cx - size / 2), (cy + size, cx + size / 2)]],
                3: [[(cy - size, cx), (cy + size, cx - size), (cy + size, cx + size), (cy - size, cx)]],
            }
            for points in shapes[kind]:
                stroke(px, points)
            x.append(px.reshape(8, 4, 8, 4).mean(axis=(1, 3)).reshape(-1).round(3).tolist())
            y.append(label)
    return x, y


@pytest.mark.parametrize("kinds", [(0, 1, 2), (0, 1, 3)])
def test_on_pad_drawings_the_fine_tuned_network_beats_the_one_from_scratch(lp, kinds):
    # What the lesson says (and make_pretrained.py was chosen for): with a few examples per class,
    # the pre-trained network with a new top layer is more often right than the same network from
    # scratch. Averaged over 1 to 7 examples per class, 6 random draws each.
    import base64
    from pathlib import Path

    from lp import widgets

    b64 = base64.b64encode((Path(__file__).resolve().parents[2] / NET).read_bytes()).decode("ascii")
    x, y = pad_drawings(kinds, 8, seed=0)
    out = run(widgets.run_task("finetune", json.dumps({"model_b64": b64, "examples": x, "labels": y})))
    points = json.loads(out["result"])["points"]
    assert len(points) == 7
    finetuned, scratch = (np.mean([p[key] for p in points]) for key in ("finetuned", "scratch"))
    assert finetuned > scratch + 0.02, (finetuned, scratch)  # measured: 0.76 vs 0.71 (ring, cross, triangle)
