#!/usr/bin/env bash
# Ship a LoRA run's best/ as a delta, assemble it, and score it on dev: the tagger alone
# (--engine model) and joined with the rules (--engine accurate).
#   training/eval_candidate.sh RUN_DIR BASE_FOLDER LABEL
set -euo pipefail
run=$1; base=$2; label=$3
root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/runs/candidates/$label"
mkdir -p "$out"
OMP_NUM_THREADS=1 "$root/.venv/bin/python" "$root/training/ship_lora.py" --best "$run/best" --encoder "$base" \
  --out "$out/delta" | tee "$out/ship.json"
folder=$("$root/.venv/bin/python" -c "
from pathlib import Path; from onrecord.analysis.model.assemble import assemble
print(assemble(Path('$out/delta'), Path('$out/cache')))")
for engine in model accurate; do
  ONRECORD_MODEL_DIR="$folder" "$root/.venv/bin/python" "$root/benchmarks/eval_dev.py" --engine "$engine" \
    --out "$out/dev-$engine.jsonl" > "$out/eval-$engine.txt" 2>&1
  grep -E "HEADLINE|speaker accuracy|analysed" "$out/eval-$engine.txt"
done
