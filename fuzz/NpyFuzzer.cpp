//===- NpyFuzzer.cpp - libFuzzer target: the .npy reader ------------------===//
//
// Feeds arbitrary bytes to the .npy reader. A malformed file must end in an
// error message; what the reader accepts must be consistent (data size =
// elements x element size), readable element by element, and written back
// into the same bytes' worth of data.
//
//===----------------------------------------------------------------------===//

#include "qc/Support/Npy.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace mlir::qc;

static void check(bool ok, const char *what) {
  if (!ok) {
    std::fprintf(stderr, "npy fuzzer: %s\n", what);
    std::abort();
  }
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  HostArray a;
  std::string err =
      readNpyBuffer(llvm::StringRef(reinterpret_cast<const char *>(data), size),
                    "fuzz.npy", a);
  if (!err.empty())
    return 0;
  check(a.elementSize() != 0, "accepted an unknown dtype");
  check(a.data.size() == uint64_t(a.numElements()) * a.elementSize(),
        "data size does not match the shape");
  volatile double sum = 0;
  for (int64_t i = 0, e = a.numElements(); i < e; ++i)
    sum = sum + a.get(i);
  std::string bytes;
  llvm::raw_string_ostream os(bytes);
  check(writeNpy(os, a).empty(), "cannot write back what was read");
  HostArray b;
  check(readNpyBuffer(bytes, "rewritten.npy", b).empty(),
        "cannot read back what was written");
  check(b.dtype == a.dtype && b.shape == a.shape && b.data == a.data,
        "round trip changed the array");
  return 0;
}
