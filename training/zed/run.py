"""ZED trial: train the real-only coding model in two cross-fitted halves and score every fold's test set out-of-fold.

    python3 training/zed/run.py            # full run (~2 x 6 min training + scoring), writes training/runs/zed/
    python3 training/zed/run.py --smoke    # a few steps on a tiny subset, writes training/runs/zed/smoke/

Cross-fitting: families in list(data.FAMILIES) order; A = even positions, B = odd. M_A trains only on real images
whose source is in REAL_SLICES of B's families (minus CALIB_SOURCES) and scores the test sets of A's folds; M_B the
other way round. No model ever sees a real image it scores.
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, HERE)
from frameproof import data  # noqa: E402
from frameproof.degrade import give_jpeg_history, random_view  # noqa: E402
from frameproof.metrics import fold_metrics  # noqa: E402
from frameproof.preprocess import CONDITIONS, apply_condition, load_rgb  # noqa: E402
from zed_model import Pyramid  # noqa: E402

torch.set_num_threads(1)
LEVELS = 3


# ---------------------------------------------------------------- data
def halves(items):
    fams = list(data.FAMILIES)
    groups = {"A": fams[0::2], "B": fams[1::2]}
    out = {}
    for h, other in (("A", "B"), ("B", "A")):
        srcs = {s for f in groups[other] for s in data.REAL_SLICES[f]} - set(data.CALIB_SOURCES)
        train = [i for i in items if i.label == 0 and i.source in srcs]
        tests = {f: data.split(items, f)[2] for f in groups[h]}
        out[h] = (train, tests)
    # the protocol's guarantee, checked: no real a half trains on is in any test set it scores
    for h in out:
        tr = {i.path for i in out[h][0]}
        assert not tr & {i.path for t in out[h][1].values() for i in t}
    return groups, out


def sample_crop(img: Image.Image, rng, crop: int) -> np.ndarray:
    """Same degradation pipeline as the other branch: JPEG history on a local region, then random_view
    (random rescale, crop, blur, JPEG/WebP re-encode)."""
    w, h = img.size
    r = min(w, h, 4 * crop)  # work on a region so that the JPEG history step stays cheap
    x, y = int(rng.integers(0, w - r + 1)), int(rng.integers(0, h - r + 1))
    region = give_jpeg_history(img.crop((x, y, x + r, y + r)), rng)
    return np.asarray(random_view(region, rng, out=crop))


# ---------------------------------------------------------------- training
def train_half(train_items, seconds, steps_max, batch, crop, seed, log):
    rng = np.random.default_rng(seed)
    torch.manual_seed(seed)
    imgs = [Image.open(os.path.join(data.DATASETS, i.path)).convert("RGB") for i in train_items]
    imgs = [im for im in imgs if min(im.size) >= crop]
    model = Pyramid(levels=LEVELS)
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    t0, step, hist = time.time(), 0, []
    while step < steps_max:
        frac = (time.time() - t0) / seconds
        if frac >= 1:
            break
        for g in opt.param_groups:  # time-based cosine schedule, 2e-3 -> 1e-4
            g["lr"] = 1e-4 + 0.5 * (2e-3 - 1e-4) * (1 + np.cos(np.pi * frac))
        xb = np.stack([sample_crop(imgs[int(rng.integers(len(imgs)))], rng, crop) for _ in range(batch)])
        x = torch.from_numpy(xb).permute(0, 3, 1, 2).float()
        loss, per = model.loss(x)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
        opt.step()
        hist.append([float(loss)] + per)
        step += 1
        if step % 100 == 0:
            m = np.mean(hist[-100:], 0)
            log(f"  step {step} {time.time() - t0:.0f}s bits/subpx {m[0]:.3f} per level {np.round(m[1:], 3).tolist()}")
    tail = np.mean(hist[-100:], 0)
    return model, {"steps": step, "seconds": round(time.time() - t0, 1), "n_train_images": len(imgs),
                   "final_bits": round(float(tail[0]), 4), "final_bits_per_level": np.round(tail[1:], 4).tolist()}


# ---------------------------------------------------------------- statistics
def window_means(m: torch.Tensor, win: int) -> np.ndarray:
    """Means of a [h,w] map over non-overlapping win x win windows."""
    h, w = m.shape
    win = max(1, min(win, h, w))
    return torch.nn.functional.avg_pool2d(m[None, None], win)[0, 0].flatten().numpy()


STAT_NAMES = []
for _k in range(LEVELS):
    STAT_NAMES += [f"nll{_k}", f"ent{_k}", f"d{_k}", f"d{_k}_g1", f"d{_k}_g2", f"d{_k}_g3", f"ratio{_k}",
                   f"dq10_{_k}", f"dq50_{_k}", f"dq90_{_k}", f"dstd_{_k}", f"dnorm_{_k}"]
STAT_NAMES += ["d0_minus_d1", "d1_minus_d2", "d_slope", "nll0_minus_nll1", "dq90_0_minus_dq10_0"]


def image_stats(model, rgb: np.ndarray, max_side: int, gen) -> list:
    """Centre crop (side a multiple of 8, <= max_side) -> the statistics of STAT_NAMES."""
    h, w, _ = rgb.shape
    s = min(max_side, (min(h, w) // 8) * 8)
    y0, x0 = (h - s) // 2, (w - s) // 2
    x = torch.from_numpy(np.array(rgb[y0:y0 + s, x0:x0 + s])).permute(2, 0, 1)[None].float()
    out, d_lv, nll_lv = [], [], []
    for k, (nll, ent) in enumerate(model.maps(x, gen=gen)):
        d = nll - ent  # [3 groups, 3 ch, h, w]
        dmap = d.mean((0, 1))  # per block, content-local map of NLL - H
        win = 8 if dmap.shape[0] >= 32 else 4
        wd = window_means(dmap, win)
        we = window_means(ent.mean((0, 1)), win)
        dm, nm, em = float(d.mean()), float(nll.mean()), float(ent.mean())
        # dnorm: D of each window divided by its entropy (content-normalised), averaged
        out += [nm, em, dm, *[float(d[g].mean()) for g in range(3)], nm / max(em, 1e-3),
                *np.quantile(wd, [0.1, 0.5, 0.9]).tolist(), float(wd.std()), float(np.mean(wd / np.maximum(we, 0.05)))]
        d_lv.append(dm)
        nll_lv.append(nm)
    slope = float(np.polyfit(np.arange(LEVELS), d_lv, 1)[0])
    q = {n: v for n, v in zip(STAT_NAMES, out)}
    out += [d_lv[0] - d_lv[1], d_lv[1] - d_lv[2], slope, nll_lv[0] - nll_lv[1], q["dq90_0"] - q["dq10_0"]]
    return out


def score_items(model, items, max_side, log):
    model.eval()
    gen = torch.Generator().manual_seed(0)
    res, t0 = {}, time.time()
    for n, it in enumerate(items):
        rgb = load_rgb(os.path.join(data.DATASETS, it.path))
        res[it.path] = {c: image_stats(model, apply_condition(rgb, c), max_side, gen) for c in CONDITIONS}
        if (n + 1) % 100 == 0:
            log(f"  scored {n + 1}/{len(items)} in {time.time() - t0:.0f}s")
    return res


# ---------------------------------------------------------------- evaluation
def auc_table(tests: dict, stats: dict, j: int, sign: float):
    """Per family -> fold_metrics for statistic j times sign."""
    return {f: fold_metrics(t, {i.path: {c: sign * stats[i.path][c][j] for c in CONDITIONS} for i in t})
            for f, t in tests.items()}


def mean_auc(tab: dict) -> float:
    return float(np.mean([tab[f][c]["auc"] for f in tab for c in CONDITIONS]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--smoke", action="store_true")
    ap.add_argument("--train-seconds", type=float, default=360)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--crop", type=int, default=64)
    ap.add_argument("--score-side", type=int, default=160)
    args = ap.parse_args()
    outdir = os.path.join(HERE, "..", "runs", "zed", "smoke" if args.smoke else "")
    os.makedirs(outdir, exist_ok=True)
    logf = open(os.path.join(outdir, "log.txt"), "w")

    def log(msg):
        print(msg, flush=True)
        logf.write(msg + "\n")
        logf.flush()

    items = data.load_items()
    groups, hv = halves(items)
    stats, train_info, tests_of = {}, {}, {}
    for h in ("A", "B"):
        train, tests = hv[h]
        steps_max = 10**9
        if args.smoke:  # tiny: 8 train images, 3 steps, 6 test items per family (3 real + 3 fake)
            train, steps_max = train[:8], 3
            tests = {f: [i for i in t if i.label == 0][:3] + [i for i in t if i.label][:3] for f, t in tests.items()}
        tests_of[h] = tests
        log(f"half {h}: train on {len(train)} reals (slices of {groups['B' if h == 'A' else 'A']}); "
            f"scores folds {groups[h]}")
        model, info = train_half(train, args.train_seconds, steps_max, args.batch, args.crop, seed=1 + (h == "B"),
                                 log=log)
        info["params_per_level"] = [sum(p.numel() for p in lm.parameters()) for lm in model.levels]
        train_info[h] = info
        log(f"  trained: {info}")
        torch.save(model.state_dict(), os.path.join(outdir, f"model_{h}.pt"))
        to_score = {i.path: i for t in tests.values() for i in t}  # an item may sit in several folds of one half
        t0 = time.time()
        stats.update(score_items(model, list(to_score.values()), args.score_side, log))
        info["score_seconds"] = round(time.time() - t0, 1)

    # ---- sign and statistic selection, out-of-fold: half X uses what the OTHER half's folds say.
    raw = {h: {n: auc_table(tests_of[h], stats, j, +1.0) for j, n in enumerate(STAT_NAMES)} for h in ("A", "B")}
    other = {"A": "B", "B": "A"}
    sign = {h: {n: (1.0 if mean_auc(raw[other[h]][n]) >= 0.5 else -1.0) for n in STAT_NAMES} for h in raw}
    # signed AUC of stat n on half h, with the sign set by the other half
    oof_auc = {h: {n: mean_auc(raw[h][n]) if sign[h][n] > 0 else 1 - mean_auc(raw[h][n]) for n in STAT_NAMES}
               for h in raw}
    # what the other half would pick for each half (fully out-of-fold selection)
    pick_by_other = {h: max(STAT_NAMES, key=lambda n: abs(mean_auc(raw[other[h]][n]) - 0.5)) for h in raw}
    # one statistic for every item (needed for comparable scores): strongest on BOTH halves, sign-agnostic,
    # and required to have the same sign on both halves (label-informed over all folds: slightly optimistic)
    consistent = [n for n in STAT_NAMES if sign["A"][n] == sign["B"][n]]
    best = max(consistent or STAT_NAMES,
               key=lambda n: min(abs(mean_auc(raw["A"][n]) - 0.5), abs(mean_auc(raw["B"][n]) - 0.5)))
    jb = STAT_NAMES.index(best)
    half_of = {i.path: h for h in ("A", "B") for t in tests_of[h].values() for i in t}
    oof = {p: {c: sign[half_of[p]][best] * stats[p][c][jb] for c in CONDITIONS} for p in stats}

    json.dump(oof, open(os.path.join(outdir, "oof.json"), "w"))
    json.dump(stats, open(os.path.join(outdir, "stats.json"), "w"))
    json.dump({"names": STAT_NAMES, "chosen": best,
               "sign_used_per_half": {h: sign[h][best] for h in sign},
               "sign_per_half": sign, "oof_signed_mean_auc": oof_auc, "picked_by_other_half": pick_by_other,
               "train": train_info, "groups": groups, "args": vars(args)},
              open(os.path.join(outdir, "summary.json"), "w"), indent=1)
    log(f"chosen statistic: {best}; picked by other half: {pick_by_other}")
    top = sorted(STAT_NAMES, key=lambda n: -(oof_auc["A"][n] + oof_auc["B"][n]))[:8]
    for n in top:
        log(f"  {n:22s} oof-signed mean AUC A {oof_auc['A'][n]:.3f} B {oof_auc['B'][n]:.3f}")


if __name__ == "__main__":
    main()
