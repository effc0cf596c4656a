"""Classification and regression metrics on NumPy arrays.

``y_true`` may be labels ``(n,)`` or one-hot rows; ``y_pred`` may be labels, probabilities
``(n,)``/``(n, 1)`` for two classes (thresholded at 0.5) or one row of scores per class (argmax).
A sequence model's ``(n, time, classes)`` scores against ``(n, time)`` labels count every position.

>>> import numpy as np
>>> y_true = np.array([0, 1, 1, 0])
>>> y_prob = np.array([0.2, 0.9, 0.4, 0.1])
>>> accuracy(y_true, y_prob)
0.75
>>> confusion_matrix(y_true, y_prob).tolist()
[[2, 0], [1, 1]]
>>> roc_auc(y_true, y_prob)
1.0
"""

from __future__ import annotations

import numpy as np

from .errors import ConfigError, DataError, ShapeError, as_numbers, check_positive_int, unknown_name


def to_labels(y, threshold: float = 0.5) -> np.ndarray:
    """Class labels from labels, one-hot rows, per-class scores or two-class probabilities."""
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] > 1:
        return y.argmax(axis=1)
    y = y.reshape(len(y)) if y.ndim else y.reshape(1)
    if y.dtype.kind == "f":
        if np.all(y == np.round(y)) and np.all(y >= 0):
            return y.astype(np.int64)
        return (y >= threshold).astype(np.int64)
    return y.astype(np.int64)


def _arrays(owner: str, y_true, y_pred):
    """Both as arrays of numbers with the same number of samples, at least one; else an error."""
    t = as_numbers(y_true, owner, "y_true")
    p = as_numbers(y_pred, owner, "y_pred")
    t, p = t.reshape(1) if t.ndim == 0 else t, p.reshape(1) if p.ndim == 0 else p
    if len(t) != len(p):
        raise ShapeError(
            owner,
            (len(t), *p.shape[1:]),
            p.shape,
            f"y_true has {len(t)} samples and y_pred {len(p)}: give one prediction per sample.",
        )
    if len(t) == 0:
        raise DataError(f"{owner} received no samples (empty arrays): there is nothing to measure.")
    if p.ndim == 3 and t.shape in (p.shape[:2], p.shape):
        # A class per position (a sequence model, batch x time x classes): every position counts.
        return t.reshape(-1, *t.shape[2:]), p.reshape(-1, p.shape[-1])
    return t, p


def _true_labels(owner: str, t: np.ndarray, p: np.ndarray) -> np.ndarray:
    """The labels in ``y_true`` (labels or one-hot rows), checked against the classes ``y_pred`` has."""
    width = p.shape[1] if p.ndim == 2 and p.shape[1] > 1 else None
    if t.ndim == 2 and t.shape[1] > 1:
        if width is not None and t.shape[1] != width:
            raise ShapeError(
                owner,
                (len(t), width),
                t.shape,
                f"y_true is one-hot with {t.shape[1]} classes but y_pred has {width} columns (classes).",
            )
        return t.argmax(axis=1)
    if t.ndim > 2 or (t.ndim == 2 and t.shape[1] != 1):
        raise ShapeError(owner, (len(t),), t.shape, "y_true must be labels (n,) or one-hot rows (n, classes).")
    labels = t.reshape(len(t))
    if labels.dtype.kind == "f" and not np.all(labels == np.round(labels)):
        example = float(labels[labels != np.round(labels)][0])
        raise DataError(
            f"{owner}: y_true must be class labels 0, 1, 2, ... or one-hot rows, received values such as "
            f"{example:g}. The true labels come first: {owner}(y_true, y_pred)."
        )
    labels = labels.astype(np.int64)
    lo, hi = int(labels.min()), int(labels.max())
    if lo < 0:
        raise DataError(f"{owner}: labels count the classes from 0, received the label {lo}.")
    if width is not None and hi >= width:
        raise DataError(
            f"{owner}: y_true has the label {hi} but y_pred has scores for {width} classes (0 to {width - 1}). "
            f"A model for labels up to {hi} needs {hi + 1} outputs."
        )
    return labels


def _pair(owner, y_true, y_pred, threshold=0.5):
    t, p = _arrays(owner, y_true, y_pred)
    return _true_labels(owner, t, p), to_labels(p, threshold)


def accuracy(y_true, y_pred, threshold: float = 0.5) -> float:
    """Fraction of samples whose predicted class equals the true class."""
    t, p = _pair("accuracy", y_true, y_pred, threshold)
    return float(np.mean(t == p))


def confusion_matrix(y_true, y_pred, num_classes: int | None = None, threshold: float = 0.5) -> np.ndarray:
    """``M[i, j]`` = number of samples of true class ``i`` predicted as class ``j``."""
    t, p = _pair("confusion_matrix", y_true, y_pred, threshold)
    if num_classes is not None:
        num_classes = check_positive_int("confusion_matrix", "num_classes", num_classes)
        hi = int(max(t.max(), p.max()))
        if hi >= num_classes:
            raise DataError(
                f"confusion_matrix: num_classes={num_classes} but the labels go up to {hi}; "
                f"use num_classes={hi + 1} or leave it out."
            )
    else:
        num_classes = int(max(t.max(initial=0), p.max(initial=0))) + 1
        y_pred_arr = np.asarray(y_pred)
        if y_pred_arr.ndim == 2 and y_pred_arr.shape[1] > 1:
            num_classes = max(num_classes, y_pred_arr.shape[1])
        num_classes = max(num_classes, 2)
    codes = (t * num_classes + p).astype(np.intp)  # bincount needs the platform int (32-bit in wasm)
    return np.bincount(codes, minlength=num_classes * num_classes).reshape(num_classes, num_classes)


def precision_recall_f1(y_true, y_pred, average: str = "auto", positive: int = 1, threshold: float = 0.5):
    """``(precision, recall, f1)``.

    precision = TP / (TP + FP), recall = TP / (TP + FN), F1 = 2 P R / (P + R); 0 where undefined.
    ``average``: ``"binary"`` (class ``positive`` only), ``"macro"`` (mean over classes),
    ``"micro"`` (pooled counts) or ``"auto"`` (binary for two classes, else macro).
    """
    m = confusion_matrix(y_true, y_pred, threshold=threshold)
    tp = np.diag(m).astype(float)
    fp = m.sum(axis=0) - tp
    fn = m.sum(axis=1) - tp
    if average == "auto":
        average = "binary" if len(m) == 2 else "macro"
    if average == "micro":
        tp, fp, fn = tp.sum(keepdims=True), fp.sum(keepdims=True), fn.sum(keepdims=True)
    elif average == "binary":
        if positive >= len(m):
            raise ConfigError(f"precision_recall_f1: positive class {positive} not among {len(m)} classes.")
        tp, fp, fn = tp[[positive]], fp[[positive]], fn[[positive]]
    elif average != "macro":
        raise unknown_name("average", average, ["auto", "binary", "macro", "micro"])
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.where(tp + fp > 0, tp / (tp + fp), 0.0)
        recall = np.where(tp + fn > 0, tp / (tp + fn), 0.0)
        f1 = np.where(precision + recall > 0, 2 * precision * recall / (precision + recall), 0.0)
    return float(precision.mean()), float(recall.mean()), float(f1.mean())


def precision(y_true, y_pred, average: str = "auto") -> float:
    return precision_recall_f1(y_true, y_pred, average)[0]


def recall(y_true, y_pred, average: str = "auto") -> float:
    return precision_recall_f1(y_true, y_pred, average)[1]


def f1_score(y_true, y_pred, average: str = "auto") -> float:
    return precision_recall_f1(y_true, y_pred, average)[2]


def _positive_scores(owner, y_true, scores):
    t, scores = _arrays(owner, y_true, scores)
    if scores.ndim > 2 or (scores.ndim == 2 and scores.shape[1] > 2):
        raise ShapeError(owner, ("n", 2), scores.shape, "Pass one score per sample for two classes.")
    labels = _true_labels(owner, t, scores)
    if labels.max() > 1:
        raise DataError(
            f"{owner}: with one score per sample y_true must be 0 or 1 (two classes), received labels up to "
            f"{labels.max()}. For more classes pass one score column per class, shape (n, classes)."
        )
    scores = scores.astype(float)
    if scores.ndim == 2:
        scores = scores[:, -1]
    return labels, scores.reshape(-1)


def roc_curve(y_true, scores):
    """``(fpr, tpr, thresholds)`` of a binary classifier, thresholds decreasing (first is +inf)."""
    t, s = _positive_scores("roc_curve", y_true, scores)
    order = np.argsort(-s, kind="stable")
    s, t = s[order], t[order]
    last_of_group = np.r_[np.flatnonzero(np.diff(s)), len(s) - 1]
    tps = np.cumsum(t)[last_of_group]
    fps = (last_of_group + 1) - tps
    pos, neg = max(tps[-1], 1), max(fps[-1], 1)
    fpr = np.r_[0.0, fps / neg]
    tpr = np.r_[0.0, tps / pos]
    return fpr, tpr, np.r_[np.inf, s[last_of_group]]


def roc_auc(y_true, scores) -> float:
    """Area under the ROC curve: the probability that a random positive scores above a random
    negative (ties count one half), computed from average ranks (Mann-Whitney U).

    For more than two classes (scores ``(n, C)``), the mean of the one-vs-rest AUCs.
    """
    t_, scores = _arrays("roc_auc", y_true, scores)
    if scores.ndim == 2 and scores.shape[1] > 2:
        labels = _true_labels("roc_auc", t_, scores)
        return float(np.mean([roc_auc(labels == c, scores[:, c]) for c in range(scores.shape[1])]))
    t, s = _positive_scores("roc_auc", t_, scores)
    n_pos = int(t.sum())
    n_neg = len(t) - n_pos
    if n_pos == 0 or n_neg == 0:
        raise ConfigError("roc_auc needs at least one positive and one negative sample.")
    _, inverse, counts = np.unique(s, return_inverse=True, return_counts=True)
    ends = np.cumsum(counts)
    ranks = ((ends - counts + 1 + ends) / 2.0)[inverse.reshape(-1)]
    return float((ranks[t == 1].sum() - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg))


def _regression_pair(owner, y_true, y_pred):
    t, p = _arrays(owner, y_true, y_pred)
    if t.size != p.size:
        raise ShapeError(owner, t.shape, p.shape, "y_true and y_pred need one value each per output.")
    return t.astype(float), p.astype(float).reshape(t.shape)


def mean_squared_error(y_true, y_pred) -> float:
    t, p = _regression_pair("mean_squared_error", y_true, y_pred)
    return float(np.mean((p - t) ** 2))


def mean_absolute_error(y_true, y_pred) -> float:
    t, p = _regression_pair("mean_absolute_error", y_true, y_pred)
    return float(np.mean(np.abs(p - t)))


_REGISTRY = {
    "accuracy": accuracy,
    "acc": accuracy,
    "precision": precision,
    "recall": recall,
    "f1": f1_score,
    "f1_score": f1_score,
    "auc": roc_auc,
    "roc_auc": roc_auc,
    "mse": mean_squared_error,
    "mae": mean_absolute_error,
}


def get(identifier):
    """A metric function ``f(y_true, y_pred) -> float`` from its name, or a callable passed through."""
    if callable(identifier):
        return identifier
    if not isinstance(identifier, str) or identifier.lower() not in _REGISTRY:
        raise unknown_name("metric", identifier, _REGISTRY)
    return _REGISTRY[identifier.lower()]
