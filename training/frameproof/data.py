"""The shared dataset: manifest, generator families, and the leave-one-family-out folds."""
import csv
import os
import sys
from dataclasses import dataclass

DATASETS = os.environ.get("FRAMEPROOF_DATASETS", os.path.join(os.path.dirname(__file__), "../../../shared/datasets"))

# Fake folders grouped into generator families (the unit of the leave-one-family-out protocol).
FAMILIES = {
    "sd-vae-diffusion": ["dit", "latent-diffusion-txt2img", "sdxl-turbo", "fooocus-sdxl-styles-128px", "hunyuan-dit",
                         "instantid-kolors"],
    "flux": ["flux1"],
    "stable-cascade": ["stable-cascade", "stable-cascade-vae-recon"],
    "web-diffusion-unknown": ["reddit-ai-haywoodsloan", "ip-adapter-inputs"],
    "autoregressive-vq": ["taming-faceshq", "taming-imagenet", "taming-sflckr", "hart"],
    "gan": ["stylegan-xl"],
    "face-swap": ["faceswap-deepfacelive", "faceswap-dfdc", "faceswap-ffpp", "faceswap-ghost"],
}
# Each fold also holds out a disjoint slice of real sources (paired sources go with their fakes).
REAL_SLICES = {
    "sd-vae-diffusion": ["bsds500-train"],
    "flux": ["camera-exif", "debian-misc"],
    "stable-cascade": ["stablecascade-originals", "debian-wallpapers"],
    "web-diffusion-unknown": ["reddit-human-haywoodsloan", "debian-opencv-samples"],
    "autoregressive-vq": ["flickr-landscapes-taming", "coco-taming"],
    "gan": ["kodak24", "mcmaster18", "debian-tuxpaint-templates"],
    "face-swap": ["faces-video-frames", "faces-web", "faces-dlib"],
}
# Sources no model ever trains on: they set the calibrated thresholds, and the npm test smoke check scores them.
CALIB_SOURCES = ["kodak24", "mcmaster18", "debian-tuxpaint-templates", "reddit-human-haywoodsloan",
                 "hart", "sdxl-turbo", "taming-imagenet", "faceswap-dfdc", "ip-adapter-inputs"]


@dataclass(frozen=True)
class Item:
    path: str  # relative to DATASETS
    label: int  # 1 = AI-generated or manipulated
    source: str  # folder name
    family: str  # generator family for fakes, "real" for reals
    license: str


def family_of(source: str) -> str:
    for fam, folders in FAMILIES.items():
        if source in folders:
            return fam
    raise KeyError(source)


# Every source this recipe assigns a role: a family, a real slice, or calibration.
KNOWN_SOURCES = {s for folders in [*FAMILIES.values(), *REAL_SLICES.values()] for s in folders} | set(CALIB_SOURCES)


def load_items() -> list[Item]:
    """The corpus images of the sources this recipe knows. Sources added to the corpus later (batch 2) are left out,
    with a note, until a recipe gives them a role: taken in silently they would change what `npm run train` rebuilds."""
    items, unknown = [], {}
    with open(os.path.join(DATASETS, "MANIFEST.tsv"), newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            top, source = row["path"].split("/")[:2]
            if top not in ("real", "fake"):
                continue  # videos are another model's job
            if source not in KNOWN_SOURCES:
                unknown[source] = unknown.get(source, 0) + 1
                continue
            label = int(top == "fake")
            items.append(Item(row["path"], label, source, family_of(source) if label else "real", row["license"]))
    if unknown:
        print(f"data: left out {sum(unknown.values())} images of {len(unknown)} sources this recipe gives no role "
              f"({', '.join(sorted(unknown))})", file=sys.stderr)
    return sorted(items, key=lambda i: i.path)


def fold_test(items: list[Item], family: str) -> list[Item]:
    return [i for i in items if (i.label and i.family == family) or (not i.label and i.source in REAL_SLICES[family])]


def split(items: list[Item], holdout: str | None):
    """Returns (train, calib, test) for a fold; holdout=None is the shipped model (test = calibration sources)."""
    test = fold_test(items, holdout) if holdout else []
    test_paths = {i.path for i in test}
    calib = [i for i in items if i.source in CALIB_SOURCES and i.path not in test_paths]
    train = [i for i in items if i.source not in CALIB_SOURCES and i.path not in test_paths]
    return train, calib, (test if holdout else calib)
