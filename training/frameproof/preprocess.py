"""Inference preprocessing, the Python twin of src/detector/preprocess.ts.

The two must give the same tensor for the same RGB pixels (tests/unit/parity.test.ts checks it on fixtures).
An image is scored on a grid of native-resolution patches: no resizing, because resizing erases the
up-sampling traces the model looks for.
"""
import io

import numpy as np
from PIL import Image

PATCH = 64
MAX_GRID = 8  # at most 8 x 8 patches per image
MEAN = 0.5
STD = 0.5
CONDITIONS = ("clean", "web", "hard")  # the model card's test conditions, see apply_condition


def grid_positions(length: int, patch: int = PATCH, max_n: int = MAX_GRID) -> list[int]:
    """Evenly spaced patch offsets along one axis, integer arithmetic only (mirrored in TypeScript)."""
    if length < patch:
        raise ValueError(f"side {length} px is smaller than the {patch} px patch")
    n = min(max_n, length // patch)
    if n == 1:
        return [(length - patch) // 2]
    return [(i * (length - patch)) // (n - 1) for i in range(n)]


def extract_patches(rgb: np.ndarray) -> tuple[np.ndarray, list[int], list[int]]:
    """rgb: uint8 [H, W, 3] -> float32 [N, 3, P, P] normalised, row-major over the grid."""
    h, w, _ = rgb.shape
    ys, xs = grid_positions(h), grid_positions(w)
    out = np.empty((len(ys) * len(xs), 3, PATCH, PATCH), dtype=np.float32)
    k = 0
    for y in ys:
        for x in xs:
            p = rgb[y:y + PATCH, x:x + PATCH, :].astype(np.float32)
            out[k] = ((p / 255.0 - MEAN) / STD).transpose(2, 0, 1)
            k += 1
    return out, ys, xs


def top_k_mean(logits: np.ndarray, fraction: float) -> float:
    k = max(1, int(np.ceil(fraction * len(logits))))
    return float(np.sort(logits)[::-1][:k].mean())


def load_rgb(path_or_bytes) -> np.ndarray:
    img = Image.open(io.BytesIO(path_or_bytes) if isinstance(path_or_bytes, bytes) else path_or_bytes)
    img.seek(0)
    return np.asarray(img.convert("RGB"))


def apply_condition(rgb: np.ndarray, condition: str) -> np.ndarray:
    """The model card's test conditions: clean, web (<=768 px long side, JPEG q60), hard (<=512 px, JPEG q40)."""
    if condition == "clean":
        return rgb
    max_side, quality = {"web": (768, 60), "hard": (512, 40)}[condition]
    img = Image.fromarray(rgb)
    scale = max_side / max(img.size)
    if scale < 1:
        img = img.resize((max(1, round(img.width * scale)), max(1, round(img.height * scale))), Image.LANCZOS)
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=quality)
    return np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("RGB"))
