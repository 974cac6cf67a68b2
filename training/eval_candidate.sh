#!/usr/bin/env bash
# Ship a LoRA run's best/ as a delta, assemble it, and score it on dev: the tagger alone
# (--engine model) and joined with the rules (--engine accurate).
#   [EVALS='model accurate accurate-join2'] training/eval_candidate.sh RUN_DIR BASE_FOLDER LABEL
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
score() {  # label, then eval_dev.py's arguments
  local name=$1; shift
  ONRECORD_MODEL_DIR="$folder" "$root/.venv/bin/python" "$root/benchmarks/eval_dev.py" "$@" \
    --out "$out/dev-$name.jsonl" > "$out/eval-$name.txt" 2>&1
  echo "== $name"; grep -E "HEADLINE|speaker accuracy|analysed" "$out/eval-$name.txt"
}
for name in ${EVALS:-model accurate accurate-join2}; do
  case $name in
    model) score model --engine model ;;
    accurate) score accurate --engine accurate ;;
    accurate-join2) score accurate-join2 --engine accurate --swap model.join.v1=model.join.v2 ;;
  esac
done
