"""The demo models the server runs: what each expects, where its ONNX file and model card live."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from . import words
from .glyphgen import DECODER, LATENT, LATENT_BOUND
from .glyphs import CLASSES, SIZE


@dataclass(frozen=True)
class DemoSpec:
    name: str
    title: str
    input_shape: tuple[int, ...]  # one sample, without the batch dimension
    labels: tuple[str, ...]
    value_range: tuple[float, float] = (0.0, 1.0)
    feature_maps_output: str = ""  # name of an extra graph output with the first conv's maps, if any
    # Names of extra graph outputs with the maps of every conv block, in order (the answer's "layers").
    layer_outputs: tuple[str, ...] = ()
    generator: bool = False  # answers POST .../generate (generation.py), not .../predict
    # Part of an autoencoder: answers POST .../encode and .../decode (latentspace.py), not .../predict.
    autoencoder: bool = False
    decoder: str = ""  # the autoencoder's decoder demo (latent points -> images), for .../decode

    @property
    def map_outputs(self) -> tuple[str, ...]:
        """Every feature map output the ONNX graph has, first conv first."""
        return (self.feature_maps_output,) if self.feature_maps_output else self.layer_outputs

    @property
    def input_size(self) -> int:
        size = 1
        for d in self.input_shape:
            size *= d
        return size


DEMOS: dict[str, DemoSpec] = {
    "digits-cnn": DemoSpec(
        name="digits-cnn",
        title="Handwritten digit CNN",
        input_shape=(1, 8, 8),
        labels=tuple(str(d) for d in range(10)),
        feature_maps_output="feature_maps",
    ),
    "digits-mlp": DemoSpec(
        name="digits-mlp",
        title="Handwritten digit MLP (small, as in the browser)",
        input_shape=(1, 8, 8),
        labels=tuple(str(d) for d in range(10)),
    ),
    "glyphs-cnn": DemoSpec(
        name="glyphs-cnn",
        title="Letter and digit CNN (32x32, three conv blocks)",
        input_shape=(1, SIZE, SIZE),
        labels=CLASSES,
        layer_outputs=("conv1", "conv2", "conv3"),
    ),
    # The autoencoder's second output is the latent point (glyphgen.LATENT_OUTPUT); one trainer
    # (training.train_autoencoder) writes both graphs, and the decoder's card points to this one's.
    "glyphs-autoencoder": DemoSpec(
        name="glyphs-autoencoder",
        title="Glyph autoencoder (denoising, 16 numbers per glyph)",
        input_shape=(1, SIZE, SIZE),
        labels=CLASSES,
        autoencoder=True,
        decoder=DECODER,
    ),
    DECODER: DemoSpec(
        name=DECODER,
        title="Glyph decoder (a latent point -> a glyph)",
        input_shape=(LATENT,),
        labels=CLASSES,
        value_range=(-LATENT_BOUND, LATENT_BOUND),
        autoencoder=True,
    ),
    # A generator's input is a row of token ids and its labels are the languages it writes (wordgen.py).
    "words-transformer": DemoSpec(
        name="words-transformer",
        title="Word inventor (character-level transformer)",
        input_shape=(1 + words.MAX_LENGTH,),
        labels=words.LANGUAGES,
        generator=True,
    ),
}


def models_dir() -> Path:
    return Path(getattr(settings, "DEMO_MODELS_DIR", settings.VAR_DIR / "models"))


def model_path(name: str) -> Path:
    return models_dir() / f"{name}.onnx"


def card_path(name: str) -> Path:
    return models_dir() / f"{name}.json"


def model_card(name: str) -> dict | None:
    path = card_path(name)
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))
