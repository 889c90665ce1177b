#!/usr/bin/env bash
#===- zoo.sh - Build the model zoo and run qc on all of it ----------------===#
#
# Usage: scripts/zoo.sh [--opsets 11,13,17] [--models a,b]
#
# Builds every zoo model (test/Zoo/make_zoo.py: torchvision architectures
# and hand-written transformer, audio and detection models with seeded
# weights, at opsets 11, 13 and 17 by default) into build/zoo, then runs
# test/Zoo/run_zoo.py on them: f32 against torch, int8 SQNR, compile and run
# times. Writes build/zoo/results.md (the table of docs/Zoo.md) and
# build/zoo/results.json. CI runs the opset-13 models (test/Zoo/zoo.test);
# this runs everything (about 2 GB and, on 2 cores, half an hour).
#
#===----------------------------------------------------------------------===#
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${QC_BUILD_DIR:-$root/build}"
"$root/scripts/setup.sh"
"$root/scripts/build.sh" qc >/dev/null
opsets=11,13,17
models=()
while [ $# -gt 0 ]; do
  case "$1" in
    --opsets) opsets="$2"; shift 2 ;;
    --models) models=(--models "$2"); shift 2 ;;
    *) echo "zoo.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
zoo="$build/zoo"
/usr/bin/python3 "$root/test/Zoo/make_zoo.py" --out "$zoo" --opsets "$opsets" "${models[@]}"
/usr/bin/python3 "$root/test/Zoo/run_zoo.py" --zoo "$zoo" --qc "$build/bin/qc" \
  --opsets "$opsets" "${models[@]}" --markdown "$zoo/results.md" --json "$zoo/results.json"
