"""Shared fixtures for the engine tests: a seeded generator and the optional reference libraries."""

import os
import sys

import numpy as np
import pytest

# tests/engine is not a package: make its helper module importable as ``engine_helpers``.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture
def rng():
    return np.random.default_rng(1234)


@pytest.fixture(scope="session")
def torch():
    torch = pytest.importorskip("torch")
    torch.set_num_threads(1)
    return torch


@pytest.fixture(scope="session")
def ort():
    pytest.importorskip("onnx")
    return pytest.importorskip("onnxruntime")
