import pytest

from learningpaths.demos import inference
from tests.site.demos.tinymodel import make_model


@pytest.fixture
def demo_model(settings, tmp_path):
    settings.DEMO_MODELS_DIR = tmp_path
    settings.DEMO_RATE_LIMIT = 1000
    w, b = make_model(tmp_path / "digits-cnn.onnx")
    inference.reset_runners()
    yield w, b
    inference.reset_runners()
