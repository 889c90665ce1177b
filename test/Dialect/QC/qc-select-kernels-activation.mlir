// RUN: qopt %s -split-input-file -qc-select-kernels=target=x86-64-avx512vnni 2>/dev/null | FileCheck %s
// RUN: qopt %s -split-input-file -mlir-print-op-on-diagnostic=0 -qc-select-kernels=target=x86-64-avx512vnni 2>&1 >/dev/null | FileCheck %s --check-prefix=REMARK
// RUN: qopt %s -split-input-file -qc-select-kernels="target=x86-64-avx512vnni fuse-epilogues=false" 2>/dev/null | FileCheck %s --check-prefix=OFF

// A matmul requantized to i16 (qc-infer-scales' wide result for an
// activation) takes its activation into the epilogue: the i16 type becomes
// the sum type, the result is the activation's 8-bit one, and the 16-bit
// value is never stored. hard_sigmoid keeps its slope and offset, and the
// affine epilogue its scale and shift.
// REMARK: remark: epilogue: + gelu (sum '!quant.uniform<i16:f32, 1.000000e-04:-5>', result 'tensor<4x32x!quant.uniform<u8:f32, 2.000000e-02:30>>')
// REMARK: remark: epilogue: + hard_sigmoid
// CHECK-LABEL: func.func @matmul_gelu
// CHECK: %[[Y:.*]] = qc.packed_matmul %arg0, %{{.*}}, %{{.*}}, %{{.*}} {activation = "gelu"
// CHECK-SAME: out_max = 32767 : i64, out_min = -32768 : i64, sum_type = !quant.uniform<i16:f32, 1.000000e-04:-5>}
// CHECK-SAME: -> tensor<4x32x!quant.uniform<u8:f32, 2.000000e-02:30>>
// CHECK: %[[S:.*]] = qc.packed_matmul %arg0, {{.*}} {activation = "hard_sigmoid", activation_alpha = 2.500000e-01 : f32, activation_beta = 3.750000e-01 : f32, activation_scale = 2.000000e+00 : f32, activation_shift = -1.000000e+00 : f32
// CHECK-NOT: qc.activation
// CHECK: return %[[Y]], %[[S]]
// OFF-LABEL: func.func @matmul_gelu
// OFF-NOT: activation =
// OFF: qc.packed_matmul {{.*}} -> tensor<4x32x!quant.uniform<i16:f32, 1.000000e-04:-5>>
// OFF-NEXT: qc.activation gelu
func.func @matmul_gelu(%a: tensor<4x16x!quant.uniform<u8:f32, 0.5:3>>) -> (tensor<4x32x!quant.uniform<u8:f32, 0.02:30>>, tensor<4x32x!quant.uniform<u8:f32, 0.02:30>>) {
  %w = qc.constant dense<5> : tensor<16x32xi8> -> tensor<16x32x!quant.uniform<i8:f32, 0.25>>
  %y = qc.matmul %a, %w : (tensor<4x16x!quant.uniform<u8:f32, 0.5:3>>, tensor<16x32x!quant.uniform<i8:f32, 0.25>>) -> tensor<4x32x!quant.uniform<i16:f32, 0.0001:-5>>
  %z = qc.activation gelu %y : (tensor<4x32x!quant.uniform<i16:f32, 0.0001:-5>>) -> tensor<4x32x!quant.uniform<u8:f32, 0.02:30>>
  %y2 = qc.matmul %a, %w : (tensor<4x16x!quant.uniform<u8:f32, 0.5:3>>, tensor<16x32x!quant.uniform<i8:f32, 0.25>>) -> tensor<4x32x!quant.uniform<i16:f32, 0.0001:-5>>
  %s = qc.activation hard_sigmoid %y2 {alpha = 0.25 : f32, beta = 0.375 : f32, scale = 2.0 : f32, shift = -1.0 : f32} : (tensor<4x32x!quant.uniform<i16:f32, 0.0001:-5>>) -> tensor<4x32x!quant.uniform<u8:f32, 0.02:30>>
  return %z, %s : tensor<4x32x!quant.uniform<u8:f32, 0.02:30>>, tensor<4x32x!quant.uniform<u8:f32, 0.02:30>>
}

// -----

// A convolution and HardSwish, the pair of MobileNetV3's expansions.
// CHECK-LABEL: func.func @conv_hard_swish
// CHECK: qc.packed_conv2d {{.*}}activation = "hard_swish"{{.*}}sum_type = !quant.uniform<i16:f32, 2.000000e-04>
// CHECK-SAME: -> tensor<1x8x6x6x!quant.uniform<u8:f32, 3.000000e-02:10>>
// CHECK-NOT: qc.activation
func.func @conv_hard_swish(%x: tensor<1x4x6x6x!quant.uniform<u8:f32, 0.5:128>>) -> tensor<1x8x6x6x!quant.uniform<u8:f32, 0.03:10>> {
  %w = qc.constant dense<3> : tensor<8x4x3x3xi8> -> tensor<8x4x3x3x!quant.uniform<i8:f32, 0.1>>
  %y = qc.conv2d %x, %w {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x4x6x6x!quant.uniform<u8:f32, 0.5:128>>, tensor<8x4x3x3x!quant.uniform<i8:f32, 0.1>>) -> tensor<1x8x6x6x!quant.uniform<i16:f32, 0.0002>>
  %z = qc.activation hard_swish %y : (tensor<1x8x6x6x!quant.uniform<i16:f32, 0.0002>>) -> tensor<1x8x6x6x!quant.uniform<u8:f32, 0.03:10>>
  return %z : tensor<1x8x6x6x!quant.uniform<u8:f32, 0.03:10>>
}

// -----

// Near misses: an 8-bit product (the activation is a table of its own), a
// product with another user, per-channel factors (the i16 product that the
// activation does not take is stored as 16-bit values).
// REMARK: remark: activation not fused: the product is requantized to 8 bits (the activation is a table of its own)
// REMARK: remark: activation not fused: the product has other users
// REMARK: remark: activation not fused: it has per-channel factors
// CHECK-LABEL: func.func @near_misses
// CHECK-NOT: activation =
// CHECK: qc.activation silu
// CHECK: qc.activation silu
// CHECK: qc.packed_conv2d {{.*}} -> tensor<1x2x4x4x!quant.uniform<i16:f32, 1.000000e-03>>
// CHECK-NEXT: qc.activation gelu
func.func @near_misses(%a: tensor<4x16x!quant.uniform<u8:f32, 0.5:3>>) -> (tensor<4x32x!quant.uniform<u8:f32, 0.02:30>>, tensor<4x32x!quant.uniform<u8:f32, 0.02:30>>, tensor<4x32x!quant.uniform<u8:f32, 1.0:3>>, tensor<1x2x4x4x!quant.uniform<u8:f32, 0.02:30>>) {
  %w = qc.constant dense<5> : tensor<16x32xi8> -> tensor<16x32x!quant.uniform<i8:f32, 0.25>>
  %y = qc.matmul %a, %w : (tensor<4x16x!quant.uniform<u8:f32, 0.5:3>>, tensor<16x32x!quant.uniform<i8:f32, 0.25>>) -> tensor<4x32x!quant.uniform<u8:f32, 1.0:3>>
  %z = qc.activation silu %y : (tensor<4x32x!quant.uniform<u8:f32, 1.0:3>>) -> tensor<4x32x!quant.uniform<u8:f32, 0.02:30>>
  %y2 = qc.matmul %a, %w : (tensor<4x16x!quant.uniform<u8:f32, 0.5:3>>, tensor<16x32x!quant.uniform<i8:f32, 0.25>>) -> tensor<4x32x!quant.uniform<u8:f32, 1.0:3>>
  %z2 = qc.activation silu %y2 : (tensor<4x32x!quant.uniform<u8:f32, 1.0:3>>) -> tensor<4x32x!quant.uniform<u8:f32, 0.02:30>>
  %img = qc.reshape %y2 : (tensor<4x32x!quant.uniform<u8:f32, 1.0:3>>) -> tensor<1x2x8x8x!quant.uniform<u8:f32, 1.0:3>>
  %wc = qc.constant dense<1> : tensor<2x2x1x1xi8> -> tensor<2x2x1x1x!quant.uniform<i8:f32, 0.25>>
  %c = qc.conv2d %img, %wc {strides = array<i64: 2, 2>} : (tensor<1x2x8x8x!quant.uniform<u8:f32, 1.0:3>>, tensor<2x2x1x1x!quant.uniform<i8:f32, 0.25>>) -> tensor<1x2x4x4x!quant.uniform<i16:f32, 0.001>>
  %e = qc.activation gelu %c {in_scales = array<f32: 1.0, 2.0>} : (tensor<1x2x4x4x!quant.uniform<i16:f32, 0.001>>) -> tensor<1x2x4x4x!quant.uniform<u8:f32, 0.02:30>>
  return %z, %z2, %y2, %e : tensor<4x32x!quant.uniform<u8:f32, 0.02:30>>, tensor<4x32x!quant.uniform<u8:f32, 0.02:30>>, tensor<4x32x!quant.uniform<u8:f32, 1.0:3>>, tensor<1x2x4x4x!quant.uniform<u8:f32, 0.02:30>>
}

// -----

// f32: the function of the sums, after a fused residual add and before a
// fused clamp; a clamp before the activation keeps the activation out (the
// clamp, fused after the activations, goes in).
// REMARK: remark: epilogue: + residual add
// REMARK: remark: epilogue: + silu
// REMARK: remark: epilogue: + clamp to [0.000000, 6.000000]
// REMARK: remark: epilogue: + clamp to [0.000000, inf]
// CHECK-LABEL: func.func @f32
// CHECK: qc.packed_conv2d %arg0, %{{.*}}, %{{.*}} residual %arg1 {activation = "silu"{{.*}}clamp_max = 6.000000e+00 : f32, clamp_min = 0.000000e+00 : f32
// CHECK: qc.packed_matmul {{.*}}clamp_min = 0.000000e+00 : f32
// CHECK-NOT: activation = "mish"
// CHECK: qc.activation mish
func.func @f32(%x: tensor<1x2x5x5xf32>, %r: tensor<1x4x5x5xf32>, %a: tensor<2x8xf32>) -> (tensor<1x4x5x5xf32>, tensor<2x16xf32>) {
  %w = arith.constant dense<0.5> : tensor<4x2x3x3xf32>
  %y = qc.conv2d %x, %w {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x2x5x5xf32>, tensor<4x2x3x3xf32>) -> tensor<1x4x5x5xf32>
  %s = qc.add %y, %r : (tensor<1x4x5x5xf32>, tensor<1x4x5x5xf32>) -> tensor<1x4x5x5xf32>
  %f = qc.activation silu %s : (tensor<1x4x5x5xf32>) -> tensor<1x4x5x5xf32>
  %z = qc.clamp %f {min = 0.0 : f32, max = 6.0 : f32} : tensor<1x4x5x5xf32>
  %wm = arith.constant dense<0.5> : tensor<8x16xf32>
  %m = qc.matmul %a, %wm : (tensor<2x8xf32>, tensor<8x16xf32>) -> tensor<2x16xf32>
  %c = qc.clamp %m {min = 0.0 : f32} : tensor<2x16xf32>
  %g = qc.activation mish %c : (tensor<2x16xf32>) -> tensor<2x16xf32>
  return %z, %g : tensor<1x4x5x5xf32>, tensor<2x16xf32>
}

// -----

// A 1x1 convolution of a 1x1 image (squeeze-excite's) is a matmul and a
// reshape back: the activation is fused through the reshape. Feeding a
// residual add, such a 16-bit product stays a convolution, which takes it.
// CHECK-LABEL: func.func @squeeze_excite
// CHECK: %[[M:.*]] = qc.packed_matmul {{.*}}activation = "hard_sigmoid"{{.*}} -> tensor<1x16x!quant.uniform<u8:f32, 3.906250e-03>>
// CHECK: %[[R:.*]] = qc.reshape %[[M]] : (tensor<1x16x!quant.uniform<u8:f32, 3.906250e-03>>) -> tensor<1x16x1x1x!quant.uniform<u8:f32, 3.906250e-03>>
// CHECK: %[[C:.*]] = qc.packed_conv2d {{.*}} residual %arg1 {{.*}}sum_type = !quant.uniform<i16:f32, 1.000000e-03>
// CHECK-NOT: qc.activation
// CHECK: return %[[R]], %[[C]]
func.func @squeeze_excite(%x: tensor<1x8x1x1x!quant.uniform<u8:f32, 0.5:0>>, %r: tensor<1x16x1x1x!quant.uniform<u8:f32, 0.5:0>>) -> (tensor<1x16x1x1x!quant.uniform<u8:f32, 0.00390625>>, tensor<1x16x1x1x!quant.uniform<u8:f32, 0.5:0>>) {
  %w = qc.constant dense<3> : tensor<16x8x1x1xi8> -> tensor<16x8x1x1x!quant.uniform<i8:f32, 0.1>>
  %y = qc.conv2d %x, %w : (tensor<1x8x1x1x!quant.uniform<u8:f32, 0.5:0>>, tensor<16x8x1x1x!quant.uniform<i8:f32, 0.1>>) -> tensor<1x16x1x1x!quant.uniform<i16:f32, 0.001>>
  %s = qc.activation hard_sigmoid %y {alpha = 0.166666672 : f32, beta = 5.000000e-01 : f32} : (tensor<1x16x1x1x!quant.uniform<i16:f32, 0.001>>) -> tensor<1x16x1x1x!quant.uniform<u8:f32, 0.00390625>>
  %y2 = qc.conv2d %x, %w : (tensor<1x8x1x1x!quant.uniform<u8:f32, 0.5:0>>, tensor<16x8x1x1x!quant.uniform<i8:f32, 0.1>>) -> tensor<1x16x1x1x!quant.uniform<i16:f32, 0.001>>
  %z = qc.add %y2, %r : (tensor<1x16x1x1x!quant.uniform<i16:f32, 0.001>>, tensor<1x16x1x1x!quant.uniform<u8:f32, 0.5:0>>) -> tensor<1x16x1x1x!quant.uniform<u8:f32, 0.5:0>>
  return %s, %z : tensor<1x16x1x1x!quant.uniform<u8:f32, 0.00390625>>, tensor<1x16x1x1x!quant.uniform<u8:f32, 0.5:0>>
}

// -----

// Depthwise: the activation goes into the depthwise kernel's epilogue; a
// 16-bit depthwise result for anything else is stored as 16-bit values.
// REMARK: remark: epilogue: + hard_swish (sum '!quant.uniform<i16:f32, 2.000000e-04>'
// CHECK-LABEL: func.func @depthwise
// CHECK: qc.packed_depthwise_conv2d {{.*}}activation = "hard_swish"{{.*}}sum_type = !quant.uniform<i16:f32, 2.000000e-04>
// CHECK-SAME: -> tensor<1x4x7x7x!quant.uniform<u8:f32, 3.000000e-02:10>>
// CHECK: %[[W:.*]] = qc.packed_depthwise_conv2d
// CHECK-NOT: activation =
// CHECK-SAME: out_max = 32767 : i64, out_min = -32768 : i64
// CHECK-SAME: -> tensor<1x4x7x7x!quant.uniform<i16:f32, 2.000000e-04>>
// CHECK: qc.add %[[W]]
func.func @depthwise(%x: tensor<1x4x7x7x!quant.uniform<u8:f32, 0.5:128>>) -> (tensor<1x4x7x7x!quant.uniform<u8:f32, 0.03:10>>, tensor<1x4x7x7x!quant.uniform<u8:f32, 0.5:128>>) {
  %w = qc.constant dense<3> : tensor<4x1x3x3xi8> -> tensor<4x1x3x3x!quant.uniform<i8:f32, 0.1>>
  %y = qc.conv2d %x, %w {pads = array<i64: 1, 1, 1, 1>, groups = 4 : i64} : (tensor<1x4x7x7x!quant.uniform<u8:f32, 0.5:128>>, tensor<4x1x3x3x!quant.uniform<i8:f32, 0.1>>) -> tensor<1x4x7x7x!quant.uniform<i16:f32, 0.0002>>
  %z = qc.activation hard_swish %y : (tensor<1x4x7x7x!quant.uniform<i16:f32, 0.0002>>) -> tensor<1x4x7x7x!quant.uniform<u8:f32, 0.03:10>>
  %y2 = qc.conv2d %x, %w {pads = array<i64: 1, 1, 1, 1>, groups = 4 : i64} : (tensor<1x4x7x7x!quant.uniform<u8:f32, 0.5:128>>, tensor<4x1x3x3x!quant.uniform<i8:f32, 0.1>>) -> tensor<1x4x7x7x!quant.uniform<i16:f32, 0.0002>>
  %s = qc.add %y2, %x : (tensor<1x4x7x7x!quant.uniform<i16:f32, 0.0002>>, tensor<1x4x7x7x!quant.uniform<u8:f32, 0.5:128>>) -> tensor<1x4x7x7x!quant.uniform<u8:f32, 0.5:128>>
  return %z, %s : tensor<1x4x7x7x!quant.uniform<u8:f32, 0.03:10>>, tensor<1x4x7x7x!quant.uniform<u8:f32, 0.5:128>>
}
