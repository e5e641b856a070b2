"""Fuses the branches: a stacking logistic regression on out-of-fold branch scores, calibrated on sources no branch
trained on, with operating points for low false-alarm rates. Also writes the model card's tables.

Each branch's logit is first standardised by the mean and spread of that same model's scores on the calibration
sources' real photos (which no model trains on): out-of-fold scores come from nine different models whose logits sit
on different scales, and a stacker fitted on them raw learns those offsets instead of the branches' worth.

Inputs (written by the branch scripts):
  runs/<family>/scores-test.json          artifact branch, out-of-fold (train.py --holdout)
  runs/<family>/scores-calibration.json   ... and that fold's model on the calibration sources
  runs/shipped/scores-calibration.json    artifact branch as shipped, on the calibration sources
  runs/semantic/oof.json                  semantic branch, out-of-fold (semantic.py lofo)
  runs/semantic/calibration-by-fold.json  ... and each fold's head on the calibration sources
  runs/semantic/scores-calibration.json   semantic branch as shipped (semantic.py ship)

  python3 fusion.py report                per-branch and fused leave-one-family-out tables (runs/fusion.md)
  python3 fusion.py ship --out FILE       the fusion sidecar the extension reads (models/image-detector.json)
"""
import argparse
import functools
import json
import os

import numpy as np
from sklearn.linear_model import LogisticRegression

from frameproof import data
from frameproof.metrics import FALSE_ALARM, fold_metrics
from frameproof.preprocess import CONDITIONS
from frameproof.sidecar import platt_and_levels
from frameproof.weights import balanced_weights

HERE = os.path.dirname(os.path.abspath(__file__))
RUNS = os.path.join(HERE, "runs")
BRANCHES = ("artifact", "semantic")
VERSION = "2.0.0"
# Sensitivity levels: the share of calibration real photos allowed above the "likely AI" line, and the share of
# calibration fakes allowed below the "likely real" line. Low false alarms first: users leave over their own photos.
LEVELS = {"low": (0.01, 0.05), "medium": (0.02, 0.10), "high": (0.05, 0.20)}


def load_oof(branch: str) -> dict:
    if branch == "artifact":
        out = {}
        for fam in data.FAMILIES:
            out.update(json.load(open(os.path.join(RUNS, fam, "scores-test.json"))))
        return out
    return json.load(open(os.path.join(RUNS, branch, "oof.json")))


@functools.cache
def load_calibration(branch: str, fold: str | None = None) -> dict:
    """A branch model's scores on the calibration sources: the shipped model's, or a fold's."""
    if fold is None:
        return json.load(open(os.path.join(RUNS, "shipped" if branch == "artifact" else branch,
                                           "scores-calibration.json")))
    if branch == "artifact":
        return json.load(open(os.path.join(RUNS, fold, "scores-calibration.json")))
    return json.load(open(os.path.join(RUNS, branch, "calibration-by-fold.json")))[fold]


def real_scale(calibration: dict, items) -> tuple[float, float]:
    """Mean and spread of a model's logits on the calibration reals, all conditions pooled."""
    reals = np.array([calibration[i.path][c] for i in items if not i.label and i.path in calibration
                      for c in CONDITIONS])
    return float(reals.mean()), float(reals.std())


def standardised_oof(scores: dict, branches, items) -> dict:
    """Out-of-fold logits, each standardised by the fold model that made it."""
    out = {b: {} for b in branches}
    for fam in data.FAMILIES:
        train, calib, test = data.split(items, fam)
        for b in branches:
            mu, sd = real_scale(load_calibration(b, fam), calib)
            for i in test:
                out[b][i.path] = {c: (scores[b][i.path][c] - mu) / sd for c in CONDITIONS}
    return out


def matrix(scores: dict, branches, items, condition: str) -> np.ndarray:
    return np.array([[scores[b][i.path][condition] for b in branches] for i in items])


def fit_stack(scores: dict, branches, items) -> LogisticRegression:
    """One weight per branch, fitted on every condition's out-of-fold scores, generators weighted equally."""
    X = np.concatenate([matrix(scores, branches, items, c) for c in CONDITIONS])
    y = np.tile([i.label for i in items], len(CONDITIONS))
    w = np.tile(balanced_weights(items), len(CONDITIONS))
    return LogisticRegression(C=1.0, max_iter=1000).fit(X, y, sample_weight=w)


def stacked(stack: LogisticRegression, scores: dict, branches, items) -> dict:
    return {i.path: {c: float(stack.decision_function(matrix(scores, branches, [i], c))[0]) for c in CONDITIONS}
            for i in items}


def lofo(scores: dict, branches, items) -> dict:
    """Fused out-of-fold scores: each fold's stacker sees only the other folds' (out-of-fold) branch scores."""
    fused = {}
    for fam in data.FAMILIES:
        test = data.split(items, fam)[2]
        test_paths = {i.path for i in test}
        others = [i for i in items if i.path not in test_paths and all(i.path in scores[b] for b in branches)]
        fused.update(stacked(fit_stack(scores, branches, others), scores, branches, test))
    return fused


def table(name_scores: dict, items) -> tuple[str, dict]:
    """Markdown: one row per family, AUC and recall at 5 % false alarms per condition, for each scorer."""
    lines = ["| held-out family | fakes / reals | " + " | ".join(
        f"{n}: AUC clean / web / hard | {n}: recall@5 % FPR" for n in name_scores) + " |",
        "|---|---|" + "---|---|" * len(name_scores)]
    means = {n: {c: {"auc": [], "recall_at_5": []} for c in CONDITIONS} for n in name_scores}
    for fam in data.FAMILIES:
        test = data.split(items, fam)[2]
        cells = []
        for n, s in name_scores.items():
            m = fold_metrics(test, s)
            for c in CONDITIONS:
                for k in ("auc", "recall_at_5"):
                    means[n][c][k].append(m[c][k])
            cells.append(" / ".join(f"{m[c]['auc']:.3f}" for c in CONDITIONS))
            cells.append(" / ".join(f"{m[c]['recall_at_5']:.2f}" for c in CONDITIONS))
        n_fake, n_real = sum(i.label for i in test), sum(1 - i.label for i in test)
        lines.append(f"| {fam} | {n_fake} / {n_real} | " + " | ".join(cells) + " |")
    mean = {n: {c: {k: float(np.mean(v)) for k, v in m.items()} for c, m in per.items()} for n, per in means.items()}
    def bold(n: str, key: str, digits: int) -> str:
        return "**" + " / ".join(f"{mean[n][c][key]:.{digits}f}" for c in CONDITIONS) + "**"
    lines.append(f"| **mean of {len(data.FAMILIES)} folds** | | " + " | ".join(
        f"{bold(n, 'auc', 3)} | {bold(n, 'recall_at_5', 2)}" for n in name_scores) + " |")
    return "\n".join(lines), mean


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("step", choices=["report", "ship"])
    ap.add_argument("--branches", default=",".join(BRANCHES))
    ap.add_argument("--out", default=os.path.join(HERE, "../models/image-detector.json"))
    args = ap.parse_args()
    branches = args.branches.split(",")
    items = data.load_items()
    raw = {b: load_oof(b) for b in branches}
    scored = [i for i in items if all(i.path in raw[b] for b in branches)]
    scores = standardised_oof(raw, branches, scored)
    fused = lofo(scores, branches, scored)
    report, mean = table({**{b: raw[b] for b in branches}, "fused": fused}, scored)
    if args.step == "report":
        os.makedirs(RUNS, exist_ok=True)
        open(os.path.join(RUNS, "fusion.md"), "w").write(report + "\n")
        print(report)
        return
    train, calib, _ = data.split(items, None)
    stack = fit_stack(scores, branches, [i for i in train if i in scored])
    shipped = {b: load_calibration(b) for b in branches}
    # The stacker reads standardised logits; folded into one linear map on the raw ones for the runtime.
    scales = {b: real_scale(shipped[b], calib) for b in branches}
    weights = {b: float(w) / scales[b][1] for b, w in zip(branches, stack.coef_[0])}
    bias = float(stack.intercept_[0]) - sum(weights[b] * scales[b][0] for b in branches)
    logits = np.concatenate([[bias + sum(weights[b] * shipped[b][i.path][c] for b in branches) for i in calib]
                             for c in CONDITIONS])
    labels = np.tile([i.label for i in calib], len(CONDITIONS))
    calibration, levels = platt_and_levels(logits, labels, LEVELS, ai_quantile="higher")
    sidecar = {
        "name": "image-detector", "version": VERSION,
        "branches": [{"name": b, "sidecar": f"image-{b}.json", "weight": round(weights[b], 6)} for b in branches],
        "bias": round(bias, 6),
        "calibration": calibration,
        "thresholds": {"default": "medium", "levels": levels},
        "reliability": {
            "unseen_generator_auc": {c: round(mean["fused"][c]["auc"], 3) for c in CONDITIONS},
            "unseen_generator_recall_at_5": {c: round(mean["fused"][c]["recall_at_5"], 3) for c in CONDITIONS},
            "false_alarm_rate": FALSE_ALARM,
            "protocol": f"leave-one-generator-family-out, fused out of fold, mean of {len(data.FAMILIES)} folds "
                        "(models/MODEL_CARD.md)",
        },
        "training": {"stacker": "logistic regression on out-of-fold branch logits, each standardised by its model's "
                                "scores on the calibration reals; generators weighted equally",
                     "standardised_weights": {b: round(float(w), 4) for b, w in zip(branches, stack.coef_[0])},
                     "calibration_sources": data.CALIB_SOURCES,
                     "calibration_images": {"real": int((labels == 0).sum() / 3), "fake": int(labels.sum() / 3)}},
    }
    with open(args.out, "w") as f:
        json.dump(sidecar, f, indent=2)
        f.write("\n")
    print(json.dumps({"out": args.out, "branches": sidecar["branches"], "reliability": sidecar["reliability"]}))


if __name__ == "__main__":
    main()
