"""All layers. Each follows the contract in :mod:`engine.layers.base`."""

from .attention import MultiHeadAttention
from .base import LAYERS, Layer, get
from .conv import Conv2D
from .dense import Dense
from .dropout import Dropout
from .embedding import Embedding, PositionEmbedding, SinePositionEncoding
from .gru import GRU
from .layer_normalization import LayerNormalization
from .lstm import LSTM
from .normalization import BatchNorm, BatchNormalization
from .pooling import AvgPool2D, MaxPool2D
from .recurrent import RNN, SimpleRNN
from .reshape import Flatten, Reshape
from .time_distributed import TimeDistributed
from .transformer import TransformerBlock

__all__ = [
    "LAYERS",
    "Layer",
    "get",
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
]
