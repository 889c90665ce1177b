// RUN: qopt %s -split-input-file --convert-qc-to-linalg=outline=0 --qc-plan-workspace | FileCheck %s

// Concat copies each operand into its slice of the output.
// CHECK-LABEL: func.func @concat
// CHECK: %[[S0:.*]] = memref.subview %arg2[0, 0] [1, 2] [1, 1]
// CHECK: linalg.generic {{.*}} ins(%arg0 : memref<1x2xi8>) outs(%[[S0]]
// CHECK: %[[S1:.*]] = memref.subview %arg2[0, 2] [1, 3] [1, 1]
// CHECK: linalg.generic {{.*}} ins(%arg1 : memref<1x3xi8>) outs(%[[S1]]
func.func @concat(%a: tensor<1x2x!quant.uniform<u8:f32, 0.5:128>>, %b: tensor<1x3x!quant.uniform<u8:f32, 0.5:128>>) -> tensor<1x5x!quant.uniform<u8:f32, 0.5:128>> {
  %c = qc.concat %a, %b {axis = 1} : (tensor<1x2x!quant.uniform<u8:f32, 0.5:128>>, tensor<1x3x!quant.uniform<u8:f32, 0.5:128>>) -> tensor<1x5x!quant.uniform<u8:f32, 0.5:128>>
  return %c : tensor<1x5x!quant.uniform<u8:f32, 0.5:128>>
}

// -----

// Transpose reads the input through the inverse permutation.
// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1, d2) -> (d2, d0, d1)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @transpose
// CHECK: linalg.generic {indexing_maps = [#[[IN]], #[[OUT]]]
// CHECK-SAME: ins(%arg0 : memref<2x3x4xf32>) outs(%arg1 : memref<3x4x2xf32>)
func.func @transpose(%x: tensor<2x3x4xf32>) -> tensor<3x4x2xf32> {
  %t = qc.transpose %x {perm = array<i64: 1, 2, 0>} : (tensor<2x3x4xf32>) -> tensor<3x4x2xf32>
  return %t : tensor<3x4x2xf32>
}

// -----

// A reshape costs nothing: the next op reads a view of its operand.
// CHECK-LABEL: func.func @reshape_is_a_view
// (The pointwise loop then runs over the 12 elements as one loop.)
// CHECK: %[[V:.*]] = memref.reinterpret_cast %arg0 to offset: [0], sizes: [3, 4], strides: [4, 1]
// CHECK-NEXT: %[[F:.*]] = memref.reinterpret_cast %[[V]] to offset: [0], sizes: [12], strides: [1]
// CHECK-NOT: linalg.generic
// CHECK: linalg.generic {{.*}} ins(%[[F]] : memref<12xf32>)
func.func @reshape_is_a_view(%x: tensor<12xf32>) -> tensor<3x4xf32> {
  %r = qc.reshape %x : (tensor<12xf32>) -> tensor<3x4xf32>
  %s = qc.sigmoid %r : (tensor<3x4xf32>) -> tensor<3x4xf32>
  return %s : tensor<3x4xf32>
}

// -----

// Slice copies a strided view of its operand (storage bytes, unchanged).
// CHECK-LABEL: func.func @slice
// CHECK: %[[V:.*]] = memref.subview %arg0[1, 2] [1, 3] [1, 1] : memref<2x6xi8> to memref<1x3xi8, strided<[6, 1], offset: 8>>
// CHECK: linalg.generic {{.*}} ins(%[[V]] : {{.*}}) outs(%arg1 : memref<1x3xi8>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: i8, %{{.*}}: i8):
// CHECK-NEXT: linalg.yield %[[IN]] : i8
func.func @slice(%x: tensor<2x6x!quant.uniform<u8:f32, 0.5:128>>) -> tensor<1x3x!quant.uniform<u8:f32, 0.5:128>> {
  %s = qc.slice %x {offsets = array<i64: 1, 2>} : (tensor<2x6x!quant.uniform<u8:f32, 0.5:128>>) -> tensor<1x3x!quant.uniform<u8:f32, 0.5:128>>
  return %s : tensor<1x3x!quant.uniform<u8:f32, 0.5:128>>
}
