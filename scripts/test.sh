#!/usr/bin/env bash
#===- test.sh - Set up, build and run every qc test ---------------------===#
#
# Usage: scripts/test.sh [--normal] [--sanitize] [--fuzz] [--fuzz-time N]
#
# Installs missing Debian packages, then runs the stages asked for (all
# three without an option; this is what CI runs, .ci/run):
#   --normal    build/ and check-qc: every lit test and every GoogleTest
#   --sanitize  build-asan/ (ASan + UBSan, scripts/build.sh --sanitize) and
#               the same suite under the sanitizers, without the model zoo
#               (test/Zoo: ~10 min normally, far more instrumented)
#   --fuzz      a smoke run of each libFuzzer target (scripts/fuzz.sh,
#               --fuzz-time seconds each, default 60) in build-asan/
#
#===----------------------------------------------------------------------===#
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
normal=0 sanitize=0 fuzz=0 fuzz_time=60
while [ $# -gt 0 ]; do
  case "$1" in
    --normal) normal=1; shift ;;
    --sanitize) sanitize=1; shift ;;
    --fuzz) fuzz=1; shift ;;
    --fuzz-time) fuzz_time="$2"; shift 2 ;;
    -h|--help) sed -n '3,16p' "$0"; exit 0 ;;
    *) echo "test.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
if [ $((normal + sanitize + fuzz)) -eq 0 ]; then
  normal=1 sanitize=1 fuzz=1
fi

"$root/scripts/setup.sh"
times=()
lap() { # lap NAME START
  times+=("$1 $(($(date +%s) - $2)) s")
}

if [ "$normal" = 1 ]; then
  t=$(date +%s)
  "$root/scripts/build.sh" all
  lap build "$t"
  t=$(date +%s)
  "$root/scripts/build.sh" check-qc
  lap tests "$t"
fi

if [ "$sanitize" = 1 ]; then
  asan="${QC_ASAN_BUILD_DIR:-$root/build-asan}"
  t=$(date +%s)
  QC_ASAN_BUILD_DIR="$asan" "$root/scripts/build.sh" --sanitize \
    all qc-fuzzers
  lap "sanitizer build" "$t"
  t=$(date +%s)
  export LSAN_OPTIONS="suppressions=$root/fuzz/lsan.supp:print_suppressions=0"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
  /usr/lib/llvm-22/bin/lit -sv --filter-out 'Zoo/' \
    "$asan/test" "$asan/test/Unit"
  lap "sanitizer tests" "$t"
fi

if [ "$fuzz" = 1 ]; then
  t=$(date +%s)
  QC_ASAN_BUILD_DIR="${QC_ASAN_BUILD_DIR:-$root/build-asan}" \
    "$root/scripts/fuzz.sh" --time "$fuzz_time" --jobs 2
  lap "fuzz smoke run" "$t"
fi

printf 'test.sh: %s\n' "${times[@]}"
