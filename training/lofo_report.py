"""Reads the leave-one-family-out runs' `npm run eval` JSON reports and prints the model card's tables."""
import json
import os
import sys

from frameproof.data import FAMILIES

CONDITIONS = ("clean", "web", "hard")


def main(runs: str):
    print("| held-out family | fakes / reals | " + " | ".join(f"AUC {c}" for c in CONDITIONS) +
          " | bal. acc. clean / web / hard | real FPR clean / web / hard | int8 − fp32 AUC (clean) |")
    print("|---|---|" + "---|" * (len(CONDITIONS) + 3))
    rows = []
    for fam in FAMILIES:
        path = os.path.join(runs, fam, "eval.json")
        if not os.path.exists(path):
            continue
        r, r32 = json.load(open(path)), json.load(open(os.path.join(runs, fam, "eval.fp32.json")))
        m = {c: r["metrics"][c] for c in CONDITIONS}
        rows.append((fam, m, r32["metrics"]["clean"]["auc"]))
        print(f"| {fam} | {m['clean']['nFake']} / {m['clean']['nReal']} | " +
              " | ".join(f"{m[c]['auc']:.3f}" for c in CONDITIONS) + " | " +
              " / ".join(f"{m[c]['balancedAccuracy']:.2f}" for c in CONDITIONS) + " | " +
              " / ".join(f"{100 * m[c]['fpr']:.1f} %" for c in CONDITIONS) +
              f" | {m['clean']['auc'] - r32['conditions']['clean']['auc']:+.3f} |")
    if not rows:
        return
    mean = lambda c, k: sum(m[c][k] for _, m, _ in rows) / len(rows)
    worst = {c: min(rows, key=lambda row: row[1][c]["auc"]) for c in CONDITIONS}
    print(f"| **mean of {len(rows)}** | | " + " | ".join(f"**{mean(c, 'auc'):.3f}**" for c in CONDITIONS) + " | " +
          " / ".join(f"{mean(c, 'balancedAccuracy'):.2f}" for c in CONDITIONS) + " | " +
          " / ".join(f"{100 * mean(c, 'fpr'):.1f} %" for c in CONDITIONS) +
          f" | {sum(m['clean']['auc'] - a for _, m, a in rows) / len(rows):+.3f} |")
    print("| worst family | | " + " | ".join(f"{worst[c][0]} {worst[c][1][c]['auc']:.3f}" for c in CONDITIONS) +
          " | | | |")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "runs")
