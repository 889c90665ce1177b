// RUN: qopt %s -split-input-file -qc-apply-bias-shifts -verify-diagnostics | FileCheck %s

// The shift is subtracted from the bias of a matmul that will be quantized.
// CHECK-LABEL: func.func @matmul
// CHECK: %[[B:.*]] = arith.constant dense<[7.500000e-01, 2.500000e+00]> : tensor<2xf32>
// CHECK: qc.matmul %{{.*}}, %{{.*}}, %[[B]] : (
// CHECK-NOT: qc.bias_shift
func.func @matmul(%x: tensor<3x4xf32>) -> tensor<3x2xf32> {
  %w = arith.constant dense<0.5> : tensor<4x2xf32>
  %b = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %y = qc.matmul %x, %w, %b {qc.bias_shift = dense<[0.25, -0.5]> : tensor<2xf32>} : (tensor<3x4xf32>, tensor<4x2xf32>, tensor<2xf32>) -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}

// -----

// A convolution without a bias gets one (the negated shift, per output
// channel on axis 1).
// CHECK-LABEL: func.func @conv_without_bias
// CHECK: %[[B:.*]] = arith.constant dense<[-2.500000e-01, 5.000000e-01, 0.000000e+00]> : tensor<3xf32>
// CHECK: qc.conv2d %{{.*}}, %{{.*}}, %[[B]] : (
func.func @conv_without_bias(%x: tensor<1x2x4x4xf32>) -> tensor<1x3x4x4xf32> {
  %w = arith.constant dense<0.5> : tensor<3x2x1x1xf32>
  %y = qc.conv2d %x, %w {qc.bias_shift = dense<[0.25, -0.5, 0.0]> : tensor<3xf32>} : (tensor<1x2x4x4xf32>, tensor<3x2x1x1xf32>) -> tensor<1x3x4x4xf32>
  return %y : tensor<1x3x4x4xf32>
}

// -----

// A layer kept in f32 keeps its weights unrounded: no shift, the attribute
// dropped.
// CHECK-LABEL: func.func @kept_float
// CHECK: %[[B:.*]] = arith.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK: qc.matmul %{{.*}}, %{{.*}}, %[[B]] {qc.keep_float} : (
func.func @kept_float(%x: tensor<3x4xf32>) -> tensor<3x2xf32> {
  %w = arith.constant dense<0.5> : tensor<4x2xf32>
  %b = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %y = qc.matmul %x, %w, %b {qc.bias_shift = dense<[0.1, -0.2]> : tensor<2xf32>, qc.keep_float} : (tensor<3x4xf32>, tensor<4x2xf32>, tensor<2xf32>) -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}

// -----

func.func @wrong_size(%x: tensor<3x4xf32>) -> tensor<3x2xf32> {
  %w = arith.constant dense<0.5> : tensor<4x2xf32>
  // expected-error @+1 {{'qc.bias_shift' has 3 values for 2 output channels}}
  %y = qc.matmul %x, %w {qc.bias_shift = dense<[0.1, -0.2, 0.3]> : tensor<3xf32>} : (tensor<3x4xf32>, tensor<4x2xf32>) -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}

// -----

func.func @bias_not_constant(%x: tensor<3x4xf32>, %b: tensor<2xf32>) -> tensor<3x2xf32> {
  %w = arith.constant dense<0.5> : tensor<4x2xf32>
  // expected-error @+1 {{'qc.bias_shift' needs a constant f32 bias of 2 values}}
  %y = qc.matmul %x, %w, %b {qc.bias_shift = dense<[0.1, -0.2]> : tensor<2xf32>} : (tensor<3x4xf32>, tensor<4x2xf32>, tensor<2xf32>) -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}

// -----

func.func @not_a_product(%x: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{'qc.bias_shift' is for convolutions and matmuls}}
  %y = qc.add %x, %x {qc.bias_shift = dense<[0.1, -0.2]> : tensor<2xf32>} : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  return %y : tensor<2xf32>
}

// -----

func.func @not_f32(%x: tensor<3x4xf32>) -> tensor<3x2xf32> {
  %w = arith.constant dense<0.5> : tensor<4x2xf32>
  // expected-error @+1 {{'qc.bias_shift' must be a 1-D f32 dense array}}
  %y = qc.matmul %x, %w {qc.bias_shift = dense<[1, 2]> : tensor<2xi32>} : (tensor<3x4xf32>, tensor<4x2xf32>) -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}

// -----

func.func @quantized_already(%x: tensor<3x4x!quant.uniform<u8:f32, 0.5:3>>) -> tensor<3x2x!quant.uniform<u8:f32, 1.0:3>> {
  %w = qc.constant dense<1> : tensor<4x2xi8> -> tensor<4x2x!quant.uniform<i8:f32, 0.25>>
  // expected-error @+1 {{'qc.bias_shift' is for f32 layers with output channels, before quantization}}
  %y = qc.matmul %x, %w {qc.bias_shift = dense<[0.25, -0.5]> : tensor<2xf32>} : (tensor<3x4x!quant.uniform<u8:f32, 0.5:3>>, tensor<4x2x!quant.uniform<i8:f32, 0.25>>) -> tensor<3x2x!quant.uniform<u8:f32, 1.0:3>>
  return %y : tensor<3x2x!quant.uniform<u8:f32, 1.0:3>>
}
