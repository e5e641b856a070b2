#!/usr/bin/env bash
# Rebuilds every shipped model from ../shared/datasets and ../shared/weights, with fixed seeds.
#   bash training/run.sh            bank + shipped model -> models/ (about 20 min on 2 CPU cores)
#   bash training/run.sh --lofo     also the leave-one-generator-family-out runs and their `npm run eval` reports
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
  echo "training smoke: ok"
  exit 0
fi

[ -f cache/bank.npz ] || $PY prepare.py
$PY train.py --out runs/shipped
cp runs/shipped/image-artifact.onnx runs/shipped/image-artifact.json "$root/models/"
if [ "$mode" = "--lofo" ]; then
  for fam in $($PY -c "from frameproof.data import FAMILIES; print(' '.join(FAMILIES))"); do
    [ -f "runs/$fam/image-artifact.json" ] || $PY train.py --holdout "$fam" --out "runs/$fam"
    (cd "$root" && npm run --silent eval -- "training/runs/$fam/test.tsv" --model "training/runs/$fam/image-artifact.onnx" \
      --sidecar "training/runs/$fam/image-artifact.json" --json "training/runs/$fam/eval.json" > "training/runs/$fam/eval.txt")
    (cd "$root" && npm run --silent eval -- "training/runs/$fam/test.tsv" --model "training/runs/$fam/image-artifact.fp32.onnx" \
      --sidecar "training/runs/$fam/image-artifact.fp32.json" --json "training/runs/$fam/eval.fp32.json" > /dev/null)
  done
  $PY lofo_report.py runs --sidecar ../models/image-artifact.json > runs/lofo.md
  echo "leave-one-family-out report: training/runs/lofo.md"
fi
