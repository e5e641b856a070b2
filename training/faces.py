"""The face-swap branch: a self-blended-images (SBI, Shiohara & Yamasaki, CVPR 2022) classifier on YuNet face crops.

  python3 faces.py index                 YuNet faces of every corpus still (cache/faces-index.json)
  python3 faces.py fixtures              tests/fixtures/parity/face-crop.json and face-detections.json (TS twin)
  python3 faces.py train [--out DIR]     SBI fine-tuning of nsfwjs's MobileNetV2 on real training faces, ONNX export,
                                         Platt calibration + levels on the held-out calibration faces, sidecar
  python3 faces.py eval  [--out DIR]     face-swap stills vs the evaluation reals, SBI vs MesoNet, clean/web/hard
                                         (runs/faces.md)
  python3 faces.py smoke                 a few steps on a tiny subset into a temp dir (CI)

Training never sees a fake/* file or a video: the "fakes" are real faces blended with a jittered copy of themselves.
The evaluation reals (faces-video-frames, roop-target-frames, the BlendFace target and the GHOST Beckham photo, the
real sides of the face-swap pairs) are never trained or calibrated on either."""
import argparse
import csv
import hashlib
import json
import math
import os
import shutil
import sys
import tempfile
import time

import cv2
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from sklearn.metrics import roc_auc_score

from frameproof import backbone, data, faces
from frameproof.degrade import jpeg
from frameproof.metrics import recall_at
from frameproof.preprocess import CONDITIONS, apply_condition, load_rgb
from frameproof.sidecar import platt_and_levels, sha256

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CACHE = os.path.join(HERE, "cache")
INDEX = os.path.join(CACHE, "faces-index.json")
VERSION = "1.0.0"
SEED = 20261201
SIZE = faces.CROP_SIZE

EVAL_REAL_SOURCES = ("faces-video-frames", "roop-target-frames")
EVAL_REAL_FILES = ("real/faces-web-2/blendface_target.png", "real/faces-web/ghost_beckham.jpg")
FAKE_PREFIX = "fake/faceswap-"
# Threshold levels: the share of calibration real faces above the "likely face swap" line.
LEVELS = {"low": (0.01, 0.05), "medium": (0.02, 0.10), "high": (0.05, 0.20)}
CALIB_SHARE = 0.20


def manifest_stills() -> list[str]:
    with open(os.path.join(data.DATASETS, "MANIFEST.tsv"), newline="") as f:
        return sorted(r["path"] for r in csv.DictReader(f, delimiter="\t") if r["path"].split("/")[0] in ("real", "fake"))


def is_eval_real(path: str) -> bool:
    return path.split("/")[1] in EVAL_REAL_SOURCES or path in EVAL_REAL_FILES


def group_of(path: str) -> str:
    """Source folder; faces-web is split further by the repository its files came from (file-name prefix)."""
    top, source, name = path.split("/")[:3]
    if source == "faces-web":
        return f"{source}/{name.split('_')[0]}"
    return source


def rounded(faces_: list[dict], nd: int = 2) -> list[dict]:
    return [{"box": [round(v, nd) for v in f["box"]], "landmarks": [[round(v, nd) for v in p] for p in f["landmarks"]],
             "score": round(f["score"], 4)} for f in faces_]


# ---------------------------------------------------------------------------------------------------------- index

def build_index(paths=None, out=INDEX) -> dict:
    det = faces.Detector()
    paths = paths or manifest_stills()
    index = {}
    t = time.time()
    for k, p in enumerate(paths):
        rgb = load_rgb(os.path.join(data.DATASETS, p))
        index[p] = {"size": [int(rgb.shape[1]), int(rgb.shape[0])], "faces": rounded(det(rgb), 3)}
        if k % 100 == 0:
            print(f"  index {k}/{len(paths)} {time.time() - t:.0f}s", flush=True)
    os.makedirs(os.path.dirname(out), exist_ok=True)
    json.dump(index, open(out, "w"))
    n = sum(len(v["faces"]) for v in index.values())
    print(f"faces index: {len(index)} images, {n} faces -> {out}")
    return index


def load_index() -> dict:
    if not os.path.exists(INDEX):
        return build_index()
    return json.load(open(INDEX))


def training_faces(index: dict):
    """(train, calib): lists of (path, face) from real images outside the evaluation reals; calib = whole groups,
    about CALIB_SHARE of the faces, picked by a hash of the group name (deterministic, not by looking at scores)."""
    pool = [(p, f) for p, v in sorted(index.items()) if p.startswith("real/") and not is_eval_real(p)
            for f in v["faces"]]
    counts = {}
    for p, _ in pool:
        counts[group_of(p)] = counts.get(group_of(p), 0) + 1
    order = sorted(counts, key=lambda g: hashlib.sha256(g.encode()).hexdigest())
    calib_groups, n = set(), 0
    for g in order:
        if n >= CALIB_SHARE * len(pool):
            break
        if n + counts[g] <= 1.3 * CALIB_SHARE * len(pool):
            calib_groups.add(g)
            n += counts[g]
    train = [(p, f) for p, f in pool if group_of(p) not in calib_groups]
    calib = [(p, f) for p, f in pool if group_of(p) in calib_groups]
    return train, calib, sorted(calib_groups), counts



# ------------------------------------------------------------------------------------------------- face samples

PRE_SCALE = 2.0  # the cached square around each training face (training crops take 1.3-1.7 of the face inside it)
PRE_MAX = 448  # its side is capped (area-downscaled) to keep memory small
MIN_TRAIN_FACE = 48  # smaller detections make blurry 224 px crops with little to blend


class Face:
    """One face: a square uint8 region around it (PRE_SCALE x the face box) and the box / landmarks in its pixels."""

    def __init__(self, path: str, rgb: np.ndarray, face: dict):
        x0, y0, s = faces.crop_window(face["box"], PRE_SCALE)
        region = faces.square_crop(rgb, face["box"], PRE_SCALE)
        k = 1.0
        if s > PRE_MAX:
            k = PRE_MAX / s
            region = cv2.resize(region, (PRE_MAX, PRE_MAX), interpolation=cv2.INTER_AREA)
        self.path, self.region = path, np.ascontiguousarray(region)
        bx, by, bw, bh = face["box"]
        self.box = np.array([(bx - x0) * k, (by - y0) * k, bw * k, bh * k])
        self.landmarks = (np.array(face["landmarks"]) - [x0, y0]) * k


def load_faces(pairs, min_face: int = MIN_TRAIN_FACE) -> list[Face]:
    out, cache = [], {}
    for p, f in pairs:
        if max(f["box"][2], f["box"][3]) < min_face:
            continue
        if p not in cache:
            cache.clear()
            cache[p] = load_rgb(os.path.join(data.DATASETS, p))
        out.append(Face(p, cache[p], f))
    return out


def view(face: Face, rng: np.random.Generator | None, scale: float | None = None):
    """A 224 x 224 uint8 crop like face_crop's (scale 1.5, centred) or, for training, a random scale 1.3-1.7 and a
    small random shift; returns (crop, box, landmarks) in crop pixels."""
    bx, by, bw, bh = face.box
    side = (scale or rng.uniform(1.3, 1.7)) * max(bw, bh)
    cx, cy = bx + bw / 2, by + bh / 2
    if rng is not None:
        cx += rng.uniform(-0.05, 0.05) * side
        cy += rng.uniform(-0.05, 0.05) * side
    k = SIZE / side
    src, sx, sy = face.region, 1.0, 1.0
    if k < 1:  # warpAffine has no area filter: area-downscale the region first, then only shift
        h, w = face.region.shape[:2]
        src = cv2.resize(face.region, (max(1, round(w * k)), max(1, round(h * k))), interpolation=cv2.INTER_AREA)
        sx, sy = src.shape[1] / w, src.shape[0] / h
    m = np.array([[k / sx, 0, SIZE / 2 - k * cx], [0, k / sy, SIZE / 2 - k * cy]])
    crop = cv2.warpAffine(src, m, (SIZE, SIZE), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    box = np.array([k * bx + m[0, 2], k * by + m[1, 2], k * bw, k * bh])
    lms = face.landmarks * k + [m[0, 2], m[1, 2]]
    return crop, box, lms


# ------------------------------------------------------------------------------------------- self-blended images

def _colour_jitter(img: np.ndarray, rng) -> np.ndarray:
    x = img.astype(np.float32)
    if rng.random() < 0.7:  # RGB shift
        x += rng.uniform(-20, 20, size=3).astype(np.float32)
    if rng.random() < 0.7:  # hue / saturation
        hsv = cv2.cvtColor(np.clip(x, 0, 255).astype(np.uint8), cv2.COLOR_RGB2HSV).astype(np.float32)
        hsv[..., 0] = (hsv[..., 0] + rng.uniform(-8, 8)) % 180
        hsv[..., 1] = np.clip(hsv[..., 1] * rng.uniform(0.8, 1.2), 0, 255)
        x = cv2.cvtColor(hsv.astype(np.uint8), cv2.COLOR_HSV2RGB).astype(np.float32)
    if rng.random() < 0.7:  # brightness / contrast
        mean = x.mean()
        x = (x - mean) * rng.uniform(0.85, 1.15) + mean + rng.uniform(-20, 20)
    return np.clip(x, 0, 255).astype(np.uint8)


def _frequency_jitter(img: np.ndarray, rng) -> np.ndarray:
    r = rng.random()
    if r < 0.25:  # sharpen
        blur = cv2.GaussianBlur(img, (0, 0), rng.uniform(0.8, 1.5))
        return cv2.addWeighted(img, 1 + rng.uniform(0.3, 1.0), blur, -rng.uniform(0.3, 1.0), 0)
    if r < 0.5:  # blur
        return cv2.GaussianBlur(img, (0, 0), rng.uniform(0.5, 1.5))
    if r < 0.75:  # down-up sample
        f = rng.uniform(0.35, 0.8)
        small = cv2.resize(img, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
        return cv2.resize(small, (img.shape[1], img.shape[0]), interpolation=cv2.INTER_LINEAR)
    return img


def _geometric_jitter(img: np.ndarray, rng) -> np.ndarray:
    h, w = img.shape[:2]
    s = rng.uniform(0.95, 1.05)
    tx, ty = rng.uniform(-0.03, 0.03) * w, rng.uniform(-0.03, 0.03) * h
    m = np.array([[s, 0, (1 - s) * w / 2 + tx], [0, s, (1 - s) * h / 2 + ty]])
    return cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)


def blend_mask(shape, box, lms, rng) -> np.ndarray:
    """Float mask in [0, 1] from the 5 landmarks: the landmarks' hull pushed out from its centre (random amount),
    stretched up to the brows and down to the chin, or the face box's inscribed ellipse at a random size; then an
    elastic deformation and Gaussian-blurred edges."""
    h, w = shape[:2]
    mask = np.zeros((h, w), np.float32)
    eyes, nose, mouth = lms[:2].mean(0), lms[2], lms[3:].mean(0)
    down = mouth - eyes
    if rng.random() < 0.6:
        pts = [*lms, eyes - down * rng.uniform(0.4, 0.9) + (lms[0] - eyes) * 0.3,  # brows / forehead
               eyes - down * rng.uniform(0.4, 0.9) + (lms[1] - eyes) * 0.3,
               mouth + down * rng.uniform(0.3, 0.7)]  # chin
        pts = np.array(pts)
        c = pts.mean(0)
        pts = c + (pts - c) * rng.uniform(1.1, 1.7)
        cv2.fillConvexPoly(mask, cv2.convexHull(pts.astype(np.float32)).astype(np.int32), 1.0)
    else:
        bx, by, bw, bh = box
        k = rng.uniform(0.65, 1.0)
        cv2.ellipse(mask, (int(bx + bw / 2), int(by + bh / 2 + rng.uniform(-0.05, 0.1) * bh)),
                    (max(2, int(bw / 2 * k)), max(2, int(bh / 2 * k * rng.uniform(0.95, 1.15)))),
                    0, 0, 360, 1.0, -1)
    # elastic deformation: a smooth random displacement field
    amp = rng.uniform(2, 10)
    dx = cv2.resize(rng.uniform(-1, 1, (5, 5)).astype(np.float32), (w, h), interpolation=cv2.INTER_CUBIC) * amp
    dy = cv2.resize(rng.uniform(-1, 1, (5, 5)).astype(np.float32), (w, h), interpolation=cv2.INTER_CUBIC) * amp
    gx, gy = np.meshgrid(np.arange(w, dtype=np.float32), np.arange(h, dtype=np.float32))
    mask = cv2.remap(mask, gx + dx, gy + dy, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT)
    if rng.random() < 0.3:  # erode or dilate a little before the blur
        k = int(rng.integers(3, 12))
        mask = (cv2.erode if rng.random() < 0.5 else cv2.dilate)(mask, np.ones((k, k), np.uint8))
    sigma = rng.uniform(2, 12)
    mask = cv2.GaussianBlur(mask, (0, 0), sigma)
    return np.clip(mask / max(mask.max(), 1e-6), 0, 1)


BLEND_RATIOS = (0.25, 0.5, 0.75, 1.0, 1.0, 1.0)


def self_blend(img: np.ndarray, box, lms, rng) -> np.ndarray:
    """SBI: the face blended with a colour-, frequency- and geometry-jittered copy of itself inside a landmark mask."""
    src, tgt = img.copy(), img
    if rng.random() < 0.5:  # jitter either side, as SBI does (source or target gets the transform)
        src = _colour_jitter(src, rng)
    else:
        tgt = _colour_jitter(tgt, rng)
    src = _frequency_jitter(src, rng)
    src = _geometric_jitter(src, rng)
    mask = blend_mask(img.shape, box, lms, rng)[..., None] * float(rng.choice(BLEND_RATIOS))
    out = src.astype(np.float32) * mask + tgt.astype(np.float32) * (1 - mask)
    return np.clip(out + 0.5, 0, 255).astype(np.uint8)


def degrade(img: np.ndarray, rng) -> np.ndarray:
    """The shared degradation pipeline for both classes: down-up sampling, JPEG q 40-95, horizontal flip."""
    if rng.random() < 0.5:
        f = rng.uniform(0.4, 1.0)
        small = cv2.resize(img, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
        img = cv2.resize(small, (img.shape[1], img.shape[0]),
                         interpolation=[cv2.INTER_LINEAR, cv2.INTER_CUBIC][int(rng.integers(2))])
    if rng.random() < 0.8:
        img = np.asarray(jpeg(Image.fromarray(img), int(rng.integers(40, 96)), int(rng.choice([0, 2]))))
    if rng.random() < 0.5:
        img = img[:, ::-1]
    return np.ascontiguousarray(img)


def pair(face: Face, rng, scale: float | None = None, clean: bool = False):
    """(real, fake) uint8 224 px views of one face, each through the degradation pipeline unless clean."""
    crop, box, lms = view(face, rng if scale is None else None, scale)
    fake = self_blend(crop, box, lms, rng)
    if clean:
        return crop, fake
    return degrade(crop, rng), degrade(fake, rng)


def to_tensor(batch: list[np.ndarray]) -> torch.Tensor:
    return torch.from_numpy(np.stack(batch)).permute(0, 3, 1, 2).float() / 255.0


# ------------------------------------------------------------------------------------------------------- models

class FaceSwapNet(nn.Module):
    """nsfwjs MobileNetV2 (pixel/255 RGB 224) -> pooled taps -> dropout -> one logit (higher = face swap)."""

    def __init__(self, net: backbone.MobileNetV2, freeze_until: str = "block_3_add"):
        super().__init__()
        self.net = net
        width = net.width
        self.drop = nn.Dropout(0.2)
        self.head = nn.Linear(width, 1)
        nn.init.zeros_(self.head.weight)
        nn.init.zeros_(self.head.bias)
        frozen = True
        for name, kind, _, _ in net.steps:
            if kind == "conv" and frozen:
                for p in net.convs[name].parameters():
                    p.requires_grad_(False)
            if name == freeze_until:
                frozen = False

    def forward(self, x):
        return self.head(self.drop(self.net(x))).squeeze(1)


class Meso4(nn.Module):
    """MesoNet Meso4 (Afchar et al. 2018, DariusAf/MesoNet, Apache-2.0) rebuilt from its Keras 2.1.5 HDF5."""

    def __init__(self, path: str, leaky: bool = True):
        super().__init__()
        import h5py
        f = h5py.File(path, "r")
        w = {}
        f.visititems(lambda n, o: w.__setitem__(n.split("/")[-1].split(":")[0] + "@" + n.split("/")[0], o[()])
                     if hasattr(o, "shape") else None)
        names = [n.decode() for n in f.attrs["layer_names"]]
        convs = [n for n in names if n.startswith("conv2d")]
        bns = [n for n in names if n.startswith("batch_norm")]
        dense = [n for n in names if n.startswith("dense")]
        self.leaky = leaky
        self.convs = nn.ModuleList()
        for c, b in zip(convs, bns):
            k = torch.from_numpy(w[f"kernel@{c}"]).permute(3, 2, 0, 1)
            conv = nn.Conv2d(k.shape[1], k.shape[0], k.shape[2], padding=k.shape[2] // 2)
            conv.weight.data, conv.bias.data = k.contiguous(), torch.from_numpy(w[f"bias@{c}"])
            bn = nn.BatchNorm2d(k.shape[0], eps=1e-3)
            bn.weight.data, bn.bias.data = torch.from_numpy(w[f"gamma@{b}"]), torch.from_numpy(w[f"beta@{b}"])
            bn.running_mean.data = torch.from_numpy(w[f"moving_mean@{b}"])
            bn.running_var.data = torch.from_numpy(w[f"moving_variance@{b}"])
            self.convs.append(nn.Sequential(conv, nn.ReLU(), bn))
        self.fc1, self.fc2 = nn.Linear(1024, 16), nn.Linear(16, 1)
        for fc, n in ((self.fc1, dense[0]), (self.fc2, dense[1])):
            fc.weight.data = torch.from_numpy(w[f"kernel@{n}"]).T.contiguous()
            fc.bias.data = torch.from_numpy(w[f"bias@{n}"])
        self.has_leaky_layer = any("leaky" in n for n in names)
        self.eval()

    def forward(self, x):  # x: [N, 3, 256, 256] RGB /255 -> logit of the sigmoid (1 = real)
        for i, block in enumerate(self.convs):
            x = F.max_pool2d(block(x), 4 if i == 3 else 2)
        x = x.permute(0, 2, 3, 1).flatten(1)  # Keras flattens channels-last
        x = self.fc1(x)
        if self.leaky:
            x = F.leaky_relu(x, 0.1)
        return self.fc2(x).squeeze(1)


class MesoInception4(nn.Module):
    """MesoInception4 from the same repository and HDF5 conventions."""

    def __init__(self, path: str):
        super().__init__()
        import h5py
        f = h5py.File(path, "r")
        w = {}
        f.visititems(lambda n, o: w.__setitem__(n.split("/")[-1].split(":")[0] + "@" + n.split("/")[0], o[()])
                     if hasattr(o, "shape") else None)
        self.w = w

        def conv(n, dil=1):
            k = torch.from_numpy(w[f"kernel@{n}"]).permute(3, 2, 0, 1)
            c = nn.Conv2d(k.shape[1], k.shape[0], k.shape[2], padding=dil * (k.shape[2] // 2), dilation=dil)
            c.weight.data, c.bias.data = k.contiguous(), torch.from_numpy(w[f"bias@{n}"])
            return c

        def bn(n):
            b = nn.BatchNorm2d(len(w[f"gamma@{n}"]), eps=1e-3)
            b.weight.data, b.bias.data = torch.from_numpy(w[f"gamma@{n}"]), torch.from_numpy(w[f"beta@{n}"])
            b.running_mean.data = torch.from_numpy(w[f"moving_mean@{n}"])
            b.running_var.data = torch.from_numpy(w[f"moving_variance@{n}"])
            return b
        # Inception(a, b, c, d): [1x1 a], [1x1 b, 3x3 b], [1x1 c, 3x3 c dil 2], [1x1 d, 3x3 d dil 3]
        self.inc = nn.ModuleList()
        for first in (1, 8):
            n = [f"conv2d_{first + i}" for i in range(7)]
            self.inc.append(nn.ModuleList([conv(n[0]), conv(n[1]), conv(n[2]), conv(n[3]), conv(n[4], 2),
                                           conv(n[5]), conv(n[6], 3)]))
        self.bns = nn.ModuleList([bn(f"batch_normalization_{i}") for i in (1, 2, 3, 4)])
        self.c15, self.c16 = conv("conv2d_15"), conv("conv2d_16")
        self.fc1, self.fc2 = nn.Linear(1024, 16), nn.Linear(16, 1)
        for fc, n in ((self.fc1, "dense_1"), (self.fc2, "dense_2")):
            fc.weight.data = torch.from_numpy(w[f"kernel@{n}"]).T.contiguous()
            fc.bias.data = torch.from_numpy(w[f"bias@{n}"])
        self.eval()

    def forward(self, x):
        r = F.relu
        for i, c in enumerate(self.inc):
            x = torch.cat([r(c[0](x)), r(c[2](r(c[1](x)))), r(c[4](r(c[3](x)))), r(c[6](r(c[5](x))))], 1)
            x = F.max_pool2d(self.bns[i](x), 2)
        x = F.max_pool2d(self.bns[2](r(self.c15(x))), 2)
        x = F.max_pool2d(self.bns[3](r(self.c16(x))), 4)
        x = x.permute(0, 2, 3, 1).flatten(1)
        return self.fc2(F.leaky_relu(self.fc1(x), 0.1)).squeeze(1)



# ------------------------------------------------------------------------------------------------------ training

def load_backbone() -> backbone.MobileNetV2:
    return backbone.MobileNetV2(backbone.fetch(CACHE))


def group_weights(items: list[Face]) -> np.ndarray:
    """Sampling weights: each source group counts with the square root of its face count (89 pose-dataset frames
    must not drown 3 FFHQ faces, nor count the same as them)."""
    counts = {}
    for f in items:
        counts[group_of(f.path)] = counts.get(group_of(f.path), 0) + 1
    w = np.array([1.0 / math.sqrt(counts[group_of(f.path)]) for f in items])
    return w / w.sum()


def calibration_set(items: list[Face], seed: int = SEED + 1):
    """Per calibration face: its clean face_crop-like view and one degraded view (reals), and one SBI of each
    (fakes). Fixed seed, so the calibration set is the same every run."""
    rng = np.random.default_rng(seed)
    reals, fakes = [], []
    for f in items:
        crop, box, lms = view(f, None, faces.CROP_SCALE)
        fake = self_blend(crop, box, lms, rng)
        reals += [crop, degrade(crop, rng)]
        fakes += [fake, degrade(self_blend(crop, box, lms, rng), rng)]
    return reals, fakes


@torch.no_grad()
def logits_of(model, imgs: list[np.ndarray], batch: int = 32) -> np.ndarray:
    model.eval()
    out = [model(to_tensor(imgs[i:i + batch])).numpy() for i in range(0, len(imgs), batch)]
    return np.concatenate(out) if out else np.zeros(0)


def train(args):
    torch.manual_seed(SEED)
    rng = np.random.default_rng(SEED)
    index = load_index()
    train_pairs, calib_pairs, calib_groups, counts = training_faces(index)
    if args.smoke:
        train_pairs, calib_pairs = train_pairs[::20], calib_pairs[::10]
    train_faces, calib_faces = load_faces(train_pairs), load_faces(calib_pairs)
    print(f"training faces {len(train_faces)} (of {len(train_pairs)} detections), calibration faces "
          f"{len(calib_faces)} from groups {', '.join(calib_groups)}", flush=True)
    model = FaceSwapNet(load_backbone(), args.freeze)
    head = list(model.head.parameters())
    body = [p for n, p in model.named_parameters() if p.requires_grad and not n.startswith("head")]
    opt = torch.optim.AdamW([{"params": body, "lr": args.lr}, {"params": head, "lr": args.lr * 10}],
                            weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=[args.lr, args.lr * 10], total_steps=args.steps,
                                                pct_start=0.1)
    w = group_weights(train_faces)
    t0, losses = time.time(), []
    model.train()
    for step in range(args.steps):
        picks = rng.choice(len(train_faces), size=args.batch, p=w)
        reals, fakes = zip(*(pair(train_faces[k], rng) for k in picks))
        x = to_tensor(list(reals) + list(fakes))
        y = torch.cat([torch.zeros(len(reals)), torch.ones(len(fakes))])
        loss = F.binary_cross_entropy_with_logits(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        losses.append(loss.item())
        if (step + 1) % 50 == 0 or step == 0:
            print(f"  step {step + 1}/{args.steps} loss {np.mean(losses[-50:]):.4f} {time.time() - t0:.0f}s", flush=True)
    train_s = time.time() - t0
    model.eval()
    os.makedirs(args.out, exist_ok=True)
    torch.save(model.state_dict(), os.path.join(args.out, "face-swap.pt"))

    reals, fakes = calibration_set(calib_faces)
    lr_, lf_ = logits_of(model, reals), logits_of(model, fakes)
    logits, labels = np.concatenate([lr_, lf_]), np.concatenate([np.zeros(len(lr_)), np.ones(len(lf_))])
    in_domain_auc = float(roc_auc_score(labels, logits))
    print(f"in-domain sanity: calibration reals vs their SBI fakes AUC {in_domain_auc:.4f} "
          f"(n={len(lr_)}/{len(lf_)})", flush=True)
    calib, levels = platt_and_levels(logits, labels, LEVELS, ai_quantile="higher")
    # thresholds on the real calibration faces' clean views only (what face_crop gives at test time) would be
    # too few for a 1 % line; both views of each real face count
    thresholds = {k: v["ai"] for k, v in levels.items()}

    path = os.path.join(args.out, "face-swap.onnx")
    torch.onnx.export(model, torch.zeros(1, 3, SIZE, SIZE), path, input_names=["input"], output_names=["logit"],
                      dynamic_axes={"input": {0: "n"}, "logit": {0: "n"}}, opset_version=13, do_constant_folding=True)
    check = onnx_check(path, model, reals[:4] + fakes[:4])
    detector_path = os.path.join(faces.WEIGHTS, faces.DETECTOR_FILE)
    sidecar = {
        "name": "face-swap", "version": VERSION, "file": "face-swap.onnx", "sha256": sha256(path),
        "input": {"name": "input", "size": SIZE, "crop_scale": faces.CROP_SCALE, "layout": "NCHW", "channels": "RGB",
                  "normalisation": "pixel/255", "resize": "area",
                  "crop": "square of side 1.5 max(w, h) around the YuNet box centre, edge-replicated, see "
                          "training/frameproof/faces.py"},
        "output": {"name": "logit", "meaning": "logit, higher = face swap"},
        "aggregation": "per image: the highest face probability; no face found = no face-swap reading",
        "calibration": {**calib, "n_real": int(len(lr_)), "n_fake": int(len(lf_)),
                        "data": f"{len(calib_faces)} real faces of held-out source groups ({', '.join(calib_groups)}),"
                                " clean + one degraded view each, vs SBI pseudo-fakes of the same faces"},
        "thresholds": thresholds,
        "threshold_targets": {k: {"target_real_fpr": v["target_real_fpr"]} for k, v in levels.items()},
        "detector": {"file": faces.DETECTOR_FILE,
                     "source": "../shared/weights/yunet_n_dynamic.onnx (ShiqiYu/libfacedetection.train, Apache-2.0)",
                     "sha256": sha256(detector_path), "max_side": faces.MAX_SIDE,
                     "score_threshold": faces.SCORE_THRESHOLD, "nms_iou": faces.NMS_IOU, "min_face": faces.MIN_FACE},
        "training": {
            "method": "self-blended images (Shiohara & Yamasaki, CVPR 2022) with YuNet's 5 landmarks: each real face "
                      "blended into a colour/frequency/geometry-jittered copy of itself inside a deformed, blurred "
                      "landmark mask, blend ratio from {0.25, 0.5, 0.75, 1, 1, 1}; both classes then down-up "
                      "sampled, JPEG q40-95 and flipped at random",
            "backbone": f"{backbone.PACKAGE} MobileNetV2 (npm, MIT; ImageNet-derived, fine-tuned by nsfwjs), BatchNorm "
                        f"folded, convolutions up to {args.freeze} frozen, the rest fine-tuned; pooled taps "
                        f"{', '.join(backbone.TAPS)} -> dropout 0.2 -> linear",
            "train_faces": len(train_faces), "train_groups": len({group_of(f.path) for f in train_faces}),
            "steps": args.steps, "batch": f"{args.batch} reals + their {args.batch} SBI fakes",
            "optimiser": f"AdamW, one-cycle, max lr {args.lr:g} (head x10), weight decay 1e-4", "seed": SEED,
            "train_seconds": round(train_s), "final_loss": round(float(np.mean(losses[-100:])), 4),
            "never_trained_on": "any fake/* file, any video, the evaluation reals (faces-video-frames, "
                                "roop-target-frames, blendface_target.png, ghost_beckham.jpg), the calibration groups",
            "in_domain_auc_calibration_sbi": round(in_domain_auc, 4),
            "onnx_check_max_abs_diff": check,
        },
    }
    with open(os.path.join(args.out, "face-swap.json"), "w") as f:
        json.dump(sidecar, f, indent=2)
        f.write("\n")
    json.dump({"in_domain_auc": in_domain_auc, "calib_real": lr_.tolist(), "calib_fake": lf_.tolist()},
              open(os.path.join(args.out, "calibration-scores.json"), "w"))
    print(json.dumps({"onnx": path, "bytes": os.path.getsize(path), "thresholds": thresholds, **calib}))
    return model


_ORT_CHECK = """
import * as ort from 'onnxruntime-web';
import fs from 'fs';
const [model, inp, n] = process.argv.slice(2);
ort.env.wasm.numThreads = 1;
const buf = fs.readFileSync(inp);
const data = new Float32Array(buf.buffer, buf.byteOffset, buf.length / 4);
const s = await ort.InferenceSession.create(fs.readFileSync(model));
const out = await s.run({ input: new ort.Tensor('float32', data, [Number(n), 3, 224, 224]) });
console.log(JSON.stringify(Array.from(out[s.outputNames[0]].data)));
"""


def onnx_check(path: str, model, imgs) -> float | str:
    """Largest |ONNX - PyTorch| logit difference on a few faces, run with the extension's own onnxruntime-web (WASM)
    under node; the string says why when it could not run (no node_modules yet, no node)."""
    import subprocess
    x = to_tensor(imgs)
    with torch.no_grad():
        want = model(x).numpy()
    os.makedirs(CACHE, exist_ok=True)  # the script must sit inside the repository to resolve node_modules
    script, inp = os.path.join(CACHE, "ort-check.mjs"), os.path.join(CACHE, "ort-check.f32")
    try:
        open(script, "w").write(_ORT_CHECK)
        x.numpy().astype(np.float32).tofile(inp)
        res = subprocess.run(["node", script, os.path.abspath(path), inp, str(len(imgs))], capture_output=True,
                             text=True, timeout=300)
        if res.returncode:
            return f"not checked: {res.stderr.strip().splitlines()[-1][:120] if res.stderr.strip() else res.returncode}"
        got = np.array(json.loads(res.stdout.strip().splitlines()[-1]))
        return round(float(np.abs(got - want).max()), 6)
    except (OSError, subprocess.SubprocessError) as e:
        return f"not checked: {e}"
    finally:
        for f in (script, inp):
            if os.path.exists(f):
                os.remove(f)


def load_model(folder: str):
    model = FaceSwapNet(load_backbone())
    model.load_state_dict(torch.load(os.path.join(folder, "face-swap.pt")))
    return model.eval()


# ---------------------------------------------------------------------------------------------------- evaluation

def method_of(path: str) -> str:
    source = path.split("/")[1]
    if source == "faceswap-ffpp":
        return "ffpp-" + path.split("/")[-1].split("_")[1]
    return source


def eval_paths(index: dict):
    reals = sorted(p for p in index if p.startswith("real/") and is_eval_real(p))
    fakes = sorted(p for p in index if p.startswith(FAKE_PREFIX))
    return reals, fakes


def score_images(paths, scorers: dict, det, conditions=CONDITIONS) -> dict:
    """path -> condition -> {n_faces, scorer: max face score or None}; the detector runs on the degraded image,
    as the extension would see it."""
    out = {}
    for p in paths:
        rgb0 = load_rgb(os.path.join(data.DATASETS, p))
        out[p] = {}
        for c in conditions:
            rgb = apply_condition(rgb0, c)
            found = det(rgb)
            row = {"n_faces": len(found)}
            for name, (fn, size) in scorers.items():
                if not found:
                    row[name] = None
                    continue
                x = torch.from_numpy(np.concatenate([faces.face_crop(rgb, f["box"], size) for f in found]))
                with torch.no_grad():
                    row[name] = float(fn(x).max())
            out[p][c] = row
    return out


def metrics(real_scores, fake_scores) -> dict:
    r, f = np.array(real_scores), np.array(fake_scores)
    if len(r) == 0 or len(f) == 0:
        return {"auc": float("nan"), "recall_at_5": float("nan"), "n_real": len(r), "n_fake": len(f)}
    y = np.r_[np.zeros(len(r)), np.ones(len(f))]
    return {"auc": float(roc_auc_score(y, np.r_[r, f])) if len(set(y)) > 1 else float("nan"),
            "recall_at_5": recall_at(r, f), "n_real": len(r), "n_fake": len(f)}


def evaluate(args):
    index = load_index()
    reals, fakes = eval_paths(index)
    if args.smoke:
        reals, fakes = reals[:3], fakes[:3]
    model = load_model(args.out)
    sidecar = json.load(open(os.path.join(args.out, "face-swap.json")))
    meso = Meso4(os.path.join(faces.WEIGHTS, "Meso4_DF.h5"))
    scorers = {"sbi": (model, SIZE), "meso4": (lambda x: -meso(x), 256)}
    if not args.smoke:
        inc = MesoInception4(os.path.join(faces.WEIGHTS, "MesoInception_DF.h5"))
        scorers["mesoinception4"] = (lambda x: -inc(x), 256)
    det = faces.Detector()
    t = time.time()
    scores = score_images(reals + fakes, scorers, det, ("clean",) if args.smoke else CONDITIONS)
    print(f"scored {len(reals) + len(fakes)} images in {time.time() - t:.0f}s", flush=True)
    conds = list(next(iter(scores.values())).keys())

    # MesoNet's output convention, checked on faces no evaluation touches: its sigmoid on the held-out calibration
    # real faces (clean) and on their SBI pseudo-fakes.
    _, calib_pairs, _, _ = training_faces(index)
    calib_faces = load_faces(calib_pairs[::10] if args.smoke else calib_pairs)
    cr, cf = calibration_set(calib_faces)
    clean_r, clean_f = cr[0::2], cf[0::2]

    def meso_sigmoid(imgs):
        x = torch.from_numpy(np.concatenate([faces.area_resize(i, 256) for i in imgs]))
        with torch.no_grad():
            return torch.sigmoid(meso(x)).numpy()
    convention = {"calib_real_mean_sigmoid": float(meso_sigmoid(clean_r).mean()),
                  "calib_sbi_mean_sigmoid": float(meso_sigmoid(clean_f).mean())}
    cal = json.load(open(os.path.join(args.out, "calibration-scores.json")))

    lines = ["# Face branch: SBI vs MesoNet on the dev face-swap stills", "",
             f"Model: `{args.out}/face-swap.onnx` (sha256 {sidecar['sha256'][:16]}...). Faces: YuNet on the image "
             "after the condition is applied; per image the highest face score; AUC and recall at 5 % false alarms "
             "over images with at least one face.", "",
             f"Evaluation reals: {len(reals)} images ({', '.join(EVAL_REAL_SOURCES)}, "
             f"{', '.join(p.split('/')[-1] for p in EVAL_REAL_FILES)}); fakes: {len(fakes)} images of "
             f"fake/faceswap-*. Nothing here was trained, calibrated or tuned on.", ""]
    table = {}
    lines += ["| model | condition | AUC | recall @ 5 % FPR | reals / fakes with a face |", "|---|---|---|---|---|"]
    for name in scorers:
        for c in conds:
            r = [scores[p][c][name] for p in reals if scores[p][c][name] is not None]
            f = [scores[p][c][name] for p in fakes if scores[p][c][name] is not None]
            m = metrics(r, f)
            table[(name, c)] = m
            lines.append(f"| {name} | {c} | {m['auc']:.3f} | {m['recall_at_5']:.2f} | {m['n_real']} / {m['n_fake']} |")
    lines += ["", "Per method (fakes of one method vs all evaluation reals), AUC clean / web / hard:", "",
              "| method | n | " + " | ".join(scorers) + " |", "|---|---|" + "---|" * len(scorers)]
    methods = sorted({method_of(p) for p in fakes})
    for meth in methods:
        mf = [p for p in fakes if method_of(p) == meth]
        cells = []
        for name in scorers:
            vals = []
            for c in conds:
                r = [scores[p][c][name] for p in reals if scores[p][c][name] is not None]
                f = [scores[p][c][name] for p in mf if scores[p][c][name] is not None]
                vals.append(f"{metrics(r, f)['auc']:.2f}")
            cells.append(" / ".join(vals))
        lines.append(f"| {meth} | {len(mf)} | " + " | ".join(cells) + " |")
    lines += ["", "Images with no face detected (excluded from the table above):", ""]
    for c in conds:
        miss = [p for p in reals + fakes if scores[p][c]["n_faces"] == 0]
        lines.append(f"- {c}: {len(miss)}" + (": " + ", ".join(f"`{p}`" for p in miss) if miss else ""))
    # the shipped thresholds on the evaluation set
    a, b = sidecar["calibration"]["a"], sidecar["calibration"]["b"]
    lines += ["", "SBI at the sidecar's thresholds (Platt probability; share of evaluation images above each line):",
              "", "| level | p line | condition | reals flagged | fakes flagged |", "|---|---|---|---|---|"]
    for lvl, line in sidecar["thresholds"].items():
        for c in conds:
            pr = [1 / (1 + math.exp(-(a * scores[p][c]["sbi"] + b))) for p in reals if scores[p][c]["sbi"] is not None]
            pf = [1 / (1 + math.exp(-(a * scores[p][c]["sbi"] + b))) for p in fakes if scores[p][c]["sbi"] is not None]
            lines.append(f"| {lvl} | {line:.4f} | {c} | {np.mean(np.array(pr) > line):.2f} | "
                         f"{np.mean(np.array(pf) > line):.2f} |")
    lines += ["", "## In-domain sanity check (not a face-swap result)", "",
              f"SBI model on the held-out calibration groups' real faces vs SBI pseudo-fakes made from the same faces "
              f"(clean + degraded views): AUC {cal['in_domain_auc']:.4f} (n = {len(cal['calib_real'])} / "
              f"{len(cal['calib_fake'])}). This only says the model learned the blending task on faces it never "
              "trained on; it says nothing about real face swaps.", "",
              "## MesoNet output convention", "",
              f"Meso4_DF sigmoid, mean over the clean calibration real faces: "
              f"{convention['calib_real_mean_sigmoid']:.3f}; over their SBI pseudo-fakes: "
              f"{convention['calib_sbi_mean_sigmoid']:.3f}. The table scores MesoNet as 1 - sigmoid (higher = fake), "
              "the authors' convention (1 = real)."]
    gate = ship_gate(table, conds)
    sidecar.update(gate)
    json.dump(sidecar, open(os.path.join(args.out, "face-swap.json"), "w"), indent=2)
    lines += ["", "## Does the face score decide verdicts?", "",
              f"Only when SBI beats every MesoNet on the dev face swaps in every condition: "
              f"**{'yes' if gate['decides_verdict'] else 'no'}**. Until then the extension and the CLI show face "
              "scores and boxes, and the verdict stays the image branches' (`decides_verdict` in the sidecar)."]
    text = "\n".join(lines) + "\n"
    print(text)
    report = args.report or os.path.join(args.out, "faces.md")
    with open(report, "w") as f:
        f.write(text)
    json.dump({"scores": scores, "convention": convention,
               "table": {f"{k[0]}/{k[1]}": v for k, v in table.items()}},
              open(os.path.join(args.out, "eval-scores.json"), "w"), indent=1)
    return table


def ship_gate(table: dict, conds) -> dict:
    """A face model near chance would only add false alarms: it may flag a verdict only when it beats the baseline
    (every MesoNet scored) on the dev face swaps in every condition. A ship/no-ship gate, never a tuning target."""
    auc = {c: round(table[("sbi", c)]["auc"], 3) for c in conds}
    baseline = {c: round(max(m["auc"] for (name, cc), m in table.items() if cc == c and name != "sbi"), 3) for c in conds}
    return {"decides_verdict": all(auc[c] > baseline[c] for c in conds),
            "dev_face_swap_auc": auc, "dev_face_swap_baseline_auc": baseline}


# ------------------------------------------------------------------------------------------------------ fixtures

FIXTURES = os.path.join(ROOT, "tests/fixtures/parity")
FIXTURE_DETECTIONS = ["real/faces-web/facerec_two_people.jpg", "real/faces-dlib/", "real/faces-web/facenet_kate_siegel.jpg"]


def fixtures(args):
    w, h = 97, 61
    y, x = np.mgrid[0:h, 0:w]
    img = np.stack([(x * 7 + y * 3) % 256, (x * x + y) % 256, (x * y) % 256], -1).astype(np.uint8)
    boxes = [[30, 15, 20, 24], [80, 45, 30, 26], [10.4, 20.7, 15.3, 12.9], [-8, -5, 40, 30]]
    size = 24
    crops = [{"box": b, "values": [round(float(v), 6) for v in faces.face_crop(img, b, size).reshape(-1)]}
             for b in boxes]
    doc = {"width": w, "height": h,
           "formula": "image r=(x*7+y*3)%256, g=(x*x+y)%256, b=(x*y)%256 (uint8, x column, y row); crop: "
                      "cx=x+w/2, cy=y+h/2, side=scale*max(w,h), x0=floor(cx-side/2+0.5), y0=floor(cy-side/2+0.5), "
                      "S=max(1,floor(side+0.5)), pixel(i,j)=image[clamp(y0+i,0,H-1)][clamp(x0+j,0,W-1)], then the "
                      "separable area filter (area_weights) S->size, /255; values flat in NCHW order [3, size, size]",
           "size": size, "scale": faces.CROP_SCALE, "crops": crops}
    os.makedirs(FIXTURES, exist_ok=True)
    with open(os.path.join(FIXTURES, "face-crop.json"), "w") as f:
        json.dump(doc, f)
        f.write("\n")
    det = faces.Detector()
    index = load_index()
    chosen = []
    for want in FIXTURE_DETECTIONS:
        cands = [p for p in sorted(index) if p.startswith(want) and 1 <= len(index[p]["faces"]) <= 3
                 and p not in chosen]
        # for a folder, the first image with 2-3 faces
        cands = sorted(cands, key=lambda p: (not want.endswith("/") or len(index[p]["faces"]) < 2, p))
        chosen.append(cands[0])
    images = []
    for p in chosen:
        rgb = load_rgb(os.path.join(data.DATASETS, p))
        x, scale = faces.detector_input(rgb)
        images.append({"path": p, "width": int(rgb.shape[1]), "height": int(rgb.shape[0]), "scale": scale,
                       "input_shape": list(x.shape), "faces": rounded(det(rgb))})
    doc = {"detector": faces.DETECTOR_FILE, "sha256": sha256(os.path.join(faces.WEIGHTS, faces.DETECTOR_FILE)),
           "root": "../shared/datasets", "max_side": faces.MAX_SIDE, "score_threshold": faces.SCORE_THRESHOLD,
           "nms_iou": faces.NMS_IOU, "min_face": faces.MIN_FACE,
           "note": "box [x, y, w, h] and landmarks (right eye, left eye, nose, right and left mouth corner) in "
                   "original-image pixels, rounded to 2 decimals; score rounded to 4. Python: OpenCV "
                   f"{cv2.__version__} dnn (INTER_AREA resize when scale < 1); another runtime or resizer may "
                   "move values by a few hundredths of a pixel",
           "images": images}
    with open(os.path.join(FIXTURES, "face-detections.json"), "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    print(json.dumps({"face-crop": [c["box"] for c in crops],
                      "face-detections": {i["path"]: len(i["faces"]) for i in images}}))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("step", choices=["index", "fixtures", "train", "eval", "smoke"])
    ap.add_argument("--out", default=os.path.join(HERE, "runs/faces"))
    ap.add_argument("--report", default=None, help="eval: where to write the markdown (default OUT/faces.md)")
    ap.add_argument("--steps", type=int, default=2000)
    ap.add_argument("--batch", type=int, default=8, help="faces per step (each with its SBI fake)")
    ap.add_argument("--lr", type=float, default=3e-4)
    ap.add_argument("--freeze", default="block_3_add", help="convolutions up to this layer stay frozen")
    ap.add_argument("--smoke", action="store_true")
    args = ap.parse_args()
    torch.set_num_threads(int(os.environ.get("FRAMEPROOF_THREADS", "1")))
    cv2.setNumThreads(1)
    if args.step == "index":
        build_index()
    elif args.step == "fixtures":
        fixtures(args)
    elif args.step == "train":
        train(args)
    elif args.step == "eval":
        evaluate(args)
    else:  # CI smoke: a tiny subset, a few steps, into a temp dir; models/ is never touched
        global INDEX
        tmp = tempfile.mkdtemp()
        try:
            args.out, args.smoke, args.steps, args.batch = tmp, True, 3, 2
            paths = [p for p in manifest_stills() if (p.startswith("real/faces-") or p.startswith(FAKE_PREFIX))][::12]
            INDEX = os.path.join(tmp, "faces-index.json")
            build_index(paths, INDEX)
            train(args)
            sc = json.load(open(os.path.join(tmp, "face-swap.json")))
            assert sc["sha256"] and set(sc["thresholds"]) == {"low", "medium", "high"}, sc
            evaluate(args)
            print("faces smoke: ok")
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
