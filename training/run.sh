#!/usr/bin/env bash
# Rebuilds every shipped model from ../shared/datasets and ../shared/weights (and the npm package nsfwjs), fixed seeds.
#   bash training/run.sh            the whole detector -> models/ (about 60 min on 2 CPU cores): artifact patch bank and
#                                   model, semantic features and head, every branch's leave-one-family-out runs (the
#                                   fusion is fitted on their out-of-fold scores), fusion, calibration, model-card tables,
#                                   and the face-swap branch (SBI, about 25 min more; training/runs/faces.md)
#   bash training/run.sh --smoke    a few steps on a tiny subset, into a temp dir (CI: keeps this code from rotting)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
mode="${1:-}"
PY=/usr/bin/python3  # Debian's python3-torch; the python3 on PATH may be another build without it

need=()
$PY -c "import torch" 2>/dev/null || need+=(python3-torch)
$PY -c "import onnx" 2>/dev/null || need+=(python3-onnx)
$PY -c "import sklearn" 2>/dev/null || need+=(python3-sklearn)
$PY -c "import PIL, numpy" 2>/dev/null || need+=(python3-pil python3-numpy)
$PY -c "import cv2" 2>/dev/null || need+=(python3-opencv)  # face branch: YuNet through cv2.dnn
$PY -c "import h5py" 2>/dev/null || need+=(python3-h5py)  # face branch: the MesoNet baseline's Keras HDF5
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing ${need[*]} with apt-get"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "missing Debian packages: ${need[*]} (run: sudo apt-get install ${need[*]})" >&2; exit 1
  fi
fi
for d in datasets weights; do
  [ -d "${FRAMEPROOF_SHARED:-$root/../shared}/$d" ] || { echo "missing ../shared/$d beside the repository" >&2; exit 1; }
done

cd "$here"
if [ "$mode" = "--smoke" ]; then
  tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
  $PY prepare.py --smoke --out "$tmp/bank.npz"
  $PY train.py --bank "$tmp/bank.npz" --out "$tmp/run" --steps 3 --batch 16 --smoke
  $PY -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['sha256'] and d['thresholds']['levels']" "$tmp/run/image-artifact.json"
  $PY semantic.py features --smoke --out "$tmp/semantic"
  $PY faces.py smoke  # YuNet index, SBI training, export, calibration and eval on a tiny subset, in its own temp dir
  echo "training smoke: ok"
  exit 0
fi

[ -f cache/bank.npz ] || $PY prepare.py
[ -f cache/semantic-features.npz ] || $PY semantic.py features
families=$($PY -c "from frameproof.data import FAMILIES; print(' '.join(FAMILIES))")
for fam in $families; do  # artifact branch, out of fold
  [ -f "runs/$fam/scores-test.json" ] || $PY train.py --holdout "$fam" --out "runs/$fam"
done
[ -f runs/shipped/scores-calibration.json ] || $PY train.py --out runs/shipped
$PY semantic.py lofo
$PY semantic.py ship --out runs/semantic
cp runs/shipped/image-artifact.onnx runs/shipped/image-artifact.json runs/semantic/image-semantic.onnx \
  runs/semantic/image-semantic.json "$root/models/"
$PY fusion.py ship --out "$root/models/image-detector.json"
$PY fusion.py report > /dev/null
# face-swap branch: SBI on real training faces (no fake file is trained on), then SBI vs MesoNet on the face-swap stills
[ -f cache/faces-index.json ] || $PY faces.py index
$PY faces.py train --out runs/faces
$PY faces.py eval --out runs/faces --report runs/faces.md > /dev/null
cp runs/faces/face-swap.onnx runs/faces/face-swap.json "$root/models/"
echo "models/ rebuilt; leave-one-family-out tables: training/runs/fusion.md; face branch: training/runs/faces.md"
