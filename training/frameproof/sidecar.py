"""What every model sidecar carries that training computes the same way: the file's checksum, and the Platt
calibration with its sensitivity levels."""
import hashlib

import numpy as np
from sklearn.linear_model import LogisticRegression


def sha256(path: str) -> str:
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def platt_and_levels(logits: np.ndarray, labels: np.ndarray, levels: dict, ai_quantile: str = "linear"):
    """Platt scaling, then each level's "likely AI" line at the reals' (1 - FPR) quantile and "likely real" line at the
    fakes' miss-rate quantile. levels: name -> (target real FPR, target fake miss rate). ai_quantile: numpy's quantile
    method for the AI line ("higher" keeps the line on a real score, so at most that share of reals is above it)."""
    lr = LogisticRegression(C=100.0).fit(logits[:, None], labels)
    a, b = float(lr.coef_[0, 0]), float(lr.intercept_[0])
    p = 1 / (1 + np.exp(-(a * logits + b)))
    out = {}
    for name, (fpr, fnr) in levels.items():
        ai = float(np.quantile(p[labels == 0], 1 - fpr, method=ai_quantile))
        real = min(float(np.quantile(p[labels == 1], fnr)), ai)
        out[name] = {"ai": round(ai, 4), "real": round(real, 4), "target_real_fpr": fpr, "target_fake_miss": fnr}
    return {"method": "platt", "a": a, "b": b}, out
