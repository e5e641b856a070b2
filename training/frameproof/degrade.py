"""One random degradation pipeline for every class (real, genuine fake, aligned fake), so that format,
compression and scale carry no label information."""
import io

import numpy as np
from PIL import Image, ImageFilter

KERNELS = [Image.BILINEAR, Image.BICUBIC, Image.LANCZOS, Image.BOX]


def random_view(img: Image.Image, rng: np.random.Generator, out: int = 128) -> Image.Image:
    """Random rescale (0.25-1.5x, never below the patch grid), crop to out x out, mild blur, JPEG/WebP re-encode."""
    w, h = img.size
    lo = max(0.25, out / min(w, h))
    scale = float(np.exp(rng.uniform(np.log(lo), np.log(max(lo, 1.5))))) if rng.random() < 0.85 else max(lo, 1.0)
    crop = min(int(np.ceil(out / scale)), w, h)
    x, y = int(rng.integers(0, w - crop + 1)), int(rng.integers(0, h - crop + 1))
    view = img.crop((x, y, x + crop, y + crop))
    if crop != out:
        view = view.resize((out, out), KERNELS[int(rng.integers(len(KERNELS)))])
    if rng.random() < 0.15:
        view = view.filter(ImageFilter.GaussianBlur(float(rng.uniform(0.3, 1.0))))
    r = rng.random()
    if r < 0.65:
        view = jpeg(view, int(rng.integers(30, 101)), int(rng.choice([0, 2])))
        if rng.random() < 0.25:
            view = jpeg(view, int(rng.integers(60, 101)), 2)
    elif r < 0.8:
        view = webp(view, int(rng.integers(40, 101)))
    return view


def give_jpeg_history(img: Image.Image, rng: np.random.Generator) -> Image.Image:
    """Almost every real photo was saved as a camera JPEG once; PNG generator outputs and autoencoder
    reconstructions were not. Giving never-compressed sources of every class the same kind of history (most of
    the time) keeps "was once a JPEG" from meaning "real"."""
    if rng.random() < 0.85:
        return jpeg(img, int(rng.integers(75, 99)), int(rng.choice([0, 2])))
    return img


def jpeg(img: Image.Image, quality: int, subsampling: int) -> Image.Image:
    """The image as it comes back from a JPEG save."""
    return _reencode(img, format="JPEG", quality=quality, subsampling=subsampling)


def webp(img: Image.Image, quality: int) -> Image.Image:
    """The image as it comes back from a lossy WebP save."""
    return _reencode(img, format="WEBP", quality=quality)


def _reencode(img: Image.Image, **save) -> Image.Image:
    buf = io.BytesIO()
    img.save(buf, **save)
    return Image.open(io.BytesIO(buf.getvalue())).convert("RGB")
