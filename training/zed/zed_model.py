"""A small SReC-style lossless-coding model for the ZED zero-shot branch (Cozzolino et al., ECCV 2024).

Pyramid: x_{k+1} = round(2x2 mean of x_k). Level k codes x_k given x_{k+1} (=: y). The four sub-images of x_k
(pixels at (0,0), (1,1), (0,1), (1,0) of each 2x2 block) are coded in three sequential groups:
  g1 = s00 from y only;  g2 = s11 from y and s00;  g3 = s01 from y, s00, s11.
s10 is not coded: given y and the other three it is fixed up to the rounding of the mean (as in SReC).
Per sub-pixel channel the model outputs a K-component mixture of discretised logistics; G and B means also depend
linearly on the true R (and G) of the same pixel (PixelCNN++ channel coefficients), so the per-pixel likelihood is
p(R) p(G|R) p(B|R,G). All values live in [-1, 1] (v / 127.5 - 1), bin half-width 1/255.

Statistics per sub-pixel channel: NLL (bits) and the model's own entropy H of the same conditional distribution.
H is a Monte-Carlo estimate: draw S values from the predicted distribution, average -log2 p(draw). It is unbiased
per sub-pixel and costs S likelihood evaluations instead of 256 bins x K components (10x cheaper on CPU).
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

K = 3  # mixture components
P_CH = 3 * K  # logits, means, log-scales per channel
P_OUT = 3 * P_CH + 3 * K  # + channel coefficients a (G<-R), b (B<-R), c (B<-G)
LN2 = math.log(2.0)


def downsample(x: torch.Tensor) -> torch.Tensor:
    """Integer pixel values [B,3,H,W] (H, W even) -> round(2x2 mean), integer-valued float."""
    s = x[:, :, 0::2, 0::2] + x[:, :, 0::2, 1::2] + x[:, :, 1::2, 0::2] + x[:, :, 1::2, 1::2]
    return torch.floor((s + 2) / 4)


def groups(x: torch.Tensor):
    """The three coded sub-images, in coding order."""
    return [x[:, :, 0::2, 0::2], x[:, :, 1::2, 1::2], x[:, :, 0::2, 1::2]]


def norm(v: torch.Tensor) -> torch.Tensor:
    return v / 127.5 - 1.0


class LevelModel(nn.Module):
    """Predicts the three groups of one pyramid level from the level below (~140k parameters for C=48)."""

    def __init__(self, c: int = 48):
        super().__init__()
        act = nn.LeakyReLU(0.1)
        self.trunk = nn.Sequential(nn.Conv2d(3, c, 3, padding=1), act, nn.Conv2d(c, c, 3, padding=1), act,
                                   nn.Conv2d(c, c, 3, padding=1), act, nn.Conv2d(c, c, 3, padding=1), act)
        self.heads = nn.ModuleList(
            nn.Sequential(nn.Conv2d(c + 3 * g, c, 3, padding=1), act, nn.Conv2d(c, c, 1), act, nn.Conv2d(c, P_OUT, 1))
            for g in range(3))

    def forward(self, x: torch.Tensor, y: torch.Tensor):
        """x: level k, y: level k+1 (integer-valued floats). Returns per group (log-probs [B,3,h,w], params)."""
        yn = norm(y)
        feat = self.trunk(yn)
        gs = [norm(g) for g in groups(x)]
        out = []
        for gi, head in enumerate(self.heads):
            p = head(torch.cat([feat] + gs[:gi], 1))
            out.append(unpack(p, yn))
        return gs, out


def unpack(p: torch.Tensor, yn: torch.Tensor):
    """Raw head output -> (logits [B,3,K,h,w], base means [B,3,K,h,w], log-scales, coeffs [B,3,K,h,w])."""
    b, _, h, w = p.shape
    m = p[:, :3 * P_CH].view(b, 3, 3, K, h, w)
    logits, means, log_s = m[:, :, 0], m[:, :, 1] + yn.unsqueeze(2), m[:, :, 2].clamp(min=-7.0)
    coef = torch.tanh(p[:, 3 * P_CH:].view(b, 3, K, h, w))
    return logits, means, log_s, coef


def channel_means(means, coef, x, yn):
    """Add the channel-autoregressive terms: mu_G += a (x_R - y_R); mu_B += b (x_R - y_R) + c (x_G - y_G)."""
    r = (x[:, 0] - yn[:, 0]).unsqueeze(1)
    g = (x[:, 1] - yn[:, 1]).unsqueeze(1)
    return torch.stack([means[:, 0], means[:, 1] + coef[:, 0] * r, means[:, 2] + coef[:, 1] * r + coef[:, 2] * g], 1)


def log_prob(x, logits, mu, log_s):
    """Discretised-logistic mixture log-likelihood (nats) of x [B,3,h,w] in [-1,1]; params [B,3,K,h,w]."""
    xc = x.unsqueeze(2) - mu
    inv_s = torch.exp(-log_s)
    plus_in = inv_s * (xc + 1.0 / 255)
    min_in = inv_s * (xc - 1.0 / 255)
    cdf_delta = torch.sigmoid(plus_in) - torch.sigmoid(min_in)
    log_cdf_plus = plus_in - F.softplus(plus_in)  # x = 0 edge
    log_one_minus_cdf_min = -F.softplus(min_in)  # x = 255 edge
    mid_in = inv_s * xc
    log_pdf_mid = mid_in - log_s - 2.0 * F.softplus(mid_in) - math.log(127.5)
    inner = torch.where(cdf_delta > 1e-5, torch.log(cdf_delta.clamp(min=1e-12)), log_pdf_mid)
    xe = x.unsqueeze(2).expand_as(xc)
    lp = torch.where(xe < -0.999, log_cdf_plus, torch.where(xe > 0.999, log_one_minus_cdf_min, inner))
    return torch.logsumexp(lp + F.log_softmax(logits, 2), 2)


def group_bits(x, yn, params):
    """NLL in bits per sub-pixel channel, [B,3,h,w]."""
    logits, means, log_s, coef = params
    return -log_prob(x, logits, channel_means(means, coef, x, yn), log_s) / LN2


@torch.no_grad()
def group_entropy(x, yn, params, samples: int = 4, gen=None):
    """Monte-Carlo entropy (bits) of each channel's conditional distribution given the TRUE earlier channels."""
    logits, means, log_s, coef = params
    mu = channel_means(means, coef, x, yn)  # conditioned on the actual R, G of the pixel
    pi = F.softmax(logits, 2)
    acc = torch.zeros_like(x)
    for _ in range(samples):
        u = torch.rand(pi.shape, generator=gen)
        # Gumbel-free component choice: inverse CDF over the K weights
        k = (torch.cumsum(pi, 2) < u[:, :, :1]).sum(2, keepdim=True).clamp(max=K - 1)
        m, ls = mu.gather(2, k).squeeze(2), log_s.gather(2, k).squeeze(2)
        v = torch.rand(x.shape, generator=gen).clamp(1e-5, 1 - 1e-5)
        xs = m + torch.exp(ls) * (torch.log(v) - torch.log1p(-v))
        xs = torch.round((xs.clamp(-1, 1) + 1) * 127.5) / 127.5 - 1  # discretise like the data
        acc += -log_prob(xs, logits, mu, log_s) / LN2
    return acc / samples


class Pyramid(nn.Module):
    """Three level models: level k (k = 0, 1, 2) codes x_k given x_{k+1}."""

    def __init__(self, c: int = 48, levels: int = 3):
        super().__init__()
        self.levels = nn.ModuleList(LevelModel(c) for _ in range(levels))

    def pyramid(self, x0):
        xs = [x0]
        for _ in self.levels:
            xs.append(downsample(xs[-1]))
        return xs

    def loss(self, x0):
        """Mean bits per coded sub-pixel channel over all levels, plus per-level means for logging."""
        xs = self.pyramid(x0)
        tot, n, per = 0.0, 0, []
        for k, lm in enumerate(self.levels):
            gs, outs = lm(xs[k], xs[k + 1])
            yn = norm(xs[k + 1])
            bits = sum(group_bits(g, yn, o).sum() for g, o in zip(gs, outs))
            cnt = 3 * gs[0].numel()
            tot, n = tot + bits, n + cnt
            per.append(float(bits) / cnt)
        return tot / n, per

    @torch.no_grad()
    def maps(self, x0, samples: int = 2, gen=None):
        """Per level: (nll [3 groups,3,h,w], entropy [3,3,h,w]) in bits, for a single image x0 [1,3,H,W]."""
        xs = self.pyramid(x0)
        res = []
        for k, lm in enumerate(self.levels):
            gs, outs = lm(xs[k], xs[k + 1])
            yn = norm(xs[k + 1])
            nll = torch.stack([group_bits(g, yn, o)[0] for g, o in zip(gs, outs)])
            ent = torch.stack([group_entropy(g, yn, o, samples, gen)[0] for g, o in zip(gs, outs)])
            res.append((nll, ent))
        return res
