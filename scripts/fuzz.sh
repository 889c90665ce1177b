#!/usr/bin/env bash
#===- fuzz.sh - Build, seed and run qc's libFuzzer targets --------------===#
#
# Usage: scripts/fuzz.sh [--time SECONDS] [--jobs N] [--keep-going]
#                        [--no-build] [FUZZER...]
#   --time: seconds per fuzzer (default 60)
#   --jobs: fuzzers run side by side (default 1)
#   --keep-going: a fuzzer goes on after a finding (libFuzzer's fork mode)
#                 and the run fails at the end if it found any
#   FUZZER: qc-onnx-import-fuzzer qc-onnx-quantize-fuzzer qc-npy-fuzzer
#           qc-mlir-parse-fuzzer (default: all four)
#
# Builds the fuzzers in the sanitizer build (scripts/build.sh --sanitize:
# build-asan/), copies the seed corpora from the test inputs into
# build-asan/fuzz/seeds, keeps what the fuzzers find in build-asan/fuzz/corpus
# (reused by the next run), and fails if any fuzzer crashes, leaks, trips a
# sanitizer, times out or runs out of memory. Each finding is saved as
# build-asan/fuzz/findings/<fuzzer>-<kind>-<sha1>; reproduce one with
#   build-asan/fuzz/bin/<fuzzer> build-asan/fuzz/findings/<file>
# A long run (docs/Hardening.md): scripts/fuzz.sh --time 3600 --jobs 2
#
#===----------------------------------------------------------------------===#
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${QC_ASAN_BUILD_DIR:-$root/build-asan}"
time=60
jobs=1
do_build=1
keep_going=()
fuzzers=()
while [ $# -gt 0 ]; do
  case "$1" in
    --time) time="$2"; shift 2 ;;
    --jobs) jobs="$2"; shift 2 ;;
    --no-build) do_build=0; shift ;;
    --keep-going)
      keep_going=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
      shift ;;
    -h|--help) sed -n '3,25p' "$0"; exit 0 ;;
    -*) echo "fuzz.sh: unknown option $1" >&2; exit 2 ;;
    *) fuzzers+=("$1"); shift ;;
  esac
done
if [ ${#fuzzers[@]} -eq 0 ]; then
  fuzzers=(qc-onnx-import-fuzzer qc-onnx-quantize-fuzzer qc-npy-fuzzer
           qc-mlir-parse-fuzzer)
fi

if [ "$do_build" = 1 ]; then
  QC_ASAN_BUILD_DIR="$build" "$root/scripts/build.sh" --sanitize qc-fuzzers
fi
fuzz="$build/fuzz"
max_len=65536
/usr/bin/python3 "$root/fuzz/seed_corpora.py" --src "$root" \
  --out "$fuzz/seeds" --max-len "$max_len"
mkdir -p "$fuzz/findings" "$fuzz/logs"

# LeakSanitizer reports of LLVM/MLIR's own process-lifetime singletons are
# suppressed (fuzz/lsan.supp explains each); qc's leaks are not.
export LSAN_OPTIONS="suppressions=$root/fuzz/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

run_one() {
  local f="$1"
  local log="$fuzz/logs/$f.log"
  mkdir -p "$fuzz/corpus/$f"
  local before
  before=$(find "$fuzz/findings" -name "$f-*" | wc -l)
  touch "$fuzz/logs/$f.start"
  # -timeout: an input taking more than 10 s is a finding (a hang);
  # -rss_limit_mb: so is one needing more than 2 GiB.
  local cpu="$fuzz/logs/$f.cpu"
  if (TIMEFORMAT="%U %S"; time "$fuzz/bin/$f" -max_total_time="$time" \
      -max_len="$max_len" \
      -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$fuzz/findings/$f-" "${keep_going[@]}" \
      "$fuzz/corpus/$f" "$fuzz/seeds/$f" > "$log" 2>&1) 2> "$cpu" &&
      [ "$(find "$fuzz/findings" -name "$f-*" | wc -l)" = "$before" ]; then
    local execs cov minutes
    # Fork mode prints no final stats: count the last status line's runs.
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" |
            grep -o '[0-9]*$' || grep -o '^#[0-9]*' "$log" | tail -1 |
            tr -d '#' || echo "?")
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || echo "?")
    minutes=$(awk '{ printf "%.1f", ($1 + $2) / 60 }' "$cpu")
    echo "fuzz.sh: $f: ${time} s, $minutes CPU-minutes, $execs executions," \
      "coverage $cov: no finding"
  else
    echo "fuzz.sh: $f FAILED after" \
      "$(awk '{ printf "%.1f", ($1 + $2) / 60 }' "$cpu" 2>/dev/null)" \
      "CPU-minutes (log: $log); findings:" >&2
    find "$fuzz/findings" -name "$f-*" -newer "$fuzz/logs/$f.start" >&2 ||
      true
    grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error|artifact_prefix|Test unit written)' \
      "$log" | head -20 >&2
    return 1
  fi
}

status=0
pids=()
names=()
for f in "${fuzzers[@]}"; do
  run_one "$f" &
  pids+=($!)
  names+=("$f")
  if [ ${#pids[@]} -ge "$jobs" ]; then
    wait "${pids[0]}" || status=1
    pids=("${pids[@]:1}")
  fi
done
for p in "${pids[@]}"; do
  wait "$p" || status=1
done
exit $status
