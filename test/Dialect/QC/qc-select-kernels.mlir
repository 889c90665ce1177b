// RUN: qopt %s -split-input-file -qc-select-kernels=target=x86-64-avx512vnni 2>/dev/null | FileCheck %s --check-prefix=VNNI
// RUN: qopt %s -split-input-file -mlir-print-op-on-diagnostic=0 -qc-select-kernels=target=x86-64-avx512vnni 2>&1 >/dev/null | FileCheck %s --check-prefix=RVNNI
// RUN: qopt %s -split-input-file -qc-select-kernels=target=x86-64-avxvnni 2>/dev/null | FileCheck %s --check-prefix=AVXVNNI
// RUN: qopt %s -split-input-file -mlir-print-op-on-diagnostic=0 -qc-select-kernels=target=x86-64-avxvnni 2>&1 >/dev/null | FileCheck %s --check-prefix=RAVXVNNI
// RUN: qopt %s -split-input-file -qc-select-kernels=target=x86-64-avx2 2>/dev/null | FileCheck %s --check-prefix=AVX2
// RUN: qopt %s -split-input-file -mlir-print-op-on-diagnostic=0 -qc-select-kernels=target=x86-64-avx2 2>&1 >/dev/null | FileCheck %s --check-prefix=RAVX2
// RUN: qopt %s -split-input-file -qc-select-kernels=target=aarch64-dotprod 2>/dev/null | FileCheck %s --check-prefix=SDOT
// RUN: qopt %s -split-input-file -mlir-print-op-on-diagnostic=0 -qc-select-kernels=target=aarch64-dotprod 2>&1 >/dev/null | FileCheck %s --check-prefix=RSDOT
// RUN: qopt %s -split-input-file -qc-select-kernels=target=x86-64 2>/dev/null | FileCheck %s --check-prefix=BASE
// RUN: qopt %s -split-input-file -mlir-print-op-on-diagnostic=0 -qc-select-kernels=target=x86-64 2>&1 >/dev/null | FileCheck %s --check-prefix=RBASE

// A quantized matmul: the kernel, its tile and K group per target; the
// weights packed 4 (2 for vpmaddwd) K values per 32-bit lane into whole
// tiles of columns; the activation zero point (3) plus the kernel's shift
// times each column sum (8) folded into the bias (2): 2 - 3 * 8 = -22 on
// x86 (u8 activations as they are), 2 - (3 - 128) * 8 = 1002 on AArch64
// (sdot sees a - 128); columns past N padded with zeros.
// RVNNI: remark: kernel: vnni512, tile 3x2 (3 rows x 32 columns), kGroup 4, 3-row blocks
// VNNI-LABEL: func.func @matmul
// VNNI-NOT: qc.matmul
// VNNI-DAG: %[[W:.*]] = arith.constant dense<"0x{{.*}}"> : tensor<256xi8>
// VNNI-DAG: %[[B:.*]] = arith.constant dense<[-22, -22, {{.*}}, -22, 0, {{.*}}, 0]> : tensor<32xi32>
// VNNI-DAG: %[[M:.*]] = arith.constant dense<[1.250000e-01, {{.*}}, 0.000000e+00]> : tensor<32xf32>
// VNNI: qc.packed_matmul %arg0, %[[W]], %[[B]], %[[M]] {kernel = #qc.kernel<kind = "vnni512", lanes = 16, kGroup = 4, tileRows = 3, tileVectors = 2, blockRows = 3, shift = 0>, out_max = 255 : i64, out_min = 0 : i64}
// RAVXVNNI: remark: kernel: vnni256, tile 3x2 (3 rows x 16 columns), kGroup 4
// AVXVNNI: qc.packed_matmul {{.*}}kind = "vnni256", lanes = 8, kGroup = 4, tileRows = 3, tileVectors = 2
// RAVX2: remark: kernel: avx2-maddwd, tile 3x2 (3 rows x 16 columns), kGroup 2
// AVX2: arith.constant dense<[-22, {{.*}}]> : tensor<32xi32>
// AVX2: qc.packed_matmul {{.*}}kind = "avx2-maddwd", lanes = 8, kGroup = 2
// RSDOT: remark: kernel: neon-sdot, tile 3x2 (3 rows x 8 columns), kGroup 4, 3-row blocks, activations shifted by -128
// SDOT: arith.constant dense<[1002, 1002, {{.*}}, 0]> : tensor<24xi32>
// SDOT: qc.packed_matmul {{.*}}kind = "neon-sdot", lanes = 4, kGroup = 4{{.*}}shift = -128
// RBASE: remark: kernel: none, qc.matmul takes the reference lowering: target 'x86-64' has no dot-product kernels
// BASE-LABEL: func.func @matmul
// BASE: qc.matmul
func.func @matmul(%a: tensor<3x8x!quant.uniform<u8:f32, 0.5:3>>) -> tensor<3x20x!quant.uniform<u8:f32, 1.0:3>> {
  %w = qc.constant dense<1> : tensor<8x20xi8> -> tensor<8x20x!quant.uniform<i8:f32, 0.25>>
  %b = qc.constant dense<2> : tensor<20xi32> -> tensor<20x!quant.uniform<i32:f32, 0.125>>
  %y = qc.matmul %a, %w, %b : (tensor<3x8x!quant.uniform<u8:f32, 0.5:3>>, tensor<8x20x!quant.uniform<i8:f32, 0.25>>, tensor<20x!quant.uniform<i32:f32, 0.125>>) -> tensor<3x20x!quant.uniform<u8:f32, 1.0:3>>
  return %y : tensor<3x20x!quant.uniform<u8:f32, 1.0:3>>
}

// -----

// i8 activations on x86 are shifted by +128 for vpdpbusd: the bias folds
// (128 + zp) * colsum = (128 - 5) * 8 = 984 out.
// RVNNI: remark: kernel: vnni512, {{.*}}activations shifted by 128
// VNNI: arith.constant dense<[-984, {{.*}}]> : tensor<32xi32>
// VNNI: qc.packed_matmul {{.*}}shift = 128
// SDOT: arith.constant dense<[40, {{.*}}]> : tensor<24xi32>
func.func @matmul_i8(%a: tensor<3x8x!quant.uniform<i8:f32, 0.5:-5>>) -> tensor<3x20x!quant.uniform<u8:f32, 1.0:3>> {
  %w = qc.constant dense<1> : tensor<8x20xi8> -> tensor<8x20x!quant.uniform<i8:f32, 0.25>>
  %y = qc.matmul %a, %w : (tensor<3x8x!quant.uniform<i8:f32, 0.5:-5>>, tensor<8x20x!quant.uniform<i8:f32, 0.25>>) -> tensor<3x20x!quant.uniform<u8:f32, 1.0:3>>
  return %y : tensor<3x20x!quant.uniform<u8:f32, 1.0:3>>
}

// -----

// A grouped convolution: weights [O][C/G x KH x KW] with K = 18 padded to
// 20; the bias folds the input zero point: -128 * 3 * 18 = -6912.
// RVNNI: remark: kernel: vnni512, tile 2x2 (2 rows x 32 columns), kGroup 4, 2-row blocks
// VNNI-LABEL: func.func @conv_grouped
// VNNI: %[[W:.*]] = arith.constant dense<{{\[\[}}3, 3, {{.*}}, 3, 0, 0]{{.*}}> : tensor<4x20xi8>
// VNNI: %[[B:.*]] = arith.constant dense<-6912> : tensor<4xi32>
// VNNI: qc.packed_conv2d %arg0, %[[W]], %[[B]], %{{.*}} {groups = 2 : i64, kernel = #qc.kernel<kind = "vnni512", {{.*}}>, kernel_shape = array<i64: 3, 3>, out_max = 255 : i64, out_min = 0 : i64, pads = array<i64: 1, 1, 1, 1>}
func.func @conv_grouped(%x: tensor<1x4x5x5x!quant.uniform<u8:f32, 0.5:128>>) -> tensor<1x4x5x5x!quant.uniform<u8:f32, 1.0:3>> {
  %w = qc.constant dense<3> : tensor<4x2x3x3xi8> -> tensor<4x2x3x3x!quant.uniform<i8:f32, 0.25>>
  %y = qc.conv2d %x, %w {groups = 2 : i64, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x4x5x5x!quant.uniform<u8:f32, 0.5:128>>, tensor<4x2x3x3x!quant.uniform<i8:f32, 0.25>>) -> tensor<1x4x5x5x!quant.uniform<u8:f32, 1.0:3>>
  return %y : tensor<1x4x5x5x!quant.uniform<u8:f32, 1.0:3>>
}

// -----

// Depthwise (groups = channels): the depthwise kernel on every target,
// weights w - zp_w as i32, the bias minus zp_in * sum(w - zp_w) =
// -128 * 27 = -3456.
// RVNNI: remark: kernel: depthwise
// VNNI: qc.packed_depthwise_conv2d %arg0, %{{.*}}, %{{.*}}, %{{.*}} {kernel = #qc.kernel<kind = "depthwise"{{.*}}} : ({{.*}}, tensor<8x3x3xi32>, tensor<8xi32>, tensor<8xf32>)
// RBASE: remark: kernel: depthwise
// BASE: arith.constant dense<-3456> : tensor<8xi32>
func.func @depthwise(%x: tensor<1x8x6x6x!quant.uniform<u8:f32, 0.5:128>>) -> tensor<1x8x6x6x!quant.uniform<u8:f32, 1.0:3>> {
  %w = qc.constant dense<3> : tensor<8x1x3x3xi8> -> tensor<8x1x3x3x!quant.uniform<i8:f32, 0.25>>
  %y = qc.conv2d %x, %w {groups = 8 : i64, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x8x6x6x!quant.uniform<u8:f32, 0.5:128>>, tensor<8x1x3x3x!quant.uniform<i8:f32, 0.25>>) -> tensor<1x8x6x6x!quant.uniform<u8:f32, 1.0:3>>
  return %y : tensor<1x8x6x6x!quant.uniform<u8:f32, 1.0:3>>
}

// -----

// f32: the fma kernel with the f32 micro-tile, the bias (absent: zeros) per
// column, no multipliers and no output range.
// RVNNI: remark: kernel: fma, tile 2x1 (2 rows x 16 columns), kGroup 1
// VNNI: qc.packed_matmul %arg0, %{{.*}}, %{{.*}} {kernel = #qc.kernel<kind = "fma", lanes = 16, kGroup = 1, {{.*}}>} : (tensor<2x8xf32>, tensor<128xf32>, tensor<16xf32>) -> tensor<2x16xf32>
func.func @matmul_f32(%a: tensor<2x8xf32>) -> tensor<2x16xf32> {
  %w = arith.constant dense<0.5> : tensor<8x16xf32>
  %y = qc.matmul %a, %w : (tensor<2x8xf32>, tensor<8x16xf32>) -> tensor<2x16xf32>
  return %y : tensor<2x16xf32>
}

// -----

// f32 with deep K: K runs in blocks (4096 = 4 x 1024) where the rows are a
// multiple of the tile rows (8 here, on AVX-512)...
// RVNNI: remark: kernel: fma, tile 8x3 (8 rows x 48 columns), kGroup 1, 16-row blocks, K in blocks of 1024
// VNNI: qc.packed_matmul %arg0, %{{.*}} {kernel = #qc.kernel<kind = "fma", lanes = 16, kGroup = 1, tileRows = 8, tileVectors = 3, blockRows = 16, shift = 0, blockDepth = 1024>}
func.func @matmul_f32_deep(%a: tensor<16x4096xf32>) -> tensor<16x96xf32> {
  %c = arith.constant dense<0.5> : tensor<4096x96xf32>
  %y = qc.matmul %a, %c : (tensor<16x4096xf32>, tensor<4096x96xf32>) -> tensor<16x96xf32>
  return %y : tensor<16x96xf32>
}

// -----

// ... but not where the last row tile overlaps the one before it (12 rows),
// nor for K below twice the block (2040).
// RVNNI: remark: kernel: fma, tile 8x3 (8 rows x 48 columns), kGroup 1, 12-row blocks{{$}}
// RVNNI: remark: kernel: fma, tile 8x3 (8 rows x 48 columns), kGroup 1, 16-row blocks{{$}}
// VNNI-LABEL: func.func @matmul_f32_unblocked
// VNNI-NOT: blockDepth
// VNNI: return
func.func @matmul_f32_unblocked(%a: tensor<12x4096xf32>, %b: tensor<16x2040xf32>) -> (tensor<12x96xf32>, tensor<16x96xf32>) {
  %c = arith.constant dense<0.5> : tensor<4096x96xf32>
  %y = qc.matmul %a, %c : (tensor<12x4096xf32>, tensor<4096x96xf32>) -> tensor<12x96xf32>
  %d = arith.constant dense<0.5> : tensor<2040x96xf32>
  %z = qc.matmul %b, %d : (tensor<16x2040xf32>, tensor<2040x96xf32>) -> tensor<16x96xf32>
  return %y, %z : tensor<12x96xf32>, tensor<16x96xf32>
}

// -----

// A 1x1 convolution of a 1x1 image (squeeze-excite) is a matmul of [N][C]
// by the transposed weights: reshapes around a packed matmul, whose tile is
// the GEMV's (one row, whole vectors of output channels)...
// RVNNI: remark: kernel: vnni512, tile 1x2 (1 rows x 32 columns), kGroup 4, 1-row blocks
// VNNI-LABEL: func.func @squeeze_excite
// VNNI: %[[R:.*]] = qc.reshape %arg0 : (tensor<1x72x1x1x!quant.uniform<u8:f32, 5.000000e-01:3>>) -> tensor<1x72x!quant.uniform<u8:f32, 5.000000e-01:3>>
// VNNI: %[[M:.*]] = qc.packed_matmul %[[R]], {{.*}} -> tensor<1x24x!quant.uniform<u8:f32, 1.000000e+00:3>>
// VNNI: qc.reshape %[[M]] : (tensor<1x24x!quant.uniform<u8:f32, 1.000000e+00:3>>) -> tensor<1x24x1x1x!quant.uniform<u8:f32, 1.000000e+00:3>>
func.func @squeeze_excite(%x: tensor<1x72x1x1x!quant.uniform<u8:f32, 0.5:3>>) -> tensor<1x24x1x1x!quant.uniform<u8:f32, 1.0:3>> {
  %w = qc.constant dense<1> : tensor<24x72x1x1xi8> -> tensor<24x72x1x1x!quant.uniform<i8:f32, 0.25>>
  %y = qc.conv2d %x, %w : (tensor<1x72x1x1x!quant.uniform<u8:f32, 0.5:3>>, tensor<24x72x1x1x!quant.uniform<i8:f32, 0.25>>) -> tensor<1x24x1x1x!quant.uniform<u8:f32, 1.0:3>>
  return %y : tensor<1x24x1x1x!quant.uniform<u8:f32, 1.0:3>>
}

// -----

// ... but not a 1x1 convolution of a larger image, nor a padded one (its
// output has more than one pixel).
// VNNI-LABEL: func.func @pointwise_not_matmul
// VNNI-NOT: qc.reshape
// VNNI: qc.packed_conv2d
// VNNI-NOT: qc.reshape
// VNNI: qc.packed_conv2d
// VNNI-NOT: qc.reshape
// VNNI: return
func.func @pointwise_not_matmul(%x: tensor<1x8x2x2xf32>, %z: tensor<1x8x1x1xf32>) -> (tensor<1x4x2x2xf32>, tensor<1x4x3x3xf32>) {
  %w = arith.constant dense<0.5> : tensor<4x8x1x1xf32>
  %y = qc.conv2d %x, %w : (tensor<1x8x2x2xf32>, tensor<4x8x1x1xf32>) -> tensor<1x4x2x2xf32>
  %v = qc.conv2d %z, %w {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x8x1x1xf32>, tensor<4x8x1x1xf32>) -> tensor<1x4x3x3xf32>
  return %y, %v : tensor<1x4x2x2xf32>, tensor<1x4x3x3xf32>
}

// -----

// An f32 clamp (ReLU6 here) of an f32 product, its only use, moves into the
// product's epilogue; a second clamp after it intersects with the first...
// RVNNI: remark: epilogue: + clamp to [0.000000, 6.000000]
// RVNNI: remark: epilogue: + clamp to [0.000000, 4.000000]
// VNNI-LABEL: func.func @conv_f32_relu6
// VNNI-NOT: qc.clamp
// VNNI: qc.packed_conv2d {{.*}}clamp_max = 4.000000e+00 : f32, clamp_min = 0.000000e+00 : f32
// VNNI-NOT: qc.clamp
// VNNI: return
func.func @conv_f32_relu6(%x: tensor<1x2x5x5xf32>) -> tensor<1x4x5x5xf32> {
  %w = arith.constant dense<0.5> : tensor<4x2x3x3xf32>
  %y = qc.conv2d %x, %w {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x2x5x5xf32>, tensor<4x2x3x3xf32>) -> tensor<1x4x5x5xf32>
  %r = qc.clamp %y {min = 0.0 : f32, max = 6.0 : f32} : tensor<1x4x5x5xf32>
  %s = qc.clamp %r {max = 4.0 : f32} : tensor<1x4x5x5xf32>
  return %s : tensor<1x4x5x5xf32>
}

// -----

// ... but not where the product has other users.
// RVNNI: remark: clamp not fused: the product has other users
// VNNI-LABEL: func.func @matmul_f32_clamp_shared
// VNNI: %[[P:.*]] = qc.packed_matmul
// VNNI-NOT: clamp_min
// VNNI: qc.clamp %[[P]] {min = 0.000000e+00 : f32}
func.func @matmul_f32_clamp_shared(%a: tensor<2x8xf32>) -> (tensor<2x16xf32>, tensor<2x16xf32>) {
  %w = arith.constant dense<0.5> : tensor<8x16xf32>
  %y = qc.matmul %a, %w : (tensor<2x8xf32>, tensor<8x16xf32>) -> tensor<2x16xf32>
  %r = qc.clamp %y {min = 0.0 : f32} : tensor<2x16xf32>
  return %y, %r : tensor<2x16xf32>, tensor<2x16xf32>
}

// -----

// ... nor a clamp whose interval is empty with the one fused before.
// RVNNI: remark: epilogue: + clamp to [5.000000, inf]
// RVNNI: remark: clamp not fused: empty interval with the product's
// VNNI-LABEL: func.func @matmul_f32_clamp_empty
// VNNI: %[[P:.*]] = qc.packed_matmul {{.*}}clamp_min = 5.000000e+00 : f32
// VNNI: qc.clamp %[[P]] {max = 1.000000e+00 : f32}
func.func @matmul_f32_clamp_empty(%a: tensor<2x8xf32>) -> tensor<2x16xf32> {
  %w = arith.constant dense<0.5> : tensor<8x16xf32>
  %y = qc.matmul %a, %w : (tensor<2x8xf32>, tensor<8x16xf32>) -> tensor<2x16xf32>
  %r = qc.clamp %y {min = 5.0 : f32} : tensor<2x16xf32>
  %s = qc.clamp %r {max = 1.0 : f32} : tensor<2x16xf32>
  return %s : tensor<2x16xf32>
}

// -----

// A GEMV (M = 1) widens the tile to 8 vectors for independent accumulator
// chains.
// RVNNI: remark: kernel: vnni512, tile 1x8 (1 rows x 128 columns)
// RSDOT: remark: kernel: neon-sdot, tile 1x8 (1 rows x 32 columns)
func.func @gemv(%a: tensor<1x64x!quant.uniform<u8:f32, 0.5:3>>) -> tensor<1x256x!quant.uniform<u8:f32, 1.0:3>> {
  %w = qc.constant dense<1> : tensor<64x256xi8> -> tensor<64x256x!quant.uniform<i8:f32, 0.25>>
  %y = qc.matmul %a, %w : (tensor<1x64x!quant.uniform<u8:f32, 0.5:3>>, tensor<64x256x!quant.uniform<i8:f32, 0.25>>) -> tensor<1x256x!quant.uniform<u8:f32, 1.0:3>>
  return %y : tensor<1x256x!quant.uniform<u8:f32, 1.0:3>>
}

// -----

// A fused output clamp (ReLU6: [0, 6] at scale 0.25, zero point 20)
// becomes the output range [20, 44].
// VNNI: qc.packed_matmul {{.*}}out_max = 44 : i64, out_min = 20 : i64
func.func @fused_clamp(%a: tensor<3x8x!quant.uniform<u8:f32, 0.5:3>>) -> tensor<3x20x!quant.uniform<u8:f32, 0.25:20>> {
  %w = qc.constant dense<1> : tensor<8x20xi8> -> tensor<8x20x!quant.uniform<i8:f32, 0.25>>
  %y = qc.matmul %a, %w {clamp_min = 0.0 : f32, clamp_max = 6.0 : f32} : (tensor<3x8x!quant.uniform<u8:f32, 0.5:3>>, tensor<8x20x!quant.uniform<i8:f32, 0.25>>) -> tensor<3x20x!quant.uniform<u8:f32, 0.25:20>>
  return %y : tensor<3x20x!quant.uniform<u8:f32, 0.25:20>>
}

// -----

// ONNX MatMulInteger: the i32 result is the accumulator itself, so the
// kernel takes no multipliers.
// RVNNI: remark: kernel: vnni512
// VNNI: qc.packed_matmul %arg0, %{{.*}}, %{{.*}} {kernel = {{.*}}, out_max = 2147483647 : i64, out_min = -2147483648 : i64} : (tensor<2x8x!quant.uniform<u8:f32, 1.000000e+00:7>>, tensor<256xi8>, tensor<32xi32>) -> tensor<2x20x!quant.uniform<i32:f32, 1.000000e+00>>
func.func @exact(%a: tensor<2x8x!quant.uniform<u8:f32, 1.0:7>>) -> tensor<2x20x!quant.uniform<i32:f32, 1.0>> {
  %w = qc.constant dense<1> : tensor<8x20xi8> -> tensor<8x20x!quant.uniform<i8:f32, 1.0>>
  %y = qc.matmul %a, %w : (tensor<2x8x!quant.uniform<u8:f32, 1.0:7>>, tensor<8x20x!quant.uniform<i8:f32, 1.0>>) -> tensor<2x20x!quant.uniform<i32:f32, 1.0>>
  return %y : tensor<2x20x!quant.uniform<i32:f32, 1.0>>
}

// -----

// negative: every reason a kernel is declined, as a remark.
// RVNNI: remark: kernel: none, qc.matmul takes the reference lowering: the weights are asymmetric (non-zero zero point)
// VNNI-LABEL: func.func @no_kernel_asymmetric
// VNNI: qc.matmul
func.func @no_kernel_asymmetric(%a: tensor<3x8x!quant.uniform<u8:f32, 0.5:3>>) -> tensor<3x20x!quant.uniform<u8:f32, 1.0:3>> {
  %w = qc.constant dense<1> : tensor<8x20xi8> -> tensor<8x20x!quant.uniform<i8:f32, 0.25:4>>
  %y = qc.matmul %a, %w : (tensor<3x8x!quant.uniform<u8:f32, 0.5:3>>, tensor<8x20x!quant.uniform<i8:f32, 0.25:4>>) -> tensor<3x20x!quant.uniform<u8:f32, 1.0:3>>
  return %y : tensor<3x20x!quant.uniform<u8:f32, 1.0:3>>
}

// -----

// RVNNI: remark: kernel: none, qc.matmul takes the reference lowering: the kernels take 8-bit activations and signed 8-bit weights
func.func @no_kernel_unsigned_weights(%a: tensor<3x8x!quant.uniform<u8:f32, 0.5:3>>) -> tensor<3x20x!quant.uniform<u8:f32, 1.0:3>> {
  %w = qc.constant dense<1> : tensor<8x20xui8> -> tensor<8x20x!quant.uniform<u8:f32, 0.25:128>>
  %y = qc.matmul %a, %w : (tensor<3x8x!quant.uniform<u8:f32, 0.5:3>>, tensor<8x20x!quant.uniform<u8:f32, 0.25:128>>) -> tensor<3x20x!quant.uniform<u8:f32, 1.0:3>>
  return %y : tensor<3x20x!quant.uniform<u8:f32, 1.0:3>>
}

// -----

// RVNNI: remark: kernel: none, qc.matmul takes the reference lowering: the weights are not a constant
func.func @no_kernel_runtime_weights(%a: tensor<3x8xf32>, %b: tensor<8x20xf32>) -> tensor<3x20xf32> {
  %y = qc.matmul %a, %b : (tensor<3x8xf32>, tensor<8x20xf32>) -> tensor<3x20xf32>
  return %y : tensor<3x20xf32>
}

// -----

// RVNNI: remark: kernel: none, qc.matmul takes the reference lowering: the weights are not a 2-D matrix
func.func @no_kernel_batched_weights(%a: tensor<2x3x8xf32>) -> tensor<2x3x4xf32> {
  %w = arith.constant dense<0.5> : tensor<2x8x4xf32>
  %y = qc.matmul %a, %w : (tensor<2x3x8xf32>, tensor<2x8x4xf32>) -> tensor<2x3x4xf32>
  return %y : tensor<2x3x4xf32>
}

// -----

// A bias so large that the i32 accumulator could overflow.
// RVNNI: remark: kernel: none, qc.matmul takes the reference lowering: its i32 accumulator could overflow (K = 8)
// RVNNI: remark: kernel: none, qc.conv2d takes the reference lowering: its i32 accumulator could overflow (K = 36)
func.func @no_kernel_accumulator_bound(%a: tensor<3x8x!quant.uniform<u8:f32, 0.5:3>>, %x: tensor<1x4x5x5x!quant.uniform<u8:f32, 0.5:128>>) -> (tensor<3x20x!quant.uniform<u8:f32, 1.0:3>>, tensor<1x4x5x5x!quant.uniform<u8:f32, 1.0:3>>) {
  %w = qc.constant dense<1> : tensor<8x20xi8> -> tensor<8x20x!quant.uniform<i8:f32, 0.25>>
  %b = qc.constant dense<2147483000> : tensor<20xi32> -> tensor<20x!quant.uniform<i32:f32, 0.125>>
  %y = qc.matmul %a, %w, %b : (tensor<3x8x!quant.uniform<u8:f32, 0.5:3>>, tensor<8x20x!quant.uniform<i8:f32, 0.25>>, tensor<20x!quant.uniform<i32:f32, 0.125>>) -> tensor<3x20x!quant.uniform<u8:f32, 1.0:3>>
  %cw = qc.constant dense<3> : tensor<4x4x3x3xi8> -> tensor<4x4x3x3x!quant.uniform<i8:f32, 0.25>>
  %cb = qc.constant dense<-2147483000> : tensor<4xi32> -> tensor<4x!quant.uniform<i32:f32, 0.125>>
  %z = qc.conv2d %x, %cw, %cb {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x4x5x5x!quant.uniform<u8:f32, 0.5:128>>, tensor<4x4x3x3x!quant.uniform<i8:f32, 0.25>>, tensor<4x!quant.uniform<i32:f32, 0.125>>) -> tensor<1x4x5x5x!quant.uniform<u8:f32, 1.0:3>>
  return %y, %z : tensor<3x20x!quant.uniform<u8:f32, 1.0:3>>, tensor<1x4x5x5x!quant.uniform<u8:f32, 1.0:3>>
}
