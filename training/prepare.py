"""Builds the training patch bank: degraded 64 x 64 patches of reals, genuine fakes, and aligned fakes (real photos
reconstructed by the autoencoder zoo). Deterministic for a given seed. Output: cache/bank.npz"""
import argparse
import json
import os
import time

import numpy as np
import torch
from PIL import Image

from frameproof import data
from frameproof.autoencoders import DECODER_DESIGNS, TAEF2, match_detail, train_autoencoder
from frameproof.degrade import give_jpeg_history, random_view
from frameproof.preprocess import PATCH

Image.MAX_IMAGE_PIXELS = 200_000_000


def load(item: data.Item) -> Image.Image:
    img = Image.open(os.path.join(data.DATASETS, item.path))
    img.seek(0)
    return img.convert("RGB")


def views_to_patches(img: Image.Image, n_views: int, rng: np.random.Generator) -> np.ndarray:
    out = []
    for _ in range(n_views):
        v = np.asarray(random_view(img, rng))
        for _ in range(2):
            y, x = rng.integers(0, v.shape[0] - PATCH + 1), rng.integers(0, v.shape[1] - PATCH + 1)
            out.append(v[y:y + PATCH, x:x + PATCH])
    return np.stack(out)


def content_crop(img: Image.Image, size: int, rng: np.random.Generator) -> Image.Image:
    """A crop at a typical on-screen scale: big camera frames are first shrunk so the crop holds real content."""
    short = min(img.size)
    target = float(rng.uniform(size * 1.2, max(size * 1.2, min(short, 1200))))
    if short > target:
        s = target / short
        img = img.resize((max(size, round(img.width * s)), max(size, round(img.height * s))), Image.LANCZOS)
    x, y = rng.integers(0, img.width - size + 1), rng.integers(0, img.height - size + 1)
    return img.crop((int(x), int(y), int(x) + size, int(y) + size))


def to_tensor(imgs: list[Image.Image]) -> torch.Tensor:
    return torch.from_numpy(np.stack([np.asarray(i) for i in imgs])).permute(0, 3, 1, 2).float() / 255.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "cache/bank.npz"))
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--smoke", action="store_true", help="tiny subset, few views, few AE steps (CI)")
    args = ap.parse_args()
    torch.set_num_threads(os.cpu_count() or 2)
    rng = np.random.default_rng(args.seed)
    items = data.load_items()
    if args.smoke:
        items = [i for k, i in enumerate(items) if k % 25 == 0]
    views_real, views_fake, views_aligned = (2, 2, 1) if args.smoke else (12, 16, 4)
    ae_steps = 5 if args.smoke else 200
    crop = 128 if args.smoke else 160
    t0 = time.time()

    patches, item_idx, kind, variant = [], [], [], []
    for k, it in enumerate(items):
        img = load(it)
        if not it.path.lower().endswith((".jpg", ".jpeg")):
            img = give_jpeg_history(img, rng)
        p = views_to_patches(img, views_fake if it.label else views_real, rng)
        patches.append(p)
        item_idx += [k] * len(p)
        kind += [it.label] * len(p)
        variant += [-1] * len(p)
    print(f"reals and genuine fakes: {sum(map(len, patches))} patches, {time.time() - t0:.0f}s", flush=True)

    # Aligned fakes come only from reals that no model calibrates on.
    donors = [k for k, it in enumerate(items) if not it.label and it.source not in data.CALIB_SOURCES]
    images = {k: load(items[k]) for k in donors}
    donors = [k for k in donors if min(images[k].size) >= crop]
    crops = [content_crop(images.pop(k), crop, rng) for k in donors]
    crop_tensor = to_tensor(crops)
    train_crops = torch.cat([crop_tensor[:, :, y:y + 64, x:x + 64] for y in (0, crop - 64) for x in (0, crop - 64)])
    makers = []
    for d, design in enumerate(DECODER_DESIGNS):
        for s, (stages, latent) in enumerate([(1, 12), (2, 32)]):
            makers.append((f"{design}/x{2 ** stages}", train_autoencoder(design, stages, latent, train_crops,
                                                                       ae_steps, args.seed + 10 * d + s)))
            print(f"trained {makers[-1][0]} ({time.time() - t0:.0f}s)", flush=True)
    makers.append(("taef2", TAEF2()))
    for v, (name, ae) in enumerate(makers):
        with torch.no_grad():
            recon = torch.cat([match_detail(ae(chunk), chunk) for chunk in crop_tensor.split(16)])
        arr = (recon.clamp(0, 1) * 255).round().byte().permute(0, 2, 3, 1).numpy()
        err = (recon - crop_tensor).abs().mean().item()
        for k, a in zip(donors, arr):
            p = views_to_patches(give_jpeg_history(Image.fromarray(a), rng), views_aligned, rng)
            patches.append(p)
            item_idx += [k] * len(p)
            kind += [2] * len(p)
            variant += [v] * len(p)
        print(f"aligned fakes from {name}: L1 {err:.3f} ({time.time() - t0:.0f}s)", flush=True)

    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    np.savez(args.out, patches=np.concatenate(patches), item=np.array(item_idx, np.int32), kind=np.array(kind, np.int8),
             variant=np.array(variant, np.int8), paths=np.array([i.path for i in items]),
             makers=np.array([m for m, _ in makers]))
    # A few reconstructions side by side with their source, for eyeballing what the detector is taught.
    sheet = np.concatenate([np.concatenate([np.asarray(crops[0])] + [
        (match_detail(ae(crop_tensor[:1]), crop_tensor[:1])[0].permute(1, 2, 0).detach().numpy() * 255).astype(np.uint8)
        for _, ae in makers], axis=1)], axis=0)
    Image.fromarray(sheet).save(os.path.join(os.path.dirname(args.out), "aligned_examples.png"))
    print(json.dumps({"patches": int(sum(map(len, patches))), "seconds": round(time.time() - t0)}))


if __name__ == "__main__":
    main()
