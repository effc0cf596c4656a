"""The glyph generator of the "recognise or create" lesson: a denoising autoencoder on the 32x32
letters and digits of ``glyphs.py``, trained with our engine (``training.train_autoencoder``).

The encoder squeezes a glyph into ``latent`` numbers, the decoder paints a glyph from such a point.
It is trained on corrupted glyphs (noise, erased pixels, stray strokes) with the clean glyph as the
target, so encode -> decode cleans up a drawing; decoding points between two letters' means morphs
one letter into the other. Two ONNX graphs: the whole autoencoder (``NAME``: a drawing -> its
reconstruction, with the latent point as a second output ``LATENT_OUTPUT``) and the decoder alone
(``DECODER``: latent points -> glyphs). The model card keeps what the widget needs to move through
the latent space: every class's mean point and a "style" direction (the main way glyphs of one
class differ: stroke width and shape), with its spread.
"""

from __future__ import annotations

import numpy as np

import engine

from .glyphs import CLASSES, SIZE

NAME = "glyphs-autoencoder"
DECODER = "glyphs-decoder"
LATENT_OUTPUT = "latent"
LATENT = 16  # numbers per latent point (fixed: the decoder's input shape is registered, registry.py)
LATENT_BOUND = 1000.0  # the decoder refuses coordinates beyond this (trained points lie within about 50)
MAX_ONNX_DIFF = 1e-5
# trainmodels refuses a model whose held-out reconstruction loss (binary cross-entropy per pixel,
# corrupted input -> clean glyph) is above this. For scale: the mean training glyph scores about 0.36
# on the held-out fonts, the trained model about 0.21 (and no model reaches 0: antialiased edges are
# grey, and a grey target has a cross-entropy floor of its own).
MAX_TEST_LOSS = 0.25


def build(*, hidden: int, latent: int = LATENT, seed: int = 0) -> engine.Autoencoder:
    """Dense encoder 1024 -> hidden -> latent (linear), dense decoder latent -> hidden -> 1024
    (sigmoid: pixel values in [0, 1]) reshaped to the image."""
    return engine.Autoencoder(
        [
            engine.Flatten(name="flatten"),
            engine.Dense(hidden, activation="relu", name="encoder_hidden"),
            engine.Dense(latent, name="code"),
        ],
        [
            engine.Dense(hidden, activation="relu", name="decoder_hidden"),
            engine.Dense(SIZE * SIZE, activation="sigmoid", name="pixels"),
            engine.Reshape((1, SIZE, SIZE), name="image"),
        ],
        input_shape=(1, SIZE, SIZE),
        seed=seed,
    )


def corrupt(x: np.ndarray, rng: np.random.Generator, *, noise: float) -> np.ndarray:
    """What the model learns to undo: Gaussian pixel noise (up to ``noise``), a fifth of the ink
    erased in a random band, and a short stray stroke, each image its own; values stay in [0, 1]."""
    n = len(x)
    out = x + rng.normal(0.0, 1.0, x.shape).astype(np.float32) * rng.uniform(0, noise, (n, 1, 1, 1)).astype(np.float32)
    rows = rng.integers(0, SIZE - 6, n)
    for i, r in enumerate(rows):
        if rng.random() < 0.5:  # erase a band of 6 rows or columns, as a hesitant pen would
            if rng.random() < 0.5:
                out[i, 0, r : r + 6] *= 0.2
            else:
                out[i, 0, :, r : r + 6] *= 0.2
        if rng.random() < 0.3:  # a stray stroke
            r0, c0 = rng.integers(0, SIZE - 8, 2)
            out[i, 0, r0, c0 : c0 + 8] = 1.0
    return np.clip(out, 0.0, 1.0).astype(np.float32)


def pixel_loss(reconstruction: np.ndarray, target: np.ndarray) -> float:
    """Mean binary cross-entropy per pixel (the training loss, in nats)."""
    p = np.clip(reconstruction.astype(np.float64), 1e-7, 1 - 1e-7)
    return float(-np.mean(target * np.log(p) + (1 - target) * np.log(1 - p)))


def latent_summary(codes: np.ndarray, labels: np.ndarray) -> dict:
    """Each class's mean point and the style direction: the first principal component of the points
    minus their class's mean (unit length), with the standard deviation along it."""
    means = {c: codes[labels == i].mean(axis=0) for i, c in enumerate(CLASSES) if np.any(labels == i)}
    residual = codes - np.stack([means[CLASSES[i]] for i in labels])
    _, s, vt = np.linalg.svd(residual - residual.mean(axis=0), full_matrices=False)
    direction = vt[0] * np.sign(vt[0][np.argmax(np.abs(vt[0]))])  # a fixed sign: the same model, the same card
    return {
        "class_latents": {c: np.round(m.astype(np.float64), 5).tolist() for c, m in means.items()},
        "style_direction": np.round(direction.astype(np.float64), 6).tolist(),
        "style_scale": round(float(s[0] / np.sqrt(max(1, len(codes) - 1))), 5),
        "latent_range": [round(float(codes.min()), 4), round(float(codes.max()), 4)],
    }


def to_onnx(model: engine.Autoencoder):
    """(the whole autoencoder with the latent point as a second output, the decoder alone)."""
    from onnx import TensorProto, helper

    full = engine.export.to_onnx(model, input_shape=(1, SIZE, SIZE), name=NAME)
    code_out = next(n for n in full.graph.node if n.name.startswith("code")).output[0]
    full.graph.node.append(helper.make_node("Identity", [code_out], [LATENT_OUTPUT], name=f"{LATENT_OUTPUT}/Identity"))
    latent = model.encoder.output_shape[-1]
    full.graph.output.append(helper.make_tensor_value_info(LATENT_OUTPUT, TensorProto.FLOAT, ["batch", latent]))
    decoder = engine.export.to_onnx(model.decoder, input_shape=(latent,), name=DECODER)
    return full, decoder


def onnx_diff(full, decoder, model: engine.Autoencoder, x: np.ndarray) -> float:
    """Max |engine - ONNX Runtime| over the reconstruction, the latent point and the decoder."""
    import onnx
    import onnxruntime as ort

    onnx.checker.check_model(full)
    onnx.checker.check_model(decoder)
    sessions = [
        ort.InferenceSession(p.SerializeToString(), providers=["CPUExecutionProvider"]) for p in (full, decoder)
    ]
    reconstruction, codes = sessions[0].run(["output", LATENT_OUTPUT], {"input": x})
    decoded = sessions[1].run(["output"], {"input": codes})[0]
    engine_codes = model.encode(x)
    return float(
        max(
            np.abs(reconstruction - model.predict(x)).max(),
            np.abs(codes - engine_codes).max(),
            np.abs(decoded - model.decode(engine_codes)).max(),
        )
    )


def card_check(card: dict) -> None:
    """ValueError unless the model card shows ONNX Runtime agreeing and the loss floor reached."""
    if card["onnx_max_abs_diff"] > MAX_ONNX_DIFF:
        raise ValueError(f"{NAME}: engine and ONNX Runtime disagree by {card['onnx_max_abs_diff']:.2e} (> 1e-5)")
    if card["test_loss"] > MAX_TEST_LOSS:
        raise ValueError(
            f"{NAME}: held-out reconstruction loss {card['test_loss']:.3f} per pixel is above {MAX_TEST_LOSS}"
        )
