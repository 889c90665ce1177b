// RUN: qopt %s -split-input-file -qc-select-kernels=target=x86-64-avx512vnni 2>/dev/null | FileCheck %s
// RUN: qopt %s -split-input-file -mlir-print-op-on-diagnostic=0 -qc-select-kernels=target=x86-64-avx512vnni 2>&1 >/dev/null | FileCheck %s --check-prefix=REMARK
// RUN: qopt %s -split-input-file -qc-select-kernels="target=x86-64-avx512vnni fuse-epilogues=false" 2>/dev/null | FileCheck %s --check-prefix=OFF

// A residual add of a convolution's result moves into its epilogue: the
// product takes the add's other operand as `residual` and the add's result
// type; what it requantizes to before the add is `sum_type`.
// REMARK: remark: epilogue: + residual add ('tensor<1x8x6x6x!quant.uniform<u8:f32, 2.500000e-01:7>>'), sum '!quant.uniform<u8:f32, 1.000000e+00:3>', result 'tensor<1x8x6x6x!quant.uniform<u8:f32, 1.500000e+00:9>>'
// CHECK-LABEL: func.func @conv_add
// CHECK: %[[Y:.*]] = qc.packed_conv2d %arg0, %{{.*}}, %{{.*}}, %{{.*}} residual %arg1
// CHECK-SAME: sum_type = !quant.uniform<u8:f32, 1.000000e+00:3>
// CHECK-SAME: -> tensor<1x8x6x6x!quant.uniform<u8:f32, 1.500000e+00:9>>
// CHECK-NOT: qc.add
// CHECK: return %[[Y]]
// OFF-LABEL: func.func @conv_add
// OFF-NOT: residual
// OFF: qc.add
func.func @conv_add(%x: tensor<1x8x6x6x!quant.uniform<u8:f32, 0.5:128>>, %r: tensor<1x8x6x6x!quant.uniform<u8:f32, 0.25:7>>) -> tensor<1x8x6x6x!quant.uniform<u8:f32, 1.5:9>> {
  %w = qc.constant dense<3> : tensor<8x8x3x3xi8> -> tensor<8x8x3x3x!quant.uniform<i8:f32, 0.25>>
  %y = qc.conv2d %x, %w {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x8x6x6x!quant.uniform<u8:f32, 0.5:128>>, tensor<8x8x3x3x!quant.uniform<i8:f32, 0.25>>) -> tensor<1x8x6x6x!quant.uniform<u8:f32, 1.0:3>>
  %z = qc.add %y, %r : (tensor<1x8x6x6x!quant.uniform<u8:f32, 1.0:3>>, tensor<1x8x6x6x!quant.uniform<u8:f32, 0.25:7>>) -> tensor<1x8x6x6x!quant.uniform<u8:f32, 1.5:9>>
  return %z : tensor<1x8x6x6x!quant.uniform<u8:f32, 1.5:9>>
}

// -----

// A product quantized to 16 bits for the residual add it feeds
// (qc-infer-scales' wide sums) takes the add into its epilogue: its 16-bit
// type becomes the sum type, and the epilogue clamps to its range. Without
// fusion, or when the add cannot take it (a broadcast operand), the kernel
// stores the 16-bit values for the add.
// REMARK: remark: epilogue: + residual add ('tensor<4x32x!quant.uniform<u8:f32, 2.500000e-01:7>>'), sum '!quant.uniform<i16:f32, 1.250000e-01:-100>', result 'tensor<4x32x!quant.uniform<u8:f32, 1.500000e+00:9>>'
// CHECK-LABEL: func.func @wide_sum
// CHECK: %[[Y:.*]] = qc.packed_matmul %arg0, %{{.*}}, %{{.*}}, %{{.*}} residual %arg1
// CHECK-SAME: out_max = 32767 : i64, out_min = -32768 : i64, sum_type = !quant.uniform<i16:f32, 1.250000e-01:-100>
// CHECK-SAME: -> tensor<4x32x!quant.uniform<u8:f32, 1.500000e+00:9>>
// CHECK: %[[W:.*]] = qc.packed_matmul
// CHECK-NOT: residual
// CHECK-SAME: out_max = 32767 : i64, out_min = -32768 : i64
// CHECK-SAME: -> tensor<4x32x!quant.uniform<i16:f32, 1.250000e-01:-100>>
// CHECK: qc.add %[[W]], %arg2
// CHECK: return %[[Y]]
// OFF-LABEL: func.func @wide_sum
// OFF-NOT: residual
// OFF: %[[W:.*]] = qc.packed_matmul {{.*}} -> tensor<4x32x!quant.uniform<i16:f32, 1.250000e-01:-100>>
// OFF: qc.add %[[W]], %arg1
func.func @wide_sum(%a: tensor<4x16x!quant.uniform<u8:f32, 0.5:3>>, %r: tensor<4x32x!quant.uniform<u8:f32, 0.25:7>>, %b: tensor<32x!quant.uniform<u8:f32, 0.25:7>>) -> (tensor<4x32x!quant.uniform<u8:f32, 1.5:9>>, tensor<4x32x!quant.uniform<u8:f32, 1.5:9>>) {
  %w = qc.constant dense<5> : tensor<16x32xi8> -> tensor<16x32x!quant.uniform<i8:f32, 0.25>>
  %y = qc.matmul %a, %w : (tensor<4x16x!quant.uniform<u8:f32, 0.5:3>>, tensor<16x32x!quant.uniform<i8:f32, 0.25>>) -> tensor<4x32x!quant.uniform<i16:f32, 0.125:-100>>
  %z = qc.add %y, %r : (tensor<4x32x!quant.uniform<i16:f32, 0.125:-100>>, tensor<4x32x!quant.uniform<u8:f32, 0.25:7>>) -> tensor<4x32x!quant.uniform<u8:f32, 1.5:9>>
  %y2 = qc.matmul %a, %w : (tensor<4x16x!quant.uniform<u8:f32, 0.5:3>>, tensor<16x32x!quant.uniform<i8:f32, 0.25>>) -> tensor<4x32x!quant.uniform<i16:f32, 0.125:-100>>
  %u = qc.add %y2, %b : (tensor<4x32x!quant.uniform<i16:f32, 0.125:-100>>, tensor<32x!quant.uniform<u8:f32, 0.25:7>>) -> tensor<4x32x!quant.uniform<u8:f32, 1.5:9>>
  return %z, %u : tensor<4x32x!quant.uniform<u8:f32, 1.5:9>>, tensor<4x32x!quant.uniform<u8:f32, 1.5:9>>
}

// -----

// The matmul as the add's second operand, an i8 residual.
// CHECK-LABEL: func.func @residual_first
// CHECK: qc.packed_matmul %arg0, %{{.*}}, %{{.*}}, %{{.*}} residual %arg1
// CHECK-NOT: qc.add
func.func @residual_first(%a: tensor<4x16x!quant.uniform<u8:f32, 0.5:3>>, %r: tensor<4x32x!quant.uniform<i8:f32, 0.5:-3>>) -> tensor<4x32x!quant.uniform<u8:f32, 1.0:100>> {
  %w = qc.constant dense<1> : tensor<16x32xi8> -> tensor<16x32x!quant.uniform<i8:f32, 0.25>>
  %y = qc.matmul %a, %w : (tensor<4x16x!quant.uniform<u8:f32, 0.5:3>>, tensor<16x32x!quant.uniform<i8:f32, 0.25>>) -> tensor<4x32x!quant.uniform<u8:f32, 1.0:3>>
  %z = qc.add %r, %y : (tensor<4x32x!quant.uniform<i8:f32, 0.5:-3>>, tensor<4x32x!quant.uniform<u8:f32, 1.0:3>>) -> tensor<4x32x!quant.uniform<u8:f32, 1.0:100>>
  return %z : tensor<4x32x!quant.uniform<u8:f32, 1.0:100>>
}

// -----

// Near misses: a product with another user (its own result must be stored),
// a broadcast operand, and an add of two tensors no kernel made.
// REMARK: remark: residual add not fused: the product has other users
// REMARK: remark: residual add not fused: its operands are broadcast
// REMARK: remark: residual add not fused: not the result of a convolution or matmul kernel
// CHECK-LABEL: func.func @near_misses
// CHECK-NOT: residual
// CHECK-COUNT-3: qc.add
func.func @near_misses(%a: tensor<4x16x!quant.uniform<u8:f32, 0.5:3>>, %r: tensor<4x32x!quant.uniform<u8:f32, 0.5:3>>, %b: tensor<32x!quant.uniform<u8:f32, 0.5:3>>) -> (tensor<4x32x!quant.uniform<u8:f32, 1.0:3>>, tensor<4x32x!quant.uniform<u8:f32, 1.0:100>>, tensor<4x32x!quant.uniform<u8:f32, 1.0:100>>, tensor<4x32x!quant.uniform<u8:f32, 1.0:100>>) {
  %w = qc.constant dense<1> : tensor<16x32xi8> -> tensor<16x32x!quant.uniform<i8:f32, 0.25>>
  %y = qc.matmul %a, %w : (tensor<4x16x!quant.uniform<u8:f32, 0.5:3>>, tensor<16x32x!quant.uniform<i8:f32, 0.25>>) -> tensor<4x32x!quant.uniform<u8:f32, 1.0:3>>
  %z = qc.add %y, %r : (tensor<4x32x!quant.uniform<u8:f32, 1.0:3>>, tensor<4x32x!quant.uniform<u8:f32, 0.5:3>>) -> tensor<4x32x!quant.uniform<u8:f32, 1.0:100>>
  %y2 = qc.matmul %a, %w : (tensor<4x16x!quant.uniform<u8:f32, 0.5:3>>, tensor<16x32x!quant.uniform<i8:f32, 0.25>>) -> tensor<4x32x!quant.uniform<u8:f32, 1.0:3>>
  %u = qc.add %y2, %b : (tensor<4x32x!quant.uniform<u8:f32, 1.0:3>>, tensor<32x!quant.uniform<u8:f32, 0.5:3>>) -> tensor<4x32x!quant.uniform<u8:f32, 1.0:100>>
  %v = qc.add %r, %r : (tensor<4x32x!quant.uniform<u8:f32, 0.5:3>>, tensor<4x32x!quant.uniform<u8:f32, 0.5:3>>) -> tensor<4x32x!quant.uniform<u8:f32, 1.0:100>>
  return %y, %z, %u, %v : tensor<4x32x!quant.uniform<u8:f32, 1.0:3>>, tensor<4x32x!quant.uniform<u8:f32, 1.0:100>>, tensor<4x32x!quant.uniform<u8:f32, 1.0:100>>, tensor<4x32x!quant.uniform<u8:f32, 1.0:100>>
}

// -----

// f32: a residual add of a convolution's result moves into its epilogue
// (the sums plus the residual), and the ReLU after it follows (ResNet's
// block tail: conv, add, relu in one kernel).
// REMARK: remark: epilogue: + residual add ('tensor<1x4x5x5xf32>')
// REMARK: remark: epilogue: + clamp to [0.000000, inf]
// CHECK-LABEL: func.func @conv_add_relu_f32
// CHECK-NOT: qc.add
// CHECK: qc.packed_conv2d %arg0, %{{.*}}, %{{.*}} residual %arg1 {{{.*}}clamp_min = 0.000000e+00 : f32
// CHECK-NOT: sum_type
// CHECK-NOT: qc.clamp
// OFF: qc.add
// OFF: qc.clamp
func.func @conv_add_relu_f32(%x: tensor<1x2x5x5xf32>, %r: tensor<1x4x5x5xf32>) -> tensor<1x4x5x5xf32> {
  %w = arith.constant dense<0.5> : tensor<4x2x3x3xf32>
  %y = qc.conv2d %x, %w {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x2x5x5xf32>, tensor<4x2x3x3xf32>) -> tensor<1x4x5x5xf32>
  %s = qc.add %r, %y : (tensor<1x4x5x5xf32>, tensor<1x4x5x5xf32>) -> tensor<1x4x5x5xf32>
  %z = qc.clamp %s {min = 0.0 : f32} : tensor<1x4x5x5xf32>
  return %z : tensor<1x4x5x5xf32>
}

// -----

// f32 near misses: a clamp between the product and the add (it stays
// before the add: the kernel would add first), a product with another user.
// REMARK: remark: residual add not fused: not the result of a convolution or matmul kernel
// REMARK: remark: residual add not fused: the product has other users
// REMARK: remark: epilogue: + clamp to [0.000000, inf]
// CHECK-LABEL: func.func @f32_near_misses
// CHECK-NOT: residual
// CHECK-COUNT-2: qc.add
func.func @f32_near_misses(%a: tensor<2x8xf32>, %r: tensor<2x16xf32>) -> (tensor<2x16xf32>, tensor<2x16xf32>, tensor<2x16xf32>) {
  %w = arith.constant dense<0.5> : tensor<8x16xf32>
  %y = qc.matmul %a, %w : (tensor<2x8xf32>, tensor<8x16xf32>) -> tensor<2x16xf32>
  %c = qc.clamp %y {min = 0.0 : f32} : tensor<2x16xf32>
  %s = qc.add %c, %r : (tensor<2x16xf32>, tensor<2x16xf32>) -> tensor<2x16xf32>
  %y2 = qc.matmul %a, %w : (tensor<2x8xf32>, tensor<8x16xf32>) -> tensor<2x16xf32>
  %t = qc.add %y2, %r : (tensor<2x16xf32>, tensor<2x16xf32>) -> tensor<2x16xf32>
  return %s, %t, %y2 : tensor<2x16xf32>, tensor<2x16xf32>, tensor<2x16xf32>
}
