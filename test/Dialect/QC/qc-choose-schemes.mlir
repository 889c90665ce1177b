// RUN: qopt %s -split-input-file -qc-choose-schemes -verify-diagnostics | FileCheck %s
// RUN: qopt %s -split-input-file -qc-choose-schemes="granularity=per-channel" | FileCheck %s --check-prefix=PC
// RUN: qopt %s -split-input-file -qc-choose-schemes="granularity=per-tensor" | FileCheck %s --check-prefix=PT
// RUN: qopt %s -split-input-file -qc-choose-schemes="allow-asymmetric threshold-db=3.0" | FileCheck %s --check-prefix=ASYM

// Channel ranges differ 100-fold: per-channel wins by far more than 1 dB.
// CHECK-LABEL: func.func @per_channel_wins
// CHECK: qc.conv2d {{.*}}qc.weight_scheme = #qc.scheme<per_channel = 0, symmetric, i8, sqnr = {{.*}}>
// PC-LABEL: func.func @per_channel_wins
// PC: #qc.scheme<per_channel = 0, symmetric, i8
// PT-LABEL: func.func @per_channel_wins
// PT: #qc.scheme<per_tensor, symmetric, i8
func.func @per_channel_wins(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = arith.constant dense<[[[[0.011]], [[-0.023]]], [[[1.7]], [[-2.9]]]]> : tensor<2x2x1x1xf32>
  // expected-remark @+1 {{weight quantized per-channel symmetric i8}}
  %y = qc.conv2d %x, %w : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  return %y : tensor<1x2x4x4xf32>
}

// -----

// Every output column has the same range: per-channel gains nothing.
// CHECK-LABEL: func.func @per_tensor_kept
// CHECK: qc.matmul {{.*}}qc.weight_scheme = #qc.scheme<per_tensor, symmetric, i8, sqnr = {{.*}}>
// PC-LABEL: func.func @per_tensor_kept
// PC: #qc.scheme<per_channel = 1, symmetric, i8
func.func @per_tensor_kept(%x: tensor<2x3xf32>) -> tensor<2x2xf32> {
  %w = arith.constant dense<[[1.0, -1.0], [0.3, 0.7], [-0.5, 0.25]]> : tensor<3x2xf32>
  // expected-remark @+1 {{weight quantized per-tensor symmetric i8 (}}
  %y = qc.matmul %x, %w : (tensor<2x3xf32>, tensor<3x2xf32>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}

// -----

// All-positive weights: with asymmetric schemes allowed, asymmetric doubles
// the resolution and wins.
// CHECK-LABEL: func.func @asymmetric_when_allowed
// CHECK: #qc.scheme<per_tensor, symmetric, i8
// ASYM-LABEL: func.func @asymmetric_when_allowed
// ASYM: #qc.scheme<per_tensor, asymmetric, i8
func.func @asymmetric_when_allowed(%x: tensor<2x3xf32>) -> tensor<2x2xf32> {
  %w = arith.constant dense<[[0.9, 0.9], [0.31, 0.77], [0.55, 0.2]]> : tensor<3x2xf32>
  // expected-remark @+1 {{candidates: per-tensor symmetric}}
  %y = qc.matmul %x, %w : (tensor<2x3xf32>, tensor<3x2xf32>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}

// -----

// A scheme already on the op (chosen by hand) is kept.
// CHECK-LABEL: func.func @existing_scheme_kept
// CHECK: qc.weight_scheme = #qc.scheme<per_tensor, asymmetric, ui8>
func.func @existing_scheme_kept(%x: tensor<2x3xf32>) -> tensor<2x2xf32> {
  %w = arith.constant dense<[[0.011, -0.02], [1.7, -2.9], [0.5, 0.5]]> : tensor<3x2xf32>
  %y = qc.matmul %x, %w {qc.weight_scheme = #qc.scheme<per_tensor, asymmetric, ui8>} : (tensor<2x3xf32>, tensor<3x2xf32>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}

// -----

// A weight that is not a constant is an activation: no scheme.
// CHECK-LABEL: func.func @negative_activation_weight
// CHECK-NOT: qc.weight_scheme
func.func @negative_activation_weight(%x: tensor<2x3xf32>, %w: tensor<3x2xf32>) -> tensor<2x2xf32> {
  %y = qc.matmul %x, %w : (tensor<2x3xf32>, tensor<3x2xf32>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}
