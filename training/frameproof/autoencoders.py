"""Aligned-fake makers: small autoencoders with the decoder designs that image generators share, trained here on
real photos, plus the pretrained TAEF2 (tiny FLUX.2 autoencoder). A real photo passed through one of them keeps
its content and gains that decoder's up-sampling fingerprint, so the detector learns traces, not subjects."""
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

WEIGHTS = os.environ.get("FRAMEPROOF_WEIGHTS", os.path.join(os.path.dirname(__file__), "../../../shared/weights"))
DECODER_DESIGNS = ["vae-nearest-gn-silu", "gan-transposed", "pixel-shuffle", "bilinear"]


def _up_stage(design: str, c_in: int, c_out: int) -> nn.Module:
    if design == "vae-nearest-gn-silu":  # SD/FLUX VAE decoders: nearest x2, conv, GroupNorm, SiLU
        return nn.Sequential(nn.Upsample(scale_factor=2, mode="nearest"), nn.Conv2d(c_in, c_out, 3, padding=1),
                             nn.GroupNorm(8, c_out), nn.SiLU(), nn.Conv2d(c_out, c_out, 3, padding=1), nn.SiLU())
    if design == "gan-transposed":  # DCGAN/StyleGAN-era decoders: stride-2 transposed convolutions
        return nn.Sequential(nn.ConvTranspose2d(c_in, c_out, 4, stride=2, padding=1), nn.LeakyReLU(0.2))
    if design == "pixel-shuffle":  # ESRGAN-style sub-pixel convolution
        return nn.Sequential(nn.Conv2d(c_in, c_out * 4, 3, padding=1), nn.PixelShuffle(2), nn.LeakyReLU(0.2))
    if design == "bilinear":
        return nn.Sequential(nn.Upsample(scale_factor=2, mode="bilinear", align_corners=False),
                             nn.Conv2d(c_in, c_out, 3, padding=1), nn.ReLU())
    raise ValueError(design)


class SmallAutoencoder(nn.Module):
    def __init__(self, design: str, stages: int, latent: int, width: int = 32):
        super().__init__()
        enc = [nn.Conv2d(3, width, 3, padding=1), nn.ReLU()]
        for _ in range(stages):
            enc += [nn.Conv2d(width, width, 4, stride=2, padding=1), nn.ReLU()]
        enc += [nn.Conv2d(width, latent, 3, padding=1)]
        self.encoder = nn.Sequential(*enc)
        dec = [nn.Conv2d(latent, width, 3, padding=1), nn.ReLU()]
        dec += [_up_stage(design, width, width) for _ in range(stages)]
        dec += [nn.Conv2d(width, 3, 3, padding=1)]
        self.decoder = nn.Sequential(*dec)

    def forward(self, x):  # x in [0, 1]
        return torch.sigmoid(self.decoder(self.encoder(x)))


def train_autoencoder(design: str, stages: int, latent: int, crops: torch.Tensor, steps: int, seed: int) -> nn.Module:
    """crops: float [M, 3, S, S] in [0, 1] of real photos."""
    g = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    ae = SmallAutoencoder(design, stages, latent)
    opt = torch.optim.Adam(ae.parameters(), lr=3e-3)
    for step in range(steps):
        idx = torch.randint(0, len(crops), (8,), generator=g)
        x = crops[idx]
        loss = F.l1_loss(ae(x), x)
        opt.zero_grad()
        loss.backward()
        opt.step()
    ae.eval()
    return ae


def match_detail(recon: torch.Tensor, src: torch.Tensor) -> torch.Tensor:
    """Scales the reconstruction's own high-pass residue up to the source's energy. Small, briefly trained
    autoencoders blur; without this the detector would learn "soft = fake" instead of the decoder's trace."""
    def high_pass(t):
        return t - F.avg_pool2d(F.pad(t, (1, 1, 1, 1), mode="replicate"), 3, stride=1)
    hp = high_pass(recon)
    k = (high_pass(src).std(dim=(1, 2, 3), keepdim=True) / (hp.std(dim=(1, 2, 3), keepdim=True) + 1e-6)).clamp(1, 4)
    return (recon + (k - 1) * hp).clamp(0, 1)


# --- TAEF2, rebuilt from taef2_*.keys.txt (madebyollin/taesd, MIT) ---
def _conv(n_in, n_out, **kw):
    return nn.Conv2d(n_in, n_out, 3, padding=1, **kw)


class _Clamp(nn.Module):
    def forward(self, x):
        return torch.tanh(x / 3) * 3


class _TaeBlock(nn.Module):
    def __init__(self, n: int, midblock_gn: bool = False):
        super().__init__()
        self.conv = nn.Sequential(_conv(n, n), nn.ReLU(), _conv(n, n), nn.ReLU(), _conv(n, n))
        self.pool = nn.Sequential(nn.Conv2d(n, 4 * n, 1, bias=False), nn.GroupNorm(4, 4 * n), nn.ReLU(),
                                  nn.Conv2d(4 * n, n, 1, bias=False)) if midblock_gn else None

    def forward(self, x):
        if self.pool is not None:
            x = x + self.pool(x)
        return F.relu(self.conv(x) + x)


def _taef2_encoder():
    B = _TaeBlock
    return nn.Sequential(_conv(3, 64), B(64), _conv(64, 64, stride=2, bias=False), B(64), B(64), B(64),
                         _conv(64, 64, stride=2, bias=False), B(64), B(64), B(64),
                         _conv(64, 64, stride=2, bias=False), B(64, True), B(64, True), B(64, True), _conv(64, 32))


def _taef2_decoder():
    B, up = _TaeBlock, lambda: nn.Upsample(scale_factor=2)
    return nn.Sequential(_Clamp(), _conv(32, 64), nn.ReLU(), B(64, True), B(64, True), B(64, True),
                         up(), _conv(64, 64, bias=False), B(64), B(64), B(64),
                         up(), _conv(64, 64, bias=False), B(64), B(64), B(64),
                         up(), _conv(64, 64, bias=False), B(64), _conv(64, 3))


class TAEF2(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder, self.decoder = _taef2_encoder(), _taef2_decoder()
        for part in ("encoder", "decoder"):
            state = torch.load(os.path.join(WEIGHTS, f"taef2_{part}.pth"), map_location="cpu")
            getattr(self, part).load_state_dict({k: v.float() for k, v in state.items()}, strict=True)
        self.eval()

    def forward(self, x):  # x in [0, 1]
        return self.decoder(self.encoder(x)).clamp(0, 1)
