// RUN: qopt %s -split-input-file -qc-select-kernels=target=x86-64-avx512vnni -convert-qc-to-linalg 2>/dev/null | FileCheck %s --check-prefix=VNNI
// RUN: qopt %s -split-input-file -qc-select-kernels=target=aarch64-dotprod -convert-qc-to-linalg 2>/dev/null | FileCheck %s --check-prefix=SDOT
// RUN: qopt %s -split-input-file -qc-select-kernels=target=x86-64-avx2 -convert-qc-to-linalg 2>/dev/null | FileCheck %s --check-prefix=AVX2
// RUN: qopt %s -split-input-file -qc-select-kernels=target=x86-64-avxvnni -convert-qc-to-linalg 2>/dev/null | FileCheck %s --check-prefix=AVXVNNI

// The kernel patterns: each op becomes a private, noinline function of its
// own that calls the shared micro-kernels with the packed constants, the
// shapes and the epilogue (zero point, output range) as arguments. The GEMM
// kernel of each instruction family accumulates with its instruction and
// requantizes in registers; its loops run over run-time counts (row blocks
// of the blockRows argument, column tiles, row tiles).
// VNNI-LABEL: func.func private @matmul__0_packed_matmul
// VNNI-SAME: attributes {llvm.linkage = #llvm.linkage<internal>, passthrough = ["noinline"]}
// VNNI: call @__qc_gemm_vnni512_3x2_q8_colch(%{{.*}}, %c8_i64, %{{.*}}, %c2_i64, %{{.*}}, %c20_i64, %{{.*}}, %{{.*}}, %c3_i64, %c20_i64{{.*}}, %c3_i64{{.*}}, %c20_i64{{.*}}, %c20_i64{{.*}}, %c44_i64)
// VNNI-LABEL: func.func @matmul
// VNNI: call @matmul__0_packed_matmul(%arg0, %{{.*}}, %{{.*}}, %{{.*}}, %arg1)
// VNNI-LABEL: func.func private @__qc_gemm_vnni512_3x2_q8_colch
// VNNI-SAME: (%[[X:.*]]: !llvm.ptr, %[[LDX:.*]]: i64, %[[Y:.*]]: !llvm.ptr, %[[G:.*]]: i64, %[[C:.*]]: !llvm.ptr, %[[LDC:.*]]: i64, %[[BIAS:.*]]: !llvm.ptr, %[[MULT:.*]]: !llvm.ptr, %[[ROWS:.*]]: i64, %[[COLS:.*]]: i64, %[[BLOCK:.*]]: i64, %{{.*}}: i64, %{{.*}}: i64, %{{.*}}: i64)
// VNNI: scf.for %{{.*}} = %{{.*}} to %[[ROWS]] step %[[BLOCK]]
// VNNI: scf.for {{.*}} iter_args({{.*}}) -> (vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>)
// VNNI: llvm.load %{{.*}} {alignment = 1 : i64} : !llvm.ptr -> vector<64xi8>
// VNNI: llvm.load %{{.*}} {alignment = 1 : i64} : !llvm.ptr -> i32
// VNNI: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"({{.*}}) : (vector<16xi32>, vector<64xi8>, vector<64xi8>) -> vector<16xi32>
// VNNI: math.roundeven %{{.*}} : vector<16xf32>
// VNNI: arith.maxnumf
// VNNI-NEXT: arith.minnumf
// VNNI: llvm.store %{{.*}}, %{{.*}} {alignment = 1 : i64} : vector<16xi8>, !llvm.ptr
// The last column tile stores with a run-time mask, through vpmovdb's
// masked truncating store (see storeBytesMasked).
// VNNI: vector.create_mask %{{.*}} : vector<16xi1>
// VNNI: llvm.bitcast %{{.*}} : vector<16xi1> to i16
// VNNI: llvm.call_intrinsic "llvm.x86.avx512.mask.pmov.db.mem.512"
// SDOT: call @__qc_gemm_neon_sdot_3x2_q8_colch
// SDOT-LABEL: func.func private @__qc_gemm_neon_sdot_3x2_q8_colch
// SDOT: llvm.call_intrinsic "llvm.aarch64.neon.sdot.v4i32.v16i8"({{.*}}) : (vector<4xi32>, vector<16xi8>, vector<16xi8>) -> vector<4xi32>
// AVX2-LABEL: func.func private @__qc_gemm_avx2_maddwd_3x2_q8_colch
// AVX2: llvm.load %{{.*}} : !llvm.ptr -> i16
// AVX2: arith.extui {{.*}} : vector<16xi8> to vector<16xi16>
// AVX2: arith.extsi {{.*}} : vector<16xi8> to vector<16xi16>
// AVX2: llvm.call_intrinsic "llvm.x86.avx2.pmadd.wd"
// AVXVNNI-LABEL: func.func private @__qc_gemm_vnni256_3x2_q8_colch
// AVXVNNI: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.256"({{.*}}) : (vector<8xi32>, vector<32xi8>, vector<32xi8>) -> vector<8xi32>
func.func @matmul(%a: tensor<3x8x!quant.uniform<u8:f32, 0.5:3>>) -> tensor<3x20x!quant.uniform<u8:f32, 0.25:20>> {
  %w = qc.constant dense<1> : tensor<8x20xi8> -> tensor<8x20x!quant.uniform<i8:f32, 0.25>>
  %y = qc.matmul %a, %w {clamp_min = 0.0 : f32, clamp_max = 6.0 : f32} : (tensor<3x8x!quant.uniform<u8:f32, 0.5:3>>, tensor<8x20x!quant.uniform<i8:f32, 0.25>>) -> tensor<3x20x!quant.uniform<u8:f32, 0.25:20>>
  return %y : tensor<3x20x!quant.uniform<u8:f32, 0.25:20>>
}

// -----

// i8 activations on x86 (and K = 6, not a multiple of 4) are copied with
// the +128 shift and K padded before the kernel reads them.
// VNNI-LABEL: func.func private @matmul_i8__0_packed_matmul
// VNNI: arith.xori %{{.*}}, %c-128_i8 : i8
// VNNI: call @__qc_gemm_vnni512_3x2_q8_colch(%{{.*}}, %c8_i64
func.func @matmul_i8(%a: tensor<3x6x!quant.uniform<i8:f32, 0.5:-5>>) -> tensor<3x20x!quant.uniform<u8:f32, 1.0:3>> {
  %w = qc.constant dense<1> : tensor<6x20xi8> -> tensor<6x20x!quant.uniform<i8:f32, 0.25>>
  %y = qc.matmul %a, %w : (tensor<3x6x!quant.uniform<i8:f32, 0.5:-5>>, tensor<6x20x!quant.uniform<i8:f32, 0.25>>) -> tensor<3x20x!quant.uniform<u8:f32, 1.0:3>>
  return %y : tensor<3x20x!quant.uniform<u8:f32, 1.0:3>>
}

// -----

// A convolution: per image and group (run-time loops), the im2col rows
// (a function shared by the convolutions of this geometry: its row lengths
// are compile-time constants; the padding is the input's zero point byte,
// 128 as i8: -128), the packing into the kernel's layout (XOR 0x80 where
// the instruction wants the other signedness: u8 on AArch64), then the GEMM
// with the weights as the broadcast side and per-row channels.
// The im2col loops are marked for LLVM not to unroll (qc-no-unroll).
// VNNI-LABEL: func.func private @conv__0_packed_conv2d
// VNNI-SAME: passthrough = ["noinline"]
// VNNI: scf.for
// VNNI: scf.for
// VNNI: call @__qc_im2rows_i8_c2_5x5_k3x3_o5x5_s1x1_d1x1_p1x1_v128(
// VNNI: call @__qc_pack_i8_k4_n32_mt(
// VNNI: call @__qc_gemm_vnni512_2x2_q8_rowch_bw(
// VNNI-LABEL: func.func private @__qc_pack_i8_k4_n32_mt
// VNNI: vector.interleave
// VNNI-NOT: arith.xori
// VNNI-LABEL: func.func private @__qc_im2rows_i8_c2_5x5_k3x3_o5x5_s1x1_d1x1_p1x1_v128
// VNNI-SAME: passthrough = ["noinline", ["qc-no-unroll", "1"]]
// VNNI: %[[PAD:.*]] = arith.constant -128 : i8
// VNNI: llvm.store %{{.*}} : vector<4xi8>, !llvm.ptr
// VNNI: llvm.store %[[PAD]], %{{.*}} : i8, !llvm.ptr
// VNNI-LABEL: func.func private @__qc_gemm_vnni512_2x2_q8_rowch_bw
// SDOT: call @__qc_pack_i8_k4_n16_xor(
// SDOT-LABEL: func.func private @__qc_pack_i8_k4_n16_xor
// SDOT: arith.xori %{{.*}}, %{{.*}} : vector<64xi8>
func.func @conv(%x: tensor<1x4x5x5x!quant.uniform<u8:f32, 0.5:128>>) -> tensor<1x4x5x5x!quant.uniform<u8:f32, 1.0:3>> {
  %w = qc.constant dense<3> : tensor<4x2x3x3xi8> -> tensor<4x2x3x3x!quant.uniform<i8:f32, 0.25>>
  %y = qc.conv2d %x, %w {groups = 2 : i64, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x4x5x5x!quant.uniform<u8:f32, 0.5:128>>, tensor<4x2x3x3x!quant.uniform<i8:f32, 0.25>>) -> tensor<1x4x5x5x!quant.uniform<u8:f32, 1.0:3>>
  return %y : tensor<1x4x5x5x!quant.uniform<u8:f32, 1.0:3>>
}

// -----

// A pointwise (1x1, stride 1, unpadded) convolution packs the input's
// channels directly: no im2col.
// VNNI-LABEL: func.func private @pointwise__0_packed_conv2d
// VNNI-NOT: llvm.store
// VNNI: call @__qc_pack_i8_k4_n16_mt(
// VNNI: call @__qc_gemm_vnni512_8x1_q8_rowch_bw(
func.func @pointwise(%x: tensor<1x16x4x4x!quant.uniform<u8:f32, 0.5:128>>) -> tensor<1x8x4x4x!quant.uniform<u8:f32, 1.0:3>> {
  %w = qc.constant dense<3> : tensor<8x16x1x1xi8> -> tensor<8x16x1x1x!quant.uniform<i8:f32, 0.25>>
  %y = qc.conv2d %x, %w : (tensor<1x16x4x4x!quant.uniform<u8:f32, 0.5:128>>, tensor<8x16x1x1x!quant.uniform<i8:f32, 0.25>>) -> tensor<1x8x4x4x!quant.uniform<u8:f32, 1.0:3>>
  return %y : tensor<1x8x4x4x!quant.uniform<u8:f32, 1.0:3>>
}

// -----

// f32: the fma kernel starts from the bias and stores f32 without an
// epilogue.
// VNNI-LABEL: func.func private @__qc_gemm_fma_2x1_f32_colch
// VNNI: vector.fma %{{.*}}, %{{.*}}, %{{.*}} : vector<16xf32>
// VNNI-NOT: math.roundeven
// VNNI: llvm.store %{{.*}}, %{{.*}} {alignment = 4 : i64} : vector<16xf32>, !llvm.ptr
func.func @matmul_f32(%a: tensor<2x8xf32>) -> tensor<2x16xf32> {
  %w = arith.constant dense<0.5> : tensor<8x16xf32>
  %y = qc.matmul %a, %w : (tensor<2x8xf32>, tensor<8x16xf32>) -> tensor<2x16xf32>
  return %y : tensor<2x16xf32>
}

// -----

// An f32 convolution multiplies its im2col rows where they are: no packing
// (the kernel reads K rows `ldy` apart, the last column tile masked).
// VNNI-LABEL: func.func private @conv_f32__0_packed_conv2d
// VNNI-NOT: __qc_pack
// VNNI: call @__qc_im2rows_f32_c2_5x5_k3x3
// VNNI-NOT: __qc_pack
// VNNI: call @__qc_gemm_fma_{{.*}}_f32_rowch_bw_sy(
// VNNI-LABEL: func.func private @__qc_gemm_fma_{{.*}}_f32_rowch_bw_sy(
// VNNI: llvm.intr.masked.load %{{.*}} {alignment = 4 : i32} : (!llvm.ptr, vector<16xi1>, vector<16xf32>) -> vector<16xf32>
func.func @conv_f32(%x: tensor<1x2x5x5xf32>) -> tensor<1x4x5x5xf32> {
  %w = arith.constant dense<0.5> : tensor<4x2x3x3xf32>
  %y = qc.conv2d %x, %w {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x2x5x5xf32>, tensor<4x2x3x3xf32>) -> tensor<1x4x5x5xf32>
  return %y : tensor<1x4x5x5xf32>
}

// -----

// Depthwise: the padded copy of each image, then one call of the shared
// depthwise kernel (specialized for stride 1 and chunks of 4 output pixels,
// the most a 6-wide row holds) with the folded i32 weights: per chunk, the
// taps accumulate in a register (loops over ky and kx carrying it), then
// the chunk is requantized and stored.
// VNNI-LABEL: func.func private @depthwise__0_packed_depthwise_conv2d
// VNNI: linalg.fill
// VNNI: call @__qc_depthwise_ui8_q8_sw1_v4(
// VNNI-LABEL: func.func private @__qc_depthwise_ui8_q8_sw1_v4
// VNNI: scf.for {{.*}} iter_args({{.*}}) -> (vector<4xi32>)
// VNNI: scf.for {{.*}} iter_args({{.*}}) -> (vector<4xi32>)
// VNNI: llvm.load %{{.*}} : !llvm.ptr -> vector<4xi8>
// VNNI: arith.extui %{{.*}} : vector<4xi8> to vector<4xi32>
// VNNI: arith.muli %{{.*}}, %{{.*}} : vector<4xi32>
// VNNI: math.roundeven %{{.*}} : vector<4xf32>
// VNNI: llvm.store %{{.*}} : vector<4xi8>, !llvm.ptr
func.func @depthwise(%x: tensor<1x8x6x6x!quant.uniform<u8:f32, 0.5:128>>) -> tensor<1x8x6x6x!quant.uniform<u8:f32, 1.0:3>> {
  %w = qc.constant dense<3> : tensor<8x1x3x3xi8> -> tensor<8x1x3x3x!quant.uniform<i8:f32, 0.25>>
  %y = qc.conv2d %x, %w {groups = 8 : i64, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x8x6x6x!quant.uniform<u8:f32, 0.5:128>>, tensor<8x1x3x3x!quant.uniform<i8:f32, 0.25>>) -> tensor<1x8x6x6x!quant.uniform<u8:f32, 1.0:3>>
  return %y : tensor<1x8x6x6x!quant.uniform<u8:f32, 1.0:3>>
}

// -----

// Two layers of the same kind share one micro-kernel function.
// VNNI-LABEL: func.func private @shared__0_packed_matmul
// VNNI: call @__qc_gemm_vnni512_3x2_q8_colch(
// VNNI-LABEL: func.func private @shared__1_packed_matmul
// VNNI: call @__qc_gemm_vnni512_3x2_q8_colch(
// VNNI: func.func private @__qc_gemm_vnni512_3x2_q8_colch(
// VNNI-NOT: func.func private @__qc_gemm_vnni512_3x2_q8_colch(
func.func @shared(%a: tensor<3x8x!quant.uniform<u8:f32, 0.5:3>>) -> tensor<3x20x!quant.uniform<u8:f32, 1.0:3>> {
  %w = qc.constant dense<1> : tensor<8x20xi8> -> tensor<8x20x!quant.uniform<i8:f32, 0.25>>
  %w2 = qc.constant dense<2> : tensor<20x20xi8> -> tensor<20x20x!quant.uniform<i8:f32, 0.25>>
  %y = qc.matmul %a, %w : (tensor<3x8x!quant.uniform<u8:f32, 0.5:3>>, tensor<8x20x!quant.uniform<i8:f32, 0.25>>) -> tensor<3x20x!quant.uniform<u8:f32, 0.5:3>>
  %z = qc.matmul %y, %w2 : (tensor<3x20x!quant.uniform<u8:f32, 0.5:3>>, tensor<20x20x!quant.uniform<i8:f32, 0.25>>) -> tensor<3x20x!quant.uniform<u8:f32, 1.0:3>>
  return %z : tensor<3x20x!quant.uniform<u8:f32, 1.0:3>>
}
