// RUN: qopt %s -split-input-file -qc-recognize-patterns | FileCheck %s

// Each function spells one activation or normalization the way an exporter
// writes it; the near misses after each group must stay as they are.

// CHECK-LABEL: func.func @hard_sigmoid_affine
// CHECK: %[[Y:.*]] = qc.activation hard_sigmoid %arg0 {alpha = 2.500000e-01 : f32, beta = 5.000000e-01 : f32}
// CHECK-NOT: qc.clamp
// CHECK: return %[[Y]]
func.func @hard_sigmoid_affine(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %a = arith.constant dense<0.25> : tensor<f32>
  %b = arith.constant dense<0.5> : tensor<1xf32>
  %m = qc.mul %x, %a : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  %s = qc.add %b, %m : (tensor<1xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  %y = qc.clamp %s {min = 0.0 : f32, max = 1.0 : f32} : tensor<2x8xf32>
  return %y : tensor<2x8xf32>
}

// -----

// relu6(x + 3) / 6 is a hard sigmoid of slope 1/6 and offset 1/2.
// CHECK-LABEL: func.func @hard_sigmoid_relu6
// CHECK: %[[Y:.*]] = qc.activation hard_sigmoid %arg0 {alpha = 0.166666672 : f32, beta = 5.000000e-01 : f32}
// CHECK: return %[[Y]]
func.func @hard_sigmoid_relu6(%x: tensor<4xf32>) -> tensor<4xf32> {
  %c3 = arith.constant dense<3.0> : tensor<f32>
  %c6 = arith.constant dense<6.0> : tensor<f32>
  %s = qc.add %x, %c3 : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %r = qc.clamp %s {min = 0.0 : f32, max = 6.0 : f32} : tensor<4xf32>
  %y = qc.div %r, %c6 : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// x * hard_sigmoid(x) (as PyTorch exports Hardswish before opset 14).
// CHECK-LABEL: func.func @hard_swish_gate
// CHECK: %[[Y:.*]] = qc.activation hard_swish %arg0 :
// CHECK-NOT: qc.mul
// CHECK: return %[[Y]]
func.func @hard_swish_gate(%x: tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32> {
  %g = qc.activation hard_sigmoid %x {alpha = 0.1666667 : f32, beta = 0.5 : f32} : (tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  %y = qc.mul %g, %x : (tensor<1x4x2x2xf32>, tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  return %y : tensor<1x4x2x2xf32>
}

// -----

// x * relu6(x + 3) / 6, the division last (the MobileNetV3 paper's form).
// CHECK-LABEL: func.func @hard_swish_scaled
// CHECK: %[[Y:.*]] = qc.activation hard_swish %arg0 :
// CHECK: return %[[Y]]
func.func @hard_swish_scaled(%x: tensor<4xf32>) -> tensor<4xf32> {
  %c3 = arith.constant dense<3.0> : tensor<f32>
  %c6 = arith.constant dense<0.16666667> : tensor<f32>
  %s = qc.add %x, %c3 : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %r = qc.clamp %s {min = 0.0 : f32, max = 6.0 : f32} : tensor<4xf32>
  %p = qc.mul %x, %r : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %y = qc.mul %p, %c6 : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// Near misses: the default HardSigmoid slope (0.2) is not HardSwish's; a
// gate on another value; relu6(x + 3) / 5; a clamp to [0, 2].
// CHECK-LABEL: func.func @hard_near_misses
// CHECK: qc.activation hard_sigmoid %arg0 {alpha = 2.000000e-01 : f32
// CHECK: qc.mul
// CHECK: qc.mul
// CHECK: qc.clamp %{{.*}} {max = 6.000000e+00 : f32, min = 0.000000e+00 : f32}
// CHECK: qc.div
// CHECK: qc.clamp %{{.*}} {max = 2.000000e+00 : f32, min = 0.000000e+00 : f32}
// CHECK-NOT: qc.activation hard_swish
func.func @hard_near_misses(%x: tensor<4xf32>, %z: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %g = qc.activation hard_sigmoid %x {alpha = 0.2 : f32, beta = 0.5 : f32} : (tensor<4xf32>) -> tensor<4xf32>
  %y0 = qc.mul %x, %g : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %g1 = qc.activation hard_sigmoid %z {alpha = 0.16666667 : f32, beta = 0.5 : f32} : (tensor<4xf32>) -> tensor<4xf32>
  %y1 = qc.mul %x, %g1 : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %c3 = arith.constant dense<3.0> : tensor<f32>
  %c5 = arith.constant dense<5.0> : tensor<f32>
  %s = qc.add %x, %c3 : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %r = qc.clamp %s {min = 0.0 : f32, max = 6.0 : f32} : tensor<4xf32>
  %y2 = qc.div %r, %c5 : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %c1 = arith.constant dense<1.0> : tensor<f32>
  %s3 = qc.add %x, %c1 : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %y3 = qc.clamp %s3 {min = 0.0 : f32, max = 2.0 : f32} : tensor<4xf32>
  return %y0, %y1, %y2, %y3 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// An intermediate value used outside the chain keeps the chain.
// CHECK-LABEL: func.func @hard_sigmoid_shared
// CHECK-NOT: qc.activation
// CHECK: qc.clamp
func.func @hard_sigmoid_shared(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %c3 = arith.constant dense<3.0> : tensor<f32>
  %c6 = arith.constant dense<6.0> : tensor<f32>
  %s = qc.add %x, %c3 : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %r = qc.clamp %s {min = 0.0 : f32, max = 6.0 : f32} : tensor<4xf32>
  %y = qc.div %r, %c6 : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  return %y, %r : tensor<4xf32>, tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @silu
// CHECK: %[[Y:.*]] = qc.activation silu %arg0 :
// CHECK: return %[[Y]]
func.func @silu(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %s = qc.sigmoid %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %y = qc.mul %x, %s : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

// Swish with beta = 1 as Paddle exports it: x * sigmoid(x * 1).
// CHECK-LABEL: func.func @swish_unit_beta
// CHECK: %[[Y:.*]] = qc.activation silu %arg0 :
// CHECK: return %[[Y]]
func.func @swish_unit_beta(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %one = arith.constant dense<1.0> : tensor<f32>
  %b = qc.mul %x, %one : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  %s = qc.sigmoid %b : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %y = qc.mul %x, %s : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

// Near misses: x * sigmoid(z) (a gate), and a sigmoid with another user
// (a squeeze-excite scale that is also returned).
// CHECK-LABEL: func.func @silu_near_misses
// CHECK-NOT: qc.activation
// CHECK: qc.sigmoid %arg1
// CHECK: qc.mul
// CHECK: qc.sigmoid %arg0
// CHECK: qc.mul
func.func @silu_near_misses(%x: tensor<2x3xf32>, %z: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) {
  %s = qc.sigmoid %z : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %y = qc.mul %x, %s : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %s2 = qc.sigmoid %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %y2 = qc.mul %x, %s2 : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return %y, %y2, %s2 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>
}

// -----

// GELU as PyTorch exports it: x / sqrt(2) -> erf -> + 1 -> * x -> * 0.5.
// CHECK-LABEL: func.func @gelu_erf
// CHECK: %[[Y:.*]] = qc.activation gelu %arg0 :
// CHECK-NOT: qc.erf
// CHECK: return %[[Y]]
func.func @gelu_erf(%x: tensor<2x16xf32>) -> tensor<2x16xf32> {
  %r2 = arith.constant dense<1.4142135> : tensor<f32>
  %one = arith.constant dense<1.0> : tensor<f32>
  %half = arith.constant dense<0.5> : tensor<f32>
  %d = qc.div %x, %r2 : (tensor<2x16xf32>, tensor<f32>) -> tensor<2x16xf32>
  %e = qc.erf %d : (tensor<2x16xf32>) -> tensor<2x16xf32>
  %a = qc.add %e, %one : (tensor<2x16xf32>, tensor<f32>) -> tensor<2x16xf32>
  %m = qc.mul %x, %a : (tensor<2x16xf32>, tensor<2x16xf32>) -> tensor<2x16xf32>
  %y = qc.mul %m, %half : (tensor<2x16xf32>, tensor<f32>) -> tensor<2x16xf32>
  return %y : tensor<2x16xf32>
}

// -----

// The other association: 0.5 * x first, erf of x * (1 / sqrt(2)).
// CHECK-LABEL: func.func @gelu_erf_half_first
// CHECK: %[[Y:.*]] = qc.activation gelu %arg0 :
// CHECK: return %[[Y]]
func.func @gelu_erf_half_first(%x: tensor<8xf32>) -> tensor<8xf32> {
  %r2 = arith.constant dense<0.70710678> : tensor<f32>
  %one = arith.constant dense<1.0> : tensor<f32>
  %half = arith.constant dense<0.5> : tensor<f32>
  %h = qc.mul %half, %x : (tensor<f32>, tensor<8xf32>) -> tensor<8xf32>
  %d = qc.mul %x, %r2 : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %e = qc.erf %d : (tensor<8xf32>) -> tensor<8xf32>
  %a = qc.add %one, %e : (tensor<f32>, tensor<8xf32>) -> tensor<8xf32>
  %y = qc.mul %h, %a : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  return %y : tensor<8xf32>
}

// -----

// The tanh approximation, x^3 as pow(x, 3).
// CHECK-LABEL: func.func @gelu_tanh
// CHECK: %[[Y:.*]] = qc.activation gelu_tanh %arg0 :
// CHECK-NOT: qc.tanh
// CHECK: return %[[Y]]
func.func @gelu_tanh(%x: tensor<8xf32>) -> tensor<8xf32> {
  %three = arith.constant dense<3.0> : tensor<f32>
  %c = arith.constant dense<0.044715> : tensor<f32>
  %k = arith.constant dense<0.7978846> : tensor<f32>
  %one = arith.constant dense<1.0> : tensor<f32>
  %half = arith.constant dense<0.5> : tensor<f32>
  %p = qc.pow %x, %three : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %pc = qc.mul %p, %c : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %s = qc.add %x, %pc : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %u = qc.mul %s, %k : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %t = qc.tanh %u : (tensor<8xf32>) -> tensor<8xf32>
  %a = qc.add %t, %one : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %m = qc.mul %x, %a : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %y = qc.mul %m, %half : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  return %y : tensor<8xf32>
}

// -----

// Near misses: erf(x / 2) and a factor 0.25 are not GELU.
// CHECK-LABEL: func.func @gelu_near_misses
// CHECK-NOT: qc.activation
// CHECK: qc.erf
// CHECK: qc.erf
func.func @gelu_near_misses(%x: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %two = arith.constant dense<2.0> : tensor<f32>
  %r2 = arith.constant dense<1.4142135> : tensor<f32>
  %one = arith.constant dense<1.0> : tensor<f32>
  %half = arith.constant dense<0.5> : tensor<f32>
  %quarter = arith.constant dense<0.25> : tensor<f32>
  %d = qc.div %x, %two : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %e = qc.erf %d : (tensor<8xf32>) -> tensor<8xf32>
  %a = qc.add %e, %one : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %m = qc.mul %x, %a : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %y = qc.mul %m, %half : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %d2 = qc.div %x, %r2 : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %e2 = qc.erf %d2 : (tensor<8xf32>) -> tensor<8xf32>
  %a2 = qc.add %e2, %one : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %m2 = qc.mul %x, %a2 : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %y2 = qc.mul %m2, %quarter : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  return %y, %y2 : tensor<8xf32>, tensor<8xf32>
}

// -----

// Mish with the plain softplus log(exp(x) + 1).
// CHECK-LABEL: func.func @mish
// CHECK: %[[Y:.*]] = qc.activation mish %arg0 :
// CHECK: return %[[Y]]
func.func @mish(%x: tensor<8xf32>) -> tensor<8xf32> {
  %one = arith.constant dense<1.0> : tensor<f32>
  %e = qc.exp %x : (tensor<8xf32>) -> tensor<8xf32>
  %a = qc.add %e, %one : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %l = qc.log %a : (tensor<8xf32>) -> tensor<8xf32>
  %t = qc.tanh %l : (tensor<8xf32>) -> tensor<8xf32>
  %y = qc.mul %x, %t : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  return %y : tensor<8xf32>
}

// -----

// LayerNorm as PyTorch exports it before opset 17, over the last dim.
// CHECK-LABEL: func.func @layer_norm
// CHECK-DAG: %[[G:.*]] = arith.constant dense<2.000000e+00> : tensor<16xf32>
// CHECK-DAG: %[[B:.*]] = arith.constant dense<{{.*}}> : tensor<16xf32>
// CHECK: %[[Y:.*]] = qc.layer_norm %arg0, %[[G]], %[[B]] {axis = 2 : i64}
// CHECK-NOT: qc.reduce_mean
// CHECK: return %[[Y]]
func.func @layer_norm(%x: tensor<2x4x16xf32>) -> tensor<2x4x16xf32> {
  %two = arith.constant dense<2.0> : tensor<f32>
  %eps = arith.constant dense<1.0e-5> : tensor<f32>
  %g = arith.constant dense<2.0> : tensor<16xf32>
  %b = arith.constant dense<[0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0]> : tensor<16xf32>
  %m = qc.reduce_mean %x {axes = array<i64: -1>, keepdims = true} : (tensor<2x4x16xf32>) -> tensor<2x4x1xf32>
  %d = qc.sub %x, %m : (tensor<2x4x16xf32>, tensor<2x4x1xf32>) -> tensor<2x4x16xf32>
  %p = qc.pow %d, %two : (tensor<2x4x16xf32>, tensor<f32>) -> tensor<2x4x16xf32>
  %v = qc.reduce_mean %p {axes = array<i64: -1>, keepdims = true} : (tensor<2x4x16xf32>) -> tensor<2x4x1xf32>
  %ve = qc.add %v, %eps : (tensor<2x4x1xf32>, tensor<f32>) -> tensor<2x4x1xf32>
  %s = qc.sqrt %ve : (tensor<2x4x1xf32>) -> tensor<2x4x1xf32>
  %n = qc.div %d, %s : (tensor<2x4x16xf32>, tensor<2x4x1xf32>) -> tensor<2x4x16xf32>
  %ng = qc.mul %n, %g : (tensor<2x4x16xf32>, tensor<16xf32>) -> tensor<2x4x16xf32>
  %y = qc.add %ng, %b : (tensor<2x4x16xf32>, tensor<16xf32>) -> tensor<2x4x16xf32>
  return %y : tensor<2x4x16xf32>
}

// -----

// Without the affine part, and the square as d * d.
// CHECK-LABEL: func.func @layer_norm_plain
// CHECK: %[[G:.*]] = arith.constant dense<1.000000e+00> : tensor<4x8xf32>
// CHECK: %[[Y:.*]] = qc.layer_norm %arg0, %[[G]] {axis = 1 : i64, epsilon = 9.99999996E-13 : f32}
// CHECK: return %[[Y]]
func.func @layer_norm_plain(%x: tensor<3x4x8xf32>) -> tensor<3x4x8xf32> {
  %eps = arith.constant dense<1.0e-12> : tensor<f32>
  %m = qc.reduce_mean %x {axes = array<i64: 1, 2>, keepdims = true} : (tensor<3x4x8xf32>) -> tensor<3x1x1xf32>
  %d = qc.sub %x, %m : (tensor<3x4x8xf32>, tensor<3x1x1xf32>) -> tensor<3x4x8xf32>
  %p = qc.mul %d, %d : (tensor<3x4x8xf32>, tensor<3x4x8xf32>) -> tensor<3x4x8xf32>
  %v = qc.reduce_mean %p {axes = array<i64: 2, 1>, keepdims = true} : (tensor<3x4x8xf32>) -> tensor<3x1x1xf32>
  %ve = qc.add %v, %eps : (tensor<3x1x1xf32>, tensor<f32>) -> tensor<3x1x1xf32>
  %s = qc.sqrt %ve : (tensor<3x1x1xf32>) -> tensor<3x1x1xf32>
  %y = qc.div %d, %s : (tensor<3x4x8xf32>, tensor<3x1x1xf32>) -> tensor<3x4x8xf32>
  return %y : tensor<3x4x8xf32>
}

// -----

// RMSNorm (T5, LLaMA): x * (1 / sqrt(mean(x^2) + eps)) * gamma.
// CHECK-LABEL: func.func @rms_norm
// CHECK: %[[Y:.*]] = qc.layer_norm %arg0, %{{.*}} {axis = 1 : i64, epsilon = 9.99999997E-7 : f32, rms}
// CHECK-NOT: qc.sqrt
// CHECK: return %[[Y]]
func.func @rms_norm(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %two = arith.constant dense<2.0> : tensor<f32>
  %one = arith.constant dense<1.0> : tensor<f32>
  %eps = arith.constant dense<1.0e-6> : tensor<f32>
  %g = arith.constant dense<[[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]]> : tensor<1x8xf32>
  %p = qc.pow %x, %two : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
  %v = qc.reduce_mean %p {axes = array<i64: -1>, keepdims = true} : (tensor<4x8xf32>) -> tensor<4x1xf32>
  %ve = qc.add %v, %eps : (tensor<4x1xf32>, tensor<f32>) -> tensor<4x1xf32>
  %s = qc.sqrt %ve : (tensor<4x1xf32>) -> tensor<4x1xf32>
  %r = qc.div %one, %s : (tensor<f32>, tensor<4x1xf32>) -> tensor<4x1xf32>
  %n = qc.mul %x, %r : (tensor<4x8xf32>, tensor<4x1xf32>) -> tensor<4x8xf32>
  %y = qc.mul %n, %g : (tensor<4x8xf32>, tensor<1x8xf32>) -> tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}

// -----

// Near misses: a mean over a leading dim (not trailing); variance of
// another value than the centered one; a cube instead of a square.
// CHECK-LABEL: func.func @norm_near_misses
// CHECK-NOT: qc.layer_norm
// CHECK: return
func.func @norm_near_misses(%x: tensor<4x8xf32>, %z: tensor<4x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>) {
  %two = arith.constant dense<2.0> : tensor<f32>
  %three = arith.constant dense<3.0> : tensor<f32>
  %eps = arith.constant dense<1.0e-5> : tensor<f32>
  %m = qc.reduce_mean %x {axes = array<i64: 0>, keepdims = true} : (tensor<4x8xf32>) -> tensor<1x8xf32>
  %d = qc.sub %x, %m : (tensor<4x8xf32>, tensor<1x8xf32>) -> tensor<4x8xf32>
  %p = qc.pow %d, %two : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
  %v = qc.reduce_mean %p {axes = array<i64: 0>, keepdims = true} : (tensor<4x8xf32>) -> tensor<1x8xf32>
  %ve = qc.add %v, %eps : (tensor<1x8xf32>, tensor<f32>) -> tensor<1x8xf32>
  %s = qc.sqrt %ve : (tensor<1x8xf32>) -> tensor<1x8xf32>
  %y0 = qc.div %d, %s : (tensor<4x8xf32>, tensor<1x8xf32>) -> tensor<4x8xf32>
  %m1 = qc.reduce_mean %x {axes = array<i64: 1>, keepdims = true} : (tensor<4x8xf32>) -> tensor<4x1xf32>
  %d1 = qc.sub %x, %m1 : (tensor<4x8xf32>, tensor<4x1xf32>) -> tensor<4x8xf32>
  %p1 = qc.pow %z, %two : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
  %v1 = qc.reduce_mean %p1 {axes = array<i64: 1>, keepdims = true} : (tensor<4x8xf32>) -> tensor<4x1xf32>
  %ve1 = qc.add %v1, %eps : (tensor<4x1xf32>, tensor<f32>) -> tensor<4x1xf32>
  %s1 = qc.sqrt %ve1 : (tensor<4x1xf32>) -> tensor<4x1xf32>
  %y1 = qc.div %d1, %s1 : (tensor<4x8xf32>, tensor<4x1xf32>) -> tensor<4x8xf32>
  %p2 = qc.pow %x, %three : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
  %v2 = qc.reduce_mean %p2 {axes = array<i64: 1>, keepdims = true} : (tensor<4x8xf32>) -> tensor<4x1xf32>
  %ve2 = qc.add %v2, %eps : (tensor<4x1xf32>, tensor<f32>) -> tensor<4x1xf32>
  %s2 = qc.sqrt %ve2 : (tensor<4x1xf32>) -> tensor<4x1xf32>
  %y2 = qc.div %x, %s2 : (tensor<4x8xf32>, tensor<4x1xf32>) -> tensor<4x8xf32>
  return %y0, %y1, %y2 : tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>
}

// -----

// PP-LCNet's learnable affine blocks: conv -> * s -> + t (per channel or
// scalar) fold into the convolution's weight and bias; hard_swish -> * s ->
// + t becomes the activation's affine epilogue.
// CHECK-LABEL: func.func @affine_blocks
// CHECK-DAG: %[[W:.*]] = arith.constant dense<{{\[\[\[\[}}2.000000e+00]], {{\[\[}}4.000000e+00]]], {{\[\[\[}}-3.000000e+00]], {{\[\[}}-6.000000e+00]]]]> : tensor<2x2x1x1xf32>
// CHECK-DAG: %[[B:.*]] = arith.constant dense<[1.500000e+00, -2.500000e+00]> : tensor<2xf32>
// CHECK: %[[C:.*]] = qc.conv2d %arg0, %[[W]], %[[B]]
// CHECK: %[[Y:.*]] = qc.activation hard_swish %[[C]] {scale = 5.000000e-01 : f32, shift = 2.500000e-01 : f32}
// CHECK: return %[[Y]]
func.func @affine_blocks(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = arith.constant dense<[[[[1.0]], [[2.0]]], [[[1.0]], [[2.0]]]]> : tensor<2x2x1x1xf32>
  %s = arith.constant dense<[[[2.0]], [[-3.0]]]> : tensor<2x1x1xf32>
  %t = arith.constant dense<[1.5, -2.5]> : tensor<2xf32>
  %tt = arith.constant dense<[[[1.5]], [[-2.5]]]> : tensor<2x1x1xf32>
  %half = arith.constant dense<0.5> : tensor<f32>
  %quarter = arith.constant dense<0.25> : tensor<f32>
  %c = qc.conv2d %x, %w : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %m = qc.mul %s, %c : (tensor<2x1x1xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %a = qc.add %m, %tt : (tensor<1x2x4x4xf32>, tensor<2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %h = qc.activation hard_swish %a : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %hs = qc.mul %h, %half : (tensor<1x2x4x4xf32>, tensor<f32>) -> tensor<1x2x4x4xf32>
  %y = qc.add %hs, %quarter : (tensor<1x2x4x4xf32>, tensor<f32>) -> tensor<1x2x4x4xf32>
  return %y : tensor<1x2x4x4xf32>
}

// -----

// Near-miss: an activation with per-channel factors keeps a following
// scalar add (it would be a per-channel shift after out_scales).
// CHECK-LABEL: func.func @affine_channel_scales_kept
// CHECK: %[[H:.*]] = qc.activation hard_swish %arg0 {out_scales = array<f32: 2.000000e+00, 4.000000e+00>}
// CHECK: %[[Y:.*]] = qc.add %[[H]]
// CHECK: return %[[Y]]
func.func @affine_channel_scales_kept(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %quarter = arith.constant dense<0.25> : tensor<f32>
  %h = qc.activation hard_swish %x {out_scales = array<f32: 2.0, 4.0>} : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %y = qc.add %h, %quarter : (tensor<1x2x4x4xf32>, tensor<f32>) -> tensor<1x2x4x4xf32>
  return %y : tensor<1x2x4x4xf32>
}

// -----

// Near misses: a per-channel constant along the wrong dim ([C] broadcasts
// along W), a conv result used twice, and 1 / hard_swish(x).
// CHECK-LABEL: func.func @affine_near_misses
// CHECK: qc.mul
// CHECK: qc.mul
// CHECK: qc.div
// CHECK-NOT: scale =
func.func @affine_near_misses(%x: tensor<1x2x4x2xf32>) -> (tensor<1x2x4x2xf32>, tensor<1x2x4x2xf32>, tensor<1x2x4x2xf32>) {
  %w = arith.constant dense<1.0> : tensor<2x2x1x1xf32>
  %v = arith.constant dense<[2.0, 3.0]> : tensor<2xf32>
  %one = arith.constant dense<1.0> : tensor<f32>
  %two = arith.constant dense<2.0> : tensor<f32>
  %c = qc.conv2d %x, %w : (tensor<1x2x4x2xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x2xf32>
  %m = qc.mul %c, %v : (tensor<1x2x4x2xf32>, tensor<2xf32>) -> tensor<1x2x4x2xf32>
  %c2 = qc.conv2d %x, %w : (tensor<1x2x4x2xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x2xf32>
  %m2 = qc.mul %c2, %two : (tensor<1x2x4x2xf32>, tensor<f32>) -> tensor<1x2x4x2xf32>
  %s = qc.add %m2, %c2 : (tensor<1x2x4x2xf32>, tensor<1x2x4x2xf32>) -> tensor<1x2x4x2xf32>
  %h = qc.activation hard_swish %x : (tensor<1x2x4x2xf32>) -> tensor<1x2x4x2xf32>
  %r = qc.div %one, %h : (tensor<f32>, tensor<1x2x4x2xf32>) -> tensor<1x2x4x2xf32>
  return %m, %s, %r : tensor<1x2x4x2xf32>, tensor<1x2x4x2xf32>, tensor<1x2x4x2xf32>
}

// -----

// A linear layer on a 3-D input as exporters write it (MatMul, then Add of
// the bias), scaled by a per-column constant and shifted again: one matmul
// whose weight columns carry the scale and whose bias carries both shifts,
// (b + t) * s - u. The bias comes first in the exporter's Add.
// CHECK-LABEL: func.func @matmul_affine
// CHECK-DAG: %[[W:.*]] = arith.constant dense<{{\[}}[2.000000e+00, 1.500000e+00, -4.000000e+00], [4.000000e+00, 3.000000e+00, 8.000000e+00]]> : tensor<2x3xf32>
// CHECK-DAG: %[[B:.*]] = arith.constant dense<[5.000000e-01, 2.500000e+00, -1.500000e+00]> : tensor<3xf32>
// CHECK: %[[Y:.*]] = qc.matmul %arg0, %[[W]], %[[B]] : (tensor<1x4x2xf32>, tensor<2x3xf32>, tensor<3xf32>) -> tensor<1x4x3xf32>
// CHECK-NEXT: return %[[Y]]
func.func @matmul_affine(%x: tensor<1x4x2xf32>) -> tensor<1x4x3xf32> {
  %w = arith.constant dense<[[1.0, 0.5, 1.0], [2.0, 1.0, -2.0]]> : tensor<2x3xf32>
  %t = arith.constant dense<[0.5, 1.0, 0.25]> : tensor<3xf32>
  %s = arith.constant dense<[[[2.0, 3.0, -4.0]]]> : tensor<1x1x3xf32>
  %u = arith.constant dense<0.5> : tensor<f32>
  %m = qc.matmul %x, %w : (tensor<1x4x2xf32>, tensor<2x3xf32>) -> tensor<1x4x3xf32>
  %a = qc.add %t, %m : (tensor<3xf32>, tensor<1x4x3xf32>) -> tensor<1x4x3xf32>
  %p = qc.mul %a, %s : (tensor<1x4x3xf32>, tensor<1x1x3xf32>) -> tensor<1x4x3xf32>
  %q = qc.sub %p, %u : (tensor<1x4x3xf32>, tensor<f32>) -> tensor<1x4x3xf32>
  return %q : tensor<1x4x3xf32>
}

// -----

// Near misses: a constant that varies along the rows ([4, 1] broadcasts
// along M), a product of two activations (attention scores), a matmul result
// used twice (so also t - matmul), and a weight of rank 3.
// CHECK-LABEL: func.func @matmul_affine_near_misses
// CHECK: qc.add
// CHECK: qc.add
// CHECK: qc.add
// CHECK: qc.sub
// CHECK: qc.add
// CHECK-NOT: qc.matmul {{.*}}, {{.*}}, {{.*}} :
func.func @matmul_affine_near_misses(%x: tensor<4x2xf32>, %k: tensor<2x3xf32>) -> (tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<1x4x3xf32>) {
  %w = arith.constant dense<1.0> : tensor<2x3xf32>
  %rows = arith.constant dense<[[1.0], [2.0], [3.0], [4.0]]> : tensor<4x1xf32>
  %t = arith.constant dense<[0.5, 1.0, 0.25]> : tensor<3xf32>
  %m1 = qc.matmul %x, %w : (tensor<4x2xf32>, tensor<2x3xf32>) -> tensor<4x3xf32>
  %a1 = qc.add %m1, %rows : (tensor<4x3xf32>, tensor<4x1xf32>) -> tensor<4x3xf32>
  %m2 = qc.matmul %x, %k : (tensor<4x2xf32>, tensor<2x3xf32>) -> tensor<4x3xf32>
  %a2 = qc.add %m2, %t : (tensor<4x3xf32>, tensor<3xf32>) -> tensor<4x3xf32>
  %m3 = qc.matmul %x, %w : (tensor<4x2xf32>, tensor<2x3xf32>) -> tensor<4x3xf32>
  %a3 = qc.add %m3, %t : (tensor<4x3xf32>, tensor<3xf32>) -> tensor<4x3xf32>
  %s3 = qc.sub %t, %m3 : (tensor<3xf32>, tensor<4x3xf32>) -> tensor<4x3xf32>
  %w3 = arith.constant dense<1.0> : tensor<1x2x3xf32>
  %m4 = qc.matmul %x, %w3 : (tensor<4x2xf32>, tensor<1x2x3xf32>) -> tensor<1x4x3xf32>
  %a4 = qc.add %m4, %t : (tensor<1x4x3xf32>, tensor<3xf32>) -> tensor<1x4x3xf32>
  return %a1, %a2, %a3, %s3, %a4 : tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<1x4x3xf32>
}
