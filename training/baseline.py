"""The model card's baseline row: logistic regression on 14 hand-crafted residual and spectrum statistics,
on the same leave-one-generator-family-out folds and conditions as the detector. Simple and honest: if the
detector does not beat this, it has learned nothing a few statistics don't already say."""
import json
import os
import sys

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from frameproof import data
from frameproof.metrics import fold_metrics
from frameproof.preprocess import CONDITIONS, apply_condition, load_rgb


def features(rgb: np.ndarray) -> np.ndarray:
    h, w, _ = rgb.shape
    s = min(512, h - h % 2, w - w % 2)
    y0, x0 = (h - s) // 2, (w - s) // 2
    x = rgb[y0:y0 + s, x0:x0 + s].astype(np.float32) / 255.0
    npr = x - np.repeat(np.repeat(x[::2, ::2], 2, 0), 2, 1)
    g = x.mean(axis=2)
    lap = 4 * g[1:-1, 1:-1] - g[:-2, 1:-1] - g[2:, 1:-1] - g[1:-1, :-2] - g[1:-1, 2:]
    spec = np.abs(np.fft.fftshift(np.fft.fft2(g - g.mean()))) + 1e-8
    yy, xx = np.indices(spec.shape)
    r = np.hypot(yy - s / 2, xx - s / 2) / (s / 2)
    band = lambda lo, hi: np.log(spec[(r >= lo) & (r < hi)].mean())
    sat = x.max(axis=2) - x.min(axis=2)
    return np.array([*np.abs(npr).mean(axis=(0, 1)), np.abs(lap).mean(), lap.std(), lap.std() / (g.std() + 1e-6),
                     band(0.05, 0.25), band(0.25, 0.5), band(0.5, 0.75), band(0.75, 1.0),
                     band(0.75, 1.0) - band(0.25, 0.5), sat.mean(), sat.std(), float(np.abs(np.diff(g, axis=1)).mean())])


def main(out_path: str):
    items = data.load_items()
    cache = {}
    for it in items:
        rgb = load_rgb(os.path.join(data.DATASETS, it.path))
        cache[it.path] = {c: features(apply_condition(rgb, c)) for c in CONDITIONS}
    report = {}
    for fam in data.FAMILIES:
        train, _, test = data.split(items, fam)
        X = np.array([cache[i.path][c] for i in train for c in CONDITIONS])
        y = np.array([i.label for i in train for _ in CONDITIONS])
        clf = make_pipeline(StandardScaler(), LogisticRegression(C=1.0, class_weight="balanced", max_iter=2000)).fit(X, y)
        scores = {i.path: {c: float(clf.decision_function(cache[i.path][c][None])[0]) for c in CONDITIONS} for i in test}
        report[fam] = fold_metrics(test, scores)
        print(fam, {c: round(report[fam][c]["auc"], 3) for c in CONDITIONS}, flush=True)
    report["mean"] = {c: {k: round(float(np.mean([report[f][c][k] for f in data.FAMILIES])), 4)
                          for k in ("auc", "recall_at_5")} for c in CONDITIONS}
    print("mean", report["mean"])
    with open(out_path, "w") as f:
        json.dump(report, f, indent=2)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "runs/baseline.json")
