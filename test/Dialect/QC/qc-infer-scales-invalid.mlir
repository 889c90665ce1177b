// RUN: qopt %s -split-input-file -qc-infer-scales -verify-diagnostics

// A constant weight with an infinite value has no per-channel parameters
// (the default scheme); the pass fails naming the channel.
func.func @weight_not_finite(%x: tensor<2x3xf32>) -> tensor<2x2xf32> {
  %xs = qc.stats %x <min = -1.0, max = 1.0> : tensor<2x3xf32>
  %w = arith.constant dense<[[1.0, -1.0], [0x7F800000, 0.5], [0.25, -0.25]]> : tensor<3x2xf32>
  // expected-error @+1 {{cannot quantize the weight of qc.matmul: the value at [1, 0] (element 2) is +inf}}
  %y = qc.matmul %xs, %w : (tensor<2x3xf32>, tensor<3x2xf32>) -> tensor<2x2xf32>
  %ys = qc.stats %y <min = -3.0, max = 5.0> : tensor<2x2xf32>
  return %ys : tensor<2x2xf32>
}

// -----

// Under a per-tensor scheme, a NaN weight value is rejected.
func.func @weight_nan(%x: tensor<2x3xf32>) -> tensor<2x2xf32> {
  %xs = qc.stats %x <min = -1.0, max = 1.0> : tensor<2x3xf32>
  %w = arith.constant dense<[[1.0, -1.0], [0x7FC00000, 0.5], [0.25, -0.25]]> : tensor<3x2xf32>
  // expected-error @+1 {{cannot quantize the weight of qc.matmul: the value at [1, 0] (element 2) is NaN}}
  %y = qc.matmul %xs, %w {qc.weight_scheme = #qc.scheme<per_tensor, symmetric, i8>} : (tensor<2x3xf32>, tensor<3x2xf32>) -> tensor<2x2xf32>
  %ys = qc.stats %y <min = -3.0, max = 5.0> : tensor<2x2xf32>
  return %ys : tensor<2x2xf32>
}

// -----

// Per channel (the default scheme) too: the NaN does not vanish into the
// channel's min/max.
func.func @weight_nan_per_channel(%x: tensor<2x3xf32>) -> tensor<2x2xf32> {
  %xs = qc.stats %x <min = -1.0, max = 1.0> : tensor<2x3xf32>
  %w = arith.constant dense<[[1.0, -1.0], [0x7FC00000, 0.5], [0.25, -0.25]]> : tensor<3x2xf32>
  // expected-error @+1 {{cannot quantize the weight of qc.matmul: the value at [1, 0] (element 2) is NaN}}
  %y = qc.matmul %xs, %w : (tensor<2x3xf32>, tensor<3x2xf32>) -> tensor<2x2xf32>
  %ys = qc.stats %y <min = -3.0, max = 5.0> : tensor<2x2xf32>
  return %ys : tensor<2x2xf32>
}
