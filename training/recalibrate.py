"""Re-fits a finished run's calibration on its shipped int8 model (runs trained before train.py calibrated on
int8 had fp32-fitted thresholds). Rewrites the calibration and thresholds of both sidecars in the run folder.

  /usr/bin/python3 recalibrate.py runs/shipped runs/flux ..."""
import json
import os
import sys

import numpy as np
import torch
from sklearn.metrics import roc_auc_score

from frameproof import data
from frameproof.model import PatchDetector
from frameproof.quantize import int8_simulation
from train import CONDITIONS, calibrate, image_logits


def recalibrate(run: str):
    path = os.path.join(run, "image-artifact.json")
    sidecar = json.load(open(path))
    training = sidecar["training"]
    _, calib_items, _ = data.split(data.load_items(), training["holdout_family"])
    model = int8_simulation(os.path.join(run, sidecar["file"]),
                            PatchDetector(fused=True, front=training.get("front", "hp")))
    labels = np.array([i.label for i in calib_items])
    logits = image_logits(model, calib_items)
    calibration, levels = calibrate(logits, labels)
    auc = {c: round(float(roc_auc_score(labels, logits[c])), 4) for c in CONDITIONS}
    for side_path in (path, path.replace(".json", ".fp32.json")):
        side = json.load(open(side_path))
        side["calibration"], side["thresholds"]["levels"] = calibration, levels
        side["training"]["calibration_auc"] = auc
        side["training"]["calibrated_on"] = "int8"
        with open(side_path, "w") as f:
            json.dump(side, f, indent=2)
            f.write("\n")
    print(run, calibration, levels["medium"], auc, flush=True)


if __name__ == "__main__":
    torch.set_num_threads(1)
    for run in sys.argv[1:]:
        recalibrate(run)
