#!/usr/bin/env bash
#===- setup.sh - Install the Debian packages qc needs (idempotent) ------===#
#
# Installs only what is missing; runs `apt-get update` only when a package
# cannot be found in the current lists. Quick when everything is present.
#
#===----------------------------------------------------------------------===#
set -euo pipefail

PACKAGES=(
  # Build
  cmake ninja-build clang-22 lld-22
  # Sanitizer and libFuzzer runtimes (the ASan+UBSan build, fuzz/)
  libclang-rt-22-dev
  # LLVM/MLIR 22
  llvm-22-dev llvm-22-tools libmlir-22-dev mlir-22-tools
  # ONNX models (C++ protobuf classes) and ONNX's backend test suite
  libonnx-dev libprotobuf-dev libonnx-testdata
  # Tests and benchmarks
  libgtest-dev libbenchmark-dev python3
  # The oneDNN peer of the kernel benchmarks (bench/OneDnnBench.cpp)
  libdnnl-dev
  # The model zoo of the tests (test/Zoo: torchvision architectures and
  # hand-written models exported to ONNX, checked against torch)
  python3-numpy python3-onnx python3-torch python3-torchvision
  # AArch64 code is cross-linked and run under qemu in the tests
  qemu-user libc6-dev-arm64-cross libgcc-12-dev-arm64-cross
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#PACKAGES[@]} packages present"
  exit 0
fi

echo "setup: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
APT=($SUDO apt-get -o DPkg::Lock::Timeout=1200 -y -q)
# Refresh the package lists only if one of the packages is unknown to them.
for p in "${missing[@]}"; do
  if ! apt-cache show "$p" >/dev/null 2>&1; then
    echo "setup: refreshing package lists ($p not in them)"
    "${APT[@]}" update
    break
  fi
done
if ! "${APT[@]}" install --no-install-recommends "${missing[@]}"; then
  echo "setup: install failed; refreshing package lists and retrying"
  "${APT[@]}" update
  "${APT[@]}" install --no-install-recommends "${missing[@]}"
fi
