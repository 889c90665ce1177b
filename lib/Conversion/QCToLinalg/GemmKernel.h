//===- GemmKernel.h - The register-tiled GEMM micro-kernel ------*- C++ -*-===//
//
// C[r][c] = sum_k X[r][k] * Y[k][c] (+ bias, requantized, stored) with X
// broadcast per row and Y packed as [C/NR][K/kg][NR][kg]: the configuration
// (tile shape, cache blocks), the operands, the emitter, and the index and
// vector helpers the packing code shares with it.
//
//===----------------------------------------------------------------------===//

#ifndef QC_LIB_CONVERSION_QCTOLINALG_GEMMKERNEL_H
#define QC_LIB_CONVERSION_QCTOLINALG_GEMMKERNEL_H

#include "Kernels.h"

namespace mlir::qc::lowering {

/// The shape of one GEMM and the kernel's tiling of it.
struct GemmConfig {
  int64_t rows = 0, cols = 0, depth = 0; // R x C, K
  unsigned lanes = 4;                    // i32 / f32 lanes per vector
  unsigned kGroup = 4;                   // K values per lane (1 for f32)
  unsigned tileRows = 1, tileVectors = 1;
  /// Rows per cache block: a multiple of tileRows whose X rows fit the
  /// target's block budget (all rows when they fit at once).
  int64_t blockRows = 1;
  DotKind dot = DotKind::None;
  bool isFloat = false;
  /// Whether X (broadcast) holds activations (matmul) or weights (conv).
  bool broadcastIsActivation = true;
  /// Whether activations are unsigned as the kernel sees them.
  bool activationsUnsigned = true;

  int64_t groups() const { return (depth + kGroup - 1) / kGroup; }
  int64_t paddedDepth() const { return groups() * kGroup; }
  int64_t tileCols() const { return int64_t(lanes) * tileVectors; }
  int64_t colTiles() const { return (cols + tileCols() - 1) / tileCols(); }
  /// Elements of packed Y per column tile.
  int64_t tileSize() const { return paddedDepth() * tileCols(); }
};

/// The configuration of a GEMM of `rows` x `cols` over `depth` on the
/// options' target: micro-tile and cache blocks.
GemmConfig makeConfig(const LoweringOptions &opts, bool isFloat, int64_t rows,
                      int64_t cols, int64_t depth, bool broadcastIsActivation,
                      bool activationsUnsigned);

/// Whether activations must be shifted by 128 to the signedness the
/// target's instruction wants (x86: u8, AArch64 sdot: s8).
bool needsShift(const TargetDesc &target, bool activationUnsigned);

/// The shift s with a' = a + s (as integers): +128 or -128, or 0.
int64_t shiftOf(const TargetDesc &target, bool activationUnsigned);

/// Buffers and epilogue parameters of one GEMM (all buffers flat, 1-D).
struct GemmOperands {
  Value x; // broadcast side, rows of `ldx` elements
  int64_t ldx = 0;
  int64_t xOffset = 0; // element offset of row 0 in x
  Value y;             // packed vector side
  Value out;           // output, rows of `ldc` elements
  int64_t ldc = 0;
  int64_t outOffset = 0;
  /// A run-time part of the output offset (the image of a batch), or null.
  Value outBase;
  int64_t channelOffset = 0; // first channel of bias/mult for row/col 0
  Value bias;                // i32 (or f32) per channel, already compensated
  Value mult;                // f32 per channel (integer kernels)
  bool channelIsRow = false;
  // Output quantization (integer kernels).
  int64_t outZp = 0;
  StorageRange range;
  unsigned outBits = 8;
  bool exact = false;
};

/// Emits the GEMM's loop nest at the builder's insertion point.
void emitGemm(OpBuilder &b, Location loc, const GemmConfig &cfg,
              const GemmOperands &ops);

/// Index arithmetic and vector types for the kernel and packing code.
Value idx(OpBuilder &b, Location loc, int64_t v);
Value addi(OpBuilder &b, Location loc, Value x, Value y);
Value muli(OpBuilder &b, Location loc, Value x, int64_t y);
/// x + y, or x itself when y is 0.
Value addc(OpBuilder &b, Location loc, Value x, int64_t y);
VectorType vecOf(int64_t n, Type element);

//===----------------------------------------------------------------------===//
// im2col (Im2Col.cpp)
//===----------------------------------------------------------------------===//

/// Whether a convolution reads its input as the GEMM's rows directly: a 1x1
/// kernel with stride 1 and no padding (the rows are the channels, each H*W
/// pixels long).
bool isPointwise(Conv2DOp op);

/// im2col, step 1: the GEMM's rows for image `n` and group `gi`, row k =
/// (ci, ky, kx) of P pixels, written to `rows`; positions in the padding
/// hold `pad` (the input's zero point, or 0.0).
void emitIm2Rows(OpBuilder &b, Location loc, Conv2DOp op, Value input,
                 Value rows, Value n, int64_t gi, Value pad);

/// im2col, step 2: rows [K][P] (row stride `ldr`, from element `rowBase`)
/// into the packed layout [P/NR][K/kg][NR][kg], zero past K and P, XOR 0x80
/// where `shift`.
void emitPackRows(OpBuilder &b, Location loc, const GemmConfig &cfg, Value rows,
                  Value rowBase, int64_t ldr, Value packed, bool shift);

} // namespace mlir::qc::lowering

#endif // QC_LIB_CONVERSION_QCTOLINALG_GEMMKERNEL_H
