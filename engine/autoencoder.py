"""An autoencoder: an encoder and a decoder trained to reproduce the input."""

from __future__ import annotations

import numpy as np

from .layers.base import Layer, get as get_layer, serialize
from .model import Sequential


class Autoencoder(Sequential):
    """An encoder followed by a decoder, trained to reproduce its input (``fit(x)`` uses ``y = x``).

    ``encode(x)`` gives the code (e.g. 2-D points a lesson can plot), ``decode(z)`` maps codes back.

    Example
    -------
    >>> import numpy as np
    >>> from engine import Dense
    >>> ae = Autoencoder([Dense(2, activation="tanh")], [Dense(4)], input_shape=(4,), seed=0)
    >>> ae.encode(np.zeros((3, 4))).shape, ae.predict(np.zeros((3, 4))).shape
    ((3, 2), (3, 4))
    """

    def __init__(self, encoder, decoder, *, input_shape=None, seed=None, name: str = "autoencoder", dtype=None):
        self.encoder = encoder if isinstance(encoder, Sequential) else Sequential(encoder, name="encoder", dtype=dtype)
        self.decoder = decoder if isinstance(decoder, Sequential) else Sequential(decoder, name="decoder", dtype=dtype)
        super().__init__([*self.encoder.layers, *self.decoder.layers], seed=seed, name=name, dtype=dtype)
        self.encoder.dtype = self.decoder.dtype = self.dtype  # encode/decode cast their input to it
        self.encoder.layers = self.layers[: len(self.encoder.layers)]
        self.decoder.layers = self.layers[len(self.encoder.layers) :]
        if input_shape is not None:
            self.build(input_shape)

    def build(self, input_shape, rng=None):
        super().build(input_shape)
        self.encoder.built, self.encoder.input_shape = True, tuple(input_shape)
        self.decoder.built, self.decoder.input_shape = True, self.encoder.output_shape
        return self

    def encode(self, x) -> np.ndarray:
        if not self.built:
            self.build(np.asarray(x).shape[1:])
        return self.encoder.forward(np.asarray(x, dtype=self.dtype))

    def decode(self, z) -> np.ndarray:
        return self.decoder.forward(np.asarray(z, dtype=self.dtype))

    def fit(self, x, y=None, **kwargs):
        return super().fit(x, x if y is None else y, **kwargs)

    def get_config(self):
        config = Layer.get_config(self)
        if self.input_shape is not None:
            config["input_shape"] = list(self.input_shape)
        config["encoder"] = [serialize(layer_) for layer_ in self.encoder.layers]
        config["decoder"] = [serialize(layer_) for layer_ in self.decoder.layers]
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        encoder = [get_layer(spec) for spec in config.pop("encoder")]
        decoder = [get_layer(spec) for spec in config.pop("decoder")]
        return cls(encoder, decoder, **config)
