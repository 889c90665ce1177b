// RUN: qopt %s -split-input-file -verify-diagnostics

// One case per verifier message of the qc dialect.

func.func @quantize_shape(%x: tensor<4xf32>) {
  // expected-error @+1 {{input and result shapes must match}}
  %q = qc.quantize %x : tensor<4xf32> -> tensor<5x!quant.uniform<u8:f32, 0.5:128>>
  return
}

// -----

func.func @zero_point_without_scale(%x: tensor<4xf32>, %z: tensor<ui8>) {
  // expected-error @+1 {{'zero_point' requires a 'scale' operand}}
  %q = qc.quantize %x zero_point(%z : tensor<ui8>) : tensor<4xf32> -> tensor<4xui8>
  return
}

// -----

func.func @axis_without_scale(%x: tensor<4xf32>) {
  // expected-error @+1 {{'axis' is only used with a runtime 'scale'}}
  %q = qc.quantize %x {axis = 0 : i64} : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 0.5:128>>
  return
}

// -----

func.func @static_needs_quant_type(%x: tensor<4xf32>) {
  // expected-error @+1 {{the quantized side must have a !quant.uniform element type when no 'scale' operand is given}}
  %q = qc.quantize %x : tensor<4xf32> -> tensor<4xi8>
  return
}

// -----

func.func @expressed_not_f32(%x: tensor<4xf32>) {
  // expected-error @+1 {{must have an f32 expressed type}}
  %q = qc.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f16, 0.5:128>>
  return
}

// -----

func.func @zero_point_out_of_range(%x: tensor<4xf32>) {
  // expected-error @+1 {{zero point 300 is outside the storage range [0, 255]}}
  %q = qc.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 0.5:300>>
  return
}

// -----

func.func @not_uniform(%x: tensor<4xf32>) {
  // expected-error @+1 {{must be a !quant.uniform type (per-tensor or per-axis)}}
  %q = qc.quantize %x : tensor<4xf32> -> tensor<4x!quant.any<i8:f32>>
  return
}

// -----

func.func @per_axis_axis_out_of_range(%x: tensor<4xf32>) {
  // expected-error @+1 {{quantization axis 1 is out of range for rank 1}}
  %q = qc.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<i8:f32:1, {0.5, 0.25}>>
  return
}

// -----

func.func @per_axis_scale_count(%x: tensor<4x2xf32>) {
  // expected-error @+1 {{has 3 scales but dimension 0 has size 4}}
  %q = qc.quantize %x : tensor<4x2xf32> -> tensor<4x2x!quant.uniform<i8:f32:0, {0.5, 0.25, 1.0}>>
  return
}

// -----

// Zero, negative and infinite scales are rejected by the quant dialect's
// type parser, NaN by the qc verifier.

func.func @scale_zero(%x: tensor<4xf32>) {
  // expected-error @+1 {{scale 0.000000e+00 out of expressed type range}}
  %q = qc.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 0.0:128>>
  return
}

// -----

func.func @scale_negative(%x: tensor<4xf32>) {
  // expected-error @+1 {{scale -5.000000e-01 out of expressed type range}}
  %q = qc.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, -0.5:128>>
  return
}

// -----

func.func @scale_infinite(%x: tensor<4xf32>) {
  // expected-error @+1 {{scale INF out of expressed type range}}
  %q = qc.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 0x7FF0000000000000:128>>
  return
}

// -----

func.func @per_axis_scale_zero(%x: tensor<2xf32>) {
  // expected-error @+1 {{scale 0.000000e+00 out of expressed type range}}
  %q = qc.quantize %x : tensor<2xf32> -> tensor<2x!quant.uniform<i8:f32:0, {0.5, 0.0}>>
  return
}

// -----

func.func @scale_nan(%x: tensor<4xf32>) {
  // expected-error @+1 {{quantized type scale nan must be positive and finite}}
  %q = qc.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 0x7FF8000000000000:128>>
  return
}

// -----

func.func @per_axis_scale_nan(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{quantized type scale nan must be positive and finite}}
  %q = qc.quantize %x : tensor<2x3xf32> -> tensor<2x3x!quant.uniform<i8:f32:1, {0.5, 0x7FF8000000000000, 0.25}>>
  return
}

// -----

func.func @runtime_needs_integer(%x: tensor<4xf32>, %s: tensor<f32>) {
  // expected-error @+1 {{with a runtime 'scale' the quantized side must have an integer element type}}
  %q = qc.quantize %x scale(%s : tensor<f32>) : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 0.5:128>>
  return
}

// -----

func.func @runtime_scale_rank(%x: tensor<4xf32>, %s: tensor<1x1xf32>) {
  // expected-error @+1 {{'scale' must have rank 0 or 1, got rank 2}}
  %q = qc.quantize %x scale(%s : tensor<1x1xf32>) : tensor<4xf32> -> tensor<4xui8>
  return
}

// -----

func.func @runtime_axis_range(%x: tensor<4xf32>, %s: tensor<4xf32>) {
  // expected-error @+1 {{axis 2 is out of range for rank 1}}
  %q = qc.quantize %x scale(%s : tensor<4xf32>) {axis = 2 : i64} : tensor<4xf32> -> tensor<4xui8>
  return
}

// -----

func.func @runtime_per_axis_size(%x: tensor<4x2xi8>, %s: tensor<3xf32>) {
  // expected-error @+1 {{per-axis 'scale' must be 1-D with one value per slice: dimension 0 has size 4}}
  %q = qc.dequantize %x scale(%s : tensor<3xf32>) {axis = 0 : i64} : tensor<4x2xi8> -> tensor<4x2xf32>
  return
}

// -----

func.func @runtime_per_tensor_one(%x: tensor<4xf32>, %s: tensor<4xf32>) {
  // expected-error @+1 {{a per-tensor 'scale' must have one element}}
  %q = qc.quantize %x scale(%s : tensor<4xf32>) : tensor<4xf32> -> tensor<4xui8>
  return
}

// -----

func.func @runtime_zero_point_shape(%x: tensor<4xf32>, %s: tensor<f32>, %z: tensor<1xui8>) {
  // expected-error @+1 {{'zero_point' shape must match 'scale' shape}}
  %q = qc.quantize %x scale(%s : tensor<f32>) zero_point(%z : tensor<1xui8>) : tensor<4xf32> -> tensor<4xui8>
  return
}

// -----

func.func @runtime_zero_point_type(%x: tensor<4xf32>, %s: tensor<f32>, %z: tensor<i8>) {
  // expected-error @+1 {{'zero_point' element type 'i8' must match the quantized element type 'ui8'}}
  %q = qc.quantize %x scale(%s : tensor<f32>) zero_point(%z : tensor<i8>) : tensor<4xf32> -> tensor<4xui8>
  return
}

// -----

func.func @runtime_scale_positive(%x: tensor<4xf32>) {
  %s = arith.constant dense<-2.0> : tensor<f32>
  // expected-error @+1 {{'scale' values must be positive and finite, got -2}}
  %q = qc.quantize %x scale(%s : tensor<f32>) : tensor<4xf32> -> tensor<4xui8>
  return
}

// -----

func.func @quantize_input_type(%x: tensor<4xf16>) {
  // expected-error @+1 {{operand #0 must be ranked tensor of 32-bit float values, but got 'tensor<4xf16>'}}
  %q = qc.quantize %x : tensor<4xf16> -> tensor<4x!quant.uniform<u8:f32, 0.5:128>>
  return
}

// -----

func.func @requantize_shape(%x: tensor<4x!quant.uniform<u8:f32, 0.5:128>>) {
  // expected-error @+1 {{requires the same shape for all operands and results}}
  %r = qc.requantize %x : tensor<4x!quant.uniform<u8:f32, 0.5:128>> -> tensor<2x2x!quant.uniform<i8:f32, 0.25>>
  return
}

// -----

func.func @requantize_operand(%x: tensor<4x!quant.uniform<u8:f32, 0.5:300>>) {
  // expected-error @+1 {{operand zero point 300 is outside the storage range [0, 255]}}
  %r = qc.requantize %x : tensor<4x!quant.uniform<u8:f32, 0.5:300>> -> tensor<4x!quant.uniform<i8:f32, 0.25>>
  return
}

// -----

func.func @requantize_result(%x: tensor<4x!quant.uniform<u8:f32, 0.5:128>>) {
  // expected-error @+1 {{result must have an f32 expressed type}}
  %r = qc.requantize %x : tensor<4x!quant.uniform<u8:f32, 0.5:128>> -> tensor<4x!quant.uniform<i8:f16, 0.25>>
  return
}

// -----

func.func @constant_not_quantized() {
  // expected-error @+1 {{result #0 must be ranked tensor of quantized type values, but got 'tensor<2xi8>'}}
  %c = qc.constant dense<[1, 2]> : tensor<2xi8> -> tensor<2xi8>
  return
}

// -----

func.func @constant_shape() {
  // expected-error @+1 {{value shape must match the result shape}}
  %c = qc.constant dense<[1, 2]> : tensor<2xi8> -> tensor<3x!quant.uniform<i8:f32, 0.5>>
  return
}

// -----

func.func @constant_width() {
  // expected-error @+1 {{value must have an integer element type of the storage width 8, got 'i32'}}
  %c = qc.constant dense<[1, 2]> : tensor<2xi32> -> tensor<2x!quant.uniform<i8:f32, 0.5>>
  return
}

// -----

func.func @scheme_attr_kind(%a: tensor<2x2xf32>) {
  // expected-error @+1 {{'qc.weight_scheme' must be a #qc.scheme attribute}}
  %0 = qc.matmul %a, %a {qc.weight_scheme = 1 : i64} : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  return
}

// -----

func.func @unknown_attr(%a: tensor<2x2xf32>) {
  // expected-error @+1 {{unknown qc attribute 'qc.frobnicate'}}
  %0 = qc.matmul %a, %a {qc.frobnicate} : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  return
}

// -----

// expected-error @+1 {{'qc.workspace_size' must be a non-negative integer}}
func.func @workspace_size() attributes {qc.workspace_size = -1 : i64} { return }

// -----

// expected-error @+1 {{'qc.num_inputs' must be a non-negative integer}}
func.func @num_inputs() attributes {qc.num_inputs = "two"} { return }

// -----

func.func @stats_type(%x: tensor<4xf32>) {
  // expected-error @+1 {{requires the same type for all operands and results}}
  %0 = "qc.stats"(%x) {stats = #qc.stats<min = 0.0, max = 1.0>} : (tensor<4xf32>) -> tensor<2x2xf32>
  return
}

// -----

func.func @stats_order(%x: tensor<4xf32>) {
  // expected-error @+1 {{statistics min 2.000000e+00 exceeds max 1.000000e+00}}
  %0 = qc.stats %x <min = 2.0, max = 1.0> : tensor<4xf32>
  return
}

// -----

func.func @stats_finite(%x: tensor<4xf32>) {
  // expected-error @+1 {{statistics range must be finite}}
  %0 = qc.stats %x <min = 0x7FF0000000000000, max = 1.0> : tensor<4xf32>
  return
}

// -----

func.func @stats_histogram(%x: tensor<4xf32>) {
  // expected-error @+1 {{histogram counts must be non-negative}}
  %0 = qc.stats %x <min = 0.0, max = 1.0, histogram = [1, -1]> : tensor<4xf32>
  return
}

// -----

// expected-error @+1 {{expected 'per_tensor' or 'per_channel'}}
func.func @scheme_granularity() attributes {s = #qc.scheme<per_row, symmetric, i8>} { return }

// -----

// expected-error @+1 {{expected 'symmetric' or 'asymmetric'}}
func.func @scheme_symmetry() attributes {s = #qc.scheme<per_tensor, lopsided, i8>} { return }

// -----

// expected-error @+1 {{expected an integer storage type such as i8 or ui8}}
func.func @scheme_storage() attributes {s = #qc.scheme<per_tensor, symmetric, f32>} { return }

// -----

// expected-error @+1 {{expected 'narrow' or 'sqnr'}}
func.func @scheme_key() attributes {s = #qc.scheme<per_tensor, symmetric, i8, wide>} { return }

// -----

// expected-error @+1 {{storage width must be between 2 and 16 bits, got 32}}
func.func @scheme_width() attributes {s = #qc.scheme<per_tensor, symmetric, i32>} { return }

// -----

// expected-error @+1 {{per-channel axis must be non-negative, got -1}}
func.func @scheme_axis() attributes {s = #qc.scheme<per_channel = -1, symmetric, i8>} { return }

// -----

// expected-error @+1 {{sqnr must not be NaN}}
func.func @scheme_sqnr() attributes {s = #qc.scheme<per_tensor, symmetric, i8, sqnr = 0x7FF8000000000000>} { return }

// -----

func.func @mixed_types(%a: tensor<2x3xf32>, %b: tensor<2x3x!quant.uniform<u8:f32, 0.5>>) {
  // expected-error @+1 {{operands and results must be all f32 or all quantized; operand #1 is quantized}}
  %0 = qc.add %a, %b : (tensor<2x3xf32>, tensor<2x3x!quant.uniform<u8:f32, 0.5>>) -> tensor<2x3xf32>
  return
}

// -----

func.func @per_channel_activation(%a: tensor<2x3x!quant.uniform<u8:f32:1, {0.5, 0.5, 0.5}>>) {
  // expected-error @+1 {{per-channel quantization is only supported for weights and biases; operand #0 is per-channel}}
  %0 = qc.sigmoid %a : (tensor<2x3x!quant.uniform<u8:f32:1, {0.5, 0.5, 0.5}>>) -> tensor<2x3x!quant.uniform<u8:f32:1, {0.5, 0.5, 0.5}>>
  return
}

// -----

func.func @conv_result_shape(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{result shape [1x4x8x8] does not match the expected [1x4x6x6]}}
  %0 = qc.conv2d %x, %w : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x8x8xf32>
  return
}

// -----

func.func @conv_strides(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{'strides' must hold 2 positive values}}
  %0 = qc.conv2d %x, %w {strides = array<i64: 0, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_pads(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{'pads' must hold 4 non-negative values [top, left, bottom, right]}}
  %0 = qc.conv2d %x, %w {pads = array<i64: 1, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_dilations(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{'dilations' must hold 2 positive values}}
  %0 = qc.conv2d %x, %w {dilations = array<i64: 1, -1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_window_fit(%x: tensor<1x3x2x2xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{window of size 3 (dilation 1) does not fit spatial dim 0 of size 2 with padding 0+0}}
  %0 = qc.conv2d %x, %w : (tensor<1x3x2x2xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x1x1xf32>
  return
}

// -----

func.func @conv_input_rank(%x: tensor<3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{input must have rank 4 (NCHW), got rank 3}}
  %0 = qc.conv2d %x, %w : (tensor<3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_weight_rank(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3xf32>) {
  // expected-error @+1 {{weight must have rank 4 (OIHW), got rank 3}}
  %0 = qc.conv2d %x, %w : (tensor<1x3x8x8xf32>, tensor<4x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_groups_positive(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{'groups' must be positive, got 0}}
  %0 = qc.conv2d %x, %w {groups = 0 : i64} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_groups_divide(%x: tensor<1x4x8x8xf32>, %w: tensor<3x2x3x3xf32>) {
  // expected-error @+1 {{input channels (4) and output channels (3) must be divisible by groups (2)}}
  %0 = qc.conv2d %x, %w {groups = 2 : i64} : (tensor<1x4x8x8xf32>, tensor<3x2x3x3xf32>) -> tensor<1x3x6x6xf32>
  return
}

// -----

func.func @conv_group_channels(%x: tensor<1x4x8x8xf32>, %w: tensor<4x4x3x3xf32>) {
  // expected-error @+1 {{weight has 4 input channels per group but the input has 4 channels in 2 groups}}
  %0 = qc.conv2d %x, %w {groups = 2 : i64} : (tensor<1x4x8x8xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_bias(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<3xf32>) {
  // expected-error @+1 {{bias must be 1-D with 4 elements (one per output channel)}}
  %0 = qc.conv2d %x, %w, %b : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_storage(%x: tensor<1x1x2x2x!quant.uniform<i16:f32, 0.5>>, %w: tensor<1x1x1x1x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+1 {{quantized input and weight must have at most 8-bit storage}}
  %0 = qc.conv2d %x, %w : (tensor<1x1x2x2x!quant.uniform<i16:f32, 0.5>>, tensor<1x1x1x1x!quant.uniform<i8:f32, 0.5>>) -> tensor<1x1x2x2x!quant.uniform<i8:f32, 0.5>>
  return
}

// -----

func.func @conv_weight_axis(%x: tensor<1x2x2x2x!quant.uniform<u8:f32, 0.5>>, %w: tensor<2x2x1x1x!quant.uniform<i8:f32:1, {0.5, 0.25}>>) {
  // expected-error @+1 {{per-channel weight must be quantized along axis 0 (output channels), got axis 1}}
  %0 = qc.conv2d %x, %w : (tensor<1x2x2x2x!quant.uniform<u8:f32, 0.5>>, tensor<2x2x1x1x!quant.uniform<i8:f32:1, {0.5, 0.25}>>) -> tensor<1x2x2x2x!quant.uniform<u8:f32, 0.5>>
  return
}

// -----

func.func @bias_storage(%a: tensor<2x2x!quant.uniform<u8:f32, 0.5>>, %b: tensor<2x2x!quant.uniform<i8:f32, 0.5>>, %c: tensor<2x!quant.uniform<i16:f32, 0.25>>) {
  // expected-error @+1 {{quantized bias must have i32 storage}}
  %0 = qc.matmul %a, %b, %c : (tensor<2x2x!quant.uniform<u8:f32, 0.5>>, tensor<2x2x!quant.uniform<i8:f32, 0.5>>, tensor<2x!quant.uniform<i16:f32, 0.25>>) -> tensor<2x2x!quant.uniform<u8:f32, 0.5>>
  return
}

// -----

func.func @bias_zero_point(%a: tensor<2x2x!quant.uniform<u8:f32, 0.5>>, %b: tensor<2x2x!quant.uniform<i8:f32, 0.5>>, %c: tensor<2x!quant.uniform<i32:f32, 0.25:3>>) {
  // expected-error @+1 {{quantized bias zero point must be 0}}
  %0 = qc.matmul %a, %b, %c : (tensor<2x2x!quant.uniform<u8:f32, 0.5>>, tensor<2x2x!quant.uniform<i8:f32, 0.5>>, tensor<2x!quant.uniform<i32:f32, 0.25:3>>) -> tensor<2x2x!quant.uniform<u8:f32, 0.5>>
  return
}

// -----

func.func @bias_granularity(%a: tensor<2x2x!quant.uniform<u8:f32, 0.5>>, %b: tensor<2x2x!quant.uniform<i8:f32, 0.5>>, %c: tensor<2x!quant.uniform<i32:f32:0, {0.25, 0.25}>>) {
  // expected-error @+1 {{quantized bias must be per-channel exactly when the weight is}}
  %0 = qc.matmul %a, %b, %c : (tensor<2x2x!quant.uniform<u8:f32, 0.5>>, tensor<2x2x!quant.uniform<i8:f32, 0.5>>, tensor<2x!quant.uniform<i32:f32:0, {0.25, 0.25}>>) -> tensor<2x2x!quant.uniform<u8:f32, 0.5>>
  return
}

// -----

func.func @bias_scale(%a: tensor<2x2x!quant.uniform<u8:f32, 0.5>>, %b: tensor<2x2x!quant.uniform<i8:f32:1, {0.5, 0.125}>>, %c: tensor<2x!quant.uniform<i32:f32:0, {0.25, 0.25}>>) {
  // expected-error @+1 {{bias scale 2.500000e-01 of channel 1 must equal input scale x weight scale = 6.250000e-02}}
  %0 = qc.matmul %a, %b, %c : (tensor<2x2x!quant.uniform<u8:f32, 0.5>>, tensor<2x2x!quant.uniform<i8:f32:1, {0.5, 0.125}>>, tensor<2x!quant.uniform<i32:f32:0, {0.25, 0.25}>>) -> tensor<2x2x!quant.uniform<u8:f32, 0.5>>
  return
}

// -----

func.func @matmul_rank(%a: tensor<f32>, %b: tensor<2xf32>) {
  // expected-error @+1 {{operands must have rank >= 1}}
  %0 = qc.matmul %a, %b : (tensor<f32>, tensor<2xf32>) -> tensor<f32>
  return
}

// -----

func.func @matmul_contraction(%a: tensor<2x3xf32>, %b: tensor<4x5xf32>) {
  // expected-error @+1 {{contraction dims differ: lhs has 3 columns, rhs has 4 rows}}
  %0 = qc.matmul %a, %b : (tensor<2x3xf32>, tensor<4x5xf32>) -> tensor<2x5xf32>
  return
}

// -----

func.func @matmul_batch(%a: tensor<2x2x3xf32>, %b: tensor<3x3x5xf32>) {
  // expected-error @+1 {{batch dims [2] and [3] do not broadcast}}
  %0 = qc.matmul %a, %b : (tensor<2x2x3xf32>, tensor<3x3x5xf32>) -> tensor<2x2x5xf32>
  return
}

// -----

func.func @matmul_bias(%a: tensor<2x3xf32>, %b: tensor<3x5xf32>, %c: tensor<2xf32>) {
  // expected-error @+1 {{bias must be 1-D with one element per column of rhs}}
  %0 = qc.matmul %a, %b, %c : (tensor<2x3xf32>, tensor<3x5xf32>, tensor<2xf32>) -> tensor<2x5xf32>
  return
}

// -----

func.func @binary_broadcast(%a: tensor<2x3xf32>, %b: tensor<2xf32>) {
  // expected-error @+1 {{operand shapes [2x3] and [2] do not broadcast}}
  %0 = qc.mul %a, %b : (tensor<2x3xf32>, tensor<2xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @max_broadcast(%a: tensor<2x3xf32>, %b: tensor<4x1xf32>) {
  // expected-error @+1 {{'qc.max' op operand shapes [2x3] and [4x1] do not broadcast}}
  %0 = qc.max %a, %b : (tensor<2x3xf32>, tensor<4x1xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @min_result_shape(%a: tensor<2x3xf32>, %b: tensor<3xf32>) {
  // expected-error @+1 {{'qc.min' op result shape [3] does not match the expected [2x3]}}
  %0 = qc.min %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return
}

// -----

func.func @max_mixed(%a: tensor<3xf32>, %b: tensor<3x!quant.uniform<u8:f32, 0.5>>) {
  // expected-error @+1 {{'qc.max' op operands and results must be all f32 or all quantized; operand #1 is quantized}}
  %0 = qc.max %a, %b : (tensor<3xf32>, tensor<3x!quant.uniform<u8:f32, 0.5>>) -> tensor<3xf32>
  return
}

// -----

func.func @clamp_nan(%a: tensor<2xf32>) {
  // expected-error @+1 {{bounds must not be NaN}}
  %0 = qc.clamp %a {min = 0x7FC00000 : f32} : tensor<2xf32>
  return
}

// -----

func.func @clamp_order(%a: tensor<2xf32>) {
  // expected-error @+1 {{min 6.000000e+00 exceeds max 0.000000e+00}}
  %0 = qc.clamp %a {min = 6.0 : f32, max = 0.0 : f32} : tensor<2xf32>
  return
}

// -----

func.func @clamp_type(%a: tensor<2xf32>) {
  // expected-error @+1 {{requires the same type for all operands and results}}
  %0 = "qc.clamp"(%a) {min = 0.0 : f32} : (tensor<2xf32>) -> tensor<2x!quant.uniform<u8:f32, 0.5>>
  return
}

// -----

func.func @pool_rank(%x: tensor<4x8x8xf32>) {
  // expected-error @+1 {{input must have rank 4 (NCHW), got rank 3}}
  %0 = qc.max_pool2d %x {kernel = array<i64: 2, 2>} : (tensor<4x8x8xf32>) -> tensor<4x4x4xf32>
  return
}

// -----

func.func @pool_kernel(%x: tensor<1x4x8x8xf32>) {
  // expected-error @+1 {{'kernel' must hold 2 positive values}}
  %0 = qc.avg_pool2d %x {kernel = array<i64: 2>} : (tensor<1x4x8x8xf32>) -> tensor<1x4x4x4xf32>
  return
}

// -----

func.func @max_pool_params(%x: tensor<1x4x8x8x!quant.uniform<u8:f32, 0.5>>) {
  // expected-error @+1 {{quantized max pooling keeps the operand's parameters}}
  %0 = qc.max_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x4x8x8x!quant.uniform<u8:f32, 0.5>>) -> tensor<1x4x4x4x!quant.uniform<u8:f32, 0.25>>
  return
}

// -----

func.func @concat_empty() {
  // expected-error @+1 {{needs at least one operand}}
  %0 = qc.concat {axis = 0 : i64} : () -> tensor<1xf32>
  return
}

// -----

func.func @concat_axis(%a: tensor<2xf32>) {
  // expected-error @+1 {{axis 1 is out of range for rank 1}}
  %0 = qc.concat %a, %a {axis = 1 : i64} : (tensor<2xf32>, tensor<2xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @concat_rank(%a: tensor<2xf32>, %b: tensor<1x2xf32>) {
  // expected-error @+1 {{operands must have the same rank}}
  %0 = qc.concat %a, %b {axis = 0 : i64} : (tensor<2xf32>, tensor<1x2xf32>) -> tensor<3xf32>
  return
}

// -----

func.func @concat_dims(%a: tensor<1x2xf32>, %b: tensor<1x3xf32>) {
  // expected-error @+1 {{operand shapes differ in dim 1, which is not the concatenation axis}}
  %0 = qc.concat %a, %b {axis = 0 : i64} : (tensor<1x2xf32>, tensor<1x3xf32>) -> tensor<2x2xf32>
  return
}

// -----

func.func @concat_quant(%a: tensor<2x!quant.uniform<u8:f32, 0.5>>, %b: tensor<2x!quant.uniform<u8:f32, 0.25>>) {
  // expected-error @+1 {{quantized operands and result must share one element type}}
  %0 = qc.concat %a, %b {axis = 0 : i64} : (tensor<2x!quant.uniform<u8:f32, 0.5>>, tensor<2x!quant.uniform<u8:f32, 0.25>>) -> tensor<4x!quant.uniform<u8:f32, 0.5>>
  return
}

// -----

func.func @reshape_count(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{element count changes from 6 to 8}}
  %0 = qc.reshape %a : (tensor<2x3xf32>) -> tensor<8xf32>
  return
}

// -----

func.func @reshape_type(%a: tensor<2x3x!quant.uniform<u8:f32, 0.5>>) {
  // expected-error @+1 {{element type must not change}}
  %0 = qc.reshape %a : (tensor<2x3x!quant.uniform<u8:f32, 0.5>>) -> tensor<6x!quant.uniform<u8:f32, 0.25>>
  return
}

// -----

func.func @transpose_perm_size(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{'perm' must hold 2 values}}
  %0 = qc.transpose %a {perm = array<i64: 0>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @transpose_perm(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{'perm' must be a permutation of [0, 2)}}
  %0 = qc.transpose %a {perm = array<i64: 0, 0>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @transpose_type(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{result element type must be 'f32'}}
  %0 = qc.transpose %a {perm = array<i64: 1, 0>} : (tensor<2x3xf32>) -> tensor<3x2x!quant.uniform<u8:f32, 0.5>>
  return
}

// -----

func.func @softmax_axis(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{axis 2 is out of range for rank 2}}
  %0 = qc.softmax %a {axis = 2 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @softmax_shape(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{requires the same shape for all operands and results}}
  %0 = qc.softmax %a {axis = 1 : i64} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return
}

// -----

func.func @sigmoid_shape(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{requires the same shape for all operands and results}}
  %0 = qc.sigmoid %a : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return
}

// -----

func.func @tanh_shape(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{requires the same shape for all operands and results}}
  %0 = qc.tanh %a : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return
}

// -----

func.func @erf_shape(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{requires the same shape for all operands and results}}
  %0 = qc.erf %a : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return
}

// -----

func.func @sqrt_shape(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{requires the same shape for all operands and results}}
  %0 = qc.sqrt %a : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return
}

// -----

func.func @exp_shape(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{requires the same shape for all operands and results}}
  %0 = qc.exp %a : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return
}

// -----

func.func @log_shape(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{requires the same shape for all operands and results}}
  %0 = qc.log %a : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return
}

// -----

func.func @abs_shape(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{requires the same shape for all operands and results}}
  %0 = qc.abs %a : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return
}

// -----

func.func @floor_shape(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{requires the same shape for all operands and results}}
  %0 = qc.floor %a : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return
}

// -----

func.func @ceil_shape(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{requires the same shape for all operands and results}}
  %0 = qc.ceil %a : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return
}

// -----

func.func @round_shape(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{requires the same shape for all operands and results}}
  %0 = qc.round %a : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return
}

// -----

func.func @sign_shape(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{requires the same shape for all operands and results}}
  %0 = qc.sign %a : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return
}

// -----

func.func @sin_shape(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{requires the same shape for all operands and results}}
  %0 = qc.sin %a : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return
}

// -----

func.func @cos_shape(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{requires the same shape for all operands and results}}
  %0 = qc.cos %a : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return
}

// -----

func.func @exp_mixed_types(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{operands and results must be all f32 or all quantized; result #0 is quantized}}
  %0 = qc.exp %a : (tensor<2x3xf32>) -> tensor<2x3x!quant.uniform<u8:f32, 0.5>>
  return
}

// -----

func.func @round_per_channel(%a: tensor<2x3x!quant.uniform<u8:f32:1, {0.5, 0.5, 0.5}>>) {
  // expected-error @+1 {{per-channel quantization is only supported for weights and biases; operand #0 is per-channel}}
  %0 = qc.round %a : (tensor<2x3x!quant.uniform<u8:f32:1, {0.5, 0.5, 0.5}>>) -> tensor<2x3x!quant.uniform<u8:f32, 0.5>>
  return
}

// -----

func.func @layer_norm_scale(%a: tensor<2x3xf32>, %g: tensor<2xf32>) {
  // expected-error @+1 {{'scale' must have the normalized shape [3], got [2]}}
  %0 = qc.layer_norm %a, %g : (tensor<2x3xf32>, tensor<2xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @layer_norm_result(%a: tensor<2x3xf32>, %g: tensor<3xf32>) {
  // expected-error @+1 {{result shape must match the input shape}}
  %0 = qc.layer_norm %a, %g : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<3x2xf32>
  return
}

// -----

func.func @layer_norm_epsilon(%a: tensor<2x3xf32>, %g: tensor<3xf32>) {
  // expected-error @+1 {{'epsilon' must be non-negative}}
  %0 = qc.layer_norm %a, %g {epsilon = -1.0 : f32} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @reduce_mean_axis(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{axis 2 is out of range for rank 2}}
  %0 = qc.reduce_mean %a {axes = array<i64: 2>} : (tensor<2x3xf32>) -> tensor<2x1xf32>
  return
}

// -----

func.func @reduce_mean_repeated(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{axis -1 is repeated}}
  %0 = qc.reduce_mean %a {axes = array<i64: 1, -1>} : (tensor<2x3xf32>) -> tensor<2x1xf32>
  return
}

// -----

func.func @slice_rank(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{'offsets' and the result must have the input's rank}}
  %0 = qc.slice %a {offsets = array<i64: 0>} : (tensor<2x3xf32>) -> tensor<2x1xf32>
  return
}

// -----

func.func @slice_bounds(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{slice of dim 1 [2, 4) is outside the input's size 3}}
  %0 = qc.slice %a {offsets = array<i64: 0, 2>} : (tensor<2x3xf32>) -> tensor<2x2xf32>
  return
}

// -----

func.func @slice_type(%a: tensor<2x3x!quant.uniform<u8:f32, 0.5>>) {
  // expected-error @+1 {{element type must not change}}
  %0 = qc.slice %a {offsets = array<i64: 0, 0>} : (tensor<2x3x!quant.uniform<u8:f32, 0.5>>) -> tensor<2x2x!quant.uniform<u8:f32, 0.25>>
  return
}

// -----

func.func @dynamic_quantize_type(%x: tensor<6xf32>) {
  // expected-error @+1 {{result must have ui8 elements}}
  %q, %s, %z = qc.dynamic_quantize %x : tensor<6xf32> -> tensor<6xi8>, tensor<f32>, tensor<i8>
  return
}

// -----

func.func @dynamic_quantize_shape(%x: tensor<6xf32>) {
  // expected-error @+1 {{input and result shapes must match}}
  %q, %s, %z = qc.dynamic_quantize %x : tensor<6xf32> -> tensor<5xui8>, tensor<f32>, tensor<ui8>
  return
}

// -----

func.func @dynamic_quantize_params(%x: tensor<6xf32>) {
  // expected-error @+1 {{scale must be tensor<f32> and zero point tensor<ui8>}}
  %q, %s, %z = qc.dynamic_quantize %x : tensor<6xf32> -> tensor<6xui8>, tensor<1xf32>, tensor<ui8>
  return
}

// -----

func.func @fused_clamp_float(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{a fused output clamp (clamp_min, clamp_max) needs a per-tensor quantized 8-bit result; use qc.clamp otherwise}}
  %y = qc.matmul %a, %b {clamp_min = 0.0 : f32} : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

func.func @fused_clamp_empty(%x: tensor<1x2x4x4x!quant.uniform<u8:f32, 0.5:128>>, %w: tensor<3x2x1x1x!quant.uniform<i8:f32, 0.25>>) -> tensor<1x3x4x4x!quant.uniform<u8:f32, 0.1:128>> {
  // expected-error @+1 {{clamp_min (6.000000e+00) must not exceed clamp_max (0.000000e+00)}}
  %y = qc.conv2d %x, %w {clamp_min = 6.0 : f32, clamp_max = 0.0 : f32} : (tensor<1x2x4x4x!quant.uniform<u8:f32, 0.5:128>>, tensor<3x2x1x1x!quant.uniform<i8:f32, 0.25>>) -> tensor<1x3x4x4x!quant.uniform<u8:f32, 0.1:128>>
  return %y : tensor<1x3x4x4x!quant.uniform<u8:f32, 0.1:128>>
}

// -----

func.func @fused_clamp_nan(%x: tensor<1x2x4x4x!quant.uniform<u8:f32, 0.5:128>>, %w: tensor<3x2x1x1x!quant.uniform<i8:f32, 0.25>>) -> tensor<1x3x4x4x!quant.uniform<u8:f32, 0.1:128>> {
  // expected-error @+1 {{clamp bounds must not be NaN}}
  %y = qc.conv2d %x, %w {clamp_max = 0x7FC00000 : f32} : (tensor<1x2x4x4x!quant.uniform<u8:f32, 0.5:128>>, tensor<3x2x1x1x!quant.uniform<i8:f32, 0.25>>) -> tensor<1x3x4x4x!quant.uniform<u8:f32, 0.1:128>>
  return %y : tensor<1x3x4x4x!quant.uniform<u8:f32, 0.1:128>>
}

// -----

// expected-error @+1 {{'qc.batch_of' must be a string}}
func.func @batch_of_not_string() attributes {qc.batch_of = 3 : i64} {
  return
}

// -----

// expected-error @+1 {{'qc.batch_count' must be a positive integer}}
func.func @batch_count_zero() attributes {qc.batch_count = 0 : i64} {
  return
}

// -----

// expected-error @+1 {{'qc.batch_strides' must be an array of non-negative i64}}
func.func @batch_strides_negative() attributes {qc.batch_strides = array<i64: 4, -1>} {
  return
}

// -----

func.func @compare_types(%a: tensor<4xi64>, %b: tensor<4xi32>) {
  // expected-error @+1 {{operands must have one element type, got 'i64' and 'i32'}}
  %0 = qc.compare eq, %a, %b : (tensor<4xi64>, tensor<4xi32>) -> tensor<4xi1>
  return
}

// -----

func.func @compare_broadcast(%a: tensor<3xf32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{operand shapes [3] [4] do not broadcast}}
  %0 = qc.compare lt, %a, %b : (tensor<3xf32>, tensor<4xf32>) -> tensor<4xi1>
  return
}

// -----

func.func @compare_result_shape(%a: tensor<2x1xf32>, %b: tensor<3xf32>) {
  // expected-error @+1 {{result shape [2x1] does not match the broadcast shape [2x3]}}
  %0 = qc.compare lt, %a, %b : (tensor<2x1xf32>, tensor<3xf32>) -> tensor<2x1xi1>
  return
}

// -----

func.func @compare_quantized(%a: tensor<4x!quant.uniform<u8:f32, 0.5:128>>) {
  // expected-error @+1 {{operand #0 must be ranked tensor of 32-bit float or 1-bit signless integer or 8-bit signless integer or 8-bit unsigned integer or 32-bit signless integer or 64-bit signless integer values}}
  %0 = qc.compare lt, %a, %a : (tensor<4x!quant.uniform<u8:f32, 0.5:128>>, tensor<4x!quant.uniform<u8:f32, 0.5:128>>) -> tensor<4xi1>
  return
}

// -----

func.func @select_types(%c: tensor<4xi1>, %a: tensor<4xf32>, %b: tensor<4xi64>) {
  // expected-error @+1 {{the values and the result must have one element type, got 'f32', 'i64' -> 'f32'}}
  %0 = qc.select %c, %a, %b : (tensor<4xi1>, tensor<4xf32>, tensor<4xi64>) -> tensor<4xf32>
  return
}

// -----

func.func @select_broadcast(%c: tensor<2x1xi1>, %a: tensor<3xf32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{operand shapes [2x1] [3] [4] do not broadcast}}
  %0 = qc.select %c, %a, %b : (tensor<2x1xi1>, tensor<3xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  return
}

// -----

func.func @select_condition(%c: tensor<4xi8>, %a: tensor<4xf32>) {
  // expected-error @+1 {{operand #0 must be ranked tensor of 1-bit signless integer values}}
  %0 = qc.select %c, %a, %a : (tensor<4xi8>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @logical_broadcast(%a: tensor<3xi1>, %b: tensor<2xi1>) {
  // expected-error @+1 {{operand shapes [3] [2] do not broadcast}}
  %0 = qc.logical and, %a, %b : (tensor<3xi1>, tensor<2xi1>) -> tensor<3xi1>
  return
}

// -----

func.func @mod_types(%a: tensor<4xi64>, %b: tensor<4xi32>) {
  // expected-error @+1 {{operands and result must have one element type, got 'i64', 'i32' -> 'i64'}}
  %0 = qc.mod %a, %b : (tensor<4xi64>, tensor<4xi32>) -> tensor<4xi64>
  return
}

// -----

func.func @mod_float_needs_fmod(%a: tensor<4xf32>) {
  // expected-error @+1 {{f32 operands need fmod = true}}
  %0 = qc.mod %a, %a : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @cast_type(%a: tensor<4xf32>) {
  // expected-error @+1 {{result #0 must be ranked tensor of 32-bit float or 1-bit signless integer}}
  %0 = qc.cast %a : tensor<4xf32> -> tensor<4xf16>
  return
}

// -----

func.func @integer_add_mixed(%a: tensor<4xi64>, %b: tensor<4xf32>) {
  // expected-error @+1 {{operands and results must all have the element type 'i64' when one has it, got 'f32'}}
  %0 = qc.add %a, %b : (tensor<4xi64>, tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @bool_add(%a: tensor<4xi1>) {
  // expected-error @+1 {{operand #0 must be ranked tensor of 32-bit float or quantized type or 8-bit signless integer}}
  %0 = qc.add %a, %a : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  return
}

// -----

func.func @integer_conv(%x: tensor<1x1x4x4xi64>, %w: tensor<1x1x3x3xi64>) {
  // expected-error @+1 {{operand #0 must be ranked tensor of f32 or quantized type values}}
  %0 = qc.conv2d %x, %w : (tensor<1x1x4x4xi64>, tensor<1x1x3x3xi64>) -> tensor<1x1x2x2xi64>
  return
}

// -----

func.func @slice_strides_count(%a: tensor<4x8xf32>) {
  // expected-error @+1 {{'strides' must be empty or hold one non-zero value per dim}}
  %0 = qc.slice %a {offsets = array<i64: 0, 0>, strides = array<i64: 1, 0>} : (tensor<4x8xf32>) -> tensor<4x4xf32>
  return
}

// -----

func.func @slice_strides_bounds(%a: tensor<4x8xf32>) {
  // expected-error @+1 {{strided slice of dim 1 (offset 2, 4 elements, stride -1) is outside the input's size 8}}
  %0 = qc.slice %a {offsets = array<i64: 0, 2>, strides = array<i64: 1, -1>} : (tensor<4x8xf32>) -> tensor<4x4xf32>
  return
}

// -----

func.func @pad_count(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{'pads' must hold 2 x rank = 4 values, got 2}}
  %0 = qc.pad %a {pads = array<i64: 1, 1>} : (tensor<2x3xf32>) -> tensor<2x5xf32>
  return
}

// -----

func.func @pad_negative(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{'pads' must not be negative}}
  %0 = qc.pad %a {pads = array<i64: 0, -1, 0, 0>} : (tensor<2x3xf32>) -> tensor<2x2xf32>
  return
}

// -----

func.func @pad_nan(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{the pad value must not be NaN}}
  %0 = qc.pad %a {pads = array<i64: 0, 1, 0, 0>, value = 0x7FC00000 : f32} : (tensor<2x3xf32>) -> tensor<2x4xf32>
  return
}

// -----

func.func @pad_shape(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{result shape [2x5] does not match the expected [2x4]}}
  %0 = qc.pad %a {pads = array<i64: 0, 1, 0, 0>} : (tensor<2x3xf32>) -> tensor<2x5xf32>
  return
}

// -----

func.func @pad_mode(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{attribute 'mode' failed to satisfy constraint: string attribute, one of: constant, edge, reflect}}
  %0 = qc.pad %a {mode = "wrap", pads = array<i64: 0, 1, 0, 0>} : (tensor<2x3xf32>) -> tensor<2x4xf32>
  return
}

// -----

func.func @pad_empty_edge(%a: tensor<2x0xf32>) {
  // expected-error @+1 {{dim 1 is empty: 'edge' padding has nothing to repeat}}
  %0 = qc.pad %a {mode = "edge", pads = array<i64: 0, 1, 0, 0>} : (tensor<2x0xf32>) -> tensor<2x1xf32>
  return
}

// -----

func.func @pad_params(%a: tensor<2x3x!quant.uniform<u8:f32, 0.5>>) {
  // expected-error @+1 {{result element type must equal the operand's '!quant.uniform<u8:f32, 5.000000e-01>' (values are moved, not rescaled)}}
  %0 = qc.pad %a {pads = array<i64: 0, 1, 0, 0>} : (tensor<2x3x!quant.uniform<u8:f32, 0.5>>) -> tensor<2x4x!quant.uniform<u8:f32, 0.25>>
  return
}

// -----

func.func @pad_mixed(%a: tensor<2x3x!quant.uniform<u8:f32, 0.5>>) {
  // expected-error @+1 {{operand and result must be both f32 or both quantized}}
  %0 = qc.pad %a {pads = array<i64: 0, 1, 0, 0>} : (tensor<2x3x!quant.uniform<u8:f32, 0.5>>) -> tensor<2x4xf32>
  return
}

// -----

func.func @pad_per_channel(%a: tensor<2x3x!quant.uniform<u8:f32:0, {0.5, 0.25}>>) {
  // expected-error @+1 {{per-channel quantized operands are not supported}}
  %0 = qc.pad %a {pads = array<i64: 0, 1, 0, 0>} : (tensor<2x3x!quant.uniform<u8:f32:0, {0.5, 0.25}>>) -> tensor<2x4x!quant.uniform<u8:f32:0, {0.5, 0.25}>>
  return
}

// -----

func.func @pad_dynamic(%a: tensor<?x3xf32>) {
  // expected-error @+1 {{operand and result must be statically shaped}}
  %0 = qc.pad %a {pads = array<i64: 0, 1, 0, 0>} : (tensor<?x3xf32>) -> tensor<?x4xf32>
  return
}

// -----

func.func @resize_rank(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{result must have the operand's rank 2}}
  %0 = qc.resize %a {scales = array<f64: 1.0, 2.0>} : (tensor<2x3xf32>) -> tensor<2x3x1xf32>
  return
}

// -----

func.func @resize_scales_count(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{'scales' must hold one value per dim (2), got 1}}
  %0 = qc.resize %a {scales = array<f64: 2.0>} : (tensor<2x3xf32>) -> tensor<2x6xf32>
  return
}

// -----

func.func @resize_scales_positive(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{scales must be positive and finite, got 0}}
  %0 = qc.resize %a {scales = array<f64: 1.0, 0.0>} : (tensor<2x3xf32>) -> tensor<2x6xf32>
  return
}

// -----

func.func @resize_empty(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{dims must not be empty (dim 1)}}
  %0 = qc.resize %a {scales = array<f64: 1.0, 0.1>} : (tensor<2x3xf32>) -> tensor<2x0xf32>
  return
}

// -----

func.func @resize_cubic_a(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{'cubic_coeff_a' must be finite}}
  %0 = qc.resize %a {mode = "cubic", cubic_coeff_a = 0x7F800000 : f32, scales = array<f64: 1.0, 2.0>} : (tensor<2x3xf32>) -> tensor<2x6xf32>
  return
}

// -----

func.func @resize_coordinate_mode(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{attribute 'coordinate_mode' failed to satisfy constraint: string attribute, one of: half_pixel, half_pixel_symmetric, pytorch_half_pixel, align_corners, asymmetric, tf_half_pixel_for_nn}}
  %0 = qc.resize %a {coordinate_mode = "tf_crop_and_resize", scales = array<f64: 1.0, 2.0>} : (tensor<2x3xf32>) -> tensor<2x6xf32>
  return
}

// -----

func.func @resize_nearest_params(%a: tensor<2x3x!quant.uniform<u8:f32, 0.5>>) {
  // expected-error @+1 {{result element type must equal the operand's}}
  %0 = qc.resize %a {scales = array<f64: 1.0, 2.0>} : (tensor<2x3x!quant.uniform<u8:f32, 0.5>>) -> tensor<2x6x!quant.uniform<u8:f32, 0.25>>
  return
}

// -----

func.func @broadcast_rank(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{result rank 1 is lower than the operand's 2}}
  %0 = qc.broadcast %a : (tensor<2x3xf32>) -> tensor<6xf32>
  return
}

// -----

func.func @broadcast_shape(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{operand shape [2x3] does not broadcast to [4x2x2]}}
  %0 = qc.broadcast %a : (tensor<2x3xf32>) -> tensor<4x2x2xf32>
  return
}

// -----

func.func @broadcast_params(%a: tensor<1x3x!quant.uniform<u8:f32, 0.5>>) {
  // expected-error @+1 {{result element type must equal the operand's}}
  %0 = qc.broadcast %a : (tensor<1x3x!quant.uniform<u8:f32, 0.5>>) -> tensor<2x3x!quant.uniform<i8:f32, 0.5>>
  return
}

// -----

func.func @gather_axis(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{axis 2 is out of range for rank 2}}
  %0 = qc.gather %a {axis = 2 : i64, indices = array<i64: 0>} : (tensor<2x3xf32>) -> tensor<2x1xf32>
  return
}

// -----

func.func @gather_index(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{index 3 is out of range for dim 1 of size 3}}
  %0 = qc.gather %a {axis = -1 : i64, indices = array<i64: 0, 3>} : (tensor<2x3xf32>) -> tensor<2x2xf32>
  return
}

// -----

func.func @gather_shape(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{result shape [2x3] does not match the expected [2x2]}}
  %0 = qc.gather %a {axis = 1 : i64, indices = array<i64: 0, 2>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @take_axis(%t: tensor<10x4xf32>, %i: tensor<3xi64>) {
  // expected-error @+1 {{axis 2 is out of range for rank 2}}
  %0 = qc.take %t, %i {axis = 2 : i64} : (tensor<10x4xf32>, tensor<3xi64>) -> tensor<3x4xf32>
  return
}

// -----

func.func @take_shape(%t: tensor<10x4xf32>, %i: tensor<2x3xi64>) {
  // expected-error @+1 {{result shape [3x4] does not match the expected [2x3x4]}}
  %0 = qc.take %t, %i : (tensor<10x4xf32>, tensor<2x3xi64>) -> tensor<3x4xf32>
  return
}

// -----

func.func @take_element(%t: tensor<10x4xf32>, %i: tensor<3xi64>) {
  // expected-error @+1 {{result element type must equal the data's 'f32' (values are moved, not rescaled)}}
  %0 = qc.take %t, %i : (tensor<10x4xf32>, tensor<3xi64>) -> tensor<3x4xi64>
  return
}

// -----

func.func @take_indices(%t: tensor<10x4xf32>, %i: tensor<3xf32>) {
  // expected-error @+1 {{operand #1 must be ranked tensor of 32-bit signless integer or 64-bit signless integer values}}
  %0 = qc.take %t, %i : (tensor<10x4xf32>, tensor<3xf32>) -> tensor<3x4xf32>
  return
}

// -----

func.func @conv_transpose_input_rank(%x: tensor<1x4x3xf32>, %w: tensor<2x4x3x3xf32>) {
  // expected-error @+1 {{input must have rank 4 (NCHW), got rank 3}}
  %y = qc.conv_transpose2d %x, %w : (tensor<1x4x3xf32>, tensor<2x4x3x3xf32>) -> tensor<1x2x5x5xf32>
  return
}

// -----

func.func @conv_transpose_weight_rank(%x: tensor<1x4x3x3xf32>, %w: tensor<2x4x3xf32>) {
  // expected-error @+1 {{weight must have rank 4 ([C_out, C_in / groups, kh, kw]), got rank 3}}
  %y = qc.conv_transpose2d %x, %w : (tensor<1x4x3x3xf32>, tensor<2x4x3xf32>) -> tensor<1x2x5x5xf32>
  return
}

// -----

func.func @conv_transpose_output_padding(%x: tensor<1x4x3x3xf32>, %w: tensor<2x4x3x3xf32>) {
  // expected-error @+1 {{'output_padding' must hold 2 non-negative values}}
  %y = qc.conv_transpose2d %x, %w {output_padding = array<i64: 1>} : (tensor<1x4x3x3xf32>, tensor<2x4x3x3xf32>) -> tensor<1x2x5x5xf32>
  return
}

// -----

func.func @conv_transpose_groups(%x: tensor<1x4x3x3xf32>, %w: tensor<2x4x3x3xf32>) {
  // expected-error @+1 {{'groups' must be positive, got 0}}
  %y = qc.conv_transpose2d %x, %w {groups = 0 : i64} : (tensor<1x4x3x3xf32>, tensor<2x4x3x3xf32>) -> tensor<1x2x5x5xf32>
  return
}

// -----

func.func @conv_transpose_group_split(%x: tensor<1x4x3x3xf32>, %w: tensor<3x2x3x3xf32>) {
  // expected-error @+1 {{input channels (4) and output channels (3) must be divisible by groups (2)}}
  %y = qc.conv_transpose2d %x, %w {groups = 2 : i64} : (tensor<1x4x3x3xf32>, tensor<3x2x3x3xf32>) -> tensor<1x3x5x5xf32>
  return
}

// -----

func.func @conv_transpose_channels(%x: tensor<1x4x3x3xf32>, %w: tensor<2x3x3x3xf32>) {
  // expected-error @+1 {{weight has 3 input channels per group but the input has 4 channels in 1 groups}}
  %y = qc.conv_transpose2d %x, %w : (tensor<1x4x3x3xf32>, tensor<2x3x3x3xf32>) -> tensor<1x2x5x5xf32>
  return
}

// -----

func.func @conv_transpose_bias(%x: tensor<1x4x3x3xf32>, %w: tensor<2x4x3x3xf32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{bias must be 1-D with 2 elements (one per output channel)}}
  %y = qc.conv_transpose2d %x, %w, %b : (tensor<1x4x3x3xf32>, tensor<2x4x3x3xf32>, tensor<4xf32>) -> tensor<1x2x5x5xf32>
  return
}

// -----

func.func @conv_transpose_cropped(%x: tensor<1x4x1x1xf32>, %w: tensor<2x4x2x2xf32>) {
  // expected-error @+1 {{spatial dim 0 of the result would have size 0 (uncropped size 2, output padding 0, pads 1+1)}}
  %y = qc.conv_transpose2d %x, %w {pads = array<i64: 1, 0, 1, 0>} : (tensor<1x4x1x1xf32>, tensor<2x4x2x2xf32>) -> tensor<1x2x1x2xf32>
  return
}

// -----

func.func @conv_transpose_shape(%x: tensor<1x4x3x3xf32>, %w: tensor<2x4x3x3xf32>) {
  // expected-error @+1 {{result shape [1x2x6x6] does not match the expected [1x2x8x8]}}
  %y = qc.conv_transpose2d %x, %w {strides = array<i64: 2, 2>, output_padding = array<i64: 1, 1>} : (tensor<1x4x3x3xf32>, tensor<2x4x3x3xf32>) -> tensor<1x2x6x6xf32>
  return
}

// -----

func.func @conv_transpose_weight_axis(%x: tensor<1x2x3x3x!quant.uniform<u8:f32, 0.5:128>>, %w: tensor<4x2x2x2x!quant.uniform<i8:f32:1, {0.5, 0.25}>>) {
  // expected-error @+1 {{per-channel weight must be quantized along axis 0 (output channels), got axis 1}}
  %y = qc.conv_transpose2d %x, %w : (tensor<1x2x3x3x!quant.uniform<u8:f32, 0.5:128>>, tensor<4x2x2x2x!quant.uniform<i8:f32:1, {0.5, 0.25}>>) -> tensor<1x4x4x4x!quant.uniform<u8:f32, 0.5:128>>
  return
}

// -----

func.func @conv_transpose_float_clamp(%x: tensor<1x4x3x3xf32>, %w: tensor<2x4x3x3xf32>) {
  // expected-error @+1 {{a fused output clamp (clamp_min, clamp_max) needs a per-tensor quantized 8-bit result}}
  %y = qc.conv_transpose2d %x, %w {clamp_min = 0.0 : f32} : (tensor<1x4x3x3xf32>, tensor<2x4x3x3xf32>) -> tensor<1x2x5x5xf32>
  return
}

// -----

func.func @reduce_no_axes(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{needs at least one axis to reduce}}
  %y = qc.reduce sum %x {axes = array<i64>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @reduce_axis_range(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{axis 2 is out of range for rank 2}}
  %y = qc.reduce max %x {axes = array<i64: 2>} : (tensor<2x3xf32>) -> tensor<2x1xf32>
  return
}

// -----

func.func @reduce_axis_repeated(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{axis -1 is repeated}}
  %y = qc.reduce prod %x {axes = array<i64: 1, -1>} : (tensor<2x3xf32>) -> tensor<2x1xf32>
  return
}

// -----

func.func @reduce_shape(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{result shape [2x1] does not match the expected [2]}}
  %y = qc.reduce l2 %x {axes = array<i64: 1>, keepdims = false} : (tensor<2x3xf32>) -> tensor<2x1xf32>
  return
}

// -----

func.func @reduce_mixed(%x: tensor<2x3x!quant.uniform<u8:f32, 0.5:128>>) {
  // expected-error @+1 {{operands and results must be all f32 or all quantized; result #0 is f32}}
  %y = qc.reduce min %x {axes = array<i64: 1>} : (tensor<2x3x!quant.uniform<u8:f32, 0.5:128>>) -> tensor<2x1xf32>
  return
}

// -----

func.func @log_softmax_axis(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{axis 2 is out of range for rank 2}}
  %y = qc.log_softmax %x {axis = 2 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @group_norm_rank(%x: tensor<4xf32>, %g: tensor<4xf32>) {
  // expected-error @+1 {{input must be [N, C, ...] (rank >= 2), got rank 1}}
  %y = qc.group_norm %x, %g, %g {groups = 1 : i64} : (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @group_norm_groups(%x: tensor<1x4x3xf32>, %g: tensor<4xf32>) {
  // expected-error @+1 {{'groups' (3) must be positive and divide the 4 channels}}
  %y = qc.group_norm %x, %g, %g {groups = 3 : i64} : (tensor<1x4x3xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x3xf32>
  return
}

// -----

func.func @group_norm_scale(%x: tensor<1x4x3xf32>, %g: tensor<3xf32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{'scale' must be 1-D with one value per channel (4) or per group (2), got 'tensor<3xf32>'}}
  %y = qc.group_norm %x, %g, %b {groups = 2 : i64} : (tensor<1x4x3xf32>, tensor<3xf32>, tensor<4xf32>) -> tensor<1x4x3xf32>
  return
}

// -----

func.func @group_norm_result(%x: tensor<1x4x3xf32>, %g: tensor<4xf32>) {
  // expected-error @+1 {{result shape must match the input shape}}
  %y = qc.group_norm %x, %g, %g {groups = 2 : i64} : (tensor<1x4x3xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x1xf32>
  return
}

// -----

func.func @group_norm_epsilon(%x: tensor<1x4x3xf32>, %g: tensor<4xf32>) {
  // expected-error @+1 {{'epsilon' must be non-negative}}
  %y = qc.group_norm %x, %g, %g {groups = 2 : i64, epsilon = -1.0 : f32} : (tensor<1x4x3xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x3xf32>
  return
}

// -----

func.func @argmax_axis(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{axis -3 is out of range for rank 2}}
  %y = qc.argmax %x {axis = -3 : i64} : (tensor<2x3xf32>) -> tensor<1x3xi64>
  return
}

// -----

func.func @argmin_shape(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{result shape [2x1] does not match the expected [2]}}
  %y = qc.argmin %x {axis = 1 : i64, keepdims = false} : (tensor<2x3xf32>) -> tensor<2x1xi64>
  return
}

// -----

func.func @argmax_per_channel(%x: tensor<4x3x!quant.uniform<i8:f32:0, {0.5, 0.25, 0.125, 1.0}>>) {
  // expected-error @+1 {{per-channel quantized operands are not supported}}
  %y = qc.argmax %x {axis = 1 : i64} : (tensor<4x3x!quant.uniform<i8:f32:0, {0.5, 0.25, 0.125, 1.0}>>) -> tensor<4x1xi64>
  return
}

// -----

func.func @top_k_k(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'k' (4) must lie in [1, 3], the size of the axis}}
  %v, %i = qc.top_k %x {k = 4 : i64} : (tensor<2x3xf32>) -> (tensor<2x4xf32>, tensor<2x4xi64>)
  return
}

// -----

func.func @top_k_shape(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{result shape [2x2] does not match the expected [1x3]}}
  %v, %i = qc.top_k %x {k = 1 : i64, axis = 0 : i64} : (tensor<2x3xf32>) -> (tensor<1x3xf32>, tensor<2x2xi64>)
  return
}

// -----

func.func @top_k_values_type(%x: tensor<2x3x!quant.uniform<u8:f32, 0.5:128>>) {
  // expected-error @+1 {{values must have the input's element type '!quant.uniform<u8:f32, 5.000000e-01:128>'}}
  %v, %i = qc.top_k %x {k = 2 : i64} : (tensor<2x3x!quant.uniform<u8:f32, 0.5:128>>) -> (tensor<2x2x!quant.uniform<u8:f32, 0.25:128>>, tensor<2x2xi64>)
  return
}

// -----

func.func @resize_linear_int(%a: tensor<1x1x2x2xi64>) {
  // expected-error @+1 {{interpolates, so it takes f32 or quantized operands, not 'i64'}}
  %0 = qc.resize %a {mode = "linear", scales = array<f64: 1.0, 1.0, 2.0, 2.0>} : (tensor<1x1x2x2xi64>) -> tensor<1x1x4x4xi64>
  return
}

// -----

func.func @pad_int_element(%a: tensor<2x3xi64>) {
  // expected-error @+1 {{result element type must equal the operand's 'i64' (values are moved, not converted)}}
  %0 = qc.pad %a {pads = array<i64: 0, 1, 0, 0>} : (tensor<2x3xi64>) -> tensor<2x4xi32>
  return
}

// -----

func.func @activation_alpha_not_hard_sigmoid(%x: tensor<4xf32>) {
  // expected-error @+1 {{'alpha' and 'beta' apply to hard_sigmoid only, not gelu}}
  %0 = qc.activation gelu %x {alpha = 0.5 : f32} : (tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @activation_hard_sigmoid_nan(%x: tensor<4xf32>) {
  // expected-error @+1 {{hard_sigmoid needs finite 'alpha' and 'beta'}}
  %0 = qc.activation hard_sigmoid %x {alpha = 0x7FC00000 : f32} : (tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @activation_scale_inf(%x: tensor<4xf32>) {
  // expected-error @+1 {{needs a finite 'scale' and 'shift'}}
  %0 = qc.activation silu %x {scale = 0x7F800000 : f32} : (tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @keep_float_not_unit(%x: tensor<4xf32>) {
  // expected-error @+1 {{'qc.keep_float' must be a unit attribute}}
  %0 = qc.sigmoid %x {qc.keep_float = 1 : i64} : (tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @activation_in_scales_count(%x: tensor<1x3x4xf32>) {
  // expected-error @+1 {{'in_scales' has 2 values for 3 channels}}
  %0 = qc.activation hard_swish %x {in_scales = array<f32: 1.0, 2.0>} : (tensor<1x3x4xf32>) -> tensor<1x3x4xf32>
  return
}

// -----

func.func @activation_out_scales_zero(%x: tensor<1x2x4xf32>) {
  // expected-error @+1 {{'out_scales' must be finite and positive}}
  %0 = qc.activation silu %x {out_scales = array<f32: 1.0, 0.0>} : (tensor<1x2x4xf32>) -> tensor<1x2x4xf32>
  return
}

// -----

func.func @activation_scales_rank1(%x: tensor<4xf32>) {
  // expected-error @+1 {{'in_scales' needs a static channel dim 1}}
  %0 = qc.activation silu %x {in_scales = array<f32: 1.0>} : (tensor<4xf32>) -> tensor<4xf32>
  return
}
