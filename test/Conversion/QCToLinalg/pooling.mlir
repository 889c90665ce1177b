// RUN: qopt %s -split-input-file --convert-qc-to-linalg=outline=0 --qc-plan-workspace | FileCheck %s

// Max pooling over a copy padded with the storage minimum (padding never
// wins), as a window reduction comparing storage integers (unsigned).
// CHECK-DAG: #[[WIN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2 * 2 + d4, d3 * 2 + d5)>
// CHECK-LABEL: func.func @max_pool_padded
// CHECK: %[[PAD:.*]] = memref.view {{.*}} to memref<1x2x7x7xi8>
// CHECK: linalg.fill ins(%{{.*}} : i8) outs(%[[PAD]] : memref<1x2x7x7xi8>)
// CHECK: %[[IN:.*]] = memref.subview %[[PAD]][0, 0, 1, 1] [1, 2, 5, 5] [1, 1, 1, 1]
// CHECK: linalg.generic {{.*}} ins(%arg0 : memref<1x2x5x5xi8>) outs(%[[IN]]
// CHECK: linalg.fill ins(%{{.*}} : i8) outs(%arg1 : memref<1x2x3x3xi8>)
// CHECK: linalg.generic {indexing_maps = [#[[WIN]], {{.*}}], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]}
// CHECK-SAME: ins(%[[PAD]], %{{.*}} : memref<1x2x7x7xi8>, memref<3x3xi8>) outs(%arg1
// CHECK: arith.maxui
func.func @max_pool_padded(%x: tensor<1x2x5x5x!quant.uniform<u8:f32, 0.5:128>>) -> tensor<1x2x3x3x!quant.uniform<u8:f32, 0.5:128>> {
  %y = qc.max_pool2d %x {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x2x5x5x!quant.uniform<u8:f32, 0.5:128>>) -> tensor<1x2x3x3x!quant.uniform<u8:f32, 0.5:128>>
  return %y : tensor<1x2x3x3x!quant.uniform<u8:f32, 0.5:128>>
}

// -----

// Signed storage compares signed; without padding no copy is made.
// CHECK-LABEL: func.func @max_pool_signed
// CHECK-NOT: memref.subview
// CHECK: arith.maxsi
func.func @max_pool_signed(%x: tensor<1x1x4x4x!quant.uniform<i8:f32, 0.5>>) -> tensor<1x1x2x2x!quant.uniform<i8:f32, 0.5>> {
  %y = qc.max_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x1x4x4x!quant.uniform<i8:f32, 0.5>>) -> tensor<1x1x2x2x!quant.uniform<i8:f32, 0.5>>
  return %y : tensor<1x1x2x2x!quant.uniform<i8:f32, 0.5>>
}

// -----

// Average pooling sums windows in f32, then divides each by the number of
// its positions inside the input (from the output indices).
// CHECK-LABEL: func.func @avg_pool
// CHECK: %[[SUM:.*]] = memref.view {{.*}} to memref<1x2x2x2xf32>
// CHECK: linalg.generic {{.*}}["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]{{.*}} outs(%[[SUM]]
// CHECK: arith.addf
// CHECK: linalg.generic {{.*}} ins(%[[SUM]] : memref<1x2x2x2xf32>) outs(%arg1
// CHECK: linalg.index 2
// CHECK: arith.maxsi
// CHECK: arith.minsi
// CHECK: linalg.index 3
// CHECK: %[[N:.*]] = arith.sitofp %{{.*}} : i64 to f32
// CHECK: arith.divf %{{.*}}, %[[N]] : f32
func.func @avg_pool(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x2x2xf32> {
  %y = qc.avg_pool2d %x {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 0, 0>} : (tensor<1x2x4x4xf32>) -> tensor<1x2x2x2xf32>
  return %y : tensor<1x2x2x2xf32>
}

// -----

// Quantized average pooling sums q - zp exactly in i32 (the padding holds
// the zero point, so it adds 0), then scales the sum once in f32, divides by
// the count and quantizes.
// CHECK-LABEL: func.func @avg_pool_quantized
// CHECK: %[[SUM:.*]] = memref.view {{.*}} to memref<1x2x2x2xi32>
// CHECK: linalg.fill ins(%c5_i8 : i8)
// CHECK: linalg.fill ins(%c0_i32 : i32) outs(%[[SUM]]
// CHECK: linalg.generic {{.*}}["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]{{.*}} outs(%[[SUM]]
// CHECK: %[[W:.*]] = arith.extui %{{.*}} : i8 to i32
// CHECK: %[[D:.*]] = arith.subi %[[W]], %c5_i32
// CHECK: arith.addi %{{.*}}, %[[D]] : i32
// CHECK-NOT: arith.addf
// CHECK: linalg.generic {{.*}} ins(%[[SUM]] : memref<1x2x2x2xi32>) outs(%arg1
// CHECK: %[[N:.*]] = arith.sitofp %{{.*}} : i64 to f32
// CHECK: %[[F:.*]] = arith.sitofp %{{.*}} : i32 to f32
// CHECK: %[[S:.*]] = arith.mulf %[[F]], %cst{{.*}} : f32
// CHECK: arith.divf %[[S]], %[[N]] : f32
// CHECK: math.roundeven
func.func @avg_pool_quantized(%x: tensor<1x2x4x4x!quant.uniform<u8:f32, 0.5:5>>) -> tensor<1x2x2x2x!quant.uniform<u8:f32, 0.25:3>> {
  %y = qc.avg_pool2d %x {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 0, 0>} : (tensor<1x2x4x4x!quant.uniform<u8:f32, 0.5:5>>) -> tensor<1x2x2x2x!quant.uniform<u8:f32, 0.25:3>>
  return %y : tensor<1x2x2x2x!quant.uniform<u8:f32, 0.25:3>>
}

// -----

// 2x2 max pooling with stride 2 on rows shorter than a vector: four blocks
// of two 8-wide rows per 64-byte vector; shuffles separate the rows, then
// the even and odd columns, and two maxima make four output rows of 4.
// (The reference lowering keeps the window reduction.)
// RUN: qopt %s -split-input-file --convert-qc-to-linalg="target=x86-64-avx512vnni outline=0" | FileCheck %s --check-prefix=FAST
// RUN: qopt %s -split-input-file --convert-qc-to-linalg="target=x86-64-avx512vnni reference=1 outline=0" | FileCheck %s --check-prefix=SLOW
// FAST-LABEL: func.func @max_pool_small_rows
// FAST: scf.for
// FAST: %[[V:.*]] = vector.load %{{.*}} : memref<{{.*}}xi8>, vector<64xi8>
// FAST: %[[U:.*]] = vector.shuffle %[[V]], %[[V]] [0, 1, 2, 3, 4, 5, 6, 7, 16,
// FAST: %[[L:.*]] = vector.shuffle %[[V]], %[[V]] [8, 9, 10, 11, 12, 13, 14, 15, 24,
// FAST: %[[M:.*]] = arith.maxui %[[U]], %[[L]] : vector<32xi8>
// FAST: %[[E:.*]] = vector.shuffle %[[M]], %[[M]] [0, 2, 4,
// FAST: %[[O:.*]] = vector.shuffle %[[M]], %[[M]] [1, 3, 5,
// FAST: %[[Y:.*]] = arith.maxui %[[E]], %[[O]] : vector<16xi8>
// FAST: vector.store %[[Y]]
// SLOW-LABEL: func.func @max_pool_small_rows
// SLOW-NOT: vector.shuffle
// SLOW: linalg.generic
func.func @max_pool_small_rows(%x: tensor<2x4x8x8x!quant.uniform<u8:f32, 0.5:3>>) -> tensor<2x4x4x4x!quant.uniform<u8:f32, 0.5:3>> {
  %y = qc.max_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<2x4x8x8x!quant.uniform<u8:f32, 0.5:3>>) -> tensor<2x4x4x4x!quant.uniform<u8:f32, 0.5:3>>
  return %y : tensor<2x4x4x4x!quant.uniform<u8:f32, 0.5:3>>
}

// -----

// Global average pooling of 8-bit planes: each 7x7 plane's bytes widened
// and summed into i32 lanes (16 on AVX-512), the lanes added up, the last
// 49 % 16 bytes one by one; the reference keeps the window reduction.
// FAST-LABEL: func.func @global_avg_pool
// FAST: scf.for
// FAST: scf.for {{.*}} iter_args({{.*}}) -> (vector<16xi32>)
// FAST: vector.load {{.*}} : memref<196xi8>, vector<16xi8>
// FAST: arith.extui {{.*}} : vector<16xi8> to vector<16xi32>
// FAST: vector.reduction <add>
// FAST: %c48 = arith.constant 48 : index
// FAST: scf.for %{{.*}} = %c48 to %c49
// FAST: arith.subi %{{.*}}, %c147_i32
// SLOW-LABEL: func.func @global_avg_pool
// SLOW-NOT: vector.reduction
// SLOW: "reduction", "reduction"
func.func @global_avg_pool(%x: tensor<1x4x7x7x!quant.uniform<u8:f32, 0.5:3>>) -> tensor<1x4x1x1x!quant.uniform<u8:f32, 0.25:3>> {
  %y = qc.avg_pool2d %x {kernel = array<i64: 7, 7>} : (tensor<1x4x7x7x!quant.uniform<u8:f32, 0.5:3>>) -> tensor<1x4x1x1x!quant.uniform<u8:f32, 0.25:3>>
  return %y : tensor<1x4x1x1x!quant.uniform<u8:f32, 0.25:3>>
}

// -----

// Max pooling vectorized over output columns (ResNet's 3x3/2 padded pool):
// the input copied row by row into a buffer padded with -inf, with 32
// elements of slack (2 x 42 x 42 + 32); per output row, vectors of 16
// outputs, each tap one load of 32 columns and a shuffle of the even ones.
// 20 outputs: one whole vector, then the last one overlapping it (from 4).
// FAST-LABEL: func.func @max_pool_columns
// FAST: memref.alloc() {{.*}} : memref<3560xf32>
// FAST: linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : memref<3560xf32>)
// FAST: "llvm.intr.memcpy.inline"({{.*}}) <{isVolatile = false, len = 160 : i64}>
// FAST: %[[V:.*]] = llvm.load %{{.*}} -> vector<32xf32>
// FAST: %[[E:.*]] = vector.shuffle %[[V]], %[[V]] [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30]
// FAST: arith.maximumf %{{.*}}, %[[E]] : vector<16xf32>
// FAST-COUNT-8: arith.maximumf
// FAST: %c4_i64 = arith.constant 4 : i64
// SLOW-LABEL: func.func @max_pool_columns
// SLOW-NOT: vector.shuffle
// SLOW: linalg.generic
func.func @max_pool_columns(%x: tensor<1x2x40x40xf32>) -> tensor<1x2x20x20xf32> {
  %y = qc.max_pool2d %x {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x2x40x40xf32>) -> tensor<1x2x20x20xf32>
  return %y : tensor<1x2x20x20xf32>
}
