"""Time the engine against PyTorch (CPU) on the lesson workloads, one thread each.

Both frameworks train the same architecture from the same initial weights on the same data for
the same number of steps with the same optimizer (Adam, PyTorch's update rule); the engine runs
through ``model.fit`` exactly as a lesson does, PyTorch through the usual
``zero_grad / loss / backward / step`` loop. Each run is timed by the wall clock and by the CPU
time of this process; the best of the repeats is kept for each. The ratio and the goal use wall
time; the CPU-time ratio is printed beside it because it is less disturbed by other load on a
shared machine. Also printed: the final loss of each, a check that both did the same work.

    python bench/engine_vs_torch.py            # full run (about a minute)
    python bench/engine_vs_torch.py --quick    # smoke run (a few seconds)
"""

from __future__ import annotations

import os

for _var in (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "NUMEXPR_NUM_THREADS",
):
    os.environ[_var] = "1"  # before NumPy and torch load their BLAS

import argparse  # noqa: E402
import pathlib  # noqa: E402
import platform  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
import engine  # noqa: E402


def engine_mlp(sizes):
    layers = [engine.Dense(n, activation="relu") for n in sizes[1:-1]] + [engine.Dense(sizes[-1])]
    return engine.Sequential(layers, input_shape=(sizes[0],), seed=0)


def engine_cnn():
    return engine.Sequential(
        [engine.Conv2D(8, 3, activation="relu"), engine.MaxPool2D(2), engine.Flatten(), engine.Dense(10)],
        input_shape=(1, 28, 28),
        seed=0,
    )


def torch_copy(torch, model):
    """The same network in PyTorch with the engine's initial weights."""
    nn, modules = torch.nn, []
    for layer in model.layers:
        if isinstance(layer, engine.Dense):
            m = nn.Linear(layer.W.shape[0], layer.units)
            m.weight.data = torch.tensor(layer.W.value.T.copy())
            m.bias.data = torch.tensor(layer.b.value.copy())
        elif isinstance(layer, engine.Conv2D):
            m = nn.Conv2d(layer.W.shape[1], layer.filters, layer.kernel_size)
            m.weight.data = torch.tensor(layer.W.value.copy())
            m.bias.data = torch.tensor(layer.b.value.copy())
        elif isinstance(layer, engine.MaxPool2D):
            m = nn.MaxPool2d(layer.pool_size)
        elif isinstance(layer, engine.Flatten):
            m = nn.Flatten()
        else:
            raise TypeError(layer)
        modules.append(m)
        if getattr(layer, "activation", None) is not None:
            modules.append(nn.ReLU())
    return nn.Sequential(*modules)


def clocks():
    return time.perf_counter(), time.process_time()


def elapsed(start):
    wall, cpu = clocks()
    return wall - start[0], cpu - start[1]


def time_engine(make_model, x, y, batch_size, steps, lr):
    model = make_model()
    model.compile(loss="softmax_crossentropy", optimizer="adam", learning_rate=lr)
    epochs, mode = (steps, "batch") if batch_size == len(x) else (1, "mini-batch")
    start = clocks()
    history = model.fit(x, y, epochs=epochs, mode=mode, batch_size=batch_size, shuffle=False)
    return elapsed(start), history.step_losses[-1]


def time_torch(torch, make_model, x, y, batch_size, steps, lr):
    model = torch_copy(torch, make_model())
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = torch.nn.CrossEntropyLoss()
    tx, ty = torch.from_numpy(x), torch.from_numpy(y)
    batches = (
        [(tx, ty)]
        if batch_size == len(x)
        else [(tx[i : i + batch_size], ty[i : i + batch_size]) for i in range(0, len(x), batch_size)]
    )
    start = clocks()
    for step in range(steps):
        xb, yb = batches[step % len(batches)]
        opt.zero_grad()
        loss = loss_fn(model(xb), yb)
        loss.backward()
        opt.step()
    return elapsed(start), loss.item()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="few steps and repeats: a smoke run")
    parser.add_argument("--repeats", type=int, default=None, help="timed runs per case (best is reported)")
    args = parser.parse_args(argv)
    import torch

    torch.set_num_threads(1)
    quick = args.quick
    repeats = args.repeats or (1 if quick else 5)
    rng = np.random.default_rng(0)

    moons_x, moons_y = engine.data.make_moons(1000, noise=0.2, seed=0)
    mlp_steps = 20 if quick else 200
    cnn_steps = 5 if quick else 60
    cnn_x = rng.random((64 * cnn_steps, 1, 28, 28), dtype=np.float32)
    cnn_y = rng.integers(0, 10, size=64 * cnn_steps)
    mnist_steps = 10 if quick else 100
    mnist_x = rng.random((128 * mnist_steps, 784), dtype=np.float32)
    mnist_y = rng.integers(0, 10, size=128 * mnist_steps)

    cases = [
        (
            "lesson MLP 2-64-64-2, 1000 points, full batch",
            lambda: engine_mlp([2, 64, 64, 2]),
            moons_x,
            moons_y,
            1000,
            mlp_steps,
            0.01,
            0.8,
        ),
        ("lesson CNN conv8x3x3-pool-dense10, 28x28, batch 64", engine_cnn, cnn_x, cnn_y, 64, cnn_steps, 0.001, 1.0),
        (
            "MNIST-size MLP 784-128-64-10, batch 128",
            lambda: engine_mlp([784, 128, 64, 10]),
            mnist_x,
            mnist_y,
            128,
            mnist_steps,
            0.001,
            None,
        ),
    ]
    print(
        f"engine vs PyTorch {torch.__version__} (CPU), NumPy {np.__version__}, one thread each; "
        f"{platform.processor() or platform.machine()}; best of {repeats}"
    )
    header = (
        f"{'benchmark':<52} {'steps':>5} {'engine ms/step':>14} {'torch ms/step':>13} {'ratio':>6} "
        f"{'goal':>6} {'CPU ratio':>9}  final loss engine / torch"
    )
    print(header)
    print("-" * len(header))
    results = []
    for name, make, x, y, batch, steps, lr, goal in cases:
        time_engine(make, x[: batch * 2], y[: batch * 2], min(batch, len(x)), 2, lr)  # warm up
        time_torch(torch, make, x[: batch * 2], y[: batch * 2], min(batch, len(x)), 2, lr)
        e_runs = [time_engine(make, x, y, batch, steps, lr) for _ in range(repeats)]
        t_runs = [time_torch(torch, make, x, y, batch, steps, lr) for _ in range(repeats)]
        e_time, t_time = min(t[0] for t, _ in e_runs), min(t[0] for t, _ in t_runs)
        e_cpu, t_cpu = min(t[1] for t, _ in e_runs), min(t[1] for t, _ in t_runs)
        ratio = e_time / t_time
        goal_text = f"<={goal:.1f}x" if goal else "report"
        print(
            f"{name:<52} {steps:>5} {1e3 * e_time / steps:>14.3f} {1e3 * t_time / steps:>13.3f} "
            f"{ratio:>5.2f}x {goal_text:>6} {e_cpu / t_cpu:>8.2f}x  {e_runs[0][1]:.4f} / {t_runs[0][1]:.4f}"
        )
        results.append((name, ratio, goal))
    print()
    for name, ratio, goal in results:
        verdict = "" if goal is None else ("  (goal met)" if ratio <= goal else "  (goal MISSED)")
        print(f"ratio engine/torch = {ratio:.2f}x  {name}{verdict}")
    return results


if __name__ == "__main__":
    main()
