"""Export engine models to other formats. ``onnx`` is imported only when a function runs."""

from . import onnx_sequence  # noqa: F401  (registers the sequence layers' converters)
from .onnx import CONVERTERS, OPSET, register_converter, to_onnx

__all__ = ["to_onnx", "register_converter", "CONVERTERS", "OPSET"]
