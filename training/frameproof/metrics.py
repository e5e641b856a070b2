"""The numbers the model card reports per fold and condition: AUC and recall at a 5 % real false-alarm rate."""
import numpy as np
from sklearn.metrics import roc_auc_score

from .preprocess import CONDITIONS

FALSE_ALARM = 0.05


def recall_at(real: np.ndarray, fake: np.ndarray, fpr: float = FALSE_ALARM) -> float:
    """Share of fakes above the score that only `fpr` of the reals exceed."""
    line = np.quantile(real, 1 - fpr, method="higher")
    return float((fake > line).mean())


def fold_metrics(test, scores: dict) -> dict:
    """scores: path -> condition -> score (higher = more likely AI)."""
    y = np.array([i.label for i in test])
    out = {}
    for c in CONDITIONS:
        s = np.array([scores[i.path][c] for i in test])
        out[c] = {"auc": float(roc_auc_score(y, s)), "recall_at_5": recall_at(s[y == 0], s[y == 1]),
                  "n_real": int((y == 0).sum()), "n_fake": int(y.sum())}
    return out
