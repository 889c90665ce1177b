// RUN: qopt %s -split-input-file --convert-qc-to-linalg="reference=1" | FileCheck %s --check-prefix=REF
// RUN: qopt %s -split-input-file --convert-qc-to-linalg="target=x86-64-avx512vnni" | FileCheck %s --check-prefix=VNNI
// RUN: qopt %s -split-input-file --convert-qc-to-linalg="target=aarch64-dotprod" | FileCheck %s --check-prefix=SDOT
// RUN: qopt %s -split-input-file --convert-qc-to-linalg="target=x86-64-avx2" | FileCheck %s --check-prefix=AVX2

// Reference convolution: a copy padded with the input zero point, the
// grouped buffers viewed as [N, G, C/G, H, W], an i32 reduction of
// (x - zx) * (w - zw) over (ic, kh, kw), then requantization.
// REF-DAG: #[[X:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d5, d3 + d6, d4 + d7)>
// REF-DAG: #[[W:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d1, d2, d5, d6, d7)>
// REF-LABEL: func.func @conv_grouped
// REF: linalg.fill ins(%c-128_i8 : i8) outs(%{{.*}} : memref<1x4x7x7xi8>)
// REF: memref.reinterpret_cast {{.*}} sizes: [1, 2, 2, 7, 7]
// REF: linalg.generic {indexing_maps = [#[[X]], #[[W]], {{.*}}], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
// REF: %[[XS:.*]] = arith.subi %{{.*}}, %c128_i32 : i32
// REF: %[[WS:.*]] = arith.subi
// REF: %[[P:.*]] = arith.muli %[[XS]], %[[WS]] : i32
// REF: arith.addi %{{.*}}, %[[P]] : i32
// REF: arith.sitofp %{{.*}} : i32 to f32
// REF: math.roundeven
// Kernels: the weights become a packed constant and the loop nest calls
// the dot instruction.
// VNNI-LABEL: func.func @conv_grouped
// VNNI: scf.for
// VNNI: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"({{.*}}) : (vector<16xi32>, vector<64xi8>, vector<64xi8>) -> vector<16xi32>
// VNNI: math.roundeven %{{.*}} : vector<16xf32>
// VNNI: vector.maskedstore
// SDOT-LABEL: func.func @conv_grouped
// SDOT: arith.xori
// SDOT: llvm.call_intrinsic "llvm.aarch64.neon.sdot.v4i32.v16i8"({{.*}}) : (vector<4xi32>, vector<16xi8>, vector<16xi8>) -> vector<4xi32>
// AVX2-LABEL: func.func @conv_grouped
// AVX2: arith.extui {{.*}} : vector<16xi8> to vector<16xi16>
// AVX2: arith.extsi {{.*}} : vector<16xi8> to vector<16xi16>
// AVX2: llvm.call_intrinsic "llvm.x86.avx2.pmadd.wd"
func.func @conv_grouped(%x: tensor<1x4x5x5x!quant.uniform<u8:f32, 0.5:128>>) -> tensor<1x4x5x5x!quant.uniform<u8:f32, 1.0:3>> {
  %w = qc.constant dense<3> : tensor<4x2x3x3xi8> -> tensor<4x2x3x3x!quant.uniform<i8:f32, 0.25>>
  %y = qc.conv2d %x, %w {groups = 2 : i64, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x4x5x5x!quant.uniform<u8:f32, 0.5:128>>, tensor<4x2x3x3x!quant.uniform<i8:f32, 0.25>>) -> tensor<1x4x5x5x!quant.uniform<u8:f32, 1.0:3>>
  return %y : tensor<1x4x5x5x!quant.uniform<u8:f32, 1.0:3>>
}

// -----

// Matmul: the weights are packed at compile time into 4 K values per
// 32-bit lane; the activation zero point (3) plus the kernel's shift times
// each column sum (8) is folded into the bias (2): 2 - 3 * 8 = -22 on x86
// (u8 activations as they are), 2 - (3 - 128) * 8 = 1002 on AArch64 (sdot
// sees a - 128).
// REF-LABEL: func.func @matmul
// REF: linalg.generic {{.*}}["parallel", "parallel", "reduction"]
// VNNI-DAG: memref.global "private" constant @{{.*}} : memref<{{[0-9]+}}xi8> = dense<"0x
// VNNI-DAG: memref.global "private" constant @{{.*}} : memref<{{[0-9]+}}xi32> = dense<[-22, -22, -22,
// SDOT-DAG: memref.global "private" constant @{{.*}} : memref<{{[0-9]+}}xi32> = dense<[1002, 1002,
// VNNI-LABEL: func.func @matmul
// VNNI: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"
// VNNI: vector.load %{{.*}} : memref<{{[0-9]+}}xi32>, vector<16xi32>
// VNNI: vector.load %{{.*}} : memref<{{[0-9]+}}xf32>, vector<16xf32>
func.func @matmul(%a: tensor<3x8x!quant.uniform<u8:f32, 0.5:3>>) -> tensor<3x20x!quant.uniform<u8:f32, 1.0:3>> {
  %w = qc.constant dense<1> : tensor<8x20xi8> -> tensor<8x20x!quant.uniform<i8:f32, 0.25>>
  %b = qc.constant dense<2> : tensor<20xi32> -> tensor<20x!quant.uniform<i32:f32, 0.125>>
  %y = qc.matmul %a, %w, %b : (tensor<3x8x!quant.uniform<u8:f32, 0.5:3>>, tensor<8x20x!quant.uniform<i8:f32, 0.25>>, tensor<20x!quant.uniform<i32:f32, 0.125>>) -> tensor<3x20x!quant.uniform<u8:f32, 1.0:3>>
  return %y : tensor<3x20x!quant.uniform<u8:f32, 1.0:3>>
}

// -----

// negative: asymmetric weights take the reference lowering on any target.
// VNNI-LABEL: func.func @no_kernel_asymmetric_weights
// VNNI-NOT: llvm.call_intrinsic
// VNNI: linalg.generic {{.*}}"reduction"
func.func @no_kernel_asymmetric_weights(%a: tensor<3x8x!quant.uniform<u8:f32, 0.5:3>>) -> tensor<3x20x!quant.uniform<u8:f32, 1.0:3>> {
  %w = qc.constant dense<1> : tensor<8x20xui8> -> tensor<8x20x!quant.uniform<u8:f32, 0.25:128>>
  %y = qc.matmul %a, %w : (tensor<3x8x!quant.uniform<u8:f32, 0.5:3>>, tensor<8x20x!quant.uniform<u8:f32, 0.25:128>>) -> tensor<3x20x!quant.uniform<u8:f32, 1.0:3>>
  return %y : tensor<3x20x!quant.uniform<u8:f32, 1.0:3>>
}

// -----

// Depthwise convolution: row accumulation loops, no packing.
// VNNI-LABEL: func.func @depthwise
// VNNI-NOT: llvm.call_intrinsic
// VNNI: scf.for
// VNNI: scf.for
// VNNI: arith.muli %{{.*}}, %{{.*}} : i32
func.func @depthwise(%x: tensor<1x8x6x6x!quant.uniform<u8:f32, 0.5:128>>) -> tensor<1x8x6x6x!quant.uniform<u8:f32, 1.0:3>> {
  %w = qc.constant dense<3> : tensor<8x1x3x3xi8> -> tensor<8x1x3x3x!quant.uniform<i8:f32, 0.25>>
  %y = qc.conv2d %x, %w {groups = 8 : i64, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x8x6x6x!quant.uniform<u8:f32, 0.5:128>>, tensor<8x1x3x3x!quant.uniform<i8:f32, 0.25>>) -> tensor<1x8x6x6x!quant.uniform<u8:f32, 1.0:3>>
  return %y : tensor<1x8x6x6x!quant.uniform<u8:f32, 1.0:3>>
}

// -----

// f32 matmul kernel: FMA on vectors, starting from the bias.
// VNNI-LABEL: func.func @matmul_f32
// VNNI: vector.fma %{{.*}}, %{{.*}}, %{{.*}} : vector<16xf32>
func.func @matmul_f32(%a: tensor<2x8xf32>) -> tensor<2x16xf32> {
  %w = arith.constant dense<0.5> : tensor<8x16xf32>
  %y = qc.matmul %a, %w : (tensor<2x8xf32>, tensor<8x16xf32>) -> tensor<2x16xf32>
  return %y : tensor<2x16xf32>
}

// -----

// A bias so large that the i32 accumulator could overflow: the kernels
// decline when planning (before any scratch is reserved) and the reference
// lowering takes the op, with its i32 accumulator as the scratch.
// VNNI-LABEL: func.func @no_kernel_accumulator_bound_matmul
// VNNI-NOT: llvm.call_intrinsic
// VNNI: linalg.generic
// VNNI: arith.muli %{{.*}}, %{{.*}} : i32
func.func @no_kernel_accumulator_bound_matmul(%a: tensor<3x8x!quant.uniform<u8:f32, 0.5:3>>) -> tensor<3x20x!quant.uniform<u8:f32, 1.0:3>> {
  %w = qc.constant dense<1> : tensor<8x20xi8> -> tensor<8x20x!quant.uniform<i8:f32, 0.25>>
  %b = qc.constant dense<2147483000> : tensor<20xi32> -> tensor<20x!quant.uniform<i32:f32, 0.125>>
  %y = qc.matmul %a, %w, %b : (tensor<3x8x!quant.uniform<u8:f32, 0.5:3>>, tensor<8x20x!quant.uniform<i8:f32, 0.25>>, tensor<20x!quant.uniform<i32:f32, 0.125>>) -> tensor<3x20x!quant.uniform<u8:f32, 1.0:3>>
  return %y : tensor<3x20x!quant.uniform<u8:f32, 1.0:3>>
}

// -----

// VNNI-LABEL: func.func @no_kernel_accumulator_bound_conv
// VNNI-NOT: llvm.call_intrinsic
// VNNI: linalg.generic
// VNNI: arith.muli %{{.*}}, %{{.*}} : i32
func.func @no_kernel_accumulator_bound_conv(%x: tensor<1x4x5x5x!quant.uniform<u8:f32, 0.5:128>>) -> tensor<1x4x5x5x!quant.uniform<u8:f32, 1.0:3>> {
  %w = qc.constant dense<3> : tensor<4x4x3x3xi8> -> tensor<4x4x3x3x!quant.uniform<i8:f32, 0.25>>
  %b = qc.constant dense<-2147483000> : tensor<4xi32> -> tensor<4x!quant.uniform<i32:f32, 0.125>>
  %y = qc.conv2d %x, %w, %b {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x4x5x5x!quant.uniform<u8:f32, 0.5:128>>, tensor<4x4x3x3x!quant.uniform<i8:f32, 0.25>>, tensor<4x!quant.uniform<i32:f32, 0.125>>) -> tensor<1x4x5x5x!quant.uniform<u8:f32, 1.0:3>>
  return %y : tensor<1x4x5x5x!quant.uniform<u8:f32, 1.0:3>>
}

// -----

// A fused output clamp (ReLU6: [0, 6] at scale 0.25, zero point 20) narrows
// the saturation of the requantization to [20, 44], in the kernel's
// vectorized epilogue and in the reference loops alike.
// VNNI-LABEL: func.func @fused_clamp_matmul
// VNNI: math.roundeven %{{.*}} : vector<16xf32>
// VNNI-NEXT: arith.constant dense<20> : vector<16xi64>
// VNNI: arith.constant dense<44> : vector<16xi64>
// VNNI: arith.maxnumf
// VNNI-NEXT: arith.minnumf
// REF-LABEL: func.func @fused_clamp_matmul
// REF: math.roundeven %{{.*}} : f32
// REF-NEXT: arith.constant 20 : i64
// REF: arith.constant 44 : i64
func.func @fused_clamp_matmul(%a: tensor<3x8x!quant.uniform<u8:f32, 0.5:3>>) -> tensor<3x20x!quant.uniform<u8:f32, 0.25:20>> {
  %w = qc.constant dense<1> : tensor<8x20xi8> -> tensor<8x20x!quant.uniform<i8:f32, 0.25>>
  %y = qc.matmul %a, %w {clamp_min = 0.0 : f32, clamp_max = 6.0 : f32} : (tensor<3x8x!quant.uniform<u8:f32, 0.5:3>>, tensor<8x20x!quant.uniform<i8:f32, 0.25>>) -> tensor<3x20x!quant.uniform<u8:f32, 0.25:20>>
  return %y : tensor<3x20x!quant.uniform<u8:f32, 0.25:20>>
}
