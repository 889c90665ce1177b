// RUN: qopt %s -split-input-file -qc-infer-scales | FileCheck %s --implicit-check-not=qc.stats
// RUN: qopt %s -split-input-file -qc-infer-scales="wide-sums=false" | FileCheck %s --check-prefix=OFF

// Wide sums: a matmul or convolution whose only user is a residual add
// (qc.add's acceptsWideOperand: operands of the result's shape) is
// quantized to i16 from its range [-2, 3.1] (scale 5.1 / 65535, zero point
// -32768 + 2 / scale = -7068), so its accumulator is rounded once onto a
// fine grid before the add; the add's other operand and result stay u8.
// CHECK-LABEL: func.func @wide_residual
// CHECK: %[[Y:.*]] = qc.matmul
// CHECK: qc.quantize %[[Y]] : tensor<4x8xf32> -> tensor<4x8x!quant.uniform<i16:f32, 7.78210{{[0-9]*}}E-5:-7068>>
// CHECK: qc.quantize %{{.*}} : tensor<4x8xf32> -> tensor<4x8x!quant.uniform<u8:f32, {{.*}}>>
// OFF-LABEL: func.func @wide_residual
// OFF-NOT: i16
// OFF: return
func.func @wide_residual(%x: tensor<4x8xf32>, %r: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %xs = qc.stats %x <min = 0.0, max = 2.55> : tensor<4x8xf32>
  %rs = qc.stats %r <min = -1.0, max = 1.0> : tensor<4x8xf32>
  %w = arith.constant dense<0.5> : tensor<8x8xf32>
  %y = qc.matmul %xs, %w : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
  %ys = qc.stats %y <min = -2.0, max = 3.1> : tensor<4x8xf32>
  %z = qc.add %ys, %rs : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  %zs = qc.stats %z <min = -3.0, max = 4.0> : tensor<4x8xf32>
  return %zs : tensor<4x8xf32>
}

// -----

// Near misses, all u8: a product with a second user, an add that
// broadcasts its other operand, a depthwise convolution (its kernel stores
// 8 bits), a product of two activations (no constant weight), a
// multiplication.
// CHECK-LABEL: func.func @wide_near_misses
// CHECK-NOT: i16
// CHECK: return
func.func @wide_near_misses(%x: tensor<4x8xf32>, %r: tensor<4x8xf32>, %b: tensor<8xf32>, %img: tensor<1x2x4x4xf32>, %k: tensor<8x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<1x2x4x4xf32>, tensor<4x8xf32>, tensor<4x8xf32>) {
  %xs = qc.stats %x <min = 0.0, max = 2.55> : tensor<4x8xf32>
  %rs = qc.stats %r <min = -1.0, max = 1.0> : tensor<4x8xf32>
  %bs = qc.stats %b <min = -1.0, max = 1.0> : tensor<8xf32>
  %ks = qc.stats %k <min = -1.0, max = 1.0> : tensor<8x8xf32>
  %is = qc.stats %img <min = 0.0, max = 1.0> : tensor<1x2x4x4xf32>
  %w = arith.constant dense<0.5> : tensor<8x8xf32>
  %dw = arith.constant dense<0.5> : tensor<2x1x3x3xf32>
  // A second user.
  %y1 = qc.matmul %xs, %w : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
  %y1s = qc.stats %y1 <min = -2.0, max = 3.1> : tensor<4x8xf32>
  %z1 = qc.add %y1s, %rs : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  %z1s = qc.stats %z1 <min = -3.0, max = 4.0> : tensor<4x8xf32>
  // A broadcast operand.
  %y2 = qc.matmul %xs, %w : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
  %y2s = qc.stats %y2 <min = -2.0, max = 3.1> : tensor<4x8xf32>
  %z2 = qc.add %y2s, %bs : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  %z2s = qc.stats %z2 <min = -3.0, max = 4.0> : tensor<4x8xf32>
  // Depthwise.
  %c = qc.conv2d %is, %dw {pads = array<i64: 1, 1, 1, 1>, groups = 2 : i64} : (tensor<1x2x4x4xf32>, tensor<2x1x3x3xf32>) -> tensor<1x2x4x4xf32>
  %cs = qc.stats %c <min = -2.0, max = 3.1> : tensor<1x2x4x4xf32>
  %cz = qc.add %cs, %is : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %czs = qc.stats %cz <min = -3.0, max = 4.0> : tensor<1x2x4x4xf32>
  // Two activations.
  %y3 = qc.matmul %xs, %ks : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
  %y3s = qc.stats %y3 <min = -2.0, max = 3.1> : tensor<4x8xf32>
  %z3 = qc.add %y3s, %rs : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  %z3s = qc.stats %z3 <min = -3.0, max = 4.0> : tensor<4x8xf32>
  // A multiplication.
  %y4 = qc.matmul %xs, %w : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
  %y4s = qc.stats %y4 <min = -2.0, max = 3.1> : tensor<4x8xf32>
  %z4 = qc.mul %y4s, %rs : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  %z4s = qc.stats %z4 <min = -3.0, max = 4.0> : tensor<4x8xf32>
  return %y1s, %z1s, %z2s, %czs, %z3s, %z4s : tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<1x2x4x4xf32>, tensor<4x8xf32>, tensor<4x8xf32>
}

// -----

// Of two products into one add, only the first is wide: the fused add's
// residual is 8-bit.
// CHECK-LABEL: func.func @wide_two_products
// CHECK: %[[A:.*]] = qc.matmul
// CHECK-NEXT: qc.quantize %[[A]] : {{.*}}i16
// CHECK: %[[B:.*]] = qc.matmul
// CHECK-NEXT: qc.quantize %[[B]] : {{.*}}u8
func.func @wide_two_products(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %xs = qc.stats %x <min = 0.0, max = 2.55> : tensor<4x8xf32>
  %w = arith.constant dense<0.5> : tensor<8x8xf32>
  %y5 = qc.matmul %xs, %w : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
  %y5s = qc.stats %y5 <min = -2.0, max = 3.1> : tensor<4x8xf32>
  %y6 = qc.matmul %xs, %w : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
  %y6s = qc.stats %y6 <min = -2.0, max = 3.1> : tensor<4x8xf32>
  %z5 = qc.add %y5s, %y6s : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  %z5s = qc.stats %z5 <min = -3.0, max = 4.0> : tensor<4x8xf32>
  return %z5s : tensor<4x8xf32>
}

// -----

// An activation takes a 16-bit product too (the kernel computes it in its
// epilogue, in f32): the matmul before GELU is i16 from its range, the
// convolution before HardSwish from the part HardSwish tells apart
// ([-3, 3.1]: scale 6.1 / 65535, zero point -32768 + 3 / scale = -538);
// the activations' results are u8; a depthwise convolution too (its kernel
// takes an activation, not a residual add: see the near misses above).
// Near miss: per-channel factors.
// CHECK-LABEL: func.func @wide_activations
// CHECK: %[[Y:.*]] = qc.matmul
// CHECK-NEXT: qc.quantize %[[Y]] : {{.*}} -> tensor<4x8x!quant.uniform<i16:f32, 7.78210{{[0-9]*}}E-5:-7068>>
// CHECK: %[[G:.*]] = qc.activation gelu
// CHECK-NEXT: qc.quantize %[[G]] : {{.*}}u8
// CHECK: %[[C:.*]] = qc.conv2d
// CHECK-NEXT: qc.quantize %[[C]] : {{.*}} -> tensor<1x2x4x4x!quant.uniform<i16:f32, 9.30800{{[0-9]*}}E-5:-538>>
// CHECK: %[[E:.*]] = qc.conv2d
// CHECK-NEXT: qc.quantize %[[E]] : {{.*}}u8
// CHECK: %[[D:.*]] = qc.conv2d
// CHECK-NEXT: qc.quantize %[[D]] : {{.*}}i16
// OFF-LABEL: func.func @wide_activations
// OFF-NOT: i16
// OFF: return
func.func @wide_activations(%x: tensor<4x8xf32>, %img: tensor<1x2x4x4xf32>) -> (tensor<4x8xf32>, tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) {
  %xs = qc.stats %x <min = 0.0, max = 2.55> : tensor<4x8xf32>
  %is = qc.stats %img <min = 0.0, max = 1.0> : tensor<1x2x4x4xf32>
  %w = arith.constant dense<0.5> : tensor<8x8xf32>
  %y = qc.matmul %xs, %w : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
  %ys = qc.stats %y <min = -2.0, max = 3.1> : tensor<4x8xf32>
  %g = qc.activation gelu %ys : (tensor<4x8xf32>) -> tensor<4x8xf32>
  %gs = qc.stats %g <min = -0.2, max = 3.1> : tensor<4x8xf32>
  %wc = arith.constant dense<0.5> : tensor<2x2x3x3xf32>
  %c = qc.conv2d %is, %wc {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x2x4x4xf32>, tensor<2x2x3x3xf32>) -> tensor<1x2x4x4xf32>
  %cs = qc.stats %c <min = -5.0, max = 3.1> : tensor<1x2x4x4xf32>
  %h = qc.activation hard_swish %cs : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %hs = qc.stats %h <min = -0.4, max = 3.1> : tensor<1x2x4x4xf32>
  // Per-channel factors.
  %e = qc.conv2d %is, %wc {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x2x4x4xf32>, tensor<2x2x3x3xf32>) -> tensor<1x2x4x4xf32>
  %es = qc.stats %e <min = -5.0, max = 3.1> : tensor<1x2x4x4xf32>
  %he = qc.activation hard_swish %es {in_scales = array<f32: 1.0, 2.0>} : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %hes = qc.stats %he <min = -0.4, max = 3.1> : tensor<1x2x4x4xf32>
  // Depthwise.
  %dw = arith.constant dense<0.5> : tensor<2x1x3x3xf32>
  %d = qc.conv2d %is, %dw {pads = array<i64: 1, 1, 1, 1>, groups = 2 : i64} : (tensor<1x2x4x4xf32>, tensor<2x1x3x3xf32>) -> tensor<1x2x4x4xf32>
  %ds = qc.stats %d <min = -2.0, max = 3.1> : tensor<1x2x4x4xf32>
  %hd = qc.activation hard_swish %ds : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %hds = qc.stats %hd <min = -0.4, max = 3.1> : tensor<1x2x4x4xf32>
  return %gs, %hs, %hes, %hds : tensor<4x8xf32>, tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>
}
