"""Static int8 QDQ quantisation of the exported detector, written here because onnxruntime's Python quantiser
cannot be installed (no PyPI). Conv weights: symmetric int8 per output channel; conv inputs: uint8 per tensor
with ranges from calibration patches; biases: int32 at scale_x * scale_w. onnxruntime fuses DQ -> Conv -> Q
into integer convolutions."""
import numpy as np
import onnx
import torch
from onnx import helper, numpy_helper, TensorProto


def activation_ranges(model, patches: torch.Tensor) -> list[tuple[float, float]]:
    """Min/max of each body conv's input over calibration patches (in graph order)."""
    ranges, hooks = [], []
    convs = [m for m in model.body if isinstance(m, torch.nn.Conv2d)]
    for i, conv in enumerate(convs):
        ranges.append([np.inf, -np.inf])

        def hook(_m, inp, _out, i=i):
            x = inp[0].detach()
            # 99.99th percentile rather than max: one outlier pixel should not cost every other value resolution.
            hi = torch.quantile(x.flatten()[:: max(1, x.numel() // 2_000_000)], 0.9999).item()
            ranges[i][0] = min(ranges[i][0], x.min().item())
            ranges[i][1] = max(ranges[i][1], hi)
        hooks.append(conv.register_forward_hook(hook))
    with torch.no_grad():
        for chunk in patches.split(256):
            model(chunk)
    for h in hooks:
        h.remove()
    return [(float(lo), float(hi)) for lo, hi in ranges]


def quantize_qdq(src: str, dst: str, ranges: list[tuple[float, float]]):
    m = onnx.load(src)
    g = m.graph
    inits = {t.name: t for t in g.initializer}
    body_convs = [n for n in g.node if n.op_type == "Conv" and n.input[1] in inits and
                  numpy_helper.to_array(inits[n.input[1]]).shape[1] != 1]  # skip the depthwise Laplacian
    assert len(body_convs) == len(ranges), (len(body_convs), len(ranges))
    new_nodes = []
    for conv, (lo, hi) in zip(body_convs, ranges):
        lo, hi = min(lo, 0.0), max(hi, 1e-6)
        sx = (hi - lo) / 255.0
        zx = int(np.clip(round(-lo / sx), 0, 255))
        w = numpy_helper.to_array(inits[conv.input[1]]).astype(np.float32)
        sw = np.maximum(np.abs(w).reshape(w.shape[0], -1).max(axis=1) / 127.0, 1e-12).astype(np.float32)
        wq = np.clip(np.round(w / sw[:, None, None, None]), -127, 127).astype(np.int8)
        b = numpy_helper.to_array(inits[conv.input[2]]).astype(np.float32)
        sb = (sx * sw).astype(np.float32)
        bq = np.round(b / sb).astype(np.int32)
        p = conv.name or conv.output[0]
        g.initializer.extend([
            numpy_helper.from_array(np.array(sx, np.float32), f"{p}_x_scale"),
            numpy_helper.from_array(np.array(zx, np.uint8), f"{p}_x_zp"),
            numpy_helper.from_array(wq, f"{p}_w_q"), numpy_helper.from_array(sw, f"{p}_w_scale"),
            numpy_helper.from_array(np.zeros_like(sw, dtype=np.int8), f"{p}_w_zp"),
            numpy_helper.from_array(bq, f"{p}_b_q"), numpy_helper.from_array(sb, f"{p}_b_scale"),
            numpy_helper.from_array(np.zeros_like(sb, dtype=np.int32), f"{p}_b_zp"),
        ])
        x = conv.input[0]
        new_nodes.append((conv, [
            helper.make_node("QuantizeLinear", [x, f"{p}_x_scale", f"{p}_x_zp"], [f"{p}_xq"]),
            helper.make_node("DequantizeLinear", [f"{p}_xq", f"{p}_x_scale", f"{p}_x_zp"], [f"{p}_xdq"]),
            helper.make_node("DequantizeLinear", [f"{p}_w_q", f"{p}_w_scale", f"{p}_w_zp"], [f"{p}_wdq"], axis=0),
            helper.make_node("DequantizeLinear", [f"{p}_b_q", f"{p}_b_scale", f"{p}_b_zp"], [f"{p}_bdq"], axis=0),
        ]))
        old_w, old_b = conv.input[1], conv.input[2]
        conv.input[0], conv.input[1], conv.input[2] = f"{p}_xdq", f"{p}_wdq", f"{p}_bdq"
        g.initializer.remove(inits[old_w])
        g.initializer.remove(inits[old_b])
    nodes = list(g.node)
    del g.node[:]
    for n in nodes:
        for conv, qdq in new_nodes:
            if n is conv:
                g.node.extend(qdq)
        g.node.append(n)
    onnx.checker.check_model(m)
    onnx.save(m, dst)


class _QuantisedInput(torch.nn.Module):
    """QuantizeLinear -> DequantizeLinear on a conv's input, as the QDQ graph does (round half to even)."""

    def __init__(self, conv: torch.nn.Conv2d, scale: float, zero_point: int):
        super().__init__()
        self.conv, self.scale, self.zero_point = conv, scale, zero_point

    def forward(self, x):
        q = torch.clamp(torch.round(x / self.scale) + self.zero_point, 0, 255)
        return self.conv((q - self.zero_point) * self.scale)


def int8_simulation(int8_path: str, model: torch.nn.Module) -> torch.nn.Module:
    """Loads the shipped int8 QDQ file into `model` (a fused PatchDetector of the same shape) so that calibration
    scores exactly what ships: dequantised weights and biases, quantised conv inputs."""
    inits = {t.name: numpy_helper.to_array(t) for t in onnx.load(int8_path).graph.initializer}
    t = lambda name: torch.from_numpy(inits[name].astype(np.float32))
    model.head.weight.data, model.head.bias.data = t("head.weight"), t("head.bias")
    for i, layer in enumerate(model.body):
        if not isinstance(layer, torch.nn.Conv2d):
            continue
        p = f"/body/body.{i}/Conv"
        layer.weight.data = t(f"{p}_w_q") * t(f"{p}_w_scale")[:, None, None, None]
        layer.bias.data = t(f"{p}_b_q") * t(f"{p}_b_scale")
        model.body[i] = _QuantisedInput(layer, float(inits[f"{p}_x_scale"]), int(inits[f"{p}_x_zp"]))
    return model.eval()
