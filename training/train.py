"""Trains one patch detector from the bank and exports it.

  --holdout FAMILY   leave-one-generator-family-out run: that family's fakes and its slice of real sources are
                     never trained on; runs/<FAMILY>/test.tsv lists them for `npm run eval`.
  (no --holdout)     the shipped model: trains on everything but the calibration sources.

Every run calibrates on the calibration sources it did not train on (frameproof/data.py), writes fp32 and int8
ONNX plus the sidecar JSON to --out."""
import argparse
import json
import os
import time

import numpy as np
import torch
import torch.nn.functional as F
from sklearn.metrics import roc_auc_score

from frameproof import data
from frameproof.model import FRONTS, PatchDetector, count_params, export_onnx, fuse_batchnorm
from frameproof.preprocess import (CONDITIONS, MAX_GRID, MEAN, PATCH, STD, apply_condition, extract_patches, load_rgb,
                                   top_k_mean)
from frameproof.quantize import activation_ranges, int8_simulation, quantize_qdq
from frameproof.sidecar import platt_and_levels, sha256

TOP_K_FRACTION = 0.25
# Sensitivity levels: the share of calibration real photos allowed above the "likely AI" line, and the share of
# calibration fakes allowed below the "likely real" line.
LEVELS = {"low": (0.01, 0.05), "medium": (0.03, 0.10), "high": (0.08, 0.20)}
VERSION = "2.0.0"


def normalise(patches_u8: np.ndarray) -> torch.Tensor:
    x = torch.from_numpy(patches_u8).permute(0, 3, 1, 2).float() / 255.0
    return (x - MEAN) / STD


def sampler(bank, train_paths: set, rng: np.random.Generator):
    """Balanced batches: half reals, a quarter genuine fakes (even over families, then generators, then images; 148
    StyleGAN2 tiles of 16 models count as one family like any other), a quarter aligned
    fakes (TAEF2 half, the own autoencoders the other half). Sampled per class and per generator, never per
    pixel, so big camera frames don't outvote small generator tiles."""
    paths, item, kind, variant = bank["paths"], bank["item"], bank["kind"], bank["variant"]
    in_train = np.array([p in train_paths for p in paths])[item]
    real = np.flatnonzero(in_train & (kind == 0))
    genuine = np.flatnonzero(in_train & (kind == 1))
    aligned = np.flatnonzero(in_train & (kind == 2))
    source = np.array([p.split("/")[1] for p in paths])[item][genuine]
    fam = np.array([data.family_of(s) for s in source])
    w_gen = np.zeros(len(genuine))
    for f in np.unique(fam):
        sources = np.unique(source[fam == f])
        for s in sources:
            sel = source == s
            w_gen[sel] = 1.0 / (len(sources) * sel.sum())
    w_gen /= w_gen.sum()
    # TAEF2 distils a real generator's decoder, so it gets half the aligned share; the own autoencoders the rest.
    makers = [str(m) for m in bank["makers"]]
    w_al = np.zeros(len(aligned))
    for v in np.unique(variant[aligned]):
        sel = variant[aligned] == v
        w_al[sel] = (0.5 if makers[v] == "taef2" else 0.5 / (len(makers) - 1)) / sel.sum()
    w_al /= w_al.sum()

    def batch(size: int):
        idx = np.concatenate([rng.choice(real, size // 2), rng.choice(genuine, size // 4, p=w_gen),
                              rng.choice(aligned, size - size // 2 - size // 4, p=w_al)])
        return idx, (kind[idx] > 0).astype(np.float32)
    return batch, {"real": len(real), "genuine": len(genuine), "aligned": len(aligned)}


def train(bank, train_paths, steps, batch_size, seed, front):
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    batch, counts = sampler(bank, train_paths, rng)
    model = PatchDetector(front=front)
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=2e-3, total_steps=steps, pct_start=0.1)
    patches = bank["patches"]
    model.train()
    running = 0.0
    for step in range(steps):
        idx, y = batch(batch_size)
        x = normalise(patches[idx])
        if rng.random() < 0.5:
            x = x.flip(3)
        loss = F.binary_cross_entropy_with_logits(model(x), torch.from_numpy(y))
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        running = 0.98 * running + 0.02 * loss.item() if step else loss.item()
        if step % 200 == 0 or step == steps - 1:
            print(f"  step {step:5d} loss {running:.4f}", flush=True)
    model.eval()
    return model, counts


def image_logits(model, items, conditions=CONDITIONS):
    """Top-k mean patch logit per item and condition, exactly as the TypeScript core aggregates."""
    out = {c: [] for c in conditions}
    with torch.no_grad():
        for it in items:
            rgb = load_rgb(os.path.join(data.DATASETS, it.path))
            for c in conditions:
                x, _, _ = extract_patches(apply_condition(rgb, c))
                out[c].append(top_k_mean(model(torch.from_numpy(x)).numpy(), TOP_K_FRACTION))
    return {c: np.array(v) for c, v in out.items()}


def calibrate(logits: dict, labels: np.ndarray):
    """Platt scaling on the pooled conditions, then thresholds per sensitivity from calibration quantiles."""
    z = np.concatenate([logits[c] for c in CONDITIONS])
    return platt_and_levels(z, np.concatenate([labels] * len(CONDITIONS)), LEVELS)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bank", default=os.path.join(os.path.dirname(__file__), "cache/bank.npz"))
    ap.add_argument("--holdout", choices=list(data.FAMILIES))
    ap.add_argument("--out", required=True)
    ap.add_argument("--steps", type=int, default=1200)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--front", choices=FRONTS, default="hp", help="what the CNN sees (frameproof/model.py)")
    ap.add_argument("--smoke", action="store_true", help="calibrate on a handful of images (CI)")
    args = ap.parse_args()
    torch.set_num_threads(int(os.environ.get("FRAMEPROOF_THREADS", os.cpu_count() or 2)))
    t0 = time.time()
    os.makedirs(args.out, exist_ok=True)
    bank = dict(np.load(args.bank))
    items = data.load_items()
    train_items, calib_items, test_items = data.split(items, args.holdout)
    if args.smoke:
        calib_items = calib_items[::10]
    model, counts = train(bank, {i.path for i in train_items}, args.steps, args.batch, args.seed, args.front)
    fused = fuse_batchnorm(model)
    print(f"trained in {time.time() - t0:.0f}s; patches {counts}", flush=True)

    fp32, int8 = os.path.join(args.out, "image-artifact.fp32.onnx"), os.path.join(args.out, "image-artifact.onnx")
    export_onnx(fused, fp32)
    rng = np.random.default_rng(args.seed)
    train_patch = np.flatnonzero(np.isin(bank["paths"][bank["item"]], [i.path for i in train_items]))
    ranges = activation_ranges(fused, normalise(bank["patches"][rng.choice(train_patch, min(2048, len(train_patch)),
                                                                          replace=False)]))
    quantize_qdq(fp32, int8, ranges)
    # Calibrate what ships: the int8 model's scores sit a little above the fp32 model's.
    shipped = int8_simulation(int8, PatchDetector(fused=True, front=args.front))
    labels = np.array([i.label for i in calib_items])
    calib_logits = image_logits(shipped, calib_items)
    calibration, levels = calibrate(calib_logits, labels)

    sidecar = {
        "name": "image-artifact", "version": VERSION, "file": "image-artifact.onnx", "sha256": sha256(int8),
        "parameters": count_params(fused),
        "input": {"name": "patches", "layout": "NCHW", "channels": "RGB", "patch": PATCH, "max_grid": MAX_GRID,
                  "min_side": PATCH, "max_pixels": 50_000_000, "mean": [MEAN] * 3, "std": [STD] * 3},
        "output": {"name": "logits", "meaning": "per-patch logit; higher = more likely AI-generated"},
        "aggregation": {"method": "top_k_mean", "fraction": TOP_K_FRACTION},
        "calibration": calibration,
        "thresholds": {"default": "medium", "levels": levels},
        "training": {
            "holdout_family": args.holdout, "front": args.front, "steps": args.steps, "batch": args.batch,
            "seed": args.seed,
            "train_images": len(train_items), "train_patches": counts,
            "calibration_sources": data.CALIB_SOURCES,
            "calibrated_on": "int8",
            "calibration_images": {"real": int((labels == 0).sum()), "fake": int(labels.sum())},
            "calibration_auc": {c: round(float(roc_auc_score(labels, calib_logits[c])), 4) for c in CONDITIONS},
            "aligned_fake_makers": [str(m) for m in bank["makers"]],
            "quantization": "static QDQ int8: per-channel symmetric weights, per-tensor uint8 activations",
        },
    }
    # The fp32 twin gets its own sidecar so `npm run eval` can measure the quantisation drop with checksums on.
    for path, side in ((int8, sidecar), (fp32, {**sidecar, "file": os.path.basename(fp32), "sha256": sha256(fp32)})):
        with open(path.replace(".onnx", ".json"), "w") as f:
            json.dump(side, f, indent=2)
            f.write("\n")
    # Scores the fusion is fitted and calibrated on: out-of-fold (the held-out family and real slice) and calibration.
    scored = {"calibration": (calib_items, calib_logits)}
    if args.holdout:
        scored["test"] = (test_items, image_logits(shipped, test_items))
    for name, (its, logits) in scored.items():
        with open(os.path.join(args.out, f"scores-{name}.json"), "w") as f:
            json.dump({it.path: {c: round(float(logits[c][k]), 5) for c in CONDITIONS} for k, it in enumerate(its)}, f)
    with open(os.path.join(args.out, "test.tsv"), "w") as f:
        f.write("path\tlabel\tgroup\n")
        for it in test_items:
            f.write(f"{os.path.abspath(os.path.join(data.DATASETS, it.path))}\t{'fake' if it.label else 'real'}\t"
                    f"{it.family if it.label else it.source}\n")
    print(json.dumps({"out": args.out, "calibration_auc": sidecar["training"]["calibration_auc"],
                      "seconds": round(time.time() - t0)}), flush=True)


if __name__ == "__main__":
    main()
