"""Sample weights that count generators, not files (148 StyleGAN2 tiles of 16 models must not outvote one FLUX image)."""
from collections import Counter

import numpy as np


def balanced_weights(items) -> np.ndarray:
    """Fakes: each family the same total, split evenly over its generators, then images. Reals: each source the same
    total, then images. The two classes weigh the same; the mean weight is 1."""
    fam_sources = {}
    for it in items:
        if it.label:
            fam_sources.setdefault(it.family, set()).add(it.source)
    per_source = Counter(it.source for it in items)
    real_sources = {it.source for it in items if not it.label}
    w = np.array([1.0 / (len(fam_sources) * len(fam_sources[it.family]) * per_source[it.source]) if it.label else
                  1.0 / (len(real_sources) * per_source[it.source]) for it in items])
    return w * len(items) / w.sum()
