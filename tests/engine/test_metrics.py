"""Metrics against hand-computed values."""

import re

import numpy as np
import pytest

from engine import metrics
from engine.errors import ConfigError


def test_accuracy_accepts_labels_probabilities_and_one_hot():
    y = np.array([0, 1, 2, 1])
    scores = np.array([[0.9, 0.1, 0.0], [0.2, 0.7, 0.1], [0.1, 0.6, 0.3], [0.0, 0.1, 0.9]])
    assert metrics.accuracy(y, scores) == 0.5
    assert metrics.accuracy(np.eye(3)[y], scores) == 0.5
    assert metrics.accuracy([0, 1, 1], [[0.3], [0.6], [0.4]]) == pytest.approx(2 / 3)
    assert metrics.accuracy([0, 1], [0, 1]) == 1.0


def test_confusion_matrix_rows_are_true_classes():
    m = metrics.confusion_matrix([0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 0, 2])
    assert m.tolist() == [[1, 1, 0], [0, 1, 0], [1, 0, 2]]
    assert metrics.confusion_matrix([1, 1], [1, 1]).tolist() == [[0, 0], [0, 2]]


def test_precision_recall_f1():
    y_true, y_pred = [1, 1, 1, 0, 0, 0], [1, 1, 0, 1, 0, 0]  # TP 2, FN 1, FP 1
    assert metrics.precision_recall_f1(y_true, y_pred) == pytest.approx((2 / 3, 2 / 3, 2 / 3))
    p, r, f = metrics.precision_recall_f1([0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 0, 2], average="macro")
    assert (p, r) == pytest.approx(((0.5 + 0.5 + 1) / 3, (0.5 + 1 + 2 / 3) / 3))
    assert metrics.precision_recall_f1([0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 0, 2], average="micro")[0] == pytest.approx(
        4 / 6
    )
    assert metrics.precision([0, 0], [0, 0]) == 0.0  # no positive predictions: defined as 0
    with pytest.raises(ConfigError, match="Unknown average 'weighted'"):
        metrics.precision_recall_f1([0, 1], [0, 1], average="weighted")


def test_roc_auc_and_curve():
    y = np.array([0, 0, 1, 1])
    assert metrics.roc_auc(y, [0.1, 0.4, 0.35, 0.8]) == 0.75
    assert metrics.roc_auc(y, [0.5, 0.5, 0.5, 0.5]) == 0.5  # ties count one half
    assert metrics.roc_auc(y, np.array([[0.9, 0.1], [0.6, 0.4], [0.65, 0.35], [0.2, 0.8]])) == 0.75
    fpr, tpr, thresholds = metrics.roc_curve(y, [0.1, 0.4, 0.35, 0.8])
    assert fpr.tolist() == [0.0, 0.0, 0.5, 0.5, 1.0] and tpr.tolist() == [0.0, 0.5, 0.5, 1.0, 1.0]
    assert thresholds[0] == np.inf
    assert np.trapezoid(tpr, fpr) == 0.75 if hasattr(np, "trapezoid") else True
    with pytest.raises(ConfigError, match="at least one positive and one negative"):
        metrics.roc_auc([1, 1], [0.2, 0.3])


def test_multiclass_auc_is_one_vs_rest_mean():
    y = np.array([0, 1, 2, 0])
    scores = np.eye(3)[y] * 0.8 + 0.1
    assert metrics.roc_auc(y, scores) == 1.0


def test_regression_metrics_and_registry():
    assert metrics.mean_squared_error([1.0, 2.0], [[1.0], [4.0]]) == 2.0
    assert metrics.mean_absolute_error([1.0, 2.0], [1.0, 4.0]) == 1.0
    assert metrics.get("acc") is metrics.accuracy
    with pytest.raises(ConfigError, match=re.escape("Unknown metric 'iou'. Valid names: acc, accuracy, auc")):
        metrics.get("iou")


def test_sequence_outputs_count_every_position():
    labels = np.array([[0, 1, 2], [2, 2, 0]])
    scores = np.eye(3)[labels]
    scores[1, 0] = [0.9, 0.05, 0.05]  # one position of six wrong
    assert metrics.accuracy(labels, scores) == pytest.approx(5 / 6)
    assert metrics.accuracy(np.eye(3)[labels], scores) == pytest.approx(5 / 6)
    assert metrics.confusion_matrix(labels, scores).sum() == 6
