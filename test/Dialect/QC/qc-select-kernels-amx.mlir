// RUN: qopt %s -split-input-file -qc-select-kernels=target=x86-64-amx 2>/dev/null | FileCheck %s
// RUN: qopt %s -split-input-file -mlir-print-op-on-diagnostic=0 -qc-select-kernels=target=x86-64-amx 2>&1 >/dev/null | FileCheck %s --check-prefix=REMARK

// At least 32 rows: two 16-row A tiles by two 16-column B tiles. K (70) is
// padded to a multiple of 64 (128: 32 groups of 4), the 40 columns to two
// tiles of 32: 2 x 32 x 128 bytes of packed weights.
// REMARK: remark: kernel: amx, tile 32x2 (32 rows x 32 columns), kGroup 4, 40-row blocks
// CHECK-LABEL: func.func @tall
// CHECK: %[[W:.*]] = arith.constant dense<"0x{{.*}}"> : tensor<8192xi8>
// CHECK: qc.packed_matmul %arg0, %[[W]], {{.*}}kind = "amx", lanes = 16, kGroup = 4, tileRows = 32, tileVectors = 2, blockRows = 40, shift = 0
func.func @tall(%a: tensor<40x70x!quant.uniform<u8:f32, 0.5:3>>) -> tensor<40x40x!quant.uniform<u8:f32, 1.0:3>> {
  %w = qc.constant dense<1> : tensor<70x40xi8> -> tensor<70x40x!quant.uniform<i8:f32, 0.25>>
  %y = qc.matmul %a, %w : (tensor<40x70x!quant.uniform<u8:f32, 0.5:3>>, tensor<70x40x!quant.uniform<i8:f32, 0.25>>) -> tensor<40x40x!quant.uniform<u8:f32, 1.0:3>>
  return %y : tensor<40x40x!quant.uniform<u8:f32, 1.0:3>>
}

// -----

// 16 to 31 rows: one A tile (the last row tile overlaps the one before).
// REMARK: remark: kernel: amx, tile 16x2 (16 rows x 32 columns)
// CHECK-LABEL: func.func @rows16
// CHECK: kind = "amx", lanes = 16, kGroup = 4, tileRows = 16, tileVectors = 2
func.func @rows16(%a: tensor<2x10x64x!quant.uniform<i8:f32, 0.5:3>>) -> tensor<2x10x32x!quant.uniform<u8:f32, 1.0:3>> {
  %w = qc.constant dense<1> : tensor<64x32xi8> -> tensor<64x32x!quant.uniform<i8:f32, 0.25>>
  %y = qc.matmul %a, %w : (tensor<2x10x64x!quant.uniform<i8:f32, 0.5:3>>, tensor<64x32x!quant.uniform<i8:f32, 0.25>>) -> tensor<2x10x32x!quant.uniform<u8:f32, 1.0:3>>
  return %y : tensor<2x10x32x!quant.uniform<u8:f32, 1.0:3>>
}

// -----

// Fewer than 16 rows (a transformer's M = 8) stay on AVX-512 VNNI.
// REMARK: remark: kernel: vnni512, tile 8x{{[0-9]}} {{.*}} (not amx: fewer than 16 rows of the broadcast operand)
// CHECK-LABEL: func.func @short
// CHECK: kind = "vnni512"
func.func @short(%a: tensor<8x64x!quant.uniform<u8:f32, 0.5:3>>) -> tensor<8x64x!quant.uniform<u8:f32, 1.0:3>> {
  %w = qc.constant dense<1> : tensor<64x64xi8> -> tensor<64x64x!quant.uniform<i8:f32, 0.25>>
  %y = qc.matmul %a, %w : (tensor<8x64x!quant.uniform<u8:f32, 0.5:3>>, tensor<64x64x!quant.uniform<i8:f32, 0.25>>) -> tensor<8x64x!quant.uniform<u8:f32, 1.0:3>>
  return %y : tensor<8x64x!quant.uniform<u8:f32, 1.0:3>>
}

// -----

// A convolution's rows are its output channels (16 here), its columns the
// output pixels (36); its weight rows are padded from K = 8 x 3 x 3 = 72 to
// 128.
// REMARK: remark: kernel: amx, tile 16x2
// CHECK-LABEL: func.func @conv
// CHECK: arith.constant dense<"0x{{.*}}"> : tensor<16x128xi8>
// CHECK: qc.packed_conv2d {{.*}}kind = "amx"
func.func @conv(%x: tensor<1x8x6x6x!quant.uniform<u8:f32, 0.5:3>>) -> tensor<1x16x6x6x!quant.uniform<u8:f32, 1.0:3>> {
  %w = qc.constant dense<1> : tensor<16x8x3x3xi8> -> tensor<16x8x3x3x!quant.uniform<i8:f32, 0.25>>
  %y = qc.conv2d %x, %w {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x8x6x6x!quant.uniform<u8:f32, 0.5:3>>, tensor<16x8x3x3x!quant.uniform<i8:f32, 0.25>>) -> tensor<1x16x6x6x!quant.uniform<u8:f32, 1.0:3>>
  return %y : tensor<1x16x6x6x!quant.uniform<u8:f32, 1.0:3>>
}

// -----

// Few columns (a 4x4 image: 16 pixels) or a short K (one input channel:
// K = 9) would mostly compute padding: VNNI.
// REMARK: remark: kernel: vnni512, {{.*}} (not amx: fewer than 32 columns)
// REMARK: remark: kernel: vnni512, {{.*}} (not amx: K below 64)
// CHECK-LABEL: func.func @small
// CHECK: kind = "vnni512"
// CHECK: kind = "vnni512"
func.func @small(%x: tensor<1x8x4x4x!quant.uniform<u8:f32, 0.5:3>>, %y: tensor<1x1x8x8x!quant.uniform<u8:f32, 0.5:3>>) -> (tensor<1x16x4x4x!quant.uniform<u8:f32, 1.0:3>>, tensor<1x16x8x8x!quant.uniform<u8:f32, 1.0:3>>) {
  %w = qc.constant dense<1> : tensor<16x8x3x3xi8> -> tensor<16x8x3x3x!quant.uniform<i8:f32, 0.25>>
  %a = qc.conv2d %x, %w {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x8x4x4x!quant.uniform<u8:f32, 0.5:3>>, tensor<16x8x3x3x!quant.uniform<i8:f32, 0.25>>) -> tensor<1x16x4x4x!quant.uniform<u8:f32, 1.0:3>>
  %v = qc.constant dense<1> : tensor<16x1x3x3xi8> -> tensor<16x1x3x3x!quant.uniform<i8:f32, 0.25>>
  %b = qc.conv2d %y, %v {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x1x8x8x!quant.uniform<u8:f32, 0.5:3>>, tensor<16x1x3x3x!quant.uniform<i8:f32, 0.25>>) -> tensor<1x16x8x8x!quant.uniform<u8:f32, 1.0:3>>
  return %a, %b : tensor<1x16x4x4x!quant.uniform<u8:f32, 1.0:3>>, tensor<1x16x8x8x!quant.uniform<u8:f32, 1.0:3>>
}

// -----

// f32 products keep the FMA kernels.
// REMARK: remark: kernel: fma
// CHECK-LABEL: func.func @float
// CHECK: kind = "fma"
func.func @float(%a: tensor<64x16xf32>) -> tensor<64x16xf32> {
  %w = arith.constant dense<1.0> : tensor<16x16xf32>
  %y = qc.matmul %a, %w : (tensor<64x16xf32>, tensor<16x16xf32>) -> tensor<64x16xf32>
  return %y : tensor<64x16xf32>
}
