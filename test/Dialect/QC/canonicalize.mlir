// RUN: qopt %s -split-input-file -canonicalize | FileCheck %s

// Transposes and reshapes of constants fold at compile time, for float
// constants (arith.constant) and quantized ones (qc.constant, storage
// integers moved with their parameters).
// CHECK-LABEL: func.func @fold_transpose_float
// CHECK-NEXT: %[[C:.*]] = arith.constant dense<{{\[}}[1.000000e+00, 4.000000e+00], [2.000000e+00, 5.000000e+00], [3.000000e+00, 6.000000e+00]]> : tensor<3x2xf32>
// CHECK-NEXT: return %[[C]]
func.func @fold_transpose_float() -> tensor<3x2xf32> {
  %c = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %t = qc.transpose %c {perm = array<i64: 1, 0>} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return %t : tensor<3x2xf32>
}

// -----

// A rank-3 permutation: result[i][j][k] = input[j][k][i].
// CHECK-LABEL: func.func @fold_transpose_rank3_quantized
// CHECK-NEXT: %[[C:.*]] = qc.constant dense<{{\[}}{{\[}}[0, 2], [4, 6]], {{\[}}[1, 3], [5, 7]]]> : tensor<2x2x2xi8> -> tensor<2x2x2x!quant.uniform<i8:f32, 5.000000e-01>>
// CHECK-NEXT: return %[[C]]
func.func @fold_transpose_rank3_quantized() -> tensor<2x2x2x!quant.uniform<i8:f32, 0.5>> {
  %c = qc.constant dense<[[[0, 1], [2, 3]], [[4, 5], [6, 7]]]> : tensor<2x2x2xi8> -> tensor<2x2x2x!quant.uniform<i8:f32, 0.5>>
  %t = qc.transpose %c {perm = array<i64: 2, 0, 1>} : (tensor<2x2x2x!quant.uniform<i8:f32, 0.5>>) -> tensor<2x2x2x!quant.uniform<i8:f32, 0.5>>
  return %t : tensor<2x2x2x!quant.uniform<i8:f32, 0.5>>
}

// -----

// CHECK-LABEL: func.func @fold_reshape
// CHECK-NEXT: %[[C:.*]] = qc.constant dense<{{\[}}[1, 2], [3, 4]]> : tensor<2x2xui8> -> tensor<2x2x!quant.uniform<u8:f32, 5.000000e-01:3>>
// CHECK-NEXT: return %[[C]]
func.func @fold_reshape() -> tensor<2x2x!quant.uniform<u8:f32, 0.5:3>> {
  %c = qc.constant dense<[1, 2, 3, 4]> : tensor<4xui8> -> tensor<4x!quant.uniform<u8:f32, 0.5:3>>
  %r = qc.reshape %c : (tensor<4x!quant.uniform<u8:f32, 0.5:3>>) -> tensor<2x2x!quant.uniform<u8:f32, 0.5:3>>
  return %r : tensor<2x2x!quant.uniform<u8:f32, 0.5:3>>
}

// -----

// negative: a transpose of a run-time value stays.
// CHECK-LABEL: func.func @negative_transpose_runtime
// CHECK-NEXT: qc.transpose %arg0
func.func @negative_transpose_runtime(%x: tensor<2x3xf32>) -> tensor<3x2xf32> {
  %t = qc.transpose %x {perm = array<i64: 1, 0>} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return %t : tensor<3x2xf32>
}

// -----

// A cast to the operand's own type is the operand; a real conversion stays.
// CHECK-LABEL: func.func @fold_identity_cast
// CHECK-NEXT: %[[C:.*]] = qc.cast %arg0 : tensor<4xi64> -> tensor<4xf32>
// CHECK-NEXT: return %arg0, %[[C]]
func.func @fold_identity_cast(%x: tensor<4xi64>) -> (tensor<4xi64>, tensor<4xf32>) {
  %same = qc.cast %x : tensor<4xi64> -> tensor<4xi64>
  %f = qc.cast %x : tensor<4xi64> -> tensor<4xf32>
  return %same, %f : tensor<4xi64>, tensor<4xf32>
}

// -----

// Reshapes of bool constants fold as those of any other constant.
// CHECK-LABEL: func.func @fold_reshape_bool
// CHECK-NEXT: %[[C:.*]] = arith.constant dense<{{\[}}[true, false]]> : tensor<1x2xi1>
// CHECK-NEXT: return %[[C]]
func.func @fold_reshape_bool() -> tensor<1x2xi1> {
  %c = arith.constant dense<[true, false]> : tensor<2xi1>
  %r = qc.reshape %c : (tensor<2xi1>) -> tensor<1x2xi1>
  return %r : tensor<1x2xi1>
}

// -----

// argmin and top_k of a typed dequantize select among the storage integers
// (dequantization keeps their order and ties); top_k's values are
// dequantized after it.
// CHECK-LABEL: func.func @arg_top_k_of_dequantize
// CHECK-NEXT: %[[A:.*]] = qc.argmin %arg0 {keepdims = false} : (tensor<3x2x!quant.uniform<i8:f32, 2.500000e-01>>) -> tensor<2xi64>
// CHECK-NEXT: %[[V:.*]], %[[I:.*]] = qc.top_k %arg0 {axis = 0 : i64, k = 2 : i64, largest = false} : (tensor<3x2x!quant.uniform<i8:f32, 2.500000e-01>>) -> (tensor<2x2x!quant.uniform<i8:f32, 2.500000e-01>>, tensor<2x2xi64>)
// CHECK-NEXT: %[[D:.*]] = qc.dequantize %[[V]] : tensor<2x2x!quant.uniform<i8:f32, 2.500000e-01>> -> tensor<2x2xf32>
// CHECK-NEXT: return %[[A]], %[[D]], %[[I]]
func.func @arg_top_k_of_dequantize(%x: tensor<3x2x!quant.uniform<i8:f32, 0.25>>) -> (tensor<2xi64>, tensor<2x2xf32>, tensor<2x2xi64>) {
  %d = qc.dequantize %x : tensor<3x2x!quant.uniform<i8:f32, 0.25>> -> tensor<3x2xf32>
  %a = qc.argmin %d {axis = 0 : i64, keepdims = false} : (tensor<3x2xf32>) -> tensor<2xi64>
  %v, %i = qc.top_k %d {k = 2 : i64, axis = 0 : i64, largest = false} : (tensor<3x2xf32>) -> (tensor<2x2xf32>, tensor<2x2xi64>)
  return %a, %v, %i : tensor<2xi64>, tensor<2x2xf32>, tensor<2x2xi64>
}
