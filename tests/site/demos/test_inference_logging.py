"""Demo failures reach the log (LOGGING in settings: learningpaths.* to stderr) with a traceback."""

import logging

import numpy as np
import pytest

from learningpaths.demos import inference


def test_a_model_file_that_cannot_be_loaded_is_logged(settings, tmp_path, caplog):
    settings.DEMO_MODELS_DIR = tmp_path
    (tmp_path / "digits-cnn.onnx").write_bytes(b"not an onnx model")
    inference.reset_runners()
    try:
        with caplog.at_level(logging.ERROR, logger="learningpaths.demos.inference"):
            with pytest.raises(inference.DemoUnavailable, match="could not be loaded"):
                inference.get_runner("digits-cnn")
    finally:
        inference.reset_runners()
    (record,) = [r for r in caplog.records if r.name == "learningpaths.demos.inference"]
    assert record.levelno == logging.ERROR and "digits-cnn" in record.getMessage()
    assert record.exc_info is not None  # log.exception: the traceback is in the record


def test_a_batch_that_raises_is_logged(demo_model, caplog):
    runner = inference.get_runner("digits-cnn")

    def broken(output_names, feeds):
        raise RuntimeError("the device went away")

    runner.session = type("BrokenSession", (), {"run": staticmethod(broken)})()
    with caplog.at_level(logging.ERROR, logger="learningpaths.demos.inference"):
        with pytest.raises(RuntimeError, match="the device went away"):
            inference.predict("digits-cnn", np.zeros((1, 1, 8, 8), np.float32), timeout=5)
    (record,) = [r for r in caplog.records if r.name == "learningpaths.demos.inference"]
    assert "a batch of 1 request(s) failed" in record.getMessage()
    assert record.exc_info[1].args == ("the device went away",)


def test_learningpaths_loggers_are_configured_at_log_level(settings):
    """INFO by default (LOG_LEVEL), through the root's stderr handler."""
    assert settings.LOGGING["loggers"]["learningpaths"]["level"] == settings.LOG_LEVEL
    level = logging.getLevelName(settings.LOG_LEVEL)
    assert logging.getLogger("learningpaths.demos.inference").getEffectiveLevel() == level
    assert settings.LOGGING["root"]["handlers"] == ["stderr"]
    assert settings.LOGGING["handlers"]["stderr"]["class"] == "logging.StreamHandler"  # stderr by default
