"""The frozen ImageNet-derived backbone of the semantic branch: nsfwjs 4.4.0's MobileNetV2 (npm, MIT), read from its
Keras layers model and rebuilt in PyTorch so that it can be fine-tuned around, run on the corpus and exported to ONNX.

The npm tarball is fetched with `npm pack` and checked against the registry's pinned sha512 before anything is read;
node turns its UMD wrappers into model.json + weights.bin (uint8-quantised weights, dequantised here)."""
import base64
import hashlib
import json
import os
import shutil
import subprocess
import tarfile

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

PACKAGE = "nsfwjs@4.4.0"
INTEGRITY = "sha512-krC1fgeTLXtZwgdpKJ0jm7hqv0gTSRQQRL+FhOaxaJ9Wj92t42BO3csO2odwgTAgZgf2RvkwPtp0R8Aa7dc+MA=="
MODEL_DIR = "package/dist/models/mobilenet_v2"
INPUT_SIZE = 224
# Global-average-pooled activations the head reads: the end of three stages (low-level texture at 28 px, mid-level
# at 14 px, and the 1280-d final features UnivFD-style heads use).
TAPS = ("block_5_add", "block_12_add", "out_relu")

# Node evaluates the package's UMD wrappers (they assign `module.exports`) and writes plain files for Python.
_DUMP = """
const fs = require('fs'), path = require('path'); const [dir, out] = process.argv.slice(1);
const model = require(path.resolve(dir, 'model.min.js'));
fs.writeFileSync(path.join(out, 'model.json'), JSON.stringify(model));
const shards = model.weightsManifest[0].paths.map(p => Buffer.from(require(path.resolve(dir, p + '.min.js')), 'base64'));
fs.writeFileSync(path.join(out, 'weights.bin'), Buffer.concat(shards));
"""


def fetch(cache: str) -> str:
    """Returns a folder with model.json and weights.bin, downloading and checking the npm package once."""
    out = os.path.join(cache, "nsfwjs-mobilenet_v2")
    if os.path.exists(os.path.join(out, "weights.bin")):
        return out
    os.makedirs(cache, exist_ok=True)
    name = subprocess.run(["npm", "pack", PACKAGE, "--silent", "--pack-destination", cache], check=True,
                          capture_output=True, text=True).stdout.strip().splitlines()[-1]
    tgz = os.path.join(cache, name)
    digest = "sha512-" + base64.b64encode(hashlib.sha512(open(tgz, "rb").read()).digest()).decode()
    if digest != INTEGRITY:
        raise RuntimeError(f"{tgz}: sha512 {digest} is not the pinned {INTEGRITY}")
    tmp = os.path.join(cache, "nsfwjs-unpacked")
    shutil.rmtree(tmp, ignore_errors=True)
    with tarfile.open(tgz) as t:
        t.extractall(tmp, members=[m for m in t.getmembers() if m.isfile() and ".." not in m.name])
    os.makedirs(out, exist_ok=True)
    subprocess.run(["node", "-e", _DUMP, os.path.join(tmp, MODEL_DIR), out], check=True)
    shutil.copy(os.path.join(tmp, "package/LICENSE"), os.path.join(out, "LICENSE"))
    shutil.rmtree(tmp)
    return out


def read_weights(folder: str) -> tuple[dict, dict]:
    model = json.load(open(os.path.join(folder, "model.json")))
    raw = open(os.path.join(folder, "weights.bin"), "rb").read()
    weights, offset = {}, 0
    for spec in model["weightsManifest"][0]["weights"]:
        n = int(np.prod(spec["shape"]))
        q = spec.get("quantization")
        if q:
            codes = np.frombuffer(raw, np.uint8, n, offset)
            offset += n
            values = q["min"] + codes.astype(np.float32) * q["scale"]
        else:
            values = np.frombuffer(raw, np.float32, n, offset)
            offset += 4 * n
        weights[spec["name"]] = values.reshape(spec["shape"]).astype(np.float32)
    return model["modelTopology"]["model_config"]["config"], weights


def _same_padding(size_k: int, stride: int) -> tuple[int, int]:
    """Keras 'same' for the even input sizes used here: the extra pixel goes after."""
    total = max(size_k - stride, 0)
    return total // 2, total - total // 2


class MobileNetV2(nn.Module):
    """The Keras graph up to `out_relu`, with BatchNorm folded into the convolutions. forward(x) takes RGB in [0, 1]
    (nsfwjs divides by 255 and nothing else) at 224 x 224 and returns the pooled taps, concatenated."""

    def __init__(self, folder: str, taps=TAPS):
        super().__init__()
        config, w = read_weights(folder)
        self.taps = list(taps)
        self.steps = []  # (name, kind, inputs, params)
        self.convs = nn.ModuleDict()
        by_name = {}
        for layer in config["layers"]:
            name, kind, cfg = layer["name"], layer["class_name"], layer["config"]
            inputs = [n[0] for n in layer["inbound_nodes"][0]] if layer["inbound_nodes"] else []
            by_name[name] = (kind, cfg, inputs)
        for layer in config["layers"]:
            name, kind, cfg = layer["name"], layer["class_name"], layer["config"]
            _, _, inputs = by_name[name]
            if kind in ("Conv2D", "DepthwiseConv2D"):
                k = w[f"{name}/kernel"] if kind == "Conv2D" else w[f"{name}/depthwise_kernel"]
                kernel = torch.from_numpy(k).permute(3, 2, 0, 1) if kind == "Conv2D" else \
                    torch.from_numpy(k).permute(2, 3, 0, 1)  # depthwise [kh, kw, c, 1] -> [c, 1, kh, kw]
                groups = 1 if kind == "Conv2D" else kernel.shape[0]
                conv = nn.Conv2d(kernel.shape[1] * groups, kernel.shape[0], kernel.shape[2:],
                                 stride=cfg["strides"], groups=groups, bias=True)
                conv.weight.data = kernel.contiguous()
                conv.bias.data = torch.from_numpy(w[f"{name}/bias"]) if cfg.get("use_bias") else torch.zeros(
                    kernel.shape[0])
                self.convs[name] = conv
                pad = (0, 0, 0, 0)
                if cfg["padding"] == "same":
                    ph, pw = _same_padding(cfg["kernel_size"][0], cfg["strides"][0]), \
                        _same_padding(cfg["kernel_size"][1], cfg["strides"][1])
                    pad = (pw[0], pw[1], ph[0], ph[1])
                self.steps.append((name, "conv", inputs, pad))
            elif kind == "BatchNormalization":
                conv = self.convs[inputs[0]]  # every BN here follows a conv with no other reader
                scale = w[f"{name}/gamma"] / np.sqrt(w[f"{name}/moving_variance"] + cfg["epsilon"])
                conv.weight.data *= torch.from_numpy(scale)[:, None, None, None]
                conv.bias.data = conv.bias.data * torch.from_numpy(scale) + torch.from_numpy(
                    w[f"{name}/beta"] - w[f"{name}/moving_mean"] * scale)
                self.steps.append((name, "alias", inputs, None))
            elif kind == "ReLU":
                self.steps.append((name, "relu6", inputs, cfg.get("max_value")))
            elif kind == "ZeroPadding2D":
                (t, b), (l, r) = cfg["padding"]
                self.steps.append((name, "pad", inputs, (l, r, t, b)))
            elif kind == "Add":
                self.steps.append((name, "add", inputs, None))
            elif kind == "InputLayer":
                continue
            else:
                break  # the classifier head (pooling, dense layers) is not used
            if name == self.taps[-1]:
                break
        missing = set(self.taps) - {s[0] for s in self.steps}
        if missing:
            raise ValueError(f"taps not in the graph: {missing}")

    @property
    def width(self) -> int:
        return int(self.forward(torch.zeros(1, 3, INPUT_SIZE, INPUT_SIZE)).shape[1])

    def forward(self, x):
        values = {"input_1": x}
        pooled = []
        for name, kind, inputs, param in self.steps:
            a = values[inputs[0]]
            if kind == "conv":
                y = self.convs[name](F.pad(a, param) if any(param) else a)
            elif kind == "alias":
                y = a
            elif kind == "relu6":
                y = a.clamp(0, param) if param is not None else F.relu(a)
            elif kind == "pad":
                y = F.pad(a, param)
            else:
                y = a + values[inputs[1]]
            values[name] = y
            if name in self.taps:
                pooled.append(y.mean(dim=(2, 3)))
        return torch.cat(pooled, dim=1)
