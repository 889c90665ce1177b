// RUN: qopt %s -split-input-file -qc-fold-qdq | FileCheck %s

// dequantize -> conv -> quantize with every operand dequantized (weight and
// bias already quantized constants) becomes the integer conv.
// CHECK-LABEL: func.func @fold_conv_per_channel
// CHECK-DAG: %[[W:.*]] = qc.constant dense<{{.*}}> : tensor<2x2x1x1xi8> -> tensor<2x2x1x1x!quant.uniform<i8:f32:0, {5.000000e-01,2.500000e-01}>>
// CHECK-DAG: %[[B:.*]] = qc.constant dense<[4, -8]> : tensor<2xi32>
// CHECK: %[[Y:.*]] = qc.conv2d %arg0, %[[W]], %[[B]] : (tensor<1x2x4x4x!quant.uniform<u8:f32, 5.000000e-01:128>>, {{.*}}) -> tensor<1x2x4x4x!quant.uniform<u8:f32, 2.500000e-01:3>>
// CHECK-NEXT: return %[[Y]]
func.func @fold_conv_per_channel(%x: tensor<1x2x4x4x!quant.uniform<u8:f32, 0.5:128>>) -> tensor<1x2x4x4x!quant.uniform<u8:f32, 0.25:3>> {
  %xd = qc.dequantize %x : tensor<1x2x4x4x!quant.uniform<u8:f32, 0.5:128>> -> tensor<1x2x4x4xf32>
  %w = qc.constant dense<[[[[1]], [[-2]]], [[[3]], [[4]]]]> : tensor<2x2x1x1xi8> -> tensor<2x2x1x1x!quant.uniform<i8:f32:0, {0.5, 0.25}>>
  %wd = qc.dequantize %w : tensor<2x2x1x1x!quant.uniform<i8:f32:0, {0.5, 0.25}>> -> tensor<2x2x1x1xf32>
  %b = qc.constant dense<[4, -8]> : tensor<2xi32> -> tensor<2x!quant.uniform<i32:f32:0, {0.25, 0.125}>>
  %bd = qc.dequantize %b : tensor<2x!quant.uniform<i32:f32:0, {0.25, 0.125}>> -> tensor<2xf32>
  %y = qc.conv2d %xd, %wd, %bd {pads = array<i64: 0, 0, 0, 0>} : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %q = qc.quantize %y : tensor<1x2x4x4xf32> -> tensor<1x2x4x4x!quant.uniform<u8:f32, 0.25:3>>
  return %q : tensor<1x2x4x4x!quant.uniform<u8:f32, 0.25:3>>
}

// -----

// Float weights and biases are quantized at compile time: quantize of a
// constant becomes a qc.constant (i8 weights, i32 bias), and a float
// constant bias of a quantized product is quantized on the way
// (0.3 / (0.5 * 0.5) = 1.2 -> 1, -1.0 / 0.25 = -4). No float constant
// remains: the body is exactly the two qc.constants and the matmul.
// CHECK-LABEL: func.func @fold_constant_weight_and_float_bias
// CHECK-NEXT: %[[W:.*]] = qc.constant dense<{{\[\[}}2, -1], [127, -128]]> : tensor<2x2xi8> -> tensor<2x2x!quant.uniform<i8:f32, 5.000000e-01>>
// CHECK-NEXT: %[[B:.*]] = qc.constant dense<[1, -4]> : tensor<2xi32> -> tensor<2x!quant.uniform<i32:f32, 2.500000e-01>>
// CHECK-NEXT: %[[Y:.*]] = qc.matmul %arg0, %[[W]], %[[B]] : {{.*}} -> tensor<1x2x!quant.uniform<u8:f32, 2.500000e-01:3>>
// CHECK-NEXT: return %[[Y]]
func.func @fold_constant_weight_and_float_bias(%x: tensor<1x2x!quant.uniform<u8:f32, 0.5:128>>) -> tensor<1x2x!quant.uniform<u8:f32, 0.25:3>> {
  %xd = qc.dequantize %x : tensor<1x2x!quant.uniform<u8:f32, 0.5:128>> -> tensor<1x2xf32>
  %w = arith.constant dense<[[1.0, -0.5], [100.0, -100.0]]> : tensor<2x2xf32>
  %wq = qc.quantize %w : tensor<2x2xf32> -> tensor<2x2x!quant.uniform<i8:f32, 0.5>>
  %wd = qc.dequantize %wq : tensor<2x2x!quant.uniform<i8:f32, 0.5>> -> tensor<2x2xf32>
  %b = arith.constant dense<[0.3, -1.0]> : tensor<2xf32>
  %y = qc.matmul %xd, %wd, %b : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %q = qc.quantize %y : tensor<1x2xf32> -> tensor<1x2x!quant.uniform<u8:f32, 0.25:3>>
  return %q : tensor<1x2x!quant.uniform<u8:f32, 0.25:3>>
}

// -----

// Per-axis constants quantize slice by slice; u8 storage prints unsigned.
// CHECK-LABEL: func.func @fold_constant_per_axis
// CHECK: qc.constant dense<{{\[\[}}2, 4], [255, 0]]> : tensor<2x2xui8> -> tensor<2x2x!quant.uniform<u8:f32:0, {5.000000e-01,1.000000e+00:128}>>
func.func @fold_constant_per_axis() -> tensor<2x2x!quant.uniform<u8:f32:0, {0.5, 1.0:128}>> {
  %w = arith.constant dense<[[1.0, 2.0], [1000.0, -1000.0]]> : tensor<2x2xf32>
  %wq = qc.quantize %w : tensor<2x2xf32> -> tensor<2x2x!quant.uniform<u8:f32:0, {0.5, 1.0:128}>>
  return %wq : tensor<2x2x!quant.uniform<u8:f32:0, {0.5, 1.0:128}>>
}

// -----

// quantize(dequantize(x)) is x with equal parameters, a requantize without.
// CHECK-LABEL: func.func @fold_quantize_dequantize
// CHECK-NEXT: %[[R:.*]] = qc.requantize %arg0 : tensor<4x!quant.uniform<u8:f32, 5.000000e-01:128>> -> tensor<4x!quant.uniform<u8:f32, 2.500000e-01:3>>
// CHECK-NEXT: return %arg0, %[[R]]
func.func @fold_quantize_dequantize(%x: tensor<4x!quant.uniform<u8:f32, 0.5:128>>) -> (tensor<4x!quant.uniform<u8:f32, 0.5:128>>, tensor<4x!quant.uniform<u8:f32, 0.25:3>>) {
  %d = qc.dequantize %x : tensor<4x!quant.uniform<u8:f32, 0.5:128>> -> tensor<4xf32>
  %same = qc.quantize %d : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 0.5:128>>
  %other = qc.quantize %d : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 0.25:3>>
  return %same, %other : tensor<4x!quant.uniform<u8:f32, 0.5:128>>, tensor<4x!quant.uniform<u8:f32, 0.25:3>>
}

// -----

// Requantize chains merge into one requantization; back to the start type
// they vanish.
// CHECK-LABEL: func.func @merge_requantize_chain
// CHECK-NEXT: %[[R:.*]] = qc.requantize %arg0 : tensor<4x!quant.uniform<u8:f32, 5.000000e-01:128>> -> tensor<4x!quant.uniform<i8:f32, 1.250000e-01>>
// CHECK-NEXT: return %[[R]], %arg0
func.func @merge_requantize_chain(%x: tensor<4x!quant.uniform<u8:f32, 0.5:128>>) -> (tensor<4x!quant.uniform<i8:f32, 0.125>>, tensor<4x!quant.uniform<u8:f32, 0.5:128>>) {
  %a = qc.requantize %x : tensor<4x!quant.uniform<u8:f32, 0.5:128>> -> tensor<4x!quant.uniform<u8:f32, 0.25:3>>
  %b = qc.requantize %a : tensor<4x!quant.uniform<u8:f32, 0.25:3>> -> tensor<4x!quant.uniform<i8:f32, 0.125>>
  %c = qc.requantize %a : tensor<4x!quant.uniform<u8:f32, 0.25:3>> -> tensor<4x!quant.uniform<u8:f32, 0.5:128>>
  return %b, %c : tensor<4x!quant.uniform<i8:f32, 0.125>>, tensor<4x!quant.uniform<u8:f32, 0.5:128>>
}

// -----

// A ReLU between QDQ pairs becomes a quantized clamp, which disappears when
// its bounds cover the type's range (zero point 0: nothing below 0 exists).
// CHECK-LABEL: func.func @fold_relu_into_producer
// CHECK: %[[Y:.*]] = qc.add %arg0, %arg0 : {{.*}} -> tensor<4x!quant.uniform<u8:f32, 1.000000e-01>>
// CHECK-NEXT: return %[[Y]]
func.func @fold_relu_into_producer(%x: tensor<4x!quant.uniform<u8:f32, 0.5:128>>) -> tensor<4x!quant.uniform<u8:f32, 0.1>> {
  %d = qc.dequantize %x : tensor<4x!quant.uniform<u8:f32, 0.5:128>> -> tensor<4xf32>
  %y = qc.add %d, %d : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %yq = qc.quantize %y : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 0.1>>
  %yd = qc.dequantize %yq : tensor<4x!quant.uniform<u8:f32, 0.1>> -> tensor<4xf32>
  %r = qc.clamp %yd {min = 0.0 : f32} : tensor<4xf32>
  %rq = qc.quantize %r : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 0.1>>
  return %rq : tensor<4x!quant.uniform<u8:f32, 0.1>>
}

// -----

// A clamp that does cut the range stays, as a clamp of storage integers.
// CHECK-LABEL: func.func @no_fold_clamp_that_clamps
// CHECK: qc.clamp %arg0 {max = 6.000000e+00 : f32, min = 0.000000e+00 : f32} : tensor<4x!quant.uniform<u8:f32, 5.000000e-01:128>>
func.func @no_fold_clamp_that_clamps(%x: tensor<4x!quant.uniform<u8:f32, 0.5:128>>) -> tensor<4x!quant.uniform<u8:f32, 0.5:128>> {
  %d = qc.dequantize %x : tensor<4x!quant.uniform<u8:f32, 0.5:128>> -> tensor<4xf32>
  %r = qc.clamp %d {min = 0.0 : f32, max = 6.0 : f32} : tensor<4xf32>
  %rq = qc.quantize %r : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 0.5:128>>
  return %rq : tensor<4x!quant.uniform<u8:f32, 0.5:128>>
}

// -----

// Same-scale ops fold when the parameters agree.
// CHECK-LABEL: func.func @fold_concat_same_params
// CHECK-NEXT: %[[C:.*]] = qc.concat %arg0, %arg1 {axis = 0 : i64} : {{.*}} -> tensor<6x!quant.uniform<u8:f32, 5.000000e-01:128>>
// CHECK-NEXT: return %[[C]]
func.func @fold_concat_same_params(%a: tensor<2x!quant.uniform<u8:f32, 0.5:128>>, %b: tensor<4x!quant.uniform<u8:f32, 0.5:128>>) -> tensor<6x!quant.uniform<u8:f32, 0.5:128>> {
  %ad = qc.dequantize %a : tensor<2x!quant.uniform<u8:f32, 0.5:128>> -> tensor<2xf32>
  %bd = qc.dequantize %b : tensor<4x!quant.uniform<u8:f32, 0.5:128>> -> tensor<4xf32>
  %c = qc.concat %ad, %bd {axis = 0} : (tensor<2xf32>, tensor<4xf32>) -> tensor<6xf32>
  %q = qc.quantize %c : tensor<6xf32> -> tensor<6x!quant.uniform<u8:f32, 0.5:128>>
  return %q : tensor<6x!quant.uniform<u8:f32, 0.5:128>>
}

// -----

// A max pool between different parameters: the pool itself has no
// rescaling quantized form, but it commutes with the dequantize, so it runs
// on the input's integers and one requantize follows.
// CHECK-LABEL: func.func @max_pool_then_requantize
// CHECK-NEXT: %[[P:.*]] = qc.max_pool2d %arg0 {{.*}} -> tensor<1x1x1x1x!quant.uniform<u8:f32, 5.000000e-01:128>>
// CHECK-NEXT: %[[R:.*]] = qc.requantize %[[P]] : {{.*}} -> tensor<1x1x1x1x!quant.uniform<u8:f32, 2.500000e-01:3>>
// CHECK-NEXT: return %[[R]]
func.func @max_pool_then_requantize(%x: tensor<1x1x2x2x!quant.uniform<u8:f32, 0.5:128>>) -> tensor<1x1x1x1x!quant.uniform<u8:f32, 0.25:3>> {
  %d = qc.dequantize %x : tensor<1x1x2x2x!quant.uniform<u8:f32, 0.5:128>> -> tensor<1x1x2x2xf32>
  %p = qc.max_pool2d %d {kernel = array<i64: 2, 2>} : (tensor<1x1x2x2xf32>) -> tensor<1x1x1x1xf32>
  %q = qc.quantize %p : tensor<1x1x1x1xf32> -> tensor<1x1x1x1x!quant.uniform<u8:f32, 0.25:3>>
  return %q : tensor<1x1x1x1x!quant.uniform<u8:f32, 0.25:3>>
}

// -----

// negative: a concat of inputs with different parameters has no quantized
// form (it moves storage integers), so the QDQ form stays.
// CHECK-LABEL: func.func @negative_parameters_differ
// CHECK: qc.dequantize
// CHECK: qc.dequantize
// CHECK: qc.concat %{{.*}}, %{{.*}} {{.*}} -> tensor<4xf32>
// CHECK: qc.quantize
func.func @negative_parameters_differ(%x: tensor<2x!quant.uniform<u8:f32, 0.5:128>>, %y: tensor<2x!quant.uniform<u8:f32, 0.25:3>>) -> tensor<4x!quant.uniform<u8:f32, 0.5:128>> {
  %dx = qc.dequantize %x : tensor<2x!quant.uniform<u8:f32, 0.5:128>> -> tensor<2xf32>
  %dy = qc.dequantize %y : tensor<2x!quant.uniform<u8:f32, 0.25:3>> -> tensor<2xf32>
  %c = qc.concat %dx, %dy {axis = 0 : i64} : (tensor<2xf32>, tensor<2xf32>) -> tensor<4xf32>
  %q = qc.quantize %c : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 0.5:128>>
  return %q : tensor<4x!quant.uniform<u8:f32, 0.5:128>>
}

// -----

// negative: one operand is not dequantized (mixed inputs).
// CHECK-LABEL: func.func @negative_mixed_inputs
// CHECK: qc.add %{{.*}}, %arg1 : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
// CHECK: qc.quantize
func.func @negative_mixed_inputs(%x: tensor<4x!quant.uniform<u8:f32, 0.5:128>>, %y: tensor<4xf32>) -> tensor<4x!quant.uniform<u8:f32, 0.5:128>> {
  %d = qc.dequantize %x : tensor<4x!quant.uniform<u8:f32, 0.5:128>> -> tensor<4xf32>
  %s = qc.add %d, %y : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %q = qc.quantize %s : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 0.5:128>>
  return %q : tensor<4x!quant.uniform<u8:f32, 0.5:128>>
}

// -----

// negative: the float result is also used as a float.
// CHECK-LABEL: func.func @negative_float_user
// CHECK: %[[S:.*]] = qc.add %{{.*}} : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
// CHECK: return %{{.*}}, %[[S]]
func.func @negative_float_user(%x: tensor<4x!quant.uniform<u8:f32, 0.5:128>>) -> (tensor<4x!quant.uniform<u8:f32, 0.5:128>>, tensor<4xf32>) {
  %d = qc.dequantize %x : tensor<4x!quant.uniform<u8:f32, 0.5:128>> -> tensor<4xf32>
  %s = qc.add %d, %d : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %q = qc.quantize %s : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 0.5:128>>
  return %q, %s : tensor<4x!quant.uniform<u8:f32, 0.5:128>>, tensor<4xf32>
}

// -----

// negative: an op without a quantized form stays between dequantize and
// quantize.
// CHECK-LABEL: func.func @negative_no_quantized_form
// CHECK: %[[D:.*]] = qc.dequantize %arg0
// CHECK: %[[E:.*]] = arith.negf %[[D]]
// CHECK: qc.quantize %[[E]]
func.func @negative_no_quantized_form(%x: tensor<4x!quant.uniform<u8:f32, 0.5:128>>) -> tensor<4x!quant.uniform<u8:f32, 0.5:128>> {
  %d = qc.dequantize %x : tensor<4x!quant.uniform<u8:f32, 0.5:128>> -> tensor<4xf32>
  %e = arith.negf %d : tensor<4xf32>
  %q = qc.quantize %e : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 0.5:128>>
  return %q : tensor<4x!quant.uniform<u8:f32, 0.5:128>>
}

// -----

// Runtime parameters that are constants take the typed form.
// CHECK-LABEL: func.func @fold_constant_runtime_params
// CHECK: %[[Q:.*]] = qc.quantize %arg0 : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 2.000000e+00:128>>
// CHECK: qc.dequantize %[[Q]] : tensor<4x!quant.uniform<u8:f32, 2.000000e+00:128>> -> tensor<4xf32>
func.func @fold_constant_runtime_params(%x: tensor<4xf32>) -> tensor<4xf32> {
  %s = arith.constant dense<2.0> : tensor<f32>
  %z = arith.constant dense<128> : tensor<ui8>
  %q = qc.quantize %x scale(%s : tensor<f32>) zero_point(%z : tensor<ui8>) : tensor<4xf32> -> tensor<4xui8>
  %d = qc.dequantize %q scale(%s : tensor<f32>) zero_point(%z : tensor<ui8>) : tensor<4xui8> -> tensor<4xf32>
  return %d : tensor<4xf32>
}

// -----

// negative: runtime parameters from graph inputs stay runtime.
// CHECK-LABEL: func.func @negative_runtime_params
// CHECK: qc.quantize %arg0 scale(%arg1 : tensor<f32>)
func.func @negative_runtime_params(%x: tensor<4xf32>, %s: tensor<f32>) -> tensor<4xf32> {
  %q = qc.quantize %x scale(%s : tensor<f32>) : tensor<4xf32> -> tensor<4xui8>
  %d = qc.dequantize %q scale(%s : tensor<f32>) : tensor<4xui8> -> tensor<4xf32>
  return %d : tensor<4xf32>
}

// -----

// PyTorch's exporter writes the bias scale as the f32 product of the input
// and weight scales and dequantizes the i32 bias per axis: the fold accepts
// the product's rounding.
// CHECK-LABEL: func.func @fold_pytorch_bias
// CHECK: qc.conv2d %arg0, %{{.*}}, %{{.*}} : (tensor<1x1x2x2x!quant.uniform<u8:f32, 0.0235{{[0-9]*}}:7>>
func.func @fold_pytorch_bias(%x: tensor<1x1x2x2x!quant.uniform<u8:f32, 0.023529412:7>>) -> tensor<1x2x2x2x!quant.uniform<u8:f32, 0.5:128>> {
  %xd = qc.dequantize %x : tensor<1x1x2x2x!quant.uniform<u8:f32, 0.023529412:7>> -> tensor<1x1x2x2xf32>
  %w = qc.constant dense<[[[[5]]], [[[-7]]]]> : tensor<2x1x1x1xi8> -> tensor<2x1x1x1x!quant.uniform<i8:f32:0, {0.0031, 0.0077}>>
  %wd = qc.dequantize %w : tensor<2x1x1x1x!quant.uniform<i8:f32:0, {0.0031, 0.0077}>> -> tensor<2x1x1x1xf32>
  %b = qc.constant dense<[100, -100]> : tensor<2xi32> -> tensor<2x!quant.uniform<i32:f32:0, {7.2941178E-5, 1.8117647E-4}>>
  %bd = qc.dequantize %b : tensor<2x!quant.uniform<i32:f32:0, {7.2941178E-5, 1.8117647E-4}>> -> tensor<2xf32>
  %y = qc.conv2d %xd, %wd, %bd : (tensor<1x1x2x2xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  %q = qc.quantize %y : tensor<1x2x2x2xf32> -> tensor<1x2x2x2x!quant.uniform<u8:f32, 0.5:128>>
  return %q : tensor<1x2x2x2x!quant.uniform<u8:f32, 0.5:128>>
}

// -----

// op -> ReLU -> quantize (a fused ReLU as exporters write it): the clamp
// moves below the quantize (quantization is monotone), the op folds, and
// the clamp disappears because the output range starts at 0.
// CHECK-LABEL: func.func @fold_relu_before_quantize
// CHECK-NEXT: %[[Y:.*]] = qc.add %arg0, %arg0 : {{.*}} -> tensor<4x!quant.uniform<u8:f32, 1.000000e-01>>
// CHECK-NEXT: return %[[Y]]
func.func @fold_relu_before_quantize(%x: tensor<4x!quant.uniform<u8:f32, 0.5:128>>) -> tensor<4x!quant.uniform<u8:f32, 0.1>> {
  %d = qc.dequantize %x : tensor<4x!quant.uniform<u8:f32, 0.5:128>> -> tensor<4xf32>
  %y = qc.add %d, %d : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %r = qc.clamp %y {min = 0.0 : f32} : tensor<4xf32>
  %q = qc.quantize %r : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 0.1>>
  return %q : tensor<4x!quant.uniform<u8:f32, 0.1>>
}

// -----

// A ReLU6 that still cuts stays, as a clamp of storage integers.
// CHECK-LABEL: func.func @sink_relu6_below_quantize
// CHECK: %[[Y:.*]] = qc.add %arg0, %arg0
// CHECK-NEXT: qc.clamp %[[Y]] {max = 6.000000e+00 : f32, min = 0.000000e+00 : f32} : tensor<4x!quant.uniform<u8:f32, 1.000000e-01>>
func.func @sink_relu6_below_quantize(%x: tensor<4x!quant.uniform<u8:f32, 0.5:128>>) -> tensor<4x!quant.uniform<u8:f32, 0.1>> {
  %d = qc.dequantize %x : tensor<4x!quant.uniform<u8:f32, 0.5:128>> -> tensor<4xf32>
  %y = qc.add %d, %d : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %r = qc.clamp %y {min = 0.0 : f32, max = 6.0 : f32} : tensor<4xf32>
  %q = qc.quantize %r : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 0.1>>
  return %q : tensor<4x!quant.uniform<u8:f32, 0.1>>
}

// -----

// A reshape of a dequantized value (ONNX Flatten between a quantized
// pooling and a Gemm) moves below the dequantize, so the matmul after it
// folds into an integer matmul.
// CHECK-LABEL: func.func @sink_dequantize_through_reshape
// CHECK-NEXT: %[[W:.*]] = qc.constant
// CHECK-NEXT: %[[R:.*]] = qc.reshape %arg0 : (tensor<1x4x1x1x!quant.uniform<u8:f32, 5.000000e-01:3>>) -> tensor<1x4x!quant.uniform<u8:f32, 5.000000e-01:3>>
// CHECK-NEXT: %[[Y:.*]] = qc.matmul %[[R]], %[[W]] : {{.*}} -> tensor<1x2x!quant.uniform<u8:f32, 1.000000e-01>>
// CHECK-NEXT: return %[[Y]]
func.func @sink_dequantize_through_reshape(%x: tensor<1x4x1x1x!quant.uniform<u8:f32, 0.5:3>>) -> tensor<1x2x!quant.uniform<u8:f32, 0.1>> {
  %d = qc.dequantize %x : tensor<1x4x1x1x!quant.uniform<u8:f32, 0.5:3>> -> tensor<1x4x1x1xf32>
  %f = qc.reshape %d : (tensor<1x4x1x1xf32>) -> tensor<1x4xf32>
  %wq = qc.constant dense<1> : tensor<4x2xi8> -> tensor<4x2x!quant.uniform<i8:f32, 0.25>>
  %w = qc.dequantize %wq : tensor<4x2x!quant.uniform<i8:f32, 0.25>> -> tensor<4x2xf32>
  %y = qc.matmul %f, %w : (tensor<1x4xf32>, tensor<4x2xf32>) -> tensor<1x2xf32>
  %q = qc.quantize %y : tensor<1x2xf32> -> tensor<1x2x!quant.uniform<u8:f32, 0.1>>
  return %q : tensor<1x2x!quant.uniform<u8:f32, 0.1>>
}

// -----

// A transposed per-channel weight (ONNX Gemm with transB): the dequantize
// sinks with its axis following the transpose (0 -> 1), and the transpose
// of the constant folds away at compile time.
// CHECK-LABEL: func.func @sink_dequantize_through_transpose_per_axis
// CHECK-NEXT: %[[W:.*]] = qc.constant dense<{{\[}}[1, 3], [2, 4]]> : tensor<2x2xi8> -> tensor<2x2x!quant.uniform<i8:f32:1, {2.500000e-01,5.000000e-01}>>
// CHECK-NEXT: %[[Y:.*]] = qc.matmul %arg0, %[[W]]
// CHECK-NEXT: return %[[Y]]
func.func @sink_dequantize_through_transpose_per_axis(%x: tensor<1x2x!quant.uniform<u8:f32, 0.5:3>>) -> tensor<1x2x!quant.uniform<u8:f32, 0.1>> {
  %d = qc.dequantize %x : tensor<1x2x!quant.uniform<u8:f32, 0.5:3>> -> tensor<1x2xf32>
  %wq = qc.constant dense<[[1, 2], [3, 4]]> : tensor<2x2xi8> -> tensor<2x2x!quant.uniform<i8:f32:0, {0.25, 0.5}>>
  %w = qc.dequantize %wq : tensor<2x2x!quant.uniform<i8:f32:0, {0.25, 0.5}>> -> tensor<2x2xf32>
  %wt = qc.transpose %w {perm = array<i64: 1, 0>} : (tensor<2x2xf32>) -> tensor<2x2xf32>
  %y = qc.matmul %d, %wt : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  %q = qc.quantize %y : tensor<1x2xf32> -> tensor<1x2x!quant.uniform<u8:f32, 0.1>>
  return %q : tensor<1x2x!quant.uniform<u8:f32, 0.1>>
}

// -----

// Max pooling and slicing select values: the dequantize sinks through
// them too, and the float ops become integer ones.
// CHECK-LABEL: func.func @sink_dequantize_through_pool_and_slice
// CHECK-NEXT: %[[P:.*]] = qc.max_pool2d %arg0 {{.*}} -> tensor<1x1x2x2x!quant.uniform<u8:f32, 5.000000e-01:3>>
// CHECK-NEXT: %[[S:.*]] = qc.slice %[[P]] {{.*}} -> tensor<1x1x1x2x!quant.uniform<u8:f32, 5.000000e-01:3>>
// CHECK-NEXT: %[[D:.*]] = qc.dequantize %[[S]]
// CHECK-NEXT: return %[[D]]
func.func @sink_dequantize_through_pool_and_slice(%x: tensor<1x1x4x4x!quant.uniform<u8:f32, 0.5:3>>) -> tensor<1x1x1x2xf32> {
  %d = qc.dequantize %x : tensor<1x1x4x4x!quant.uniform<u8:f32, 0.5:3>> -> tensor<1x1x4x4xf32>
  %p = qc.max_pool2d %d {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf32>
  %s = qc.slice %p {offsets = array<i64: 0, 0, 1, 0>} : (tensor<1x1x2x2xf32>) -> tensor<1x1x1x2xf32>
  return %s : tensor<1x1x1x2xf32>
}

// -----

// negative: a per-axis dequantize does not sink through a reshape (the
// axis has no meaning after it).
// CHECK-LABEL: func.func @negative_sink_reshape_per_axis
// CHECK-NEXT: %[[D:.*]] = qc.dequantize %arg0
// CHECK-NEXT: %[[R:.*]] = qc.reshape %[[D]] : (tensor<2x2xf32>) -> tensor<4xf32>
// CHECK-NEXT: return %[[R]]
func.func @negative_sink_reshape_per_axis(%x: tensor<2x2x!quant.uniform<i8:f32:0, {0.25, 0.5}>>) -> tensor<4xf32> {
  %d = qc.dequantize %x : tensor<2x2x!quant.uniform<i8:f32:0, {0.25, 0.5}>> -> tensor<2x2xf32>
  %r = qc.reshape %d : (tensor<2x2xf32>) -> tensor<4xf32>
  return %r : tensor<4xf32>
}

// -----

// A ReLU6 after a quantized matmul (in QDQ form, as exporters write it)
// folds into the matmul's output clamp: one pass saturating to [0, 6]
// instead of a clamp over memory after it.
// CHECK-LABEL: func.func @fuse_relu6_into_matmul
// CHECK-NEXT: %[[W:.*]] = qc.constant
// CHECK-NEXT: %[[Y:.*]] = qc.matmul %arg0, %[[W]] {clamp_max = 6.000000e+00 : f32, clamp_min = 0.000000e+00 : f32} : {{.*}} -> tensor<2x4x!quant.uniform<u8:f32, 1.000000e-01:20>>
// CHECK-NEXT: return %[[Y]]
func.func @fuse_relu6_into_matmul(%x: tensor<2x3x!quant.uniform<u8:f32, 0.5:128>>) -> tensor<2x4x!quant.uniform<u8:f32, 0.1:20>> {
  %xd = qc.dequantize %x : tensor<2x3x!quant.uniform<u8:f32, 0.5:128>> -> tensor<2x3xf32>
  %w = qc.constant dense<1> : tensor<3x4xi8> -> tensor<3x4x!quant.uniform<i8:f32, 0.25>>
  %wd = qc.dequantize %w : tensor<3x4x!quant.uniform<i8:f32, 0.25>> -> tensor<3x4xf32>
  %y = qc.matmul %xd, %wd : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  %r = qc.clamp %y {min = 0.0 : f32, max = 6.0 : f32} : tensor<2x4xf32>
  %q = qc.quantize %r : tensor<2x4xf32> -> tensor<2x4x!quant.uniform<u8:f32, 0.1:20>>
  return %q : tensor<2x4x!quant.uniform<u8:f32, 0.1:20>>
}

// -----

// Two clamps in a row fuse into their intersection.
// CHECK-LABEL: func.func @fuse_clamps_into_conv
// CHECK-NEXT: %[[Y:.*]] = qc.conv2d %arg0, %arg1 {clamp_max = 4.000000e+00 : f32, clamp_min = -1.000000e+00 : f32}
// CHECK-NEXT: return %[[Y]]
func.func @fuse_clamps_into_conv(%x: tensor<1x2x4x4x!quant.uniform<u8:f32, 0.5:128>>, %w: tensor<3x2x1x1x!quant.uniform<i8:f32, 0.25>>) -> tensor<1x3x4x4x!quant.uniform<u8:f32, 0.1:128>> {
  %y = qc.conv2d %x, %w : (tensor<1x2x4x4x!quant.uniform<u8:f32, 0.5:128>>, tensor<3x2x1x1x!quant.uniform<i8:f32, 0.25>>) -> tensor<1x3x4x4x!quant.uniform<u8:f32, 0.1:128>>
  %a = qc.clamp %y {min = -2.0 : f32, max = 4.0 : f32} : tensor<1x3x4x4x!quant.uniform<u8:f32, 0.1:128>>
  %b = qc.clamp %a {min = -1.0 : f32, max = 9.0 : f32} : tensor<1x3x4x4x!quant.uniform<u8:f32, 0.1:128>>
  return %b : tensor<1x3x4x4x!quant.uniform<u8:f32, 0.1:128>>
}

// -----

// The product has another user: the clamp stays.
// CHECK-LABEL: func.func @no_fuse_clamp_product_has_other_users
// CHECK: %[[Y:.*]] = qc.conv2d %arg0, %arg1 :
// CHECK-NEXT: %[[R:.*]] = qc.clamp %[[Y]]
// CHECK-NEXT: return %[[Y]], %[[R]]
func.func @no_fuse_clamp_product_has_other_users(%x: tensor<1x2x4x4x!quant.uniform<u8:f32, 0.5:128>>, %w: tensor<3x2x1x1x!quant.uniform<i8:f32, 0.25>>) -> (tensor<1x3x4x4x!quant.uniform<u8:f32, 0.1:128>>, tensor<1x3x4x4x!quant.uniform<u8:f32, 0.1:128>>) {
  %y = qc.conv2d %x, %w : (tensor<1x2x4x4x!quant.uniform<u8:f32, 0.5:128>>, tensor<3x2x1x1x!quant.uniform<i8:f32, 0.25>>) -> tensor<1x3x4x4x!quant.uniform<u8:f32, 0.1:128>>
  %r = qc.clamp %y {min = 0.0 : f32} : tensor<1x3x4x4x!quant.uniform<u8:f32, 0.1:128>>
  return %y, %r : tensor<1x3x4x4x!quant.uniform<u8:f32, 0.1:128>>, tensor<1x3x4x4x!quant.uniform<u8:f32, 0.1:128>>
}

// -----

// A float product keeps its clamp (the fused clamp is for quantized
// results).
// CHECK-LABEL: func.func @no_fuse_clamp_float
// CHECK: qc.matmul %arg0, %arg1 :
// CHECK-NEXT: qc.clamp
func.func @no_fuse_clamp_float(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>) -> tensor<2x4xf32> {
  %y = qc.matmul %a, %b : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  %r = qc.clamp %y {min = 0.0 : f32} : tensor<2x4xf32>
  return %r : tensor<2x4xf32>
}

// -----

// no_fold: qc.select (and the other bool and integer ops) has no quantized
// form: the pair around it stays and the select computes on f32 values.
// CHECK-LABEL: func.func @no_fold_select
// CHECK: %[[D:.*]] = qc.dequantize %arg1
// CHECK-NEXT: %[[S:.*]] = qc.select %arg0, %[[D]], %{{.*}} : (tensor<4xi1>, tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
// CHECK-NEXT: qc.quantize %[[S]]
func.func @no_fold_select(%c: tensor<4xi1>, %x: tensor<4x!quant.uniform<u8:f32, 0.5:128>>) -> tensor<4x!quant.uniform<u8:f32, 0.5:128>> {
  %fill = arith.constant dense<-8.0> : tensor<f32>
  %d = qc.dequantize %x : tensor<4x!quant.uniform<u8:f32, 0.5:128>> -> tensor<4xf32>
  %s = qc.select %c, %d, %fill : (tensor<4xi1>, tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %q = qc.quantize %s : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 0.5:128>>
  return %q : tensor<4x!quant.uniform<u8:f32, 0.5:128>>
}

// -----

// dequantize -> pad / nearest resize / broadcast / gather -> quantize with
// the operand's parameters: the ops move storage integers, so they fold
// onto the quantized tensor (the constant pad's 0 is the zero point).
// CHECK-LABEL: func.func @fold_data_movement
// CHECK-NEXT: %[[P:.*]] = qc.pad %arg0 {{.*}} -> tensor<1x1x4x4x!quant.uniform<u8:f32, 5.000000e-01:3>>
// CHECK-NEXT: %[[R:.*]] = qc.resize %[[P]] {{.*}} -> tensor<1x1x8x8x!quant.uniform<u8:f32, 5.000000e-01:3>>
// CHECK-NEXT: %[[B:.*]] = qc.broadcast %[[R]] {{.*}} -> tensor<2x1x8x8x!quant.uniform<u8:f32, 5.000000e-01:3>>
// CHECK-NEXT: %[[G:.*]] = qc.gather %[[B]] {{.*}} -> tensor<2x1x8x3x!quant.uniform<u8:f32, 5.000000e-01:3>>
// CHECK-NEXT: return %[[G]]
func.func @fold_data_movement(%x: tensor<1x1x2x2x!quant.uniform<u8:f32, 0.5:3>>) -> tensor<2x1x8x3x!quant.uniform<u8:f32, 0.5:3>> {
  %d = qc.dequantize %x : tensor<1x1x2x2x!quant.uniform<u8:f32, 0.5:3>> -> tensor<1x1x2x2xf32>
  %p = qc.pad %d {pads = array<i64: 0, 0, 1, 1, 0, 0, 1, 1>} : (tensor<1x1x2x2xf32>) -> tensor<1x1x4x4xf32>
  %pq = qc.quantize %p : tensor<1x1x4x4xf32> -> tensor<1x1x4x4x!quant.uniform<u8:f32, 0.5:3>>
  %pd = qc.dequantize %pq : tensor<1x1x4x4x!quant.uniform<u8:f32, 0.5:3>> -> tensor<1x1x4x4xf32>
  %r = qc.resize %pd {coordinate_mode = "asymmetric", nearest_mode = "floor", scales = array<f64: 1.0, 1.0, 2.0, 2.0>} : (tensor<1x1x4x4xf32>) -> tensor<1x1x8x8xf32>
  %rq = qc.quantize %r : tensor<1x1x8x8xf32> -> tensor<1x1x8x8x!quant.uniform<u8:f32, 0.5:3>>
  %rd = qc.dequantize %rq : tensor<1x1x8x8x!quant.uniform<u8:f32, 0.5:3>> -> tensor<1x1x8x8xf32>
  %b = qc.broadcast %rd : (tensor<1x1x8x8xf32>) -> tensor<2x1x8x8xf32>
  %bq = qc.quantize %b : tensor<2x1x8x8xf32> -> tensor<2x1x8x8x!quant.uniform<u8:f32, 0.5:3>>
  %bd = qc.dequantize %bq : tensor<2x1x8x8x!quant.uniform<u8:f32, 0.5:3>> -> tensor<2x1x8x8xf32>
  %g = qc.gather %bd {axis = 3 : i64, indices = array<i64: 7, 0, 3>} : (tensor<2x1x8x8xf32>) -> tensor<2x1x8x3xf32>
  %gq = qc.quantize %g : tensor<2x1x8x3xf32> -> tensor<2x1x8x3x!quant.uniform<u8:f32, 0.5:3>>
  return %gq : tensor<2x1x8x3x!quant.uniform<u8:f32, 0.5:3>>
}

// -----

// The value-moving data ops let a dequantize sink below them, so that a
// following quantize with other parameters becomes one requantize.
// CHECK-LABEL: func.func @sink_dequantize_through_data_movement
// CHECK-NEXT: %[[P:.*]] = qc.pad %arg0 {mode = "edge", {{.*}} -> tensor<1x1x3x3x!quant.uniform<u8:f32, 5.000000e-01:3>>
// CHECK-NEXT: %[[R:.*]] = qc.resize %[[P]] {{.*}} -> tensor<1x1x6x6x!quant.uniform<u8:f32, 5.000000e-01:3>>
// CHECK-NEXT: %[[Q:.*]] = qc.requantize %[[R]] {{.*}} -> tensor<1x1x6x6x!quant.uniform<u8:f32, 2.500000e-01:3>>
// CHECK-NEXT: return %[[Q]]
func.func @sink_dequantize_through_data_movement(%x: tensor<1x1x2x2x!quant.uniform<u8:f32, 0.5:3>>) -> tensor<1x1x6x6x!quant.uniform<u8:f32, 0.25:3>> {
  %d = qc.dequantize %x : tensor<1x1x2x2x!quant.uniform<u8:f32, 0.5:3>> -> tensor<1x1x2x2xf32>
  %p = qc.pad %d {mode = "edge", pads = array<i64: 0, 0, 1, 0, 0, 0, 0, 1>} : (tensor<1x1x2x2xf32>) -> tensor<1x1x3x3xf32>
  %r = qc.resize %p {scales = array<f64: 1.0, 1.0, 2.0, 2.0>} : (tensor<1x1x3x3xf32>) -> tensor<1x1x6x6xf32>
  %q = qc.quantize %r : tensor<1x1x6x6xf32> -> tensor<1x1x6x6x!quant.uniform<u8:f32, 0.25:3>>
  return %q : tensor<1x1x6x6x!quant.uniform<u8:f32, 0.25:3>>
}

// -----

// no_fold: a constant pad whose value the parameters cannot represent
// (0.3 at scale 0.5) and a linear resize (its interpolation is rounded onto
// the grid) do not commute with dequantization: the dequantize stays.
// CHECK-LABEL: func.func @no_fold_inexact_pad_and_linear_resize
// CHECK-NEXT: %[[D:.*]] = qc.dequantize %arg0
// CHECK-NEXT: qc.pad %[[D]] {{.*}} : (tensor<1x1x2x2xf32>) -> tensor<1x1x3x2xf32>
// CHECK-NEXT: qc.resize %[[D]] {{.*}} : (tensor<1x1x2x2xf32>) -> tensor<1x1x4x4xf32>
func.func @no_fold_inexact_pad_and_linear_resize(%x: tensor<1x1x2x2x!quant.uniform<u8:f32, 0.5:3>>) -> (tensor<1x1x3x2xf32>, tensor<1x1x4x4xf32>) {
  %d = qc.dequantize %x : tensor<1x1x2x2x!quant.uniform<u8:f32, 0.5:3>> -> tensor<1x1x2x2xf32>
  %p = qc.pad %d {pads = array<i64: 0, 0, 1, 0, 0, 0, 0, 0>, value = 0.3 : f32} : (tensor<1x1x2x2xf32>) -> tensor<1x1x3x2xf32>
  %r = qc.resize %d {mode = "linear", scales = array<f64: 1.0, 1.0, 2.0, 2.0>} : (tensor<1x1x2x2xf32>) -> tensor<1x1x4x4xf32>
  return %p, %r : tensor<1x1x3x2xf32>, tensor<1x1x4x4xf32>
}

// -----

// A linear resize between a dequantize and a quantize folds into the
// quantized op with its own output parameters (computed through f32).
// CHECK-LABEL: func.func @fold_linear_resize
// CHECK-NEXT: %[[R:.*]] = qc.resize %arg0 {mode = "linear", {{.*}} : (tensor<1x1x2x2x!quant.uniform<u8:f32, 5.000000e-01:3>>) -> tensor<1x1x4x4x!quant.uniform<u8:f32, 2.500000e-01:3>>
// CHECK-NEXT: return %[[R]]
func.func @fold_linear_resize(%x: tensor<1x1x2x2x!quant.uniform<u8:f32, 0.5:3>>) -> tensor<1x1x4x4x!quant.uniform<u8:f32, 0.25:3>> {
  %d = qc.dequantize %x : tensor<1x1x2x2x!quant.uniform<u8:f32, 0.5:3>> -> tensor<1x1x2x2xf32>
  %r = qc.resize %d {mode = "linear", scales = array<f64: 1.0, 1.0, 2.0, 2.0>} : (tensor<1x1x2x2xf32>) -> tensor<1x1x4x4xf32>
  %q = qc.quantize %r : tensor<1x1x4x4xf32> -> tensor<1x1x4x4x!quant.uniform<u8:f32, 0.25:3>>
  return %q : tensor<1x1x4x4x!quant.uniform<u8:f32, 0.25:3>>
}

// -----

// dequantize -> conv_transpose2d -> quantize with quantized constant
// weights (per channel along axis 0) and bias becomes the integer op; a
// ReLU after it is fused as its output clamp.
// CHECK-LABEL: func.func @fold_conv_transpose_and_relu
// CHECK: %[[Y:.*]] = qc.conv_transpose2d %arg0, %{{.*}}, %{{.*}} {clamp_min = 0.000000e+00 : f32, strides = array<i64: 2, 2>} : (tensor<1x2x2x2x!quant.uniform<u8:f32, 5.000000e-01:128>>, {{.*}}) -> tensor<1x2x4x4x!quant.uniform<u8:f32, 2.500000e-01:3>>
// CHECK-NEXT: return %[[Y]]
func.func @fold_conv_transpose_and_relu(%x: tensor<1x2x2x2x!quant.uniform<u8:f32, 0.5:128>>) -> tensor<1x2x4x4x!quant.uniform<u8:f32, 0.25:3>> {
  %xd = qc.dequantize %x : tensor<1x2x2x2x!quant.uniform<u8:f32, 0.5:128>> -> tensor<1x2x2x2xf32>
  %w = qc.constant dense<1> : tensor<2x2x2x2xi8> -> tensor<2x2x2x2x!quant.uniform<i8:f32:0, {0.5, 0.25}>>
  %wd = qc.dequantize %w : tensor<2x2x2x2x!quant.uniform<i8:f32:0, {0.5, 0.25}>> -> tensor<2x2x2x2xf32>
  %b = qc.constant dense<[4, -8]> : tensor<2xi32> -> tensor<2x!quant.uniform<i32:f32:0, {0.25, 0.125}>>
  %bd = qc.dequantize %b : tensor<2x!quant.uniform<i32:f32:0, {0.25, 0.125}>> -> tensor<2xf32>
  %y = qc.conv_transpose2d %xd, %wd, %bd {strides = array<i64: 2, 2>} : (tensor<1x2x2x2xf32>, tensor<2x2x2x2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %q = qc.quantize %y : tensor<1x2x4x4xf32> -> tensor<1x2x4x4x!quant.uniform<u8:f32, 0.25:3>>
  %r = qc.clamp %q {min = 0.0 : f32} : tensor<1x2x4x4x!quant.uniform<u8:f32, 0.25:3>>
  return %r : tensor<1x2x4x4x!quant.uniform<u8:f32, 0.25:3>>
}

// -----

// A maximum between a dequantize and a quantize of the same parameters
// becomes a maximum of the quantized values; a sum is computed through the
// float domain with its own result parameters.
// CHECK-LABEL: func.func @fold_reductions
// CHECK-NEXT: %[[M:.*]] = qc.reduce max %arg0 {axes = array<i64: 1>} : (tensor<2x4x!quant.uniform<u8:f32, 5.000000e-01:128>>) -> tensor<2x1x!quant.uniform<u8:f32, 5.000000e-01:128>>
// CHECK-NEXT: %[[S:.*]] = qc.reduce sum %arg0 {axes = array<i64: 1>} : (tensor<2x4x!quant.uniform<u8:f32, 5.000000e-01:128>>) -> tensor<2x1x!quant.uniform<u8:f32, 2.000000e+00:128>>
// CHECK-NEXT: return %[[M]], %[[S]]
func.func @fold_reductions(%x: tensor<2x4x!quant.uniform<u8:f32, 0.5:128>>) -> (tensor<2x1x!quant.uniform<u8:f32, 0.5:128>>, tensor<2x1x!quant.uniform<u8:f32, 2.0:128>>) {
  %xd = qc.dequantize %x : tensor<2x4x!quant.uniform<u8:f32, 0.5:128>> -> tensor<2x4xf32>
  %m = qc.reduce max %xd {axes = array<i64: 1>} : (tensor<2x4xf32>) -> tensor<2x1xf32>
  %mq = qc.quantize %m : tensor<2x1xf32> -> tensor<2x1x!quant.uniform<u8:f32, 0.5:128>>
  %s = qc.reduce sum %xd {axes = array<i64: 1>} : (tensor<2x4xf32>) -> tensor<2x1xf32>
  %sq = qc.quantize %s : tensor<2x1xf32> -> tensor<2x1x!quant.uniform<u8:f32, 2.0:128>>
  return %mq, %sq : tensor<2x1x!quant.uniform<u8:f32, 0.5:128>>, tensor<2x1x!quant.uniform<u8:f32, 2.0:128>>
}

// -----

// A group norm whose scale and bias are float constants stays f32 between
// its dequantize and quantize.
// CHECK-LABEL: func.func @no_fold_group_norm_float_scale
// CHECK: qc.dequantize
// CHECK-NEXT: qc.group_norm {{.*}} : (tensor<1x4x3xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x3xf32>
// CHECK-NEXT: qc.quantize
func.func @no_fold_group_norm_float_scale(%x: tensor<1x4x3x!quant.uniform<u8:f32, 0.5:128>>) -> tensor<1x4x3x!quant.uniform<u8:f32, 0.25:3>> {
  %xd = qc.dequantize %x : tensor<1x4x3x!quant.uniform<u8:f32, 0.5:128>> -> tensor<1x4x3xf32>
  %g = arith.constant dense<1.0> : tensor<4xf32>
  %n = qc.group_norm %xd, %g, %g {groups = 2 : i64} : (tensor<1x4x3xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x3xf32>
  %q = qc.quantize %n : tensor<1x4x3xf32> -> tensor<1x4x3x!quant.uniform<u8:f32, 0.25:3>>
  return %q : tensor<1x4x3x!quant.uniform<u8:f32, 0.25:3>>
}

// -----

// argmax and top_k select by value: they run on the storage integers, and
// the top-k values meet the quantize with the input's parameters, so the
// pair folds away.
// CHECK-LABEL: func.func @sink_dequantize_through_argmax_and_top_k
// CHECK-NEXT: %[[A:.*]] = qc.argmax %arg0 {axis = 1 : i64} : (tensor<2x4x!quant.uniform<u8:f32, 5.000000e-01:3>>) -> tensor<2x1xi64>
// CHECK-NEXT: %[[V:.*]], %[[I:.*]] = qc.top_k %arg0 {k = 2 : i64} : (tensor<2x4x!quant.uniform<u8:f32, 5.000000e-01:3>>) -> (tensor<2x2x!quant.uniform<u8:f32, 5.000000e-01:3>>, tensor<2x2xi64>)
// CHECK-NEXT: return %[[A]], %[[V]], %[[I]]
func.func @sink_dequantize_through_argmax_and_top_k(%x: tensor<2x4x!quant.uniform<u8:f32, 0.5:3>>) -> (tensor<2x1xi64>, tensor<2x2x!quant.uniform<u8:f32, 0.5:3>>, tensor<2x2xi64>) {
  %d = qc.dequantize %x : tensor<2x4x!quant.uniform<u8:f32, 0.5:3>> -> tensor<2x4xf32>
  %a = qc.argmax %d {axis = 1 : i64} : (tensor<2x4xf32>) -> tensor<2x1xi64>
  %v, %i = qc.top_k %d {k = 2 : i64} : (tensor<2x4xf32>) -> (tensor<2x2xf32>, tensor<2x2xi64>)
  %q = qc.quantize %v : tensor<2x2xf32> -> tensor<2x2x!quant.uniform<u8:f32, 0.5:3>>
  return %a, %q, %i : tensor<2x1xi64>, tensor<2x2x!quant.uniform<u8:f32, 0.5:3>>, tensor<2x2xi64>
}

// -----

// Runtime parameters (a scale operand) may be negative at run time: the
// order is not known, nothing moves.
// CHECK-LABEL: func.func @no_fold_argmin_runtime_dequantize
// CHECK: %[[D:.*]] = qc.dequantize
// CHECK-NEXT: qc.argmin %[[D]]
func.func @no_fold_argmin_runtime_dequantize(%x: tensor<2x4xi8>, %s: tensor<f32>) -> tensor<2xi64> {
  %d = qc.dequantize %x scale(%s : tensor<f32>) : tensor<2x4xi8> -> tensor<2x4xf32>
  %a = qc.argmin %d {axis = 1 : i64, keepdims = false} : (tensor<2x4xf32>) -> tensor<2xi64>
  return %a : tensor<2xi64>
}
