#!/usr/bin/env bash
#===- test.sh - Set up, build and run every qc test ---------------------===#
#
# Installs missing Debian packages, builds, and runs check-qc: every lit test
# and every GoogleTest. This is what CI runs (.ci/run).
#
#===----------------------------------------------------------------------===#
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
start=$(date +%s)
"$root/scripts/setup.sh"
"$root/scripts/build.sh" all
built=$(date +%s)
"$root/scripts/build.sh" check-qc
done_=$(date +%s)
echo "test.sh: build $((built - start)) s, tests $((done_ - built)) s"
