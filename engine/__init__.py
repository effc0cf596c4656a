"""learningpaths' deep-learning engine: layers, losses and optimizers in pure NumPy.

Runs unchanged in the browser (Pyodide) and on the server; imports only NumPy and the standard
library (``engine.export`` imports ``onnx`` inside its functions). See ``docs/engine.md``.

>>> import engine
>>> x, y = engine.data.make_xor(200, seed=0)
>>> model = engine.Sequential([engine.Dense(8, activation="tanh"), engine.Dense(2)], seed=0)
>>> model.compile(loss="softmax_crossentropy", optimizer=engine.Adam(learning_rate=0.05), metrics=["accuracy"])
>>> history = model.fit(x, y, epochs=100, mode="batch")
>>> history["accuracy"][-1] > 0.9
True
"""

from . import (
    activations,
    callbacks,
    data,
    export,
    initializers,
    kernels,
    losses,
    messages,
    metrics,
    optimizers,
    training,
)
from .activations import Identity, LeakyReLU, ReLU, Sigmoid, Softmax, Step, Tanh
from .autoencoder import Autoencoder
from .callbacks import Callback, EarlyStopping, History, LambdaCallback
from .errors import ConfigError, DataError, ShapeError
from .gradcheck import check_layer, check_loss, numerical_gradient
from .layers import (
    GRU,
    LSTM,
    RNN,
    AvgPool2D,
    BatchNorm,
    BatchNormalization,
    Conv2D,
    Dense,
    Dropout,
    Embedding,
    Flatten,
    Layer,
    LayerNormalization,
    MaxPool2D,
    MultiHeadAttention,
    PositionEmbedding,
    Reshape,
    SimpleRNN,
    SinePositionEncoding,
    TimeDistributed,
    TransformerBlock,
)
from .losses import BinaryCrossEntropy, CategoricalCrossEntropy, MeanSquaredError, SoftmaxCrossEntropy
from .model import Sequential
from .neuron import Neuron
from .optimizers import SGD, Adam, RMSprop
from .parameter import Parameter
from .serialization import load, save

__version__ = "0.1.0"

__all__ = [
    # building blocks
    "Parameter",
    "Layer",
    "Dense",
    "Conv2D",
    "MaxPool2D",
    "AvgPool2D",
    "Flatten",
    "Reshape",
    "Dropout",
    "BatchNorm",
    "BatchNormalization",
    "RNN",
    "SimpleRNN",
    "LSTM",
    "GRU",
    "Embedding",
    "PositionEmbedding",
    "SinePositionEncoding",
    "LayerNormalization",
    "MultiHeadAttention",
    "TransformerBlock",
    "TimeDistributed",
    "Step",
    "Identity",
    "ReLU",
    "LeakyReLU",
    "Sigmoid",
    "Tanh",
    "Softmax",
    "MeanSquaredError",
    "BinaryCrossEntropy",
    "CategoricalCrossEntropy",
    "SoftmaxCrossEntropy",
    "SGD",
    "Adam",
    "RMSprop",
    # models and training
    "Sequential",
    "Autoencoder",
    "Callback",
    "LambdaCallback",
    "History",
    "EarlyStopping",
    "save",
    "load",
    "Neuron",
    # checking and errors
    "check_layer",
    "check_loss",
    "numerical_gradient",
    "ShapeError",
    "ConfigError",
    "DataError",
    # modules
    "activations",
    "callbacks",
    "data",
    "export",
    "initializers",
    "kernels",
    "losses",
    "messages",
    "metrics",
    "optimizers",
    "training",
]
