"""Face detection and face crops for the face-swap branch, the Python twin of the TypeScript face code (the parity
fixtures tests/fixtures/parity/face-crop.json and face-detections.json pin both to the same rule).

Detector: YuNet (ShiqiYu/libfacedetection.train, Apache-2.0) `yunet_n_dynamic.onnx`, run through cv2.dnn. Its raw
outputs are cls/obj/bbox/kps at strides 8, 16 and 32; the anchor decoding and NMS below are the shared rule:

* input: the RGB image scaled so its longest side is at most 640 (scale = min(1, 640 / max(W, H)), size round(W*scale) x
  round(H*scale), cv2.INTER_AREA), as BGR float 0..255, zero-padded bottom/right to multiples of 32, NCHW;
* per stride s, grid cols = padW / s, rows = padH / s, index r * cols + c: score = sqrt(clip(cls) * clip(obj));
  cx = (c + bbox0) s, cy = (r + bbox1) s, w = exp(bbox2) s, h = exp(bbox3) s, box = (cx - w/2, cy - h/2, w, h);
  landmark k = ((kps[2k] + c) s, (kps[2k+1] + r) s);
* keep score >= 0.6, greedy NMS at IoU 0.3 (highest score first), divide by `scale`, drop faces with max(w, h) < 32.

Crop for the classifier: a square of side 1.5 max(w, h) around the box centre, pixel-snapped, edge-replicated outside
the image, area-resized to 224 x 224 with the semantic branch's exact area filter, /255, NCHW RGB float32."""
import math
import os

import cv2
import numpy as np
import onnx

from .semantic_input import area_weights

WEIGHTS = os.environ.get("FRAMEPROOF_WEIGHTS", os.path.join(os.path.dirname(__file__), "../../../shared/weights"))
DETECTOR_FILE = "yunet_n_dynamic.onnx"
MAX_SIDE = 640
SCORE_THRESHOLD = 0.6
NMS_IOU = 0.3
MIN_FACE = 32
STRIDES = (8, 16, 32)
CROP_SIZE = 224
CROP_SCALE = 1.5


class Detector:
    def __init__(self, path: str | None = None):
        cv2.setNumThreads(1)
        self.path = path or os.path.join(WEIGHTS, DETECTOR_FILE)
        self.model = onnx.load(self.path)
        self.nets = {}  # (padH, padW) -> cv2.dnn net: OpenCV 4.6 cannot import the dynamic-shape graph as is, so the
        # input's height and width are pinned per padded size (the weights and ops are unchanged)
        self.names = [f"{k}_{s}" for s in STRIDES for k in ("cls", "obj", "bbox", "kps")]

    def net(self, pad_h: int, pad_w: int):
        if (pad_h, pad_w) not in self.nets:
            dims = self.model.graph.input[0].type.tensor_type.shape.dim
            for d, v in zip(dims, (1, 3, pad_h, pad_w)):
                d.dim_value = v
            self.nets[(pad_h, pad_w)] = cv2.dnn.readNetFromONNX(self.model.SerializeToString())
        return self.nets[(pad_h, pad_w)]

    def __call__(self, rgb: np.ndarray) -> list[dict]:
        return detect(self, rgb)


def detector_input(rgb: np.ndarray) -> tuple[np.ndarray, float]:
    """uint8 RGB [H, W, 3] -> (float32 BGR 0..255 [1, 3, padH, padW], scale)."""
    h, w, _ = rgb.shape
    scale = min(1.0, MAX_SIDE / max(w, h))
    if scale < 1:
        rgb = cv2.resize(rgb, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_AREA)
    rh, rw, _ = rgb.shape
    ph, pw = -(-rh // 32) * 32, -(-rw // 32) * 32
    x = np.zeros((ph, pw, 3), np.float32)
    x[:rh, :rw] = rgb[:, :, ::-1]
    return x.transpose(2, 0, 1)[None].copy(), scale


def decode(outputs: dict, pad_h: int, pad_w: int) -> list[dict]:
    """Raw YuNet outputs (name -> [1, n, k]) -> candidate faces in detector-input pixels (before NMS)."""
    faces = []
    for s in STRIDES:
        cols, rows = pad_w // s, pad_h // s
        cls = np.clip(outputs[f"cls_{s}"].reshape(-1), 0, 1)
        obj = np.clip(outputs[f"obj_{s}"].reshape(-1), 0, 1)
        bbox = outputs[f"bbox_{s}"].reshape(-1, 4)
        kps = outputs[f"kps_{s}"].reshape(-1, 10)
        score = np.sqrt(cls * obj)
        for idx in np.nonzero(score >= SCORE_THRESHOLD)[0]:
            r, c = divmod(int(idx), cols)
            b = bbox[idx].astype(np.float64)
            cx, cy = (c + b[0]) * s, (r + b[1]) * s
            w, h = math.exp(b[2]) * s, math.exp(b[3]) * s
            k = kps[idx].astype(np.float64)
            faces.append({"box": [cx - w / 2, cy - h / 2, w, h],
                          "landmarks": [[(k[2 * j] + c) * s, (k[2 * j + 1] + r) * s] for j in range(5)],
                          "score": float(score[idx])})
    return faces


def iou(a, b) -> float:
    ax1, ay1, bx1, by1 = a[0] + a[2], a[1] + a[3], b[0] + b[2], b[1] + b[3]
    iw = max(0.0, min(ax1, bx1) - max(a[0], b[0]))
    ih = max(0.0, min(ay1, by1) - max(a[1], b[1]))
    inter = iw * ih
    union = a[2] * a[3] + b[2] * b[3] - inter
    return inter / union if union > 0 else 0.0


def nms(faces: list[dict], threshold: float = NMS_IOU) -> list[dict]:
    kept = []
    for f in sorted(faces, key=lambda f: -f["score"]):  # stable: ties keep decode order
        if all(iou(f["box"], k["box"]) <= threshold for k in kept):
            kept.append(f)
    return kept


def detect(det: Detector, rgb: np.ndarray) -> list[dict]:
    """uint8 RGB [H, W, 3] -> faces [{box: [x, y, w, h], landmarks: [[x, y] x 5], score}] in original pixels, best
    first. Landmarks: right eye, left eye, nose tip, right and left mouth corners (YuNet's order)."""
    x, scale = detector_input(rgb)
    net = det.net(x.shape[2], x.shape[3])
    net.setInput(x)
    outs = dict(zip(det.names, net.forward(det.names)))
    faces = nms(decode(outs, x.shape[2], x.shape[3]))
    out = []
    for f in faces:
        box = [v / scale for v in f["box"]]
        if max(box[2], box[3]) < MIN_FACE:
            continue
        out.append({"box": box, "landmarks": [[p[0] / scale, p[1] / scale] for p in f["landmarks"]],
                    "score": f["score"]})
    return out


def crop_window(box, scale: float = CROP_SCALE) -> tuple[int, int, int]:
    """(x0, y0, S): the square crop's top-left pixel and side."""
    x, y, w, h = box
    cx, cy = x + w / 2, y + h / 2
    side = scale * max(w, h)
    return math.floor(cx - side / 2 + 0.5), math.floor(cy - side / 2 + 0.5), max(1, math.floor(side + 0.5))


def square_crop(rgb: np.ndarray, box, scale: float = CROP_SCALE) -> np.ndarray:
    """uint8 [S, S, 3]: pixel (i, j) = rgb[clamp(y0 + i), clamp(x0 + j)] (edge replicate)."""
    hh, ww, _ = rgb.shape
    x0, y0, s = crop_window(box, scale)
    ys = np.clip(np.arange(s) + y0, 0, hh - 1)
    xs = np.clip(np.arange(s) + x0, 0, ww - 1)
    return rgb[ys][:, xs]


def area_resize(patch: np.ndarray, size: int) -> np.ndarray:
    """uint8 [S, S, 3] -> float32 [1, 3, size, size] in [0, 1], the exact separable area filter."""
    s = patch.shape[0]
    wy, wx = area_weights(s, size), area_weights(patch.shape[1], size)
    x = patch.astype(np.float64) / 255.0
    rows = (wy @ x.reshape(s, -1)).reshape(size, patch.shape[1], 3)
    return (rows.transpose(2, 0, 1) @ wx.T)[None].astype(np.float32)


def face_crop(rgb: np.ndarray, box, size: int = CROP_SIZE, scale: float = CROP_SCALE) -> np.ndarray:
    """The classifier's input for one face: float32 [1, 3, size, size], RGB pixel/255."""
    return area_resize(square_crop(rgb, box, scale), size)
