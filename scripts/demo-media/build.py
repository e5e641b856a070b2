"""Rebuilds demo/media/ from scratch: real photos taken from Debian packages (apt-get download + dpkg-deb -x, each
file checked against its pinned sha256), and AI-decoded images and a clip made here from other Debian photos, ones
the training corpus does not hold, with the FLUX.2 tiny autoencoder (../shared/weights) and Frameproof's own decoder
zoo (training/frameproof/autoencoders.py). Writes the media, feed.json and CREDITS.md (with what the shipped model
does with each file, from ../shared/datasets/MANIFEST.tsv). Run: npm run demo:media   (needs /usr/bin/python3 with
python3-torch, ffmpeg, ../shared; about 15 min on 2 cores, most of it the clip; downloads about 130 MB of .deb files)
"""
import argparse
import csv
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np
import torch
from PIL import Image

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "../.."))
sys.path.insert(0, os.path.join(ROOT, "training"))
from frameproof import data  # noqa: E402
from frameproof.autoencoders import TAEF2, WEIGHTS, match_detail, train_autoencoder  # noqa: E402

DEMO_MEDIA = os.path.join(ROOT, "demo/media")
SEED = 20261130
LONG_SIDE = 768  # what a feed shows; also keeps the committed files small

# The Debian packages used (bookworm), pinned by version, and the licence of the files taken from each.
DEBIAN = {
    "tuxpaint": ("tuxpaint-data", "1:0.9.28-sdl2-1", "/usr/share/tuxpaint/templates/{}",
                 "GPL-2+ (Debian copyright, Tux Paint)"),
    "mate": ("mate-backgrounds", "1.26.0-1", "/usr/share/backgrounds/mate/nature/{}", "GPL-2+ (Debian copyright)"),
    "skimage": ("python3-skimage", "0.19.3-8", "/usr/lib/python3/dist-packages/skimage/data/{}",
                "public domain or CC0, as scikit-image's data/_fetchers.py says of each (Debian: BSD-3-Clause)"),
    "wesaturate": ("libjxl-testdata", "0.0~git20230110.d6168ff-1",
                   "/usr/share/libjxl-testdata/external/wesaturate/500px/{}", "CC0 (wesaturate, Debian copyright)"),
}
# Every file taken, pinned by sha256.
PINNED = {
    ("tuxpaint", "jellyfish.jpg"): "340228d44027370689e43fe44e3a01a3793d79224a7fd20b3d52f824a65f787d",
    ("tuxpaint", "lighthouse.jpg"): "bf92c1139da97690208a3948c9d1051649deb44bb51baa288820f5c64f9e6365",
    ("tuxpaint", "sheep.jpg"): "cb408f8b3fc324798d012f71595a148f9fa360c17d1bde91371bd7c01e9cf881",
    ("tuxpaint", "trees_at_dusk.jpg"): "9499116f8e8f494bd776b12b9cb4782a118662801ddff98c4127c866cf255720",
    ("tuxpaint", "redwoods_above.jpg"): "cda5f9d27e979e01e22bc16fce24e00b175f4cbfa99e12aa414f308c9aa00745",
    ("tuxpaint", "rocks.jpg"): "f3ddf517f26bc77a3f6a98010fc0bfa0ccac431869388755e0032a4f7bb6d748",
    ("tuxpaint", "mudstone.jpg"): "ce1d13d3b66155bea3bc28db56694ade9ed27bd8814814672a0d58cd1b0d93f5",
    ("tuxpaint", "wool_mill_machine.jpg"): "e66d36c482d32cc5bfd001923e584cf6398ef95039d92e9d2e65f64c33274a18",
    ("mate", "FreshFlower.jpg"): "972b0a0c4e5e3fa93f4f244fc84bc64b121a5eac3aaa5856f1308c1f38a02f8e",
    ("mate", "Aqua.jpg"): "5c30118205982da441bf7e6a1ada636a8a0be879408140b3148280c665ed6bce",
    ("mate", "GreenMeadow.jpg"): "8fa0de0aa4089f7319c9fb7a6d006d4cab6023e8c8853731557cff53567b4832",
    ("mate", "LadyBird.jpg"): "e35a9a4126ef969c90b29c038058c5a575a20eadd84106a37bf1fa9931e7b61d",
    ("mate", "YellowFlower.jpg"): "254da96256acb7add685679775a04d1e4a5bc8cd13e5a5a3d61351ce198a5306",
    ("skimage", "chelsea.png"): "596aa1e7cb875eb79f437e310381d26b338a81c2da23439704a73c4651e8c4bb",
    ("skimage", "astronaut.png"): "88431cd9653ccd539741b555fb0a46b61558b301d4110412b5bc28b5e3ea6cb5",
    ("skimage", "coffee.png"): "cc02f8ca188b167c775a7101b5d767d1e71792cf762c33d6fa15a4599b5a8de7",
    ("skimage", "rocket.jpg"): "c2dd0de7c538df8d111e479619b129464d0269d0ae5fd18ca91d33a7fdfea95c",
    ("wesaturate", "cvo9xd_keong_macan_srgb8.png"): "f4e2d8da468a4f6bfd3a651a7f0a24c2b883e7f398b326c0e77a9dab42fb5322",
}

# Real photos, copied unchanged: (output name, source, what it is). They were all in the corpus before this demo
# was rebuilt; CREDITS.md says which role each plays for the shipped model.
REALS = [
    ("mate_FreshFlower.jpg", ("mate", "FreshFlower.jpg"), "photo (MATE wallpaper)"),
    ("skimage_chelsea_cat.png", ("skimage", "chelsea.png"), "photo"),
    ("tuxpaint_jellyfish.jpg", ("tuxpaint", "jellyfish.jpg"), "photo (Tux Paint template)"),
    ("tuxpaint_lighthouse.jpg", ("tuxpaint", "lighthouse.jpg"), "photo (Tux Paint template)"),
    ("tuxpaint_sheep.jpg", ("tuxpaint", "sheep.jpg"), "photo (Tux Paint template)"),
    ("tuxpaint_trees_at_dusk.jpg", ("tuxpaint", "trees_at_dusk.jpg"), "photo (Tux Paint template)"),
    ("wesaturate_cvo9xd_keong_macan_srgb8.png", ("wesaturate", "cvo9xd_keong_macan_srgb8.png"),
     "camera photo (Nikon, from raw)"),
]

# Decoders that turn a real photo into an AI-decoded one: the pretrained TAEF2 and three of our own designs.
MAKERS = {
    "taef2": "the FLUX.2 tiny autoencoder (TAEF2, madebyollin/taesd, MIT), a latent-diffusion decoder",
    "vae-nearest-gn-silu": "Frameproof's own diffusion-VAE-style autoencoder (nearest ×2, GroupNorm, SiLU; 4× down)",
    "gan-transposed": "Frameproof's own GAN-style autoencoder (stride-2 transposed convolutions; 4× down)",
    "pixel-shuffle": "Frameproof's own ESRGAN-style autoencoder (sub-pixel convolution; 4× down)",
}
# AI-decoded images, from photos that are not in the training corpus at all: (output name, source photo, decoder,
# saved as (format, JPEG quality)).
DECODED = [
    ("decoded_taef2_astronaut.png", ("skimage", "astronaut.png"), "taef2", ("png", None)),
    ("decoded_taef2_coffee.jpg", ("skimage", "coffee.png"), "taef2", ("jpeg", 90)),
    ("decoded_taef2_rocket_q60.jpg", ("skimage", "rocket.jpg"), "taef2", ("jpeg", 60)),
    ("decoded_vae_yellow_flower.png", ("mate", "YellowFlower.jpg"), "vae-nearest-gn-silu", ("png", None)),
    ("decoded_gan_green_meadow.png", ("mate", "GreenMeadow.jpg"), "gan-transposed", ("png", None)),
    ("decoded_pixelshuffle_ladybird.png", ("mate", "LadyBird.jpg"), "pixel-shuffle", ("png", None)),
]
VIDEO = ("decoded_taef2_aqua.mp4", ("mate", "Aqua.jpg"), "taef2")
VIDEO_SIZE, VIDEO_FRAMES, VIDEO_FPS = (640, 384), 48, 12
# Our own autoencoders learn from photos that the demo never shows.
ZOO_TRAINING = [("tuxpaint", n) for n in ("redwoods_above.jpg", "rocks.jpg", "mudstone.jpg", "wool_mill_machine.jpg")]
ZOO_STEPS = 1500


def sha256(path: str) -> str:
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def extract_debian(work: str) -> dict:
    """apt-get download + dpkg-deb -x of each package; returns {source key: verified path}."""
    paths = {}
    for family, (package, version, pattern, _) in DEBIAN.items():
        pkg_dir = os.path.join(work, package)
        os.makedirs(pkg_dir, exist_ok=True)
        print(f"apt-get download {package}={version}", flush=True)
        run(["apt-get", "download", f"{package}={version}"], cwd=pkg_dir,
            hint="(needs Debian bookworm's package lists: run `apt-get update` first)")
        deb = next(f for f in os.listdir(pkg_dir) if f.endswith(".deb") and f.startswith(f"{package}_"))
        run(["dpkg-deb", "-x", deb, "root"], cwd=pkg_dir)
        for (fam, name), expected in PINNED.items():
            if fam != family:
                continue
            path = os.path.join(pkg_dir, "root", pattern.format(name).lstrip("/"))
            got = sha256(path)
            if got != expected:
                sys.exit(f"{package}: {pattern.format(name)} has sha256 {got}, expected {expected} ({deb})")
            paths[(fam, name)] = path
    return paths


def run(cmd: list[str], cwd: str | None = None, hint: str = "") -> None:
    result = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed: {result.stderr.strip()} {hint}".strip())


def fit(img: Image.Image, long_side: int, multiple: int) -> Image.Image:
    """Shrinks to the feed's size, then crops to a multiple of the decoder's stride."""
    s = min(1.0, long_side / max(img.size))
    img = img.resize((round(img.width * s), round(img.height * s)), Image.LANCZOS) if s < 1 else img
    w, h = img.width // multiple * multiple, img.height // multiple * multiple
    x, y = (img.width - w) // 2, (img.height - h) // 2
    return img.crop((x, y, x + w, y + h))


def to_tensor(img: Image.Image) -> torch.Tensor:
    # Not prepare.py's batched to_tensor: same values, but its memory layout makes torch's convolutions sum in
    # another order, and 4 of the 13 generated files came out different (tried; CREDITS pins their sha256).
    return torch.from_numpy(np.asarray(img.convert("RGB"))).permute(2, 0, 1)[None].float() / 255.0


def to_image(t: torch.Tensor) -> Image.Image:
    return Image.fromarray((t[0].clamp(0, 1) * 255).round().byte().permute(1, 2, 0).numpy())


def train_zoo(paths: dict) -> dict:
    rng = np.random.default_rng(SEED)
    crops = []
    for key in ZOO_TRAINING:
        arr = np.asarray(fit(Image.open(paths[key]).convert("RGB"), LONG_SIDE, 1))
        for _ in range(128):
            y, x = rng.integers(0, arr.shape[0] - 64), rng.integers(0, arr.shape[1] - 64)
            crops.append(arr[y:y + 64, x:x + 64])
    crops = torch.from_numpy(np.stack(crops)).permute(0, 3, 1, 2).float() / 255.0
    zoo = {}
    for k, design in enumerate(d for d in MAKERS if d != "taef2"):
        print(f"training own autoencoder {design} ({ZOO_STEPS} steps)", flush=True)
        zoo[design] = train_autoencoder(design, 2, 32, crops, ZOO_STEPS, SEED + k)
    return zoo


@torch.no_grad()
def decode(maker: torch.nn.Module, img: Image.Image) -> Image.Image:
    x = to_tensor(img)
    y = maker(x)
    return to_image(y if isinstance(maker, TAEF2) else match_detail(y, x))  # ours blur; TAEF2 keeps detail


def make_clip(maker: torch.nn.Module, photo: Image.Image, out_path: str, work: str) -> None:
    """A slow pan and zoom across the photo, every frame passed through the decoder, then H.264 in MP4."""
    frames_dir = os.path.join(work, "frames")
    os.makedirs(frames_dir, exist_ok=True)
    w, h = VIDEO_SIZE
    for i in range(VIDEO_FRAMES):
        t = i / (VIDEO_FRAMES - 1)
        zoom = 1.0 + 0.15 * t
        cw, ch = photo.width / zoom, photo.width / zoom * h / w
        x0, y0 = (photo.width - cw) * t, (photo.height - ch) * 0.5
        frame = photo.resize((w, h), Image.LANCZOS, box=(x0, y0, x0 + cw, y0 + ch))
        decode(maker, frame).save(os.path.join(frames_dir, f"{i:03d}.png"))
    run(["ffmpeg", "-v", "error", "-y", "-framerate", str(VIDEO_FPS), "-i", os.path.join(frames_dir, "%03d.png"),
         "-c:v", "libx264", "-preset", "slow", "-crf", "18", "-pix_fmt", "yuv420p", "-movflags", "+faststart",
         "-map_metadata", "-1", "-fflags", "+bitexact", "-flags:v", "+bitexact", out_path],
        hint="(Debian: apt-get install ffmpeg)")


def origin(key) -> str:
    package, version, pattern, _ = DEBIAN[key[0]]
    return f"debian:{package} {version}:{pattern.format(key[1])}"


def corpus_roles() -> dict[str, str]:
    """sha256 → what the shipped model does with that file of ../shared/datasets (trains on it, calibrates on it)."""
    roles = {}
    with open(os.path.join(data.DATASETS, "MANIFEST.tsv"), newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            source = row["path"].split("/")[1]
            role = ("calibrates the shipped model's thresholds" if source in data.CALIB_SOURCES else
                    "trains the shipped model" if source in data.KNOWN_SOURCES else "in the corpus, unused by v1")
            roles[row["sha256"]] = f"{role} (`{row['path']}`)"
    return roles


def check_prerequisites() -> None:
    """Before anything is downloaded or replaced: what the steps at the end need."""
    for tool, package in (("apt-get", "apt"), ("dpkg-deb", "dpkg"), ("ffmpeg", "ffmpeg")):
        if not shutil.which(tool):
            sys.exit(f"{tool} not found (Debian: apt-get install {package})")
    for needed in (os.path.join(WEIGHTS, "taef2_encoder.pth"), os.path.join(data.DATASETS, "MANIFEST.tsv")):
        if not os.path.exists(needed):
            sys.exit(f"missing {needed}: ../shared must be beside the repository")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--keep-downloads", metavar="DIR", help="download the .deb files here and keep them")
    ap.add_argument("--out", default=DEMO_MEDIA, help="where to write (default: demo/media; another folder to check "
                    "that a rebuild gives the same bytes)")
    args = ap.parse_args()
    out = os.path.abspath(args.out)
    if os.path.exists(out) and not os.path.exists(os.path.join(out, "CREDITS.md")):
        sys.exit(f"{out} exists and is not a demo media folder (no CREDITS.md): not replacing it")
    check_prerequisites()
    torch.manual_seed(SEED)
    torch.set_num_threads(1)  # one thread: the same float sums, so the same bytes, on every run here
    work = args.keep_downloads or tempfile.mkdtemp(prefix="frameproof-demo-media-")
    # Built beside the target and swapped in at the end, so a failed run leaves the old media as they were.
    staging = tempfile.mkdtemp(prefix=".demo-media-", dir=os.path.dirname(out))
    os.chmod(staging, 0o755)  # mkdtemp makes it private; the media folder is not
    try:
        paths = extract_debian(work)
        roles = corpus_roles()
        rows, feed = [], []
        for name, key, what in REALS:
            shutil.copyfile(paths[key], os.path.join(staging, name))
            rows.append((name, "real", what, f"`{origin(key)}`", DEBIAN[key[0]][3],
                         roles.get(PINNED[key], "not in the corpus")))
            feed.append({"file": name, "label": "real", "kind": "image", "source": what,
                         "size": "x".join(map(str, Image.open(paths[key]).size))})

        makers = {"taef2": TAEF2(), **train_zoo(paths)}
        fakes = []
        for name, key, maker, (fmt, quality) in DECODED:
            print(f"{name}: {key[1]} through {maker}", flush=True)
            img = decode(makers[maker], fit(Image.open(paths[key]).convert("RGB"), LONG_SIDE, 8))
            img.save(os.path.join(staging, name), fmt.upper(),
                     **({"quality": quality} if quality else {"optimize": True}))
            how = f"{MAKERS[maker]}; saved as " + (f"JPEG q{quality}" if quality else "PNG")
            rows.append((name, "fake", f"AI-decoded: a real photo passed through {how}",
                         f"made here from `{origin(key)}`", f"ours; source photo {DEBIAN[key[0]][3]}",
                         f"source photo: {roles.get(PINNED[key], 'not in the corpus')}"))
            fakes.append({"file": name, "label": "fake", "kind": "image",
                          "source": f"AI-decoded: a real photo passed through {MAKERS[maker].split(' (')[0]}",
                          "size": f"{img.width}x{img.height}"})

        name, key, maker = VIDEO
        print(f"{name}: {VIDEO_FRAMES} frames of {key[1]} through {maker}", flush=True)
        make_clip(makers[maker], Image.open(paths[key]).convert("RGB"), os.path.join(staging, name), work)
        seconds = VIDEO_FRAMES / VIDEO_FPS
        rows.append((name, "fake", f"AI-decoded clip: a {seconds:g} s pan across a real photo, every frame passed "
                     f"through {MAKERS[maker]}; H.264 CRF 18", f"made here from `{origin(key)}`",
                     f"ours; source photo {DEBIAN[key[0]][3]}",
                     f"source photo: {roles.get(PINNED[key], 'not in the corpus')}"))
        clip = {"file": name, "label": "fake", "kind": "video",
                "source": f"AI-decoded clip: a pan across a real photo, each frame through {MAKERS[maker].split(' (')[0]}",
                "size": "x".join(map(str, VIDEO_SIZE))}

        # Feed order: real photos and AI-decoded images alternate, the clip comes last.
        posts = [post for pair in zip(feed, fakes) for post in pair] + feed[len(fakes):] + [clip]
        with open(os.path.join(staging, "feed.json"), "w") as f:
            json.dump(posts, f, indent=2, ensure_ascii=False)
            f.write("\n")
        write_credits(rows, staging)
        shutil.rmtree(out, ignore_errors=True)
        os.replace(staging, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if not args.keep_downloads:
            shutil.rmtree(work, ignore_errors=True)
    print(f"rebuilt {out}: {len(REALS)} real photos, {len(DECODED)} AI-decoded images, 1 AI-decoded clip")


def write_credits(rows, out: str) -> None:
    lines = [
        "# Demo media: origins and licences",
        "",
        "Rebuilt from scratch by `npm run demo:media` (`scripts/demo-media/build.py`); do not edit by hand. Every file",
        "here comes from a Debian package or was made here from one; nothing from this folder is bundled into the",
        "extension (`dist/`).",
        "",
        "- **Real photos** are copied unchanged out of Debian packages (`apt-get download` + `dpkg-deb -x`); the script",
        "  checks each one against a pinned sha256. All seven are also in the training corpus (`../shared/datasets`), and",
        "  the last column says what the shipped model does with each: their verdicts are not a measurement of accuracy.",
        "- **AI-decoded images and clip** were made here from Debian photos that are **not** in the corpus: each photo,",
        f"  shrunk to at most {LONG_SIDE} px and cropped to a multiple of 8 px, encoded and decoded by an image autoencoder.",
        "  The FLUX.2 tiny autoencoder (TAEF2) is the pretrained approximation of a latent-diffusion model's decoder; the",
        f"  other three are small autoencoders Frameproof trains here ({ZOO_STEPS} steps on crops of four Debian photos the",
        "  demo does not show: " + ", ".join(n for _, n in ZOO_TRAINING) + "), with the decoder",
        "  designs of diffusion VAEs, GANs and super-resolution networks. Every pixel of these files went through a",
        "  generator's decoder, which is the trace the detector looks for; their content is a real scene. Our own",
        "  autoencoders blur, so their output has its fine detail scaled back up to the source's (`match_detail`);",
        "  TAEF2's output is kept as it comes. The shipped model was trained on aligned fakes made with TAEF2 and the",
        "  same decoder designs (from other photos, with other weights), so these show what the detector looks for, not",
        "  how it does on generators it never met: `models/MODEL_CARD.md` has those numbers.",
        "",
        "| file | label | what it is | origin | licence | sha256 | in the shipped model's data |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, label, what, where, licence, role in sorted(rows):
        lines.append(f"| `{name}` | {label} | {what} | {where} | {licence} | `{sha256(os.path.join(out, name))}` | "
                     f"{role} |")
    with open(os.path.join(out, "CREDITS.md"), "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
