"""A tiny character-level transformer: how long it takes to learn, and its step time against PyTorch.

1. Trains the model of ``bench/transformer_task.py`` (Embedding, sine positions, one pre-norm
   causal TransformerBlock, LayerNorm, Dense over the 27 characters) to reverse six-letter words,
   until 99 % of held-out words come out right or 60 s pass; prints the time, the loss, the
   accuracy and the model's answers for a few real words. With ``--pyodide`` the same training
   also runs under Pyodide in Node (wasm NumPy without BLAS, as in the browser).
2. Times one training step (forward, loss, backward, Adam) of the same model in the engine and in
   PyTorch CPU (``nn.TransformerEncoderLayer``, same weights, same batch), one thread each,
   *interleaved* (engine step, torch step, engine step, ...) so that other load on a shared
   machine hits both alike; prints the medians, their ratio and the load average.

    python bench/transformer.py              # about a minute
    python bench/transformer.py --pyodide    # plus the training under Pyodide (a few minutes)
    python bench/transformer.py --quick      # smoke run
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "VECLIB_MAXIMUM_THREADS"):
    os.environ[_var] = "1"  # before NumPy and torch load their BLAS

import argparse  # noqa: E402
import json  # noqa: E402
import pathlib  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
import transformer_task as task  # noqa: E402

import engine  # noqa: E402


def report_training(result, where):
    print(
        f"{where}: {result['seconds']:.1f} s, {result['steps']} steps of 64 sequences, "
        f"loss {result['loss']:.3f} (floor {5 * np.log(26) / 12:.3f}: the first five letters are random), "
        f"held-out characters {result['chars']:.3f}, whole words {result['words']:.3f}; "
        f"then one step {result['step_ms']:.1f} ms (median of 30)"
    )
    print("  " + "  ".join(f"{word}>{answer}" for word, answer in result["samples"].items()))


PYODIDE_MAIN = """
import json
result = train(seconds=SECONDS, log=lambda line: None)
result.pop("model")
print("RESULT " + json.dumps(result))
"""


def train_under_pyodide(seconds):
    """Run the task's source under Pyodide in Node (the runner of the engine's Pyodide test)."""
    sys.path.insert(0, str(ROOT / "tests" / "engine"))
    from test_pyodide import HERE, find_pyodide

    found = find_pyodide()
    if shutil.which("node") is None or found is None:
        print("Pyodide: skipped (needs node and static/vendor/pyodide with its NumPy wheel)")
        return None
    directory, wheel = found
    source = (ROOT / "bench" / "transformer_task.py").read_text().replace("from __future__ import annotations\n", "")
    script = (
        "import sys\nsys.path.insert(0, '/home/pyodide')\n" + source + PYODIDE_MAIN.replace("SECONDS", str(seconds))
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = pathlib.Path(tmp) / "task.py"
        path.write_text(script)
        run = subprocess.run(
            ["node", str(HERE / "pyodide_runner.mjs"), str(directory), str(wheel), str(ROOT), str(path)],
            capture_output=True,
            text=True,
            timeout=seconds + 300,
        )
    lines = [line for line in run.stdout.splitlines() if line.startswith("RESULT ")]
    if run.returncode or not lines:
        print("Pyodide run failed:", run.stderr[-2000:])
        return None
    return {**json.loads(lines[-1][len("RESULT ") :]), "pyodide": directory.name}


# -- step time against PyTorch ----------------------------------------------------------------
def torch_copy(torch, model):
    """The same network in PyTorch, with the engine model's weights."""
    nn = torch.nn
    t = lambda a: torch.tensor(np.ascontiguousarray(a))  # noqa: E731
    emb, blocks = model.layers[0], [layer for layer in model.layers if isinstance(layer, engine.TransformerBlock)]
    final_norm, head = model.layers[-2], model.layers[-1].layer
    length = model.input_shape[0]

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = nn.Embedding(*emb.embeddings.shape)
            self.blocks = nn.ModuleList(
                nn.TransformerEncoderLayer(
                    b.ffn2.units, b.num_heads, b.intermediate_dim, dropout=0.0, batch_first=True, norm_first=True
                )
                for b in blocks
            )
            self.norm = nn.LayerNorm(final_norm.gamma.shape[0], eps=final_norm.epsilon)
            self.head = nn.Linear(*head.W.shape)
            table = model.layers[1].table(length)
            self.register_buffer("positions", t(table))
            self.register_buffer("mask", nn.Transformer.generate_square_subsequent_mask(length))

        def forward(self, x):
            h = self.emb(x) + self.positions
            for block in self.blocks:
                h = block(h, src_mask=self.mask, is_causal=True)
            return self.head(self.norm(h))

    net = Net()
    with torch.no_grad():
        net.emb.weight.copy_(t(emb.embeddings.value))
        for mine, theirs in zip(blocks, net.blocks, strict=True):
            a = mine.attention
            theirs.self_attn.in_proj_weight.copy_(t(np.concatenate([a.Wq.value, a.Wk.value, a.Wv.value], 1).T))
            theirs.self_attn.in_proj_bias.copy_(t(np.concatenate([a.bq.value, a.bk.value, a.bv.value])))
            theirs.self_attn.out_proj.weight.copy_(t(a.Wo.value.T))
            theirs.self_attn.out_proj.bias.copy_(t(a.bo.value))
            for dense, linear in ((mine.ffn1, theirs.linear1), (mine.ffn2, theirs.linear2)):
                linear.weight.copy_(t(dense.W.value.T))
                linear.bias.copy_(t(dense.b.value))
            for norm, ref in ((mine.norm1, theirs.norm1), (mine.norm2, theirs.norm2), (final_norm, net.norm)):
                ref.weight.copy_(t(norm.gamma.value))
                ref.bias.copy_(t(norm.beta.value))
        net.head.weight.copy_(t(head.W.value.T))
        net.head.bias.copy_(t(head.b.value))
    return net


def interleaved_steps(torch, width, heads, blocks, length, batch, repeats):
    """Median ms per training step of the engine and PyTorch, timed alternately."""
    rng = np.random.default_rng(0)
    x = rng.integers(0, len(task.VOCAB), size=(batch, length))
    y = rng.integers(0, len(task.VOCAB), size=(batch, length))
    model = task.char_model(width, heads, blocks, length)
    net = torch_copy(torch, model)
    model.compile(loss="softmax_crossentropy", optimizer=engine.Adam(learning_rate=1e-3))
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()
    tx, ty = torch.from_numpy(x), torch.from_numpy(y).reshape(-1)
    first = (model.evaluate(x, y)["loss"], loss_fn(net(tx).reshape(-1, len(task.VOCAB)), ty).item())

    def torch_step():
        opt.zero_grad()
        loss = loss_fn(net(tx).reshape(-1, len(task.VOCAB)), ty)
        loss.backward()
        opt.step()
        return loss.item()

    e_times, t_times = [], []
    for i in range(repeats + 3):  # the first three warm up
        start = time.perf_counter()
        e_loss = model.train_step(x, y)
        middle = time.perf_counter()
        t_loss = torch_step()
        end = time.perf_counter()
        if i >= 3:
            e_times.append(middle - start)
            t_times.append(end - middle)
    return statistics.median(e_times) * 1e3, statistics.median(t_times) * 1e3, first, (e_loss, t_loss)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short training and few timed steps")
    parser.add_argument("--pyodide", action="store_true", help="also train under Pyodide in Node")
    parser.add_argument("--seconds", type=float, default=60.0, help="training budget (default 60)")
    args = parser.parse_args(argv)
    seconds = 3.0 if args.quick else args.seconds

    print(f"load average before: {' '.join(f'{v:.2f}' for v in os.getloadavg())}; NumPy {np.__version__}")
    print(f"1. Learning to reverse {task.LENGTH}-letter words (budget {seconds:.0f} s, goal: 99 % of held-out words)")
    result = task.train(seconds=seconds)
    report_training(result, "engine, native NumPy")
    if args.pyodide:
        under = train_under_pyodide(seconds)
        if under is not None:
            report_training(under, f"engine, Pyodide {under['pyodide']} in Node (wasm, no BLAS, as in the browser)")

    import torch

    torch.set_num_threads(1)
    repeats = 10 if args.quick else 200
    print(
        f"\n2. One training step, engine vs PyTorch {torch.__version__} CPU, one thread, "
        f"interleaved, median of {repeats}"
    )
    header = f"{'model':<46} {'engine ms':>9} {'torch ms':>9} {'ratio':>6}  first loss engine / torch"
    print(header)
    print("-" * len(header))
    for name, config in (
        ("lesson: d=32, 4 heads, 1 block, T=12, batch 64", (32, 4, 1, 12, 64)),
        ("larger: d=64, 4 heads, 2 blocks, T=32, batch 32", (64, 4, 2, 32, 32)),
    ):
        e_ms, t_ms, first, _ = interleaved_steps(torch, *config, repeats)
        print(f"{name:<46} {e_ms:>9.2f} {t_ms:>9.2f} {e_ms / t_ms:>5.2f}x  {first[0]:.5f} / {first[1]:.5f}")
    print(f"load average after: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    main()
