"""The tiny character-level task of ``bench/transformer.py``: learn to reverse six-letter words.

A sequence is ``word + ">" + reversed word``, e.g. ``python>nohtyp``; the model reads it left to
right and predicts every next character (causal attention, so it cannot peek). The first half
is random letters and cannot be predicted; after ``>`` every character can, if the model has
learnt to look back at the mirrored position. Only NumPy and the engine are used, so the same
source also runs under Pyodide (``bench/transformer.py --pyodide`` sends this file there).
"""

from __future__ import annotations

import time

import numpy as np

import engine

LETTERS = "abcdefghijklmnopqrstuvwxyz"
VOCAB = LETTERS + ">"
LENGTH = 6  # letters per word; a model input is 2 * LENGTH characters
WORDS = ["python", "engine", "tensor", "neuron", "lesson", "dwengo", "kernel", "robots"]


def sequences(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """``n`` random words as ``(inputs, next characters)``, both ``(n, 2 * LENGTH)`` int64 ids."""
    words = rng.integers(0, len(LETTERS), size=(n, LENGTH))
    seq = np.concatenate([words, np.full((n, 1), len(LETTERS)), words[:, ::-1]], axis=1)
    return seq[:, :-1], seq[:, 1:]


def char_model(width: int = 32, heads: int = 4, blocks: int = 1, length: int = 2 * LENGTH, seed: int = 0):
    """Embedding + sine positions + pre-norm causal transformer blocks + LayerNorm + Dense."""
    layers = [engine.Embedding(len(VOCAB), width), engine.SinePositionEncoding()]
    layers += [
        engine.TransformerBlock(2 * width, heads, normalize_first=True, use_causal_mask=True) for _ in range(blocks)
    ]
    layers += [engine.LayerNormalization(), engine.TimeDistributed(engine.Dense(len(VOCAB)))]
    return engine.Sequential(layers, input_shape=(length,), seed=seed)


def answer_accuracy(model, x, y) -> tuple[float, float]:
    """Characters after ``>`` predicted right, and whole words reversed right (teacher forcing)."""
    right = model.predict(x, batch_size=500).argmax(-1)[:, LENGTH:] == y[:, LENGTH:]
    return float(right.mean()), float(right.all(axis=1).mean())


def reverse(model, word: str) -> str:
    """Greedy decoding: feed ``word>`` and append the model's most likely next character, one at a time."""
    x = np.zeros((1, 2 * LENGTH), dtype=np.int64)
    x[0, : LENGTH + 1] = [VOCAB.index(c) for c in word + ">"]
    out = []
    for i in range(LENGTH):
        nxt = int(model.predict(x)[0, LENGTH + i].argmax())
        out.append(VOCAB[nxt])
        if LENGTH + 1 + i < x.shape[1]:
            x[0, LENGTH + 1 + i] = nxt
    return "".join(out)


def step_ms(model, repeats: int = 30, seed: int = 1) -> float:
    """Median milliseconds of one training step (forward, loss, backward, Adam) on 64 sequences."""
    x, y = sequences(64, np.random.default_rng(seed))
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        model.train_step(x, y)
        times.append(time.perf_counter() - start)
    return 1e3 * float(np.median(times))


def train(seconds: float = 60.0, target: float = 0.99, seed: int = 0, log=print) -> dict:
    """Train until ``target`` of held-out words are reversed right or ``seconds`` pass."""
    rng = np.random.default_rng(seed)
    x, y = sequences(64 * 50 * 10, rng)
    x_test, y_test = sequences(1000, rng)
    model = char_model(seed=seed)
    model.compile(loss="softmax_crossentropy", optimizer=engine.Adam(learning_rate=3e-3))
    start, steps, chars, words = time.perf_counter(), 0, 0.0, 0.0
    chunk = 64 * 50  # check the held-out words every 50 steps
    while time.perf_counter() - start < seconds:
        part = slice(steps * 64 % len(x), steps * 64 % len(x) + chunk)
        model.fit(x[part], y[part], epochs=1, batch_size=64)
        steps += -(-len(x[part]) // 64)
        chars, words = answer_accuracy(model, x_test, y_test)
        log(
            f"  {time.perf_counter() - start:6.1f} s  step {steps}  loss {model.history['loss'][-1]:.3f}  "
            f"held-out characters {chars:.3f}  words {words:.3f}"
        )
        if words >= target:
            break
    return {
        "seconds": time.perf_counter() - start,
        "steps": steps,
        "loss": model.history["loss"][-1],
        "chars": chars,
        "words": words,
        "samples": {word: reverse(model, word) for word in WORDS},
        "step_ms": step_ms(model),
        "model": model,
    }
