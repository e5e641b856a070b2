"""Rebuilds demo/media/ from scratch: real photos taken from Debian packages (apt-get download + dpkg-deb -x, each
file checked against its pinned sha256), and AI-decoded images and a clip made here from other Debian photos with
the FLUX.2 tiny autoencoder (../shared/weights) and Frameproof's own decoder zoo (training/frameproof/autoencoders.py).
Writes the media, feed.json and CREDITS.md. Run: npm run demo:media   (needs /usr/bin/python3 with python3-torch,
ffmpeg, and ../shared/weights; about 15 min on 2 cores, most of it the clip; downloads about 130 MB of .deb files)
"""
import argparse
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
from frameproof.autoencoders import TAEF2, match_detail, train_autoencoder  # noqa: E402

DEMO_MEDIA = os.path.join(ROOT, "demo/media")
SEED = 20261130
LONG_SIDE = 768  # what a feed shows; also keeps the committed files small

# The Debian files used, each pinned by sha256 (Debian bookworm; the version is what was used to pin them).
DEBIAN = {
    "tuxpaint": ("tuxpaint-data", "1:0.9.28-sdl2-1", "/usr/share/tuxpaint/templates/{}.jpg",
                 "GPL-2+ (Debian copyright, Tux Paint)"),
    "mate": ("mate-backgrounds", "1.26.0-1", "/usr/share/backgrounds/mate/nature/{}.jpg", "GPL-2+ (Debian copyright)"),
    "skimage": ("python3-skimage", "0.19.3-8", "/usr/lib/python3/dist-packages/skimage/data/{}.png",
                "CC0 (scikit-image data README: Stefan van der Walt)"),
    "wesaturate": ("libjxl-testdata", "0.0~git20230110.d6168ff-1",
                   "/usr/share/libjxl-testdata/external/wesaturate/500px/{}.png", "CC0 (wesaturate, Debian copyright)"),
}
PINNED = {
    ("tuxpaint", "jellyfish"): "340228d44027370689e43fe44e3a01a3793d79224a7fd20b3d52f824a65f787d",
    ("tuxpaint", "lighthouse"): "bf92c1139da97690208a3948c9d1051649deb44bb51baa288820f5c64f9e6365",
    ("tuxpaint", "sheep"): "cb408f8b3fc324798d012f71595a148f9fa360c17d1bde91371bd7c01e9cf881",
    ("tuxpaint", "trees_at_dusk"): "9499116f8e8f494bd776b12b9cb4782a118662801ddff98c4127c866cf255720",
    ("tuxpaint", "ocean_splash"): "a6c1697ed8dc06c72136041363b0808f5092625a466e8f9c5f7752375a398404",
    ("tuxpaint", "sun_behind_leaves"): "a6373334dc5af701d9e5f0efa0e1e4671202897a8e49db4b97d7e826b4590ff8",
    ("tuxpaint", "cliff"): "ff8da5b7a4eb5f5558a9768764871330ba245dc54ff55d5766129f47a45e7392",
    ("tuxpaint", "mossy_log"): "02ba4842fcf5f48f000d8325da89d85bedd8edc0d8cf551603dfdcfca12064e2",
    ("tuxpaint", "corn_maze"): "e3c5dfd777c38fbf79126795ba1165fee41e62402436196363a5e2d938a2d3be",
    ("tuxpaint", "ocean_waves"): "b99c24c7148cb2935c7a9cfde12b81f368f8162e32349e554a8cb2dd44c5624e",
    ("tuxpaint", "redwoods_above"): "cda5f9d27e979e01e22bc16fce24e00b175f4cbfa99e12aa414f308c9aa00745",
    ("tuxpaint", "rocks"): "f3ddf517f26bc77a3f6a98010fc0bfa0ccac431869388755e0032a4f7bb6d748",
    ("tuxpaint", "mudstone"): "ce1d13d3b66155bea3bc28db56694ade9ed27bd8814814672a0d58cd1b0d93f5",
    ("tuxpaint", "wool_mill_machine"): "e66d36c482d32cc5bfd001923e584cf6398ef95039d92e9d2e65f64c33274a18",
    ("mate", "FreshFlower"): "972b0a0c4e5e3fa93f4f244fc84bc64b121a5eac3aaa5856f1308c1f38a02f8e",
    ("skimage", "chelsea"): "596aa1e7cb875eb79f437e310381d26b338a81c2da23439704a73c4651e8c4bb",
    ("wesaturate", "cvo9xd_keong_macan_srgb8"): "f4e2d8da468a4f6bfd3a651a7f0a24c2b883e7f398b326c0e77a9dab42fb5322",
    ("wesaturate", "tmshre_riaphotographs_srgb8"): "b490de2143a336aff26a7ce4ee010f18dece53c3b0802cda76c1796daa5f32a0",
    ("wesaturate", "u76c0g_bliznaca_srgb8"): "9631423e430c1682fca3c2212adc6ae046df8839d22dfaa8b662761f34b6f711",
}

# Real photos, copied unchanged: (output name, source, what it is).
REALS = [
    ("mate_FreshFlower.jpg", ("mate", "FreshFlower"), "photo (MATE wallpaper)"),
    ("skimage_chelsea_cat.png", ("skimage", "chelsea"), "photo"),
    ("tuxpaint_jellyfish.jpg", ("tuxpaint", "jellyfish"), "photo (Tux Paint template)"),
    ("tuxpaint_lighthouse.jpg", ("tuxpaint", "lighthouse"), "photo (Tux Paint template)"),
    ("tuxpaint_sheep.jpg", ("tuxpaint", "sheep"), "photo (Tux Paint template)"),
    ("tuxpaint_trees_at_dusk.jpg", ("tuxpaint", "trees_at_dusk"), "photo (Tux Paint template)"),
    ("wesaturate_cvo9xd_keong_macan_srgb8.png", ("wesaturate", "cvo9xd_keong_macan_srgb8"), "camera photo (Nikon, from raw)"),
]

# Decoders that turn a real photo into an AI-decoded one: the pretrained TAEF2 and three of our own designs.
MAKERS = {
    "taef2": "the FLUX.2 tiny autoencoder (TAEF2, madebyollin/taesd, MIT), a latent-diffusion decoder",
    "vae-nearest-gn-silu": "Frameproof's own diffusion-VAE-style autoencoder (nearest ×2, GroupNorm, SiLU; 4× down)",
    "gan-transposed": "Frameproof's own GAN-style autoencoder (stride-2 transposed convolutions; 4× down)",
    "pixel-shuffle": "Frameproof's own ESRGAN-style autoencoder (sub-pixel convolution; 4× down)",
}
# AI-decoded images: (output name, source photo, decoder, saved as (format, JPEG quality)).
DECODED = [
    ("decoded_taef2_ocean_splash.png", ("tuxpaint", "ocean_splash"), "taef2", ("png", None)),
    ("decoded_taef2_sun_behind_leaves.jpg", ("tuxpaint", "sun_behind_leaves"), "taef2", ("jpeg", 90)),
    ("decoded_taef2_riaphotographs.png", ("wesaturate", "tmshre_riaphotographs_srgb8"), "taef2", ("png", None)),
    ("decoded_taef2_corn_maze_q60.jpg", ("tuxpaint", "corn_maze"), "taef2", ("jpeg", 60)),
    ("decoded_vae_cliff.png", ("tuxpaint", "cliff"), "vae-nearest-gn-silu", ("png", None)),
    ("decoded_gan_bliznaca.png", ("wesaturate", "u76c0g_bliznaca_srgb8"), "gan-transposed", ("png", None)),
    ("decoded_pixelshuffle_mossy_log.png", ("tuxpaint", "mossy_log"), "pixel-shuffle", ("png", None)),
]
VIDEO = ("decoded_taef2_ocean_waves.mp4", ("tuxpaint", "ocean_waves"), "taef2")
VIDEO_SIZE, VIDEO_FRAMES, VIDEO_FPS = (640, 384), 48, 12
# Our own autoencoders learn from photos that the demo never shows.
ZOO_TRAINING = [("tuxpaint", n) for n in ("redwoods_above", "rocks", "mudstone", "wool_mill_machine")]
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
        print(f"apt-get download {package}", flush=True)
        run(["apt-get", "download", package], cwd=pkg_dir,
            hint="needs Debian's package lists: run `apt-get update` first")
        deb = next(f for f in os.listdir(pkg_dir) if f.endswith(".deb"))
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


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--keep-downloads", metavar="DIR", help="download the .deb files here and keep them")
    ap.add_argument("--out", default=DEMO_MEDIA, help="where to write (default: demo/media; another folder to check "
                    "that a rebuild gives the same bytes)")
    args = ap.parse_args()
    out = os.path.abspath(args.out)
    torch.manual_seed(SEED)
    torch.set_num_threads(1)  # one thread: the same float sums, so the same bytes, on every run here
    work = args.keep_downloads or tempfile.mkdtemp(prefix="frameproof-demo-media-")
    try:
        paths = extract_debian(work)
        shutil.rmtree(out, ignore_errors=True)
        os.makedirs(out)
        rows, feed = [], []
        for name, key, what in REALS:
            shutil.copyfile(paths[key], os.path.join(out, name))
            rows.append((name, "real", what, f"`{origin(key)}`", DEBIAN[key[0]][3]))
            feed.append({"file": name, "label": "real", "kind": "image", "source": what,
                         "size": "x".join(map(str, Image.open(paths[key]).size))})

        makers = {"taef2": TAEF2(), **train_zoo(paths)}
        fakes = []
        for name, key, maker, (fmt, quality) in DECODED:
            print(f"{name}: {key[1]} through {maker}", flush=True)
            img = decode(makers[maker], fit(Image.open(paths[key]).convert("RGB"), LONG_SIDE, 8))
            img.save(os.path.join(out, name), fmt.upper(), **({"quality": quality} if quality else {"optimize": True}))
            how = f"{MAKERS[maker]}; saved as " + (f"JPEG q{quality}" if quality else "PNG")
            rows.append((name, "fake", f"AI-decoded: a real photo passed through {how}",
                         f"made here from `{origin(key)}`", f"ours; source photo {DEBIAN[key[0]][3]}"))
            fakes.append({"file": name, "label": "fake", "kind": "image",
                          "source": f"AI-decoded: a real photo passed through {MAKERS[maker].split(' (')[0]}",
                          "size": f"{img.width}x{img.height}"})

        name, key, maker = VIDEO
        print(f"{name}: {VIDEO_FRAMES} frames of {key[1]} through {maker}", flush=True)
        make_clip(makers[maker], Image.open(paths[key]).convert("RGB"), os.path.join(out, name), work)
        seconds = VIDEO_FRAMES / VIDEO_FPS
        rows.append((name, "fake", f"AI-decoded clip: a {seconds:g} s pan across a real photo, every frame passed "
                     f"through {MAKERS[maker]}; H.264 CRF 18", f"made here from `{origin(key)}`",
                     f"ours; source photo {DEBIAN[key[0]][3]}"))
        clip = {"file": name, "label": "fake", "kind": "video",
                "source": f"AI-decoded clip: a pan across a real photo, each frame through {MAKERS[maker].split(' (')[0]}",
                "size": "x".join(map(str, VIDEO_SIZE))}

        # Feed order: AI-decoded images and real photos alternate, the clip comes last.
        feed = [post for pair in zip(fakes, feed) for post in pair] + [clip]
        with open(os.path.join(out, "feed.json"), "w") as f:
            json.dump(feed, f, indent=2, ensure_ascii=False)
            f.write("\n")
        write_credits(rows, out)
    finally:
        if not args.keep_downloads:
            shutil.rmtree(work, ignore_errors=True)
    print(f"rebuilt {out}: {len(REALS)} real photos, {len(DECODED)} AI-decoded images, 1 AI-decoded clip")


def write_credits(rows, out: str) -> None:
    lines = [
        "# Demo media: origins and licences",
        "",
        "Rebuilt from scratch by `npm run demo:media` (`scripts/demo-media/build.py`); do not edit by hand. Nothing",
        "here comes from a public code repository, and nothing from this folder is bundled into the extension (`dist/`).",
        "",
        "- **Real photos** are copied unchanged out of Debian packages (`apt-get download` + `dpkg-deb -x`); the script",
        "  checks each one against a pinned sha256.",
        "- **AI-decoded images and clip** were made here: another Debian photo, shrunk to at most "
        f"{LONG_SIDE} px and cropped",
        "  to a multiple of 8 px, encoded and decoded by an image autoencoder. The FLUX.2 tiny autoencoder (TAEF2) is the",
        "  pretrained approximation of a latent-diffusion model's decoder; the other three are small autoencoders",
        f"  Frameproof trains here ({ZOO_STEPS} steps on crops of four Debian photos the demo does not show:",
        "  " + ", ".join(n for _, n in ZOO_TRAINING) + "), with the decoder designs of diffusion VAEs,",
        "  GANs and super-resolution networks. Every pixel of these files went through a generator's decoder, which is the",
        "  trace the detector looks for; their content is a real scene. Our own autoencoders blur, so their output has its",
        "  fine detail scaled back up to the source's (`match_detail`); TAEF2's output is kept as it comes. **The shipped",
        "  model was trained on aligned fakes made with TAEF2 and the same decoder designs (other photos, other weights),",
        "  so the demo shows what the detector sees, not how well it does on generators it never met**:",
        "  `models/MODEL_CARD.md` has those numbers.",
        "",
        "| file | label | what it is | origin | licence | sha256 |",
        "|---|---|---|---|---|---|",
    ]
    for name, label, what, where, licence in sorted(rows):
        lines.append(f"| `{name}` | {label} | {what} | {where} | {licence} | `{sha256(os.path.join(out, name))}` |")
    with open(os.path.join(out, "CREDITS.md"), "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
