"""The patch detector: fixed high-pass front end (NPR up-sampling residue + Laplacian) and a small CNN.
It scores one 64 x 64 patch; the image score is the top-k mean of its patch logits."""
import torch
import torch.nn as nn
import torch.nn.functional as F

WIDTHS = (16, 24, 24, 48, 48, 96, 96)
STRIDES = (1, 2, 1, 2, 1, 2, 1)


FRONTS = ("hp", "hp+rgb")


class HighPass(nn.Module):
    """Residues that carry generator traces and little content: x - nearest_up(x[::2, ::2]) (NPR) and a Laplacian.
    front="hp+rgb" also passes the pixels themselves (colour and texture statistics, at the risk of content)."""

    def __init__(self, front: str = "hp"):
        super().__init__()
        assert front in FRONTS, front
        self.kind = front
        self.with_rgb = front == "hp+rgb"
        lap = torch.tensor([[0, -1, 0], [-1, 4, -1], [0, -1, 0]], dtype=torch.float32)
        self.register_buffer("lap", lap.expand(3, 1, 3, 3).clone())

    @property
    def channels(self) -> int:
        return 9 if self.with_rgb else 6

    def forward(self, x):
        npr = x - F.interpolate(x[:, :, ::2, ::2], scale_factor=2.0, mode="nearest")
        parts = [npr * 4.0, F.conv2d(x, self.lap, padding=1, groups=3) * 2.0]
        return torch.cat(parts + [x] if self.with_rgb else parts, dim=1)


class PatchDetector(nn.Module):
    def __init__(self, fused: bool = False, front: str = "hp"):
        super().__init__()
        self.front = HighPass(front)
        layers, c_in = [], self.front.channels
        for c_out, s in zip(WIDTHS, STRIDES):
            layers.append(nn.Conv2d(c_in, c_out, 3, stride=s, padding=1, bias=fused))
            if not fused:
                layers.append(nn.BatchNorm2d(c_out))
            layers.append(nn.ReLU())
            c_in = c_out
        self.body = nn.Sequential(*layers)
        self.dropout = nn.Dropout(0.2)
        self.head = nn.Linear(c_in, 1)

    def forward(self, x):
        f = self.body(self.front(x)).mean(dim=(2, 3))
        return self.head(self.dropout(f)).squeeze(1)


def fuse_batchnorm(model: PatchDetector) -> PatchDetector:
    """Fold each BatchNorm into the preceding conv so the exported graph is Conv/ReLU only (quantisation-friendly)."""
    fused = PatchDetector(fused=True, front=model.front.kind)
    fused.head.load_state_dict(model.head.state_dict())
    convs = [m for m in model.body if isinstance(m, nn.Conv2d)]
    bns = [m for m in model.body if isinstance(m, nn.BatchNorm2d)]
    for dst, conv, bn in zip([m for m in fused.body if isinstance(m, nn.Conv2d)], convs, bns):
        k = bn.weight / torch.sqrt(bn.running_var + bn.eps)
        dst.weight.data = conv.weight.data * k[:, None, None, None]
        dst.bias.data = bn.bias.data - bn.running_mean * k
    return fused.eval()


def export_onnx(model: PatchDetector, path: str):
    model.eval()
    dummy = torch.zeros(2, 3, 64, 64)
    torch.onnx.export(model, dummy, path, input_names=["patches"], output_names=["logits"],
                      dynamic_axes={"patches": {0: "n"}, "logits": {0: "n"}}, opset_version=13,
                      do_constant_folding=True)


def count_params(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())
