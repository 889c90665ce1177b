// RUN: qopt %s -split-input-file -qc-infer-scales -verify-diagnostics | FileCheck %s --implicit-check-not=qc.stats
// RUN: qopt %s -split-input-file -qc-infer-scales="activation-type=i8 symmetric-activations" 2>/dev/null | FileCheck %s --check-prefix=I8 --implicit-check-not=qc.stats
// RUN: qopt %s -split-input-file -qc-infer-scales="wide-sums=false" 2>/dev/null | FileCheck %s --check-prefix=NARROW

// The pass consumes every qc.stats op: --implicit-check-not rejects one
// anywhere in the output. Remarks are checked by -verify-diagnostics, which
// also fails on a remark no case expects.

// Free rule: input and output parameters from the statistics; the weight
// gets the default per-channel symmetric i8 (scales 1.27/127, 0.254/127), the
// bias i32 with scale input x weight per channel; the stats ops are consumed.
// CHECK-LABEL: func.func @infer_free_conv
// CHECK: %[[Q:.*]] = qc.quantize %arg0 : {{.*}} -> tensor<1x2x4x4x!quant.uniform<u8:f32, 0.0099{{[0-9]*}}>>
// CHECK: %[[X:.*]] = qc.dequantize %[[Q]]
// CHECK: %[[WQ:.*]] = qc.quantize %{{.*}} : tensor<2x2x1x1xf32> -> tensor<2x2x1x1x!quant.uniform<i8:f32:0, {0.0099{{[0-9]*}},0.0020{{[0-9]*}}}>>
// CHECK: %[[W:.*]] = qc.dequantize %[[WQ]]
// CHECK: %[[BQ:.*]] = qc.quantize %{{.*}} : tensor<2xf32> -> tensor<2x!quant.uniform<i32:f32:0, {9.99{{[0-9]*}}E-5,2.00{{[0-9]*}}E-5}>>
// CHECK: %[[B:.*]] = qc.dequantize %[[BQ]]
// CHECK: %[[Y:.*]] = qc.conv2d %[[X]], %[[W]], %[[B]]
// CHECK: qc.quantize %[[Y]] : {{.*}} -> tensor<1x2x4x4x!quant.uniform<u8:f32, 0.0099{{[0-9]*}}:100>>
// I8-LABEL: func.func @infer_free_conv
// I8: qc.quantize %arg0 : {{.*}} -> tensor<1x2x4x4x!quant.uniform<i8:f32, 0.0200{{[0-9]*}}>>
func.func @infer_free_conv(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %xs = qc.stats %x <min = 0.0, max = 2.55> : tensor<1x2x4x4xf32>
  %w = arith.constant dense<[[[[0.5]], [[-1.27]]], [[[0.254]], [[0.1]]]]> : tensor<2x2x1x1xf32>
  %b = arith.constant dense<[0.25, -0.5]> : tensor<2xf32>
  %y = qc.conv2d %xs, %w, %b : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %ys = qc.stats %y <min = -1.0, max = 1.55> : tensor<1x2x4x4xf32>
  return %ys : tensor<1x2x4x4xf32>
}

// -----

// A ReLU that is the only user narrows its producer's range from [-3, 5.1]
// to [0, 5.1] (scale 0.02, zero point 0); the clamp keeps those parameters.
// CHECK-LABEL: func.func @infer_relu_narrows
// CHECK: %[[M:.*]] = qc.matmul
// CHECK: %[[MQ:.*]] = qc.quantize %[[M]] : {{.*}} -> tensor<2x2x!quant.uniform<u8:f32, 0.0199{{[0-9]*}}>>
// CHECK: %[[MD:.*]] = qc.dequantize %[[MQ]]
// CHECK: %[[R:.*]] = qc.clamp %[[MD]]
// CHECK: qc.quantize %[[R]] : {{.*}} -> tensor<2x2x!quant.uniform<u8:f32, 0.0199{{[0-9]*}}>>
func.func @infer_relu_narrows(%x: tensor<2x3xf32>) -> tensor<2x2xf32> {
  %xs = qc.stats %x <min = -1.0, max = 1.0> : tensor<2x3xf32>
  %w = arith.constant dense<[[1.0, -1.0], [0.5, 0.5], [0.25, -0.25]]> : tensor<3x2xf32>
  %y = qc.matmul %xs, %w : (tensor<2x3xf32>, tensor<3x2xf32>) -> tensor<2x2xf32>
  %ys = qc.stats %y <min = -3.0, max = 5.1> : tensor<2x2xf32>
  %r = qc.clamp %ys {min = 0.0 : f32} : tensor<2x2xf32>
  return %r : tensor<2x2xf32>
}

// -----

// A clip (ReLU6) narrows with both bounds: [-3, 10] to [0, 6] (u8 scale
// 6/255, zero point 0; symmetric i8 scale 6/127).
// CHECK-LABEL: func.func @infer_clip_narrows
// CHECK: %[[M:.*]] = qc.matmul
// CHECK: %[[MQ:.*]] = qc.quantize %[[M]] : {{.*}} -> tensor<2x2x!quant.uniform<u8:f32, 0.0235{{[0-9]*}}>>
// CHECK: %[[MD:.*]] = qc.dequantize %[[MQ]]
// CHECK: %[[R:.*]] = qc.clamp %[[MD]]
// CHECK: qc.quantize %[[R]] : {{.*}} -> tensor<2x2x!quant.uniform<u8:f32, 0.0235{{[0-9]*}}>>
// I8-LABEL: func.func @infer_clip_narrows
// I8: %[[M:.*]] = qc.matmul
// I8: qc.quantize %[[M]] : {{.*}} -> tensor<2x2x!quant.uniform<i8:f32, 0.0472{{[0-9]*}}>>
func.func @infer_clip_narrows(%x: tensor<2x3xf32>) -> tensor<2x2xf32> {
  %xs = qc.stats %x <min = -1.0, max = 1.0> : tensor<2x3xf32>
  %w = arith.constant dense<[[1.0, -1.0], [0.5, 0.5], [0.25, -0.25]]> : tensor<3x2xf32>
  %y = qc.matmul %xs, %w : (tensor<2x3xf32>, tensor<3x2xf32>) -> tensor<2x2xf32>
  %ys = qc.stats %y <min = -3.0, max = 10.0> : tensor<2x2xf32>
  %r = qc.clamp %ys {min = 0.0 : f32, max = 6.0 : f32} : tensor<2x2xf32>
  return %r : tensor<2x2xf32>
}

// -----

// hard_swish is 0 at and below -3: as the only user it narrows its
// producer's range [-10, 5.2] to [-3, 5.2] (the product takes the 16-bit
// form of it, qc-infer-scales-wide.mlir: scale 8.2/65535, zero point
// -32768 + 3 / scale = -8792; u8 without wide sums: scale 8.2/255, zero
// point 93). With in_scales (an 8-bit product) the bound is -3 over the
// smallest factor (0.5: -6, scale 11.2/255, zero point 137). gelu has no
// constant part and narrows nothing (scale 15.2/65535, zero point 10347).
// CHECK-LABEL: func.func @infer_hard_swish_narrows
// CHECK: %[[M:.*]] = qc.matmul
// CHECK: qc.quantize %[[M]] : {{.*}} -> tensor<2x2x!quant.uniform<i16:f32, 1.25123{{[0-9]*}}E-4:-8792>>
// CHECK: %[[M2:.*]] = qc.matmul
// CHECK: qc.quantize %[[M2]] : {{.*}} -> tensor<2x2x!quant.uniform<u8:f32, 0.04392{{[0-9]*}}:137>>
// CHECK: %[[M3:.*]] = qc.matmul
// CHECK: qc.quantize %[[M3]] : {{.*}} -> tensor<2x2x!quant.uniform<i16:f32, 2.31937{{[0-9]*}}E-4:10347>>
// NARROW-LABEL: func.func @infer_hard_swish_narrows
// NARROW: %[[M:.*]] = qc.matmul
// NARROW: qc.quantize %[[M]] : {{.*}} -> tensor<2x2x!quant.uniform<u8:f32, 0.03215{{[0-9]*}}:93>>
// NARROW: qc.matmul
// NARROW: %[[M3:.*]] = qc.matmul
// NARROW: qc.quantize %[[M3]] : {{.*}} -> tensor<2x2x!quant.uniform<u8:f32, 0.05960{{[0-9]*}}:168>>
func.func @infer_hard_swish_narrows(%x: tensor<2x3xf32>) -> (tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>) {
  %xs = qc.stats %x <min = -1.0, max = 1.0> : tensor<2x3xf32>
  %w = arith.constant dense<[[1.0, -1.0], [0.5, 0.5], [0.25, -0.25]]> : tensor<3x2xf32>
  %y = qc.matmul %xs, %w : (tensor<2x3xf32>, tensor<3x2xf32>) -> tensor<2x2xf32>
  %ys = qc.stats %y <min = -10.0, max = 5.2> : tensor<2x2xf32>
  %a = qc.activation hard_swish %ys : (tensor<2x2xf32>) -> tensor<2x2xf32>
  %as = qc.stats %a <min = -0.375, max = 5.2> : tensor<2x2xf32>
  %y2 = qc.matmul %xs, %w : (tensor<2x3xf32>, tensor<3x2xf32>) -> tensor<2x2xf32>
  %y2s = qc.stats %y2 <min = -10.0, max = 5.2> : tensor<2x2xf32>
  %a2 = qc.activation hard_swish %y2s {in_scales = array<f32: 0.5, 1.0>} : (tensor<2x2xf32>) -> tensor<2x2xf32>
  %a2s = qc.stats %a2 <min = -0.375, max = 5.2> : tensor<2x2xf32>
  %y3 = qc.matmul %xs, %w : (tensor<2x3xf32>, tensor<3x2xf32>) -> tensor<2x2xf32>
  %y3s = qc.stats %y3 <min = -10.0, max = 5.2> : tensor<2x2xf32>
  %a3 = qc.activation gelu %y3s : (tensor<2x2xf32>) -> tensor<2x2xf32>
  %a3s = qc.stats %a3 <min = -0.2, max = 5.2> : tensor<2x2xf32>
  return %as, %a2s, %a3s : tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>
}

// -----

// Same-scale ops pass their input's parameters on; statistics on their
// results are not needed.
// CHECK-LABEL: func.func @infer_same_scale
// CHECK: qc.quantize %arg0 : {{.*}} -> tensor<1x2x4x4x!quant.uniform<u8:f32, [[S:.*]]:128>>
// CHECK: qc.max_pool2d
// CHECK: qc.quantize %{{.*}} -> tensor<1x2x2x2x!quant.uniform<u8:f32, [[S]]:128>>
// CHECK: qc.reshape
// CHECK: qc.quantize %{{.*}} -> tensor<4x2x!quant.uniform<u8:f32, [[S]]:128>>
// CHECK: qc.transpose
// CHECK: qc.quantize %{{.*}} -> tensor<2x4x!quant.uniform<u8:f32, [[S]]:128>>
func.func @infer_same_scale(%x: tensor<1x2x4x4xf32>) -> tensor<2x4xf32> {
  %xs = qc.stats %x <min = -2.0, max = 2.0> : tensor<1x2x4x4xf32>
  %p = qc.max_pool2d %xs {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x2x4x4xf32>) -> tensor<1x2x2x2xf32>
  %r = qc.reshape %p : (tensor<1x2x2x2xf32>) -> tensor<4x2xf32>
  %t = qc.transpose %r {perm = array<i64: 1, 0>} : (tensor<4x2xf32>) -> tensor<2x4xf32>
  return %t : tensor<2x4xf32>
}

// -----

// Concat of two single-use free producers with ranges [-1, 2] and [-7, 3]:
// both simply take the union's parameters ([-7, 3]: scale 10/255, zero
// point 178, rounded half to even from 178.5); nothing is requantized (and
// no remark is expected).
// CHECK-LABEL: func.func @infer_concat_unifies_producers
// CHECK: qc.add
// CHECK-NEXT: qc.quantize %{{.*}} -> tensor<2x2x!quant.uniform<u8:f32, 0.0392{{[0-9]*}}:178>>
// CHECK: qc.sub
// CHECK-NEXT: qc.quantize %{{.*}} -> tensor<2x2x!quant.uniform<u8:f32, 0.0392{{[0-9]*}}:178>>
// CHECK: qc.concat
// CHECK-NEXT: qc.quantize %{{.*}} -> tensor<2x4x!quant.uniform<u8:f32, 0.0392{{[0-9]*}}:178>>
func.func @infer_concat_unifies_producers(%x: tensor<2x2xf32>) -> tensor<2x4xf32> {
  %xs = qc.stats %x <min = -1.0, max = 1.0> : tensor<2x2xf32>
  %a = qc.add %xs, %xs : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %as = qc.stats %a <min = -1.0, max = 2.0> : tensor<2x2xf32>
  %s = qc.sub %xs, %xs : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %ss = qc.stats %s <min = -7.0, max = 3.0> : tensor<2x2xf32>
  %c = qc.concat %as, %ss {axis = 1} : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x4xf32>
  return %c : tensor<2x4xf32>
}

// -----

// A concat input whose parameters are fixed (a sigmoid's) or shared (an
// argument also returned) is requantized, and each conflict is reported.
// CHECK-LABEL: func.func @infer_concat_requantizes
// CHECK: %[[S:.*]] = qc.sigmoid
// CHECK: %[[SQ:.*]] = qc.quantize %[[S]] : {{.*}} -> tensor<2x2x!quant.uniform<u8:f32, 3.906250e-03>>
// CHECK: %[[SD:.*]] = qc.dequantize %[[SQ]]
// CHECK: %[[RQ:.*]] = qc.quantize %[[SD]] : {{.*}} -> tensor<2x2x!quant.uniform<u8:f32, 0.0313{{[0-9]*}}:64>>
// CHECK: %[[RD:.*]] = qc.dequantize %[[RQ]]
// CHECK: qc.concat %[[RD]],
func.func @infer_concat_requantizes(%x: tensor<2x2xf32>) -> (tensor<2x4xf32>, tensor<2x2xf32>) {
  %xs = qc.stats %x <min = -2.0, max = 6.0> : tensor<2x2xf32>
  %s = qc.sigmoid %xs : (tensor<2x2xf32>) -> tensor<2x2xf32>
  // expected-remark @+1 {{requantizing operand #0 from '!quant.uniform<u8:f32, 3.906250e-03>' to '!quant.uniform<u8:f32, 0.031372549019607843:64>'}}
  %c = qc.concat %s, %xs {axis = 1} : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x4xf32>
  return %c, %xs : tensor<2x4xf32>, tensor<2x2xf32>
}

// -----

// Fixed-range ops take the exact conventional scales: sigmoid and softmax
// 1/256 (u8 zero point 0, i8 -128), tanh and erf 1/128 (u8 128, i8 0).
// CHECK-LABEL: func.func @infer_fixed_range
// CHECK: qc.sigmoid
// CHECK-NEXT: qc.quantize %{{.*}} -> tensor<4x!quant.uniform<u8:f32, 3.906250e-03>>
// CHECK: qc.tanh
// CHECK-NEXT: qc.quantize %{{.*}} -> tensor<4x!quant.uniform<u8:f32, 7.812500e-03:128>>
// CHECK: qc.softmax
// CHECK-NEXT: qc.quantize %{{.*}} -> tensor<4x!quant.uniform<u8:f32, 3.906250e-03>>
// CHECK: qc.erf
// CHECK-NEXT: qc.quantize %{{.*}} -> tensor<4x!quant.uniform<u8:f32, 7.812500e-03:128>>
// I8-LABEL: func.func @infer_fixed_range
// I8: qc.quantize %arg0 : {{.*}} -> tensor<4x!quant.uniform<i8:f32, 0.0629{{[0-9]*}}>>
// I8: qc.sigmoid
// I8-NEXT: qc.quantize %{{.*}} -> tensor<4x!quant.uniform<i8:f32, 3.906250e-03:-128>>
// I8: qc.tanh
// I8-NEXT: qc.quantize %{{.*}} -> tensor<4x!quant.uniform<i8:f32, 7.812500e-03>>
// I8: qc.softmax
// I8-NEXT: qc.quantize %{{.*}} -> tensor<4x!quant.uniform<i8:f32, 3.906250e-03:-128>>
// I8: qc.erf
// I8-NEXT: qc.quantize %{{.*}} -> tensor<4x!quant.uniform<i8:f32, 7.812500e-03>>
func.func @infer_fixed_range(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %xs = qc.stats %x <min = -8.0, max = 8.0> : tensor<4xf32>
  %s = qc.sigmoid %xs : (tensor<4xf32>) -> tensor<4xf32>
  %t = qc.tanh %xs : (tensor<4xf32>) -> tensor<4xf32>
  %m = qc.softmax %xs : (tensor<4xf32>) -> tensor<4xf32>
  %e = qc.erf %xs : (tensor<4xf32>) -> tensor<4xf32>
  return %s, %t, %m, %e : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// The weight follows the scheme on the op; the bias scale follows the
// weight's granularity.
// CHECK-LABEL: func.func @infer_weight_scheme
// CHECK: qc.quantize %{{.*}} : tensor<3x2xf32> -> tensor<3x2x!quant.uniform<u8:f32, 0.0078{{[0-9]*}}:128>>
// CHECK: qc.quantize %{{.*}} : tensor<2xf32> -> tensor<2x!quant.uniform<i32:f32, 6.15{{[0-9]*}}E-5>>
func.func @infer_weight_scheme(%x: tensor<2x3xf32>) -> tensor<2x2xf32> {
  %xs = qc.stats %x <min = -1.0, max = 1.0> : tensor<2x3xf32>
  %w = arith.constant dense<[[1.0, -1.0], [0.5, 0.5], [0.25, -0.25]]> : tensor<3x2xf32>
  %b = arith.constant dense<[0.1, 0.2]> : tensor<2xf32>
  %y = qc.matmul %xs, %w, %b {qc.weight_scheme = #qc.scheme<per_tensor, asymmetric, ui8>} : (tensor<2x3xf32>, tensor<3x2xf32>, tensor<2xf32>) -> tensor<2x2xf32>
  %ys = qc.stats %y <min = -3.0, max = 5.0> : tensor<2x2xf32>
  return %ys : tensor<2x2xf32>
}

// -----

// A matmul of two activations (attention's Q x K^T) quantizes both as
// activations; a constant operand of an add gets parameters from its values.
// CHECK-LABEL: func.func @infer_activations_and_constants
// CHECK: qc.quantize %arg0 : {{.*}} -> tensor<2x3x!quant.uniform<u8:f32, 0.0078{{[0-9]*}}:128>>
// CHECK: qc.quantize %arg1 : {{.*}} -> tensor<3x2x!quant.uniform<u8:f32, 0.0156{{[0-9]*}}:128>>
// CHECK: qc.matmul
// CHECK: %[[C:.*]] = arith.constant dense<5.000000e-01>
// CHECK: qc.quantize %[[C]] : {{.*}} -> tensor<2x2x!quant.uniform<u8:f32, 0.0019{{[0-9]*}}>>
// CHECK: qc.add
func.func @infer_activations_and_constants(%a: tensor<2x3xf32>, %b: tensor<3x2xf32>) -> tensor<2x2xf32> {
  %as = qc.stats %a <min = -1.0, max = 1.0> : tensor<2x3xf32>
  %bs = qc.stats %b <min = -2.0, max = 2.0> : tensor<3x2xf32>
  %y = qc.matmul %as, %bs : (tensor<2x3xf32>, tensor<3x2xf32>) -> tensor<2x2xf32>
  %ys = qc.stats %y <min = -6.0, max = 6.0> : tensor<2x2xf32>
  %c = arith.constant dense<0.5> : tensor<2x2xf32>
  %z = qc.add %ys, %c : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %zs = qc.stats %z <min = -5.5, max = 6.5> : tensor<2x2xf32>
  return %zs : tensor<2x2xf32>
}

// -----

// Without statistics on its result a free op stays f32 (its input is still
// quantized; its weight is not).
// CHECK-LABEL: func.func @negative_no_stats_stays_float
// CHECK: qc.quantize %arg0
// CHECK: %[[X:.*]] = qc.dequantize
// CHECK: %[[W:.*]] = arith.constant
// CHECK-NEXT: %[[Y:.*]] = qc.matmul %[[X]], %[[W]]
// CHECK-NEXT: return %[[Y]]
func.func @negative_no_stats_stays_float(%x: tensor<2x3xf32>) -> tensor<2x2xf32> {
  %xs = qc.stats %x <min = -1.0, max = 1.0> : tensor<2x3xf32>
  %w = arith.constant dense<[[1.0, -1.0], [0.5, 0.5], [0.25, -0.25]]> : tensor<3x2xf32>
  %y = qc.matmul %xs, %w : (tensor<2x3xf32>, tensor<3x2xf32>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}

// -----

// negative: a value the graph already dequantizes keeps its parameters;
// no second pair is inserted for its statistics.
// CHECK-LABEL: func.func @negative_already_dequantized
// CHECK: %[[D:.*]] = qc.dequantize %{{.*}} : tensor<4x!quant.uniform<u8:f32, 5.000000e-01:128>> -> tensor<4xf32>
// CHECK-NEXT: qc.sigmoid %[[D]]
func.func @negative_already_dequantized(%x: tensor<4xf32>) -> tensor<4xf32> {
  %q = qc.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 0.5:128>>
  %d = qc.dequantize %q : tensor<4x!quant.uniform<u8:f32, 0.5:128>> -> tensor<4xf32>
  %s = qc.stats %d <min = -8.0, max = 8.0> : tensor<4xf32>
  %y = qc.sigmoid %s : (tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// Masks and indices are not quantized: the int64 mask, its comparison and
// the integer add get no parameters. The select, which has no quantized
// form, reads the dequantized scores, and its result stays f32 despite its
// statistics (its range holds the mask's fill, -8 here, and no 8-bit scale
// suits both), so the softmax after it stays f32 too; the softmax's result
// gets its fixed-range parameters.
// CHECK-LABEL: func.func @mask_stays_plain
// CHECK: %[[DQ:.*]] = qc.dequantize
// CHECK: %[[N:.*]] = qc.add %arg0, %{{.*}} : (tensor<2x8xi64>, tensor<i64>) -> tensor<2x8xi64>
// CHECK: %[[EQ:.*]] = qc.compare eq, %[[N]], %{{.*}} : (tensor<2x8xi64>, tensor<i64>) -> tensor<2x8xi1>
// CHECK: %[[SEL:.*]] = qc.select %[[EQ]], %{{.*}}, %[[DQ]] : (tensor<2x8xi1>, tensor<f32>, tensor<2x8xf32>) -> tensor<2x8xf32>
// CHECK-NEXT: %[[SM:.*]] = qc.softmax %[[SEL]] : (tensor<2x8xf32>) -> tensor<2x8xf32>
// CHECK-NEXT: qc.quantize %[[SM]] : tensor<2x8xf32> -> tensor<2x8x!quant.uniform<u8:f32, 3.906250e-03>>
func.func @mask_stays_plain(%m: tensor<2x8xi64>, %s: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %one = arith.constant dense<1> : tensor<i64>
  %fill = arith.constant dense<-8.0> : tensor<f32>
  %ss = qc.stats %s <min = -4.0, max = 4.0> : tensor<2x8xf32>
  %n = qc.add %m, %one : (tensor<2x8xi64>, tensor<i64>) -> tensor<2x8xi64>
  %eq = qc.compare eq, %n, %one : (tensor<2x8xi64>, tensor<i64>) -> tensor<2x8xi1>
  %sel = qc.select %eq, %fill, %ss : (tensor<2x8xi1>, tensor<f32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  %sels = qc.stats %sel <min = -8.0, max = 4.0> : tensor<2x8xf32>
  %y = qc.softmax %sels : (tensor<2x8xf32>) -> tensor<2x8xf32>
  return %y : tensor<2x8xf32>
}

// -----

// Pad, nearest resize, broadcast and gather move values: their results take
// the input's parameters ([-2, 2]: scale 4/255, zero point 128). A linear
// resize computes new values: its result takes the parameters of its own
// statistics ([0, 1]: scale 1/255, zero point 0).
// CHECK-LABEL: func.func @infer_data_movement
// CHECK: qc.quantize %arg0 : {{.*}} -> tensor<1x1x2x2x!quant.uniform<u8:f32, [[S:.*]]:128>>
// CHECK: qc.pad
// CHECK-NEXT: qc.quantize %{{.*}} -> tensor<1x1x3x3x!quant.uniform<u8:f32, [[S]]:128>>
// CHECK: qc.resize %{{.*}} {coordinate_mode = "asymmetric"
// CHECK-NEXT: qc.quantize %{{.*}} -> tensor<1x1x6x6x!quant.uniform<u8:f32, [[S]]:128>>
// CHECK: qc.broadcast
// CHECK-NEXT: qc.quantize %{{.*}} -> tensor<2x1x6x6x!quant.uniform<u8:f32, [[S]]:128>>
// CHECK: qc.gather
// CHECK-NEXT: qc.quantize %{{.*}} -> tensor<2x1x6x2x!quant.uniform<u8:f32, [[S]]:128>>
// CHECK: qc.resize %{{.*}} {mode = "linear"
// CHECK-NEXT: qc.quantize %{{.*}} -> tensor<2x1x6x4x!quant.uniform<u8:f32, 0.0039{{[0-9]*}}>>
func.func @infer_data_movement(%x: tensor<1x1x2x2xf32>) -> tensor<2x1x6x4xf32> {
  %xs = qc.stats %x <min = -2.0, max = 2.0> : tensor<1x1x2x2xf32>
  %p = qc.pad %xs {mode = "edge", pads = array<i64: 0, 0, 1, 1, 0, 0, 0, 0>} : (tensor<1x1x2x2xf32>) -> tensor<1x1x3x3xf32>
  %r = qc.resize %p {coordinate_mode = "asymmetric", nearest_mode = "floor", scales = array<f64: 1.0, 1.0, 2.0, 2.0>} : (tensor<1x1x3x3xf32>) -> tensor<1x1x6x6xf32>
  %b = qc.broadcast %r : (tensor<1x1x6x6xf32>) -> tensor<2x1x6x6xf32>
  %g = qc.gather %b {axis = 3 : i64, indices = array<i64: 5, 0>} : (tensor<2x1x6x6xf32>) -> tensor<2x1x6x2xf32>
  %l = qc.resize %g {mode = "linear", scales = array<f64: 1.0, 1.0, 1.0, 2.0>} : (tensor<2x1x6x2xf32>) -> tensor<2x1x6x4xf32>
  %ls = qc.stats %l <min = 0.0, max = 1.0> : tensor<2x1x6x4xf32>
  return %ls : tensor<2x1x6x4xf32>
}

// -----

// A transposed convolution is quantized like a convolution: its
// [C_out, C_in / G, kh, kw] weight per channel along axis 0 (scales
// 1.27/127 and 0.254/127), the bias i32 with scale input x weight.
// CHECK-LABEL: func.func @infer_free_conv_transpose
// CHECK: qc.quantize %{{.*}} : tensor<2x1x2x2xf32> -> tensor<2x1x2x2x!quant.uniform<i8:f32:0, {0.0099{{[0-9]*}},0.0020{{[0-9]*}}}>>
// CHECK: qc.quantize %{{.*}} : tensor<2xf32> -> tensor<2x!quant.uniform<i32:f32:0, {9.99{{[0-9]*}}E-5,2.00{{[0-9]*}}E-5}>>
// CHECK: %[[Y:.*]] = qc.conv_transpose2d
// CHECK: qc.quantize %[[Y]] : {{.*}} -> tensor<1x2x4x4x!quant.uniform<u8:f32, 0.0099{{[0-9]*}}:100>>
func.func @infer_free_conv_transpose(%x: tensor<1x2x2x2xf32>) -> tensor<1x2x4x4xf32> {
  %xs = qc.stats %x <min = 0.0, max = 2.55> : tensor<1x2x2x2xf32>
  %w = arith.constant dense<[[[[0.5, 1.27], [-1.27, 0.0]]], [[[0.254, 0.1], [0.0, -0.1]]]]> : tensor<2x1x2x2xf32>
  %b = arith.constant dense<[0.25, -0.5]> : tensor<2xf32>
  %y = qc.conv_transpose2d %xs, %w, %b {strides = array<i64: 2, 2>, groups = 2 : i64} : (tensor<1x2x2x2xf32>, tensor<2x1x2x2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %ys = qc.stats %y <min = -1.0, max = 1.55> : tensor<1x2x4x4xf32>
  return %ys : tensor<1x2x4x4xf32>
}

// -----

// A maximum keeps its operand's parameters whatever its own statistics; a
// sum takes its statistics ([-8, 8]: scale 16/255, zero point 128).
// CHECK-LABEL: func.func @infer_reduce_max_same_as_input
// CHECK: qc.quantize %arg0 : {{.*}} -> tensor<2x4x!quant.uniform<u8:f32, [[S:.*]]:128>>
// CHECK: qc.reduce max
// CHECK-NEXT: qc.quantize %{{.*}} -> tensor<2x1x!quant.uniform<u8:f32, [[S]]:128>>
// CHECK: qc.reduce sum
// CHECK-NEXT: qc.quantize %{{.*}} -> tensor<2x1x!quant.uniform<u8:f32, 0.0627{{[0-9]*}}:128>>
func.func @infer_reduce_max_same_as_input(%x: tensor<2x4xf32>) -> (tensor<2x1xf32>, tensor<2x1xf32>) {
  %xs = qc.stats %x <min = -2.0, max = 2.0> : tensor<2x4xf32>
  %m = qc.reduce max %xs {axes = array<i64: 1>} : (tensor<2x4xf32>) -> tensor<2x1xf32>
  %ms = qc.stats %m <min = 0.0, max = 1.0> : tensor<2x1xf32>
  %s = qc.reduce sum %xs {axes = array<i64: 1>} : (tensor<2x4xf32>) -> tensor<2x1xf32>
  %ss = qc.stats %s <min = -8.0, max = 8.0> : tensor<2x1xf32>
  return %ms, %ss : tensor<2x1xf32>, tensor<2x1xf32>
}

// -----

// Group norm's only activation is its input: the scale and bias stay f32
// constants (no pair), as for layer norm; log-softmax takes its statistics.
// CHECK-LABEL: func.func @infer_group_norm_and_log_softmax
// CHECK: %[[X:.*]] = qc.dequantize
// CHECK: %[[N:.*]] = qc.group_norm %[[X]], %cst, %cst {groups = 2 : i64}
// CHECK-NEXT: qc.quantize %[[N]] : {{.*}} -> tensor<1x4x3x!quant.uniform<u8:f32, 0.0235{{[0-9]*}}:128>>
// CHECK: qc.log_softmax
// CHECK-NEXT: qc.quantize %{{.*}} -> tensor<1x4x3x!quant.uniform<u8:f32, 0.0392{{[0-9]*}}:255>>
func.func @infer_group_norm_and_log_softmax(%x: tensor<1x4x3xf32>) -> tensor<1x4x3xf32> {
  %xs = qc.stats %x <min = -1.0, max = 1.0> : tensor<1x4x3xf32>
  %g = arith.constant dense<1.0> : tensor<4xf32>
  %n = qc.group_norm %xs, %g, %g {groups = 2 : i64} : (tensor<1x4x3xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x3xf32>
  %ns = qc.stats %n <min = -3.0, max = 3.0> : tensor<1x4x3xf32>
  %l = qc.log_softmax %ns {axis = 1 : i64} : (tensor<1x4x3xf32>) -> tensor<1x4x3xf32>
  %ls = qc.stats %l <min = -10.0, max = 0.0> : tensor<1x4x3xf32>
  return %ls : tensor<1x4x3xf32>
}

// -----

// A channel whose weights are tiny next to its bias (here 1e-6 against a
// bias of 5) would need an i32 bias of 6e10 at the weight's own scale: its
// weight scale rises to |bias| / (input scale x (2^31 - 1 - 2 x 255 x 128 x
// K)) = 5 / (0.01 x 2147352959) = 2.328e-7, so the bias fits the
// accumulator with room for the products; the other channel keeps 1.27/127.
// CHECK-LABEL: func.func @infer_bias_fits_accumulator
// CHECK: qc.quantize %{{.*}} : tensor<2x2x1x1xf32> -> tensor<2x2x1x1x!quant.uniform<i8:f32:0, {0.0099{{[0-9]*}},2.328{{[0-9]*}}E-7}>>
// CHECK: qc.quantize %{{.*}} : tensor<2xf32> -> tensor<2x!quant.uniform<i32:f32:0, {9.99{{[0-9]*}}E-5,2.328{{[0-9]*}}E-9}>>
func.func @infer_bias_fits_accumulator(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %xs = qc.stats %x <min = 0.0, max = 2.55> : tensor<1x2x4x4xf32>
  %w = arith.constant dense<[[[[0.5]], [[-1.27]]], [[[0.000001]], [[-0.000001]]]]> : tensor<2x2x1x1xf32>
  %b = arith.constant dense<[0.25, 5.0]> : tensor<2xf32>
  %y = qc.conv2d %xs, %w, %b : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %ys = qc.stats %y <min = -1.0, max = 6.0> : tensor<1x2x4x4xf32>
  return %ys : tensor<1x2x4x4xf32>
}
