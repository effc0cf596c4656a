"""Pre-train the small network of the fine-tuning lesson (dl_finetuning) on the digits that ship.

Run from the repository root:  python content/tools/make_pretrained.py
Trains, with our engine, a network 64 -> 64 -> 32 -> 10 on the 1,797 handwritten 8x8 digits in
``learningpaths/demos/data/digits.csv.gz`` (grey levels 0..16 scaled to 0..1, as the page's drawing pad
gives them), plus three copies of the training digits shifted by up to one pixel with fainter ink: a
pupil draws anywhere on the pad and with a thinner pen, and features learned that way are the ones
that help on new symbols (measured on simulated pad drawings of three symbols: the frozen body with
a new top beat the same network from scratch at 1-5 examples per class, where the network trained
on the plain digits did worse than from scratch). It writes the network with ``engine.save`` to ``digits_net.npz`` in the lesson's folder of both
languages. The page loads it and fine-tunes only a new top layer on the pupil's own drawings. The run
is seeded (same weights on the same machine); the zip entries get a fixed date so that the file's bytes
only change when the weights do. ``tests/content`` checks that the committed file is what this trains.
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import engine  # noqa: E402  (the repository's engine, importable from the root)
from learningpaths.demos.digits import digits_load  # noqa: E402  (NumPy only, no Django)

FOLDER = "0315_finetuning"
TARGETS = [
    ROOT / "content" / "learning_objects" / lang / "deep_learning" / FOLDER / "digits_net.npz"
    for lang in ("english", "nederlands")
]
SEED, EPOCHS, SHIFTED_COPIES = 0, 40, 3
BODY = 2  # the first two layers are the pre-trained part that the lesson freezes


def split():
    """The digits scaled to 0..1, as (x_train, x_test, y_train, y_test) with a quarter held out."""
    digits = digits_load()
    x = (digits.data / 16.0).astype(np.float32)
    return engine.data.train_test_split(x, digits.target, test_size=0.25, seed=SEED)


def train() -> tuple[engine.Sequential, float]:
    """The pre-trained network and its accuracy on the quarter of the digits it did not train on."""
    x_train, x_test, y_train, y_test = split()
    x_train, y_train = augment(x_train, y_train, np.random.default_rng(SEED))
    model = engine.Sequential(
        [engine.Dense(64, activation="relu"), engine.Dense(32, activation="relu"), engine.Dense(10)],
        input_shape=(64,),
        seed=SEED,
    )
    model.compile(loss="softmax_crossentropy", optimizer="adam", learning_rate=0.01, metrics=["accuracy"])
    model.fit(x_train, y_train, epochs=EPOCHS, mode="mini-batch", batch_size=32)
    return model, float(model.evaluate(x_test, y_test)["accuracy"])


def augment(x, y, rng):
    """``x`` and ``SHIFTED_COPIES`` copies of it, each digit moved by -1, 0 or 1 pixel down and right
    (wrapping round: the digits have empty borders) and its ink scaled by 0.6 to 1."""
    images = x.reshape(-1, 8, 8)
    xs, ys = [x], [y]
    for _ in range(SHIFTED_COPIES):
        moved = [np.roll(image, tuple(rng.integers(-1, 2, size=2)), axis=(0, 1)) for image in images]
        xs.append((np.array(moved).reshape(-1, 64) * rng.uniform(0.6, 1.0, (len(x), 1))).astype(np.float32))
        ys.append(y)
    return np.concatenate(xs), np.concatenate(ys)


def archive(model: engine.Sequential) -> bytes:
    """``engine.save``'s .npz with every zip entry dated 1980-01-01 (np.savez stamps the time)."""
    raw = io.BytesIO()
    engine.save(model, raw)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in sorted(src.namelist()):
            dst.writestr(
                zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)),
                src.read(name),
                compress_type=zipfile.ZIP_DEFLATED,
            )
    return out.getvalue()


def main() -> None:
    model, accuracy = train()
    data = archive(model)
    for target in TARGETS:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        print(f"wrote {target.relative_to(ROOT)}: {len(data)} bytes, test accuracy {accuracy:.3f}")


if __name__ == "__main__":
    main()
