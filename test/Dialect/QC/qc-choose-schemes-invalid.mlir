// RUN: not qopt %s -qc-choose-schemes="granularity=per-row" 2>&1 | FileCheck %s --check-prefix=GRAN
// RUN: not qopt %s -qc-choose-schemes="weight-type=i4" 2>&1 | FileCheck %s --check-prefix=TYPE
// RUN: qopt %s -split-input-file -qc-choose-schemes -verify-diagnostics

// GRAN: error: qc-choose-schemes: unknown granularity 'per-row' (expected auto, per-tensor or per-channel)
// TYPE: error: qc-choose-schemes: unknown weight-type 'i4' (expected i8 or u8)
func.func @f(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  return %x : tensor<2x3xf32>
}

// -----

// A weight with an infinite value cannot be quantized under any candidate;
// the first (per-tensor) one reports it.
func.func @weight_not_finite(%x: tensor<2x3xf32>) -> tensor<2x2xf32> {
  %w = arith.constant dense<[[1.0, -1.0], [0x7F800000, 0.5], [0.25, -0.25]]> : tensor<3x2xf32>
  // expected-error @+1 {{cannot quantize the weight of qc.matmul: the value at [1, 0] (element 2) is +inf}}
  %y = qc.matmul %x, %w : (tensor<2x3xf32>, tensor<3x2xf32>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}
