// RUN: qopt %s -split-input-file -qc-infer-scales="strict" -verify-diagnostics
// RUN: not qopt %s -qc-infer-scales="activation-type=u4" 2>&1 | FileCheck %s --check-prefix=OPT

// OPT: error: qc-infer-scales: unknown activation-type 'u4' (expected u8 or i8)

func.func @strict_no_result_stats(%x: tensor<2x3xf32>) -> tensor<2x2xf32> {
  %xs = qc.stats %x <min = -1.0, max = 1.0> : tensor<2x3xf32>
  %w = arith.constant dense<1.0> : tensor<3x2xf32>
  // expected-error @+1 {{cannot be quantized: its result has no calibration statistics}}
  %y = qc.matmul %xs, %w : (tensor<2x3xf32>, tensor<3x2xf32>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}

// -----

func.func @strict_no_operand_stats(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{cannot be quantized: operand #0 has no quantization parameters (no calibration statistics)}}
  %s = qc.sigmoid %x : (tensor<4xf32>) -> tensor<4xf32>
  return %s : tensor<4xf32>
}
