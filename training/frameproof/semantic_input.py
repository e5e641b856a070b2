"""Semantic-branch preprocessing, the Python twin of src/detector/semantic-input.ts (tests/unit/parity.test.ts checks
both give the same tensor on fixtures). The whole image is squeezed to 224 x 224 (as nsfwjs feeds its MobileNetV2) with
an exact area filter: each output pixel is the coverage-weighted mean of the input pixels under its box, a formula
both languages compute the same way, unlike any library's resampler."""
import numpy as np

SIZE = 224


def area_weights(length: int, size: int = SIZE) -> np.ndarray:
    """[size, length] matrix: row i weights input pixels by their overlap with [i, i + 1) * length / size."""
    w = np.zeros((size, length), dtype=np.float64)
    scale = length / size
    for i in range(size):
        lo, hi = i * scale, (i + 1) * scale
        j0, j1 = int(np.floor(lo)), min(length, int(np.ceil(hi)))
        for j in range(j0, j1):
            w[i, j] = min(hi, j + 1) - max(lo, j)
        w[i] /= w[i].sum()
    return w


def semantic_input(rgb: np.ndarray) -> np.ndarray:
    """rgb: uint8 [H, W, 3] -> float32 [1, 3, 224, 224] in [0, 1]."""
    h, w, _ = rgb.shape
    wy, wx = area_weights(h), area_weights(w)
    x = rgb.astype(np.float64) / 255.0
    rows = (wy @ x.reshape(h, w * 3)).reshape(SIZE, w, 3)  # separable: rows first, then columns
    out = rows.transpose(2, 0, 1) @ wx.T
    return out[None].astype(np.float32)
