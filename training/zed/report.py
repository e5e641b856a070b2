"""Tables for training/runs/zed/report.md from the outputs of run.py (python3 training/zed/report.py [outdir]).

Every statistic is evaluated out-of-fold: on half A's folds with the sign measured on half B's folds, and vice versa.
Prints markdown to stdout.
"""
import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
from frameproof import data  # noqa: E402
from frameproof.metrics import fold_metrics  # noqa: E402
from frameproof.preprocess import CONDITIONS  # noqa: E402

out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "runs", "zed")
summ = json.load(open(os.path.join(out, "summary.json")))
stats = json.load(open(os.path.join(out, "stats.json")))
names, sign, groups = summ["names"], summ["sign_per_half"], summ["groups"]
items = data.load_items()
half_of_fam = {f: h for h, fs in groups.items() for f in fs}
fams = [f for f in data.FAMILIES if all(i.path in stats for i in data.split(items, f)[2])]


def table(name):
    j = names.index(name)
    rows = {}
    for f in fams:
        t = data.split(items, f)[2]
        s = sign[half_of_fam[f]][name]
        rows[f] = fold_metrics(t, {i.path: {c: s * stats[i.path][c][j] for c in CONDITIONS} for i in t})
    return rows


def fmt(name, rows):
    lines = [f"#### `{name}` (sign: A {'+' if sign['A'][name] > 0 else '-'}, B {'+' if sign['B'][name] > 0 else '-'})",
             "", "| family | half | n real / fake | " + " | ".join(f"{c} AUC | {c} R@5%" for c in CONDITIONS) + " |",
             "|---|---|---|" + "---|---|" * len(CONDITIONS)]
    for f in fams:
        r = rows[f]
        lines.append(f"| {f} | {half_of_fam[f]} | {r['clean']['n_real']} / {r['clean']['n_fake']} | "
                     + " | ".join(f"{r[c]['auc']:.3f} | {r[c]['recall_at_5']:.3f}" for c in CONDITIONS) + " |")
    mean = {c: (np.mean([rows[f][c]["auc"] for f in fams]), np.mean([rows[f][c]["recall_at_5"] for f in fams]))
            for c in CONDITIONS}
    lines.append("| **mean** | | | " + " | ".join(f"**{mean[c][0]:.3f}** | **{mean[c][1]:.3f}**" for c in CONDITIONS)
                 + " |")
    return "\n".join(lines) + "\n", mean


if __name__ == "__main__":
    oof = summ["oof_signed_mean_auc"]
    ranked = sorted(names, key=lambda n: -(oof["A"][n] + oof["B"][n]))
    show = [summ["chosen"]] + [n for n in ["d0"] + ranked if n != summ["chosen"]][:3]
    show = list(dict.fromkeys(show))
    print("### All statistics: out-of-fold signed mean AUC (over a half's folds and the 3 conditions)\n")
    print("| statistic | sign A | AUC on A | sign B | AUC on B | mean |\n|---|---|---|---|---|---|")
    for n in ranked:
        print(f"| {n} | {'+' if sign['A'][n] > 0 else '-'} | {oof['A'][n]:.3f} | {'+' if sign['B'][n] > 0 else '-'} "
              f"| {oof['B'][n]:.3f} | {(oof['A'][n] + oof['B'][n]) / 2:.3f} |")
    print()
    print("### Per family x condition\n")
    for n in show:
        txt, mean = fmt(n, table(n))
        print(txt)
