"""Worked example for docs/models.md: bring your own model to Frameproof.

Trains a tiny CNN that tells real photos from generated images (a few seconds on a CPU), exports it to ONNX with a
fixed 1x3x64x64 input, calibrates it on held-out images and writes the sidecar Frameproof's options page imports:

    /usr/bin/python3 training/examples/export_classifier.py --out /tmp/my-model
    -> /tmp/my-model/tiny-cnn.onnx and /tmp/my-model/tiny-cnn.json

Images come from ../shared/datasets (MANIFEST.tsv: label real / fake) beside the repository, or --datasets; where that
folder is missing (or with --synthetic) from synthetic pictures (smooth gradients for "real", periodic patterns for
"generated"), so the example always runs. With your own PyTorch classifier, keep only export() and write_sidecar().
The model is a demonstration of the format, not a useful detector.
"""
import argparse
import csv
import hashlib
import json
import random
from pathlib import Path

import numpy as np
import torch
from PIL import Image
from torch import nn

SIZE = 64
# What the model is fed, and what the sidecar tells Frameproof: (pixel / 255 - 0.5) / 0.5, RGB, whole image squeezed.
MEAN, STD = [0.5, 0.5, 0.5], [0.5, 0.5, 0.5]
# Share of held-out real images allowed above the "AI" line, per sensitivity level.
FALSE_ALARMS = {"low": 0.01, "medium": 0.02, "high": 0.05}
# Share of held-out generated images allowed below the "real" line, per sensitivity level.
MISSES = {"low": 0.10, "medium": 0.05, "high": 0.02}


class TinyCnn(nn.Module):
    """Two strided convolutions, global average pooling, two class logits: [real, ai]."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(3, 8, 3, stride=2, padding=1), nn.ReLU(),
                                      nn.Conv2d(8, 16, 3, stride=2, padding=1), nn.ReLU(),
                                      nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.head = nn.Linear(16, 2)

    def forward(self, image):
        return self.head(self.features(image))


def to_input(image: Image.Image) -> np.ndarray:
    """RGB, squeezed to SIZE x SIZE with an area (box) filter, normalised: the sidecar's "stretch" resize."""
    pixels = np.asarray(image.convert("RGB").resize((SIZE, SIZE), Image.BOX), dtype=np.float32) / 255
    return ((pixels - MEAN) / STD).transpose(2, 0, 1).astype(np.float32)


def dataset_images(root: Path, per_class: int, rng: random.Random):
    rows = list(csv.DictReader((root / "MANIFEST.tsv").open(encoding="utf-8"), delimiter="\t"))
    picked = []
    for label, target in (("real", 0), ("fake", 1)):
        paths = sorted(r["path"] for r in rows if r["label"] == label and r["format"] in ("png", "jpeg", "webp"))
        rng.shuffle(paths)
        picked += [(to_input(Image.open(root / p)), target) for p in paths[:per_class]]
    return picked


def synthetic_images(per_class: int, rng: random.Random):
    grid = np.mgrid[0:SIZE, 0:SIZE].astype(np.float32) / SIZE
    picked = []
    for i in range(per_class):
        colours = [rng.random() for _ in range(6)]
        smooth = np.stack([colours[c] * grid[0] + colours[c + 3] * grid[1] for c in range(3)], -1) / 2
        smooth += np.random.default_rng(i).normal(0, 0.02, smooth.shape)
        picked.append((to_input(Image.fromarray((np.clip(smooth, 0, 1) * 255).astype(np.uint8))), 0))
        period = rng.choice([2, 3, 4])
        periodic = ((np.indices((SIZE, SIZE)).sum(0) % period) / period)[..., None] * np.array(colours[:3])
        picked.append((to_input(Image.fromarray((periodic * 255).astype(np.uint8))), 1))
    return picked


def train(examples, steps: int) -> TinyCnn:
    model = TinyCnn()
    optimiser = torch.optim.Adam(model.parameters(), lr=0.01)
    images = torch.from_numpy(np.stack([x for x, _ in examples]))
    labels = torch.tensor([y for _, y in examples])
    for _ in range(steps):
        optimiser.zero_grad()
        loss = nn.functional.cross_entropy(model(images), labels)
        loss.backward()
        optimiser.step()
    return model.eval()


def ai_log_odds(model: TinyCnn, examples) -> np.ndarray:
    """logit[ai] - logit[real]: for two classes, the softmax's log-odds of "ai", which Platt scaling calibrates."""
    with torch.no_grad():
        logits = model(torch.from_numpy(np.stack([x for x, _ in examples]))).numpy()
    return logits[:, 1] - logits[:, 0]


def platt(scores: np.ndarray, labels: np.ndarray) -> tuple:
    """p = sigmoid(a * score + b), fitted by Newton's method on the log loss (a touch of L2 keeps it finite)."""
    a, b = 1.0, 0.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-(a * scores + b)))
        gradient = np.array([np.sum((p - labels) * scores) + 1e-3 * a, np.sum(p - labels)])
        w = p * (1 - p)
        hessian = np.array([[np.sum(w * scores * scores) + 1e-3, np.sum(w * scores)], [np.sum(w * scores), np.sum(w) + 1e-9]])
        a, b = np.array([a, b]) - np.linalg.solve(hessian, gradient)
    return float(a), float(b)


def thresholds(probabilities: np.ndarray, labels: np.ndarray) -> dict:
    real, ai = probabilities[labels == 0], probabilities[labels == 1]
    levels = {}
    for level in FALSE_ALARMS:
        ai_line = float(np.quantile(real, 1 - FALSE_ALARMS[level])) if len(real) else 0.5
        real_line = float(np.quantile(ai, MISSES[level])) if len(ai) else 0.5
        levels[level] = {"ai": round(min(max(ai_line, 0.5), 1.0), 4), "real": round(min(real_line, ai_line, 0.5), 4)}
    return {"default": "medium", "levels": levels}


def export(model: TinyCnn, path: Path) -> None:
    """Fixed 1x3x64x64 input named "image", output "logits" [1, 2]; opset 13 runs on onnxruntime-web's WASM and WebGPU."""
    torch.onnx.export(model, torch.zeros(1, 3, SIZE, SIZE), str(path), input_names=["image"], output_names=["logits"],
                      opset_version=13, do_constant_folding=True)


def write_sidecar(onnx_path: Path, calibration: tuple, levels: dict, source: str, training: dict) -> Path:
    a, b = calibration
    sidecar = {
        "kind": "classifier",
        "name": onnx_path.stem,
        "version": "1.0.0",
        "file": onnx_path.name,
        "sha256": hashlib.sha256(onnx_path.read_bytes()).hexdigest(),
        "licence": "your choice: this example's weights are yours",
        "source": source,
        "input": {"name": "image", "layout": "NCHW", "shape": [1, 3, SIZE, SIZE], "channels": "RGB",
                  "resize": "stretch", "scale": 255, "mean": MEAN, "std": STD},
        "output": {"name": "logits", "classes": 2, "ai_index": 1, "activation": "softmax",
                   "meaning": "class logits [real, ai-generated]"},
        "calibration": {"method": "platt", "a": round(a, 6), "b": round(b, 6)},
        "thresholds": levels,
        "training": training,
    }
    path = onnx_path.with_suffix(".json")
    path.write_text(json.dumps(sidecar, indent=2) + "\n")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="folder for tiny-cnn.onnx and tiny-cnn.json")
    parser.add_argument("--datasets", type=Path, default=Path(__file__).resolve().parents[3] / "shared" / "datasets")
    parser.add_argument("--synthetic", action="store_true", help="synthetic pictures even where the datasets exist")
    parser.add_argument("--per-class", type=int, default=40, help="images per class (a quarter is held out)")
    parser.add_argument("--steps", type=int, default=60, help="full-batch Adam steps")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    torch.manual_seed(args.seed)

    from_datasets = not args.synthetic and (args.datasets / "MANIFEST.tsv").exists()
    examples = dataset_images(args.datasets, args.per_class, rng) if from_datasets else synthetic_images(args.per_class, rng)
    rng.shuffle(examples)
    held = len(examples) // 4
    held_out, training_set = examples[:held], examples[held:]
    model = train(training_set, args.steps)

    labels = np.array([y for _, y in held_out], dtype=np.float64)
    scores = ai_log_odds(model, held_out)
    a, b = platt(scores, labels)
    probabilities = 1 / (1 + np.exp(-(a * scores + b)))
    accuracy = float(np.mean((probabilities >= 0.5) == (labels == 1)))

    args.out.mkdir(parents=True, exist_ok=True)
    onnx_path = args.out / "tiny-cnn.onnx"
    export(model, onnx_path)
    images = "../shared/datasets (real vs fake)" if from_datasets else "synthetic gradients vs periodic patterns"
    sidecar = write_sidecar(onnx_path, (a, b), thresholds(probabilities, labels),
                            "training/examples/export_classifier.py (Frameproof's worked example)",
                            {"images": images, "train": len(training_set), "held_out": held, "steps": args.steps,
                             "seed": args.seed, "held_out_accuracy": round(accuracy, 3)})
    print(f"wrote {onnx_path} ({onnx_path.stat().st_size} bytes) and {sidecar}; trained on {images}, "
          f"held-out accuracy {accuracy:.2f} on {held} images")


if __name__ == "__main__":
    main()
