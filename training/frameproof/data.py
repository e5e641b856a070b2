"""The shared dataset: manifest, generator families, and the leave-one-family-out folds."""
import csv
import os
import sys
from dataclasses import dataclass

DATASETS = os.environ.get("FRAMEPROOF_DATASETS", os.path.join(os.path.dirname(__file__), "../../../shared/datasets"))

# Fake folders grouped into generator families (the unit of the leave-one-family-out protocol), batch 1 + batch 2.
# A family is what a detector trained without it has never seen: one decoder design or one vendor's pipeline.
FAMILIES = {
    "gan": ["stylegan-xl", "gan-biggan", "gan-eg3d", "gan-lightweight-gan", "gan-progan", "gan-psp-stylegan2",
            "gan-spade-gaugan", "gan-stylegan1-ffhq", "gan-stylegan2-community", "gan-stylegan2-diffaugment"],
    # Latent diffusion through the SD/SDXL 4-channel VAE (DiT, EDM2 and PixArt use it too).
    "sd-vae-diffusion": ["dit", "latent-diffusion-txt2img", "sdxl-turbo", "fooocus-sdxl-styles-128px", "hunyuan-dit",
                         "instantid-kolors", "sdxl", "sd15-lora", "lcm-dreamshaper", "pixart", "edm2"],
    # 2024+ DiT / flow models with their own (mostly 16-channel) autoencoders, and text-to-video frames.
    "flux-class": ["flux1", "hunyuanimage-2.1", "cogview4", "qwen-image", "lumina-t2i", "omnigen", "kandinsky-3",
                   "video-frames-t2v"],
    "stable-cascade": ["stable-cascade", "stable-cascade-vae-recon"],
    "closed-commercial": ["gpt-4o-image", "gpt-image-1", "nano-banana", "nano-banana-pro", "midjourney-v8",
                          "dalle3-likely"],
    "web-diffusion-unknown": ["reddit-ai-haywoodsloan", "ip-adapter-inputs"],
    "autoregressive-vq": ["taming-faceshq", "taming-imagenet", "taming-sflckr", "hart", "infinity"],
    "face-swap": ["faceswap-deepfacelive", "faceswap-dfdc", "faceswap-ffpp", "faceswap-ghost", "faceswap-roop",
                  "faceswap-reactor", "faceswap-blendface"],
    # Real photos changed in part by a network: inpainting, super-resolution, face restoration.
    "partial-edits": ["inpaint-anything", "upscale-bsrgan", "restore-codeformer"],
}
# Each fold also holds out a disjoint slice of real sources (paired sources go with their fakes; content like the
# family's: faces with GAN faces and face swaps). Every real source is in exactly one slice, so every image gets one
# out-of-fold score per branch.
REAL_SLICES = {
    "gan": ["celeba-hq-afhq-stargan2", "celeba-hq-psp", "ffhq-teaser", "coco-stuff-spade", "debian-tuxpaint-templates"],
    "sd-vae-diffusion": ["bsds500-train", "pose-datasets-mmpose"],
    "flux-class": ["camera-exif", "debian-misc", "indoor-video-frames"],
    "stable-cascade": ["stablecascade-originals", "debian-wallpapers"],
    "closed-commercial": ["dreambooth-subjects", "coco-people-openpose", "landmarks-flickr"],
    "web-diffusion-unknown": ["reddit-human-haywoodsloan", "debian-opencv-samples"],
    "autoregressive-vq": ["flickr-landscapes-taming", "coco-taming", "camera-photos-sfm"],
    "face-swap": ["faces-video-frames", "faces-web", "faces-dlib", "faces-web-2", "roop-target-frames"],
    "partial-edits": ["inpaint-anything-originals", "kodak24", "mcmaster18"],
}
# Sources no model ever trains on: they set the calibrated thresholds, and the npm test smoke check scores them.
CALIB_SOURCES = ["kodak24", "mcmaster18", "debian-tuxpaint-templates", "reddit-human-haywoodsloan", "ffhq-teaser",
                 "landmarks-flickr", "camera-photos-sfm", "indoor-video-frames",
                 "hart", "sdxl-turbo", "taming-imagenet", "faceswap-dfdc", "ip-adapter-inputs", "edm2", "gan-progan",
                 "video-frames-t2v", "dalle3-likely"]


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
    """The corpus images of the sources this recipe knows. Sources added to the corpus later are left out, with a note,
    until a recipe gives them a role: taken in silently they would change what `npm run train` rebuilds."""
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
