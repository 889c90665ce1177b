// RUN: qopt %s -split-input-file --convert-qc-to-linalg=outline=0 --qc-plan-workspace | FileCheck %s

// Constant padding fills the output with the quantized pad value (1.0 at
// scale 0.5, zero point 128: storage 130, the i8 -126) and copies the
// input into its interior.
// CHECK-LABEL: func.func @pad_constant
// CHECK: %[[FILL:.*]] = arith.constant -126 : i8
// CHECK-NEXT: linalg.fill ins(%[[FILL]] : i8) outs(%arg1 : memref<1x2x4x6xi8>)
// CHECK-NEXT: %[[IN:.*]] = memref.subview %arg1[0, 0, 1, 1] [1, 2, 3, 4] [1, 1, 1, 1]
// CHECK: linalg.generic {{.*}} ins(%arg0 : memref<1x2x3x4xi8>) outs(%[[IN]]
func.func @pad_constant(%x: tensor<1x2x3x4x!quant.uniform<u8:f32, 0.5:128>>) -> tensor<1x2x4x6x!quant.uniform<u8:f32, 0.5:128>> {
  %y = qc.pad %x {pads = array<i64: 0, 0, 1, 1, 0, 0, 0, 1>, value = 1.0 : f32} : (tensor<1x2x3x4x!quant.uniform<u8:f32, 0.5:128>>) -> tensor<1x2x4x6x!quant.uniform<u8:f32, 0.5:128>>
  return %y : tensor<1x2x4x6x!quant.uniform<u8:f32, 0.5:128>>
}

// -----

// Reflect padding reads the input through a table of source rows computed
// at compile time (row -1 reads row 1, row 3 reads row 1); the unpadded
// dims use the loop indices.
// CHECK: memref.global "private" constant @[[ROWS:.*]] : memref<5xi32> = dense<[1, 0, 1, 2, 1]>
// CHECK-LABEL: func.func @pad_reflect
// CHECK: %[[T:.*]] = memref.get_global @[[ROWS]]
// CHECK: linalg.generic {{.*}} outs(%arg1 : memref<1x2x5x4xf32>)
// CHECK: %[[N:.*]] = linalg.index 0
// CHECK-NEXT: %[[C:.*]] = linalg.index 1
// CHECK-NEXT: %[[H:.*]] = linalg.index 2
// CHECK-NEXT: %[[W:.*]] = linalg.index 3
// CHECK-NEXT: %[[R:.*]] = memref.load %[[T]][%[[H]]]
// CHECK-NEXT: %[[RI:.*]] = arith.index_cast %[[R]] : i32 to index
// CHECK-NEXT: memref.load %arg0[%[[N]], %[[C]], %[[RI]], %[[W]]]
func.func @pad_reflect(%x: tensor<1x2x3x4xf32>) -> tensor<1x2x5x4xf32> {
  %y = qc.pad %x {mode = "reflect", pads = array<i64: 0, 0, 1, 0, 0, 0, 1, 0>} : (tensor<1x2x3x4xf32>) -> tensor<1x2x5x4xf32>
  return %y : tensor<1x2x5x4xf32>
}

// -----

// Nearest resizing: one table per resized dim, storage values copied.
// CHECK-DAG: memref.global "private" constant @[[ROWS:.*]] : memref<4xi32> = dense<[0, 0, 1, 1]>
// CHECK-DAG: memref.global "private" constant @[[COLS:.*]] : memref<6xi32> = dense<[0, 0, 1, 1, 2, 2]>
// CHECK-LABEL: func.func @resize_nearest
// CHECK: linalg.generic {{.*}} outs(%arg1 : memref<1x1x4x6xi8>)
// CHECK-NOT: arith.sitofp
// CHECK: %[[V:.*]] = memref.load %arg0
// CHECK-NEXT: linalg.yield %[[V]] : i8
func.func @resize_nearest(%x: tensor<1x1x2x3x!quant.uniform<i8:f32, 0.5>>) -> tensor<1x1x4x6x!quant.uniform<i8:f32, 0.5>> {
  %y = qc.resize %x {coordinate_mode = "asymmetric", nearest_mode = "floor", scales = array<f64: 1.0, 1.0, 2.0, 2.0>} : (tensor<1x1x2x3x!quant.uniform<i8:f32, 0.5>>) -> tensor<1x1x4x6x!quant.uniform<i8:f32, 0.5>>
  return %y : tensor<1x1x4x6x!quant.uniform<i8:f32, 0.5>>
}

// -----

// Bilinear resizing is two passes (H, then W) through an f32 buffer of the
// workspace, each with a table of two source positions and their weights
// per output position (half_pixel, scale 2: 1/4 and 3/4); a quantized
// operand is dequantized as it is read, the result quantized as written.
// CHECK-DAG: memref.global "private" constant @[[W:.*]] : memref<4x2xf32> = dense<{{\[}}[2.500000e-01, 7.500000e-01], [7.500000e-01, 2.500000e-01], [2.500000e-01, 7.500000e-01], [7.500000e-01, 2.500000e-01]]>
// CHECK-DAG: memref.global "private" constant @[[I:.*]] : memref<4x2xi32> = dense<{{\[}}[0, 0], [0, 1], [0, 1], [1, 1]]>
// CHECK-LABEL: func.func @resize_bilinear
// CHECK: %[[TMP:.*]] = memref.view %arg2{{.*}} to memref<1x1x4x2xf32>
// CHECK: linalg.generic {{.*}} outs(%[[TMP]] : memref<1x1x4x2xf32>)
// CHECK: arith.extui
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK-NEXT: linalg.yield %{{.*}} : f32
// CHECK: linalg.generic {{.*}} outs(%arg1 : memref<1x1x4x4xi8>)
// CHECK: memref.load %[[TMP]]
// CHECK: math.roundeven
// CHECK: linalg.yield %{{.*}} : i8
func.func @resize_bilinear(%x: tensor<1x1x2x2x!quant.uniform<u8:f32, 0.5:128>>) -> tensor<1x1x4x4x!quant.uniform<u8:f32, 0.25:100>> {
  %y = qc.resize %x {mode = "linear", scales = array<f64: 1.0, 1.0, 2.0, 2.0>} : (tensor<1x1x2x2x!quant.uniform<u8:f32, 0.5:128>>) -> tensor<1x1x4x4x!quant.uniform<u8:f32, 0.25:100>>
  return %y : tensor<1x1x4x4x!quant.uniform<u8:f32, 0.25:100>>
}

// -----

// A dim that only changes its parameters needs no pass: one pointwise
// requantization (here the cubic resize of a 1-D tensor by a factor of 1).
// CHECK-LABEL: func.func @resize_identity
// CHECK-NOT: memref.get_global
// CHECK: linalg.generic {{.*}} ins(%arg0 : memref<5xi8>) outs(%arg1 : memref<5xi8>)
func.func @resize_identity(%x: tensor<5x!quant.uniform<i8:f32, 0.5>>) -> tensor<5x!quant.uniform<i8:f32, 0.25>> {
  %y = qc.resize %x {mode = "cubic", scales = array<f64: 1.0>} : (tensor<5x!quant.uniform<i8:f32, 0.5>>) -> tensor<5x!quant.uniform<i8:f32, 0.25>>
  return %y : tensor<5x!quant.uniform<i8:f32, 0.25>>
}

// -----

// Broadcasting is a pointwise copy through a broadcasting map.
// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1, d2) -> (0, d1, 0)>
// CHECK-LABEL: func.func @broadcast
// CHECK: linalg.generic {indexing_maps = [#[[IN]], {{.*}}]{{.*}} outs(%arg1 : memref<2x3x4xf32>)
func.func @broadcast(%x: tensor<3x1xf32>) -> tensor<2x3x4xf32> {
  %y = qc.broadcast %x : (tensor<3x1xf32>) -> tensor<2x3x4xf32>
  return %y : tensor<2x3x4xf32>
}

// -----

// Gather reads the axis through the table of its indices.
// CHECK: memref.global "private" constant @[[IDX:.*]] : memref<3xi32> = dense<[4, 0, 2]>
// CHECK-LABEL: func.func @gather
// CHECK: %[[T:.*]] = memref.get_global @[[IDX]]
// CHECK: %[[R:.*]] = linalg.index 0
// CHECK-NEXT: %[[K:.*]] = linalg.index 1
// CHECK-NEXT: %[[J:.*]] = memref.load %[[T]][%[[K]]]
// CHECK-NEXT: %[[JI:.*]] = arith.index_cast %[[J]]
// CHECK-NEXT: memref.load %arg0[%[[R]], %[[JI]]]
func.func @gather(%x: tensor<2x5xf32>) -> tensor<2x3xf32> {
  %y = qc.gather %x {axis = 1 : i64, indices = array<i64: 4, 0, 2>} : (tensor<2x5xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

// A strided slice reads through an affine map (backward here: columns 7,
// 5, 3, 1).
// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1) -> (d0, d1 * -2 + 7)>
// CHECK-LABEL: func.func @slice_backward
// CHECK: linalg.generic {indexing_maps = [#[[IN]], {{.*}}]{{.*}} ins(%arg0 : memref<4x8xf32>) outs(%arg1 : memref<4x4xf32>)
func.func @slice_backward(%x: tensor<4x8xf32>) -> tensor<4x4xf32> {
  %y = qc.slice %x {offsets = array<i64: 0, 7>, strides = array<i64: 1, -2>} : (tensor<4x8xf32>) -> tensor<4x4xf32>
  return %y : tensor<4x4xf32>
}
