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


@pytest.fixture(scope="session")
def tiny_words(tmp_path_factory):
    """The word transformer's real training and export, sized to take about a second."""
    from learningpaths.demos import wordgen
    from tests.site.demos.wordmodel import TINY

    directory = tmp_path_factory.mktemp("wordmodel")
    return directory, wordgen.train(size=TINY, out_dir=directory, log=lambda line: None)


@pytest.fixture
def word_model(settings, tiny_words):
    directory, trained = tiny_words
    settings.DEMO_MODELS_DIR = directory
    settings.DEMO_RATE_LIMIT = 1000
    inference.reset_runners()
    yield trained
    inference.reset_runners()


@pytest.fixture(scope="session")
def tiny_autoencoder(tmp_path_factory):
    """The glyph autoencoder's real training and export (tinymodel.tiny_autoencoder_settings)."""
    from learningpaths.demos import training
    from tests.site.demos.tinymodel import tiny_autoencoder_settings

    directory = tmp_path_factory.mktemp("autoencoder")
    trained = training.train_autoencoder(
        "glyphs-autoencoder", settings=tiny_autoencoder_settings(), key="tiny", out_dir=directory, log=lambda s: None
    )
    return directory, trained


@pytest.fixture
def autoencoder_model(settings, tiny_autoencoder):
    directory, trained = tiny_autoencoder
    settings.DEMO_MODELS_DIR = directory
    settings.DEMO_RATE_LIMIT = 1000
    inference.reset_runners()
    yield trained
    inference.reset_runners()
