"""Reads the leave-one-family-out runs' `npm run eval` JSON reports and prints the model card's tables."""
import json
import os
import sys

from frameproof.data import FAMILIES
from frameproof.preprocess import CONDITIONS


def cells(metrics: dict, key: str, fmt: str) -> str:
    return " / ".join(fmt.format(metrics[c][key]) for c in CONDITIONS)


def write_reliability(sidecar_path: str, mean: dict, folds: int) -> None:
    """Stores the headline in the shipped model's sidecar, where the extension reads how far to trust the model."""
    side = json.load(open(sidecar_path))
    side["reliability"] = {
        "unseen_generator_auc": {c: round(mean[c]["auc"], 3) for c in CONDITIONS},
        "protocol": f"leave-one-generator-family-out, mean of {folds} folds (models/MODEL_CARD.md)",
    }
    with open(sidecar_path, "w") as f:
        json.dump(side, f, indent=2)
        f.write("\n")


def main(runs: str, sidecar_path: str | None):
    rows = []
    for fam in FAMILIES:
        path = os.path.join(runs, fam, "eval.json")
        if os.path.exists(path):
            int8 = json.load(open(path))["metrics"]
            fp32 = json.load(open(os.path.join(runs, fam, "eval.fp32.json")))["metrics"]
            rows.append((fam, int8, fp32))
    print("| held-out family | fakes / reals | AUC clean / web / hard | balanced acc. | real FPR | fake recall | "
          "int8 − fp32 AUC |")
    print("|---|---|---|---|---|---|---|")
    for fam, m, m32 in rows:
        drop = " / ".join(f"{m[c]['auc'] - m32[c]['auc']:+.3f}" for c in CONDITIONS)
        print(f"| {fam} | {m['clean']['nFake']} / {m['clean']['nReal']} | {cells(m, 'auc', '{:.3f}')} | "
              f"{cells(m, 'balancedAccuracy', '{:.2f}')} | {cells(m, 'fpr', '{:.3f}')} | {cells(m, 'recall', '{:.2f}')} "
              f"| {drop} |")
    if not rows:
        return
    mean = {c: {k: sum(m[c][k] for _, m, _ in rows) / len(rows) for k in ("auc", "balancedAccuracy", "fpr", "recall")}
            for c in CONDITIONS}
    drop = " / ".join(f"{sum(m[c]['auc'] - m32[c]['auc'] for _, m, m32 in rows) / len(rows):+.3f}" for c in CONDITIONS)
    print(f"| **mean of {len(rows)} folds** | | **{cells(mean, 'auc', '{:.3f}')}** | "
          f"{cells(mean, 'balancedAccuracy', '{:.2f}')} | {cells(mean, 'fpr', '{:.3f}')} | "
          f"{cells(mean, 'recall', '{:.2f}')} | {drop} |")
    if sidecar_path:
        write_reliability(sidecar_path, mean, len(rows))
    worst = " / ".join(f"{min(rows, key=lambda r: r[1][c]['auc'])[0]} {min(r[1][c]['auc'] for r in rows):.3f}"
                       for c in CONDITIONS)
    print(f"| worst family | | {worst} | | max {max(m[c]['fpr'] for _, m, _ in rows for c in CONDITIONS):.3f} | | "
          f"worst {min(m[c]['auc'] - m32[c]['auc'] for _, m, m32 in rows for c in CONDITIONS):+.3f} |")


if __name__ == "__main__":
    args = sys.argv[1:]
    sidecar = args[args.index("--sidecar") + 1] if "--sidecar" in args else None
    positional = [a for i, a in enumerate(args) if a != "--sidecar" and (i == 0 or args[i - 1] != "--sidecar")]
    main(positional[0] if positional else "runs", sidecar)
