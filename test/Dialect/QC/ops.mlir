// RUN: qopt %s | qopt | FileCheck %s
// RUN: qopt %s --mlir-print-op-generic | qopt | FileCheck %s

// Every qc op in its f32 and quantized forms survives print and re-parse.

!u8 = !quant.uniform<u8:f32, 0.5:128>
!u8b = !quant.uniform<u8:f32, 0.25:3>
!i8 = !quant.uniform<i8:f32, 0.125>
!i8pc = !quant.uniform<i8:f32:0, {0.5, 0.25, 0.125, 1.0}>
!i32pc = !quant.uniform<i32:f32:0, {0.25, 0.125, 0.0625, 0.5}>
!i32 = !quant.uniform<i32:f32, 0.0625>

// CHECK-LABEL: func.func @quantize_static
func.func @quantize_static(%x: tensor<4xf32>) -> tensor<4xf32> {
  // CHECK: %[[Q:.*]] = qc.quantize %{{.*}} : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 5.000000e-01:128>>
  %q = qc.quantize %x : tensor<4xf32> -> tensor<4x!u8>
  // CHECK: %[[R:.*]] = qc.requantize %[[Q]] : tensor<4x!quant.uniform<u8:f32, 5.000000e-01:128>> -> tensor<4x!quant.uniform<i8:f32, 1.250000e-01>>
  %r = qc.requantize %q : tensor<4x!u8> -> tensor<4x!i8>
  // CHECK: qc.dequantize %[[R]] : tensor<4x!quant.uniform<i8:f32, 1.250000e-01>> -> tensor<4xf32>
  %d = qc.dequantize %r : tensor<4x!i8> -> tensor<4xf32>
  return %d : tensor<4xf32>
}

// CHECK-LABEL: func.func @quantize_per_axis
func.func @quantize_per_axis(%x: tensor<4x2xf32>) -> tensor<4x2xf32> {
  // CHECK: %[[Q:.*]] = qc.quantize %{{.*}} : tensor<4x2xf32> -> tensor<4x2x!quant.uniform<i8:f32:0, {5.000000e-01,2.500000e-01,1.250000e-01,1.000000e+00}>>
  %q = qc.quantize %x : tensor<4x2xf32> -> tensor<4x2x!i8pc>
  // CHECK: %[[R:.*]] = qc.requantize %[[Q]] : tensor<4x2x!quant.uniform<i8:f32:0, {5.000000e-01,2.500000e-01,1.250000e-01,1.000000e+00}>> -> tensor<4x2x!quant.uniform<u8:f32:0, {1.000000e+00:128,5.000000e-01:100,2.500000e-01,2.000000e+00:255}>>
  %r = qc.requantize %q : tensor<4x2x!i8pc> -> tensor<4x2x!quant.uniform<u8:f32:0, {1.0:128, 0.5:100, 0.25:0, 2.0:255}>>
  // CHECK: qc.dequantize %[[R]] : tensor<4x2x!quant.uniform<u8:f32:0, {{.*}}>> -> tensor<4x2xf32>
  %d = qc.dequantize %r : tensor<4x2x!quant.uniform<u8:f32:0, {1.0:128, 0.5:100, 0.25:0, 2.0:255}>> -> tensor<4x2xf32>
  return %d : tensor<4x2xf32>
}

// CHECK-LABEL: func.func @quantize_i32
func.func @quantize_i32(%x: tensor<4xf32>) -> tensor<4xf32> {
  // CHECK: %[[Q:.*]] = qc.quantize %{{.*}} : tensor<4xf32> -> tensor<4x!quant.uniform<i32:f32, 6.250000e-02>>
  %q = qc.quantize %x : tensor<4xf32> -> tensor<4x!i32>
  // CHECK: qc.dequantize %[[Q]] : tensor<4x!quant.uniform<i32:f32, 6.250000e-02>> -> tensor<4xf32>
  %d = qc.dequantize %q : tensor<4x!i32> -> tensor<4xf32>
  return %d : tensor<4xf32>
}

// CHECK-LABEL: func.func @quantize_runtime
func.func @quantize_runtime(%x: tensor<2x3xf32>, %s: tensor<f32>, %z: tensor<ui8>,
                            %sa: tensor<3xf32>, %za: tensor<3xi8>) -> (tensor<2x3xf32>, tensor<2x3xf32>) {
  // CHECK: %[[Q:.*]] = qc.quantize %{{.*}} scale(%{{.*}} : tensor<f32>) zero_point(%{{.*}} : tensor<ui8>) : tensor<2x3xf32> -> tensor<2x3xui8>
  %q = qc.quantize %x scale(%s : tensor<f32>) zero_point(%z : tensor<ui8>) : tensor<2x3xf32> -> tensor<2x3xui8>
  // CHECK: qc.dequantize %[[Q]] scale(%{{.*}} : tensor<f32>) zero_point(%{{.*}} : tensor<ui8>) : tensor<2x3xui8> -> tensor<2x3xf32>
  %d = qc.dequantize %q scale(%s : tensor<f32>) zero_point(%z : tensor<ui8>) : tensor<2x3xui8> -> tensor<2x3xf32>
  // CHECK: qc.quantize %{{.*}} scale(%{{.*}} : tensor<3xf32>) zero_point(%{{.*}} : tensor<3xi8>) {axis = 1 : i64} : tensor<2x3xf32> -> tensor<2x3xi8>
  %qa = qc.quantize %x scale(%sa : tensor<3xf32>) zero_point(%za : tensor<3xi8>) {axis = 1 : i64} : tensor<2x3xf32> -> tensor<2x3xi8>
  // CHECK: qc.dequantize %{{.*}} scale(%{{.*}} : tensor<3xf32>) {axis = -1 : i64} : tensor<2x3xi8> -> tensor<2x3xf32>
  %da = qc.dequantize %qa scale(%sa : tensor<3xf32>) {axis = -1 : i64} : tensor<2x3xi8> -> tensor<2x3xf32>
  return %d, %da : tensor<2x3xf32>, tensor<2x3xf32>
}

// CHECK-LABEL: func.func @constant_and_stats
func.func @constant_and_stats(%x: tensor<3xf32>) -> (tensor<3x!i8>, tensor<3x!u8>, tensor<3xf32>, tensor<3xf32>) {
  // CHECK: qc.constant dense<[-3, 0, 127]> : tensor<3xi8> -> tensor<3x!quant.uniform<i8:f32, 1.250000e-01>>
  %c = qc.constant dense<[-3, 0, 127]> : tensor<3xi8> -> tensor<3x!i8>
  // CHECK: qc.constant dense<[0, 128, 255]> : tensor<3xui8> -> tensor<3x!quant.uniform<u8:f32, 5.000000e-01:128>>
  %u = qc.constant dense<[0, 128, 255]> : tensor<3xui8> -> tensor<3x!u8>
  // CHECK: qc.stats %{{.*}} <min = -5.000000e-01, max = 3.250000e+00> : tensor<3xf32>
  %s = qc.stats %x <min = -0.5, max = 3.25> : tensor<3xf32>
  // CHECK: qc.stats %{{.*}} <min = 0.000000e+00, max = 6.000000e+00, histogram = [10, 0, 3, 1]> : tensor<3xf32>
  %h = qc.stats %x <min = 0.0, max = 6.0, histogram = [10, 0, 3, 1]> : tensor<3xf32>
  return %c, %u, %s, %h : tensor<3x!i8>, tensor<3x!u8>, tensor<3xf32>, tensor<3xf32>
}

// CHECK-LABEL: func.func @conv2d_f32
func.func @conv2d_f32(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4xf32>,
                      %dw: tensor<3x1x3x3xf32>) -> (tensor<1x4x8x8xf32>, tensor<1x4x3x3xf32>, tensor<1x3x4x4xf32>) {
  // CHECK: qc.conv2d %{{.*}}, %{{.*}}, %{{.*}} {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32>
  %y = qc.conv2d %x, %w, %b {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32>
  // CHECK: qc.conv2d %{{.*}}, %{{.*}} {dilations = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x2x2xf32>
  %s = qc.conv2d %x, %w {strides = array<i64: 2, 2>, dilations = array<i64: 2, 2>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x2x2xf32>
  // CHECK: qc.conv2d %{{.*}}, %{{.*}} {groups = 3 : i64, pads = array<i64: 1, 1, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x3x8x8xf32>, tensor<3x1x3x3xf32>) -> tensor<1x3x4x4xf32>
  %d = qc.conv2d %x, %dw {groups = 3 : i64, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 0, 0>} : (tensor<1x3x8x8xf32>, tensor<3x1x3x3xf32>) -> tensor<1x3x4x4xf32>
  // CHECK: qc.conv2d %{{.*}}, %{{.*}} {pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 3, 3>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x3x3xf32>
  %a = qc.conv2d %x, %w {strides = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x3x3xf32>
  return %y, %a, %d : tensor<1x4x8x8xf32>, tensor<1x4x3x3xf32>, tensor<1x3x4x4xf32>
}

// CHECK-LABEL: func.func @conv2d_quantized
func.func @conv2d_quantized(%x: tensor<1x2x4x4x!u8>, %w: tensor<4x2x1x1x!i8pc>, %b: tensor<4x!i32pc>)
    -> tensor<1x4x4x4x!u8b> {
  // CHECK: qc.conv2d %{{.*}}, %{{.*}}, %{{.*}} {qc.weight_scheme = #qc.scheme<per_channel = 0, symmetric, i8, sqnr = 4.150000e+01>} : (tensor<1x2x4x4x!quant.uniform<u8:f32, 5.000000e-01:128>>, tensor<4x2x1x1x!quant.uniform<i8:f32:0, {{.*}}>>, tensor<4x!quant.uniform<i32:f32:0, {{.*}}>>) -> tensor<1x4x4x4x!quant.uniform<u8:f32, 2.500000e-01:3>>
  %y = qc.conv2d %x, %w, %b {qc.weight_scheme = #qc.scheme<per_channel = 0, symmetric, i8, sqnr = 41.5>}
      : (tensor<1x2x4x4x!u8>, tensor<4x2x1x1x!i8pc>, tensor<4x!i32pc>) -> tensor<1x4x4x4x!u8b>
  return %y : tensor<1x4x4x4x!u8b>
}

// CHECK-LABEL: func.func @matmul
func.func @matmul(%a: tensor<2x8xf32>, %b: tensor<8x4xf32>, %c: tensor<4xf32>,
                  %ba: tensor<3x1x2x8xf32>, %bb: tensor<5x8x4xf32>, %v: tensor<8xf32>,
                  %qa: tensor<2x8x!u8>, %qb: tensor<8x4x!quant.uniform<i8:f32:1, {0.5, 0.25, 0.125, 1.0}>>,
                  %qc: tensor<4x!i32pc>)
    -> (tensor<2x4xf32>, tensor<3x5x2x4xf32>, tensor<4xf32>, tensor<2xf32>, tensor<2x4x!u8b>) {
  // CHECK: qc.matmul %{{.*}}, %{{.*}}, %{{.*}} : (tensor<2x8xf32>, tensor<8x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %0 = qc.matmul %a, %b, %c : (tensor<2x8xf32>, tensor<8x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  // CHECK: qc.matmul %{{.*}}, %{{.*}} : (tensor<3x1x2x8xf32>, tensor<5x8x4xf32>) -> tensor<3x5x2x4xf32>
  %1 = qc.matmul %ba, %bb : (tensor<3x1x2x8xf32>, tensor<5x8x4xf32>) -> tensor<3x5x2x4xf32>
  // CHECK: qc.matmul %{{.*}}, %{{.*}} : (tensor<8xf32>, tensor<8x4xf32>) -> tensor<4xf32>
  %2 = qc.matmul %v, %b : (tensor<8xf32>, tensor<8x4xf32>) -> tensor<4xf32>
  // CHECK: qc.matmul %{{.*}}, %{{.*}} : (tensor<2x8xf32>, tensor<8xf32>) -> tensor<2xf32>
  %3 = qc.matmul %a, %v : (tensor<2x8xf32>, tensor<8xf32>) -> tensor<2xf32>
  // CHECK: qc.matmul %{{.*}}, %{{.*}}, %{{.*}} : (tensor<2x8x!quant.uniform<u8:f32, 5.000000e-01:128>>, tensor<8x4x!quant.uniform<i8:f32:1, {{.*}}>>, tensor<4x!quant.uniform<i32:f32:0, {{.*}}>>) -> tensor<2x4x!quant.uniform<u8:f32, 2.500000e-01:3>>
  %4 = qc.matmul %qa, %qb, %qc : (tensor<2x8x!u8>, tensor<8x4x!quant.uniform<i8:f32:1, {0.5, 0.25, 0.125, 1.0}>>, tensor<4x!i32pc>) -> tensor<2x4x!u8b>
  return %0, %1, %2, %3, %4 : tensor<2x4xf32>, tensor<3x5x2x4xf32>, tensor<4xf32>, tensor<2xf32>, tensor<2x4x!u8b>
}

// CHECK-LABEL: func.func @elementwise
// CHECK-SAME: (%[[A:[^:]+]]: tensor<2x3xf32>, %[[B:[^:]+]]: tensor<3xf32>, %[[QA:[^:]+]]: tensor<2x3x!quant.uniform<u8:f32, 5.000000e-01:128>>, %[[QB:[^:]+]]: tensor<1x3x!quant.uniform<u8:f32, 2.500000e-01:3>>)
func.func @elementwise(%a: tensor<2x3xf32>, %b: tensor<3xf32>, %qa: tensor<2x3x!u8>, %qb: tensor<1x3x!u8b>)
    -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3x!u8b>, tensor<2x3x!u8>, tensor<2x3x!u8>, tensor<2x3x!u8>) {
  // CHECK: qc.add %[[A]], %[[B]] : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %0 = qc.add %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: qc.sub %[[A]], %[[B]] : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %1 = qc.sub %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: qc.mul %[[A]], %[[B]] : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %2 = qc.mul %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: qc.div %[[B]], %[[A]] : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %3 = qc.div %b, %a : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: qc.add %[[QA]], %[[QB]] : (tensor<2x3x!quant.uniform<u8:f32, 5.000000e-01:128>>, tensor<1x3x!quant.uniform<u8:f32, 2.500000e-01:3>>) -> tensor<2x3x!quant.uniform<u8:f32, 2.500000e-01:3>>
  %4 = qc.add %qa, %qb : (tensor<2x3x!u8>, tensor<1x3x!u8b>) -> tensor<2x3x!u8b>
  // CHECK: qc.sub %[[QA]], %[[QB]] : (tensor<2x3x!quant.uniform<u8:f32, 5.000000e-01:128>>, tensor<1x3x!quant.uniform<u8:f32, 2.500000e-01:3>>) -> tensor<2x3x!quant.uniform<u8:f32, 5.000000e-01:128>>
  %5 = qc.sub %qa, %qb : (tensor<2x3x!u8>, tensor<1x3x!u8b>) -> tensor<2x3x!u8>
  // CHECK: qc.mul %[[QA]], %[[QB]] : (tensor<2x3x!quant.uniform<u8:f32, 5.000000e-01:128>>, tensor<1x3x!quant.uniform<u8:f32, 2.500000e-01:3>>) -> tensor<2x3x!quant.uniform<u8:f32, 5.000000e-01:128>>
  %6 = qc.mul %qa, %qb : (tensor<2x3x!u8>, tensor<1x3x!u8b>) -> tensor<2x3x!u8>
  // CHECK: qc.div %[[QA]], %[[QB]] : (tensor<2x3x!quant.uniform<u8:f32, 5.000000e-01:128>>, tensor<1x3x!quant.uniform<u8:f32, 2.500000e-01:3>>) -> tensor<2x3x!quant.uniform<u8:f32, 5.000000e-01:128>>
  %7 = qc.div %qa, %qb : (tensor<2x3x!u8>, tensor<1x3x!u8b>) -> tensor<2x3x!u8>
  return %0, %1, %2, %3, %4, %5, %6, %7 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3x!u8b>, tensor<2x3x!u8>, tensor<2x3x!u8>, tensor<2x3x!u8>
}

// CHECK-LABEL: func.func @max_min
// CHECK-SAME: (%[[A:[^:]+]]: tensor<2x3xf32>, %[[B:[^:]+]]: tensor<3xf32>, %[[QA:[^:]+]]: tensor<2x3x!quant.uniform<u8:f32, 5.000000e-01:128>>, %[[QB:[^:]+]]: tensor<1x3x!quant.uniform<u8:f32, 2.500000e-01:3>>)
func.func @max_min(%a: tensor<2x3xf32>, %b: tensor<3xf32>, %qa: tensor<2x3x!u8>, %qb: tensor<1x3x!u8b>)
    -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3x!u8>, tensor<2x3x!u8b>) {
  // CHECK: qc.max %[[A]], %[[B]] : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %0 = qc.max %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: qc.min %[[B]], %[[A]] : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %1 = qc.min %b, %a : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: qc.max %[[QA]], %[[QB]] : (tensor<2x3x!quant.uniform<u8:f32, 5.000000e-01:128>>, tensor<1x3x!quant.uniform<u8:f32, 2.500000e-01:3>>) -> tensor<2x3x!quant.uniform<u8:f32, 5.000000e-01:128>>
  %2 = qc.max %qa, %qb : (tensor<2x3x!u8>, tensor<1x3x!u8b>) -> tensor<2x3x!u8>
  // CHECK: qc.min %[[QA]], %[[QB]] : (tensor<2x3x!quant.uniform<u8:f32, 5.000000e-01:128>>, tensor<1x3x!quant.uniform<u8:f32, 2.500000e-01:3>>) -> tensor<2x3x!quant.uniform<u8:f32, 2.500000e-01:3>>
  %3 = qc.min %qa, %qb : (tensor<2x3x!u8>, tensor<1x3x!u8b>) -> tensor<2x3x!u8b>
  return %0, %1, %2, %3 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3x!u8>, tensor<2x3x!u8b>
}

// CHECK-LABEL: func.func @clamp
func.func @clamp(%x: tensor<4xf32>, %q: tensor<4x!u8>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4x!u8>) {
  // CHECK: qc.clamp %{{.*}} {min = 0.000000e+00 : f32} : tensor<4xf32>
  %relu = qc.clamp %x {min = 0.0 : f32} : tensor<4xf32>
  // CHECK: qc.clamp %{{.*}} {max = 6.000000e+00 : f32, min = 0.000000e+00 : f32} : tensor<4xf32>
  %relu6 = qc.clamp %x {min = 0.0 : f32, max = 6.0 : f32} : tensor<4xf32>
  // CHECK: qc.clamp %{{.*}} {max = 2.000000e+00 : f32, min = -1.000000e+00 : f32} : tensor<4x!quant.uniform<u8:f32, 5.000000e-01:128>>
  %clip = qc.clamp %q {min = -1.0 : f32, max = 2.0 : f32} : tensor<4x!u8>
  return %relu, %relu6, %clip : tensor<4xf32>, tensor<4xf32>, tensor<4x!u8>
}

// CHECK-LABEL: func.func @pooling
func.func @pooling(%x: tensor<1x4x8x8xf32>, %q: tensor<1x4x8x8x!u8>)
    -> (tensor<1x4x4x4xf32>, tensor<1x4x1x1xf32>, tensor<1x4x4x4x!u8>, tensor<1x4x1x1x!u8b>, tensor<1x4x3x3xf32>, tensor<1x4x6x6xf32>) {
  // CHECK: qc.max_pool2d %{{.*}} {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x4x8x8xf32>) -> tensor<1x4x4x4xf32>
  %0 = qc.max_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x4x8x8xf32>) -> tensor<1x4x4x4xf32>
  // CHECK: qc.avg_pool2d %{{.*}} {kernel = array<i64: 8, 8>} : (tensor<1x4x8x8xf32>) -> tensor<1x4x1x1xf32>
  %1 = qc.avg_pool2d %x {kernel = array<i64: 8, 8>} : (tensor<1x4x8x8xf32>) -> tensor<1x4x1x1xf32>
  // CHECK: qc.max_pool2d %{{.*}} {kernel = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x4x8x8x!quant.uniform<u8:f32, 5.000000e-01:128>>) -> tensor<1x4x4x4x!quant.uniform<u8:f32, 5.000000e-01:128>>
  %2 = qc.max_pool2d %q {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x4x8x8x!u8>) -> tensor<1x4x4x4x!u8>
  // CHECK: qc.avg_pool2d %{{.*}} {kernel = array<i64: 8, 8>} : (tensor<1x4x8x8x!quant.uniform<u8:f32, 5.000000e-01:128>>) -> tensor<1x4x1x1x!quant.uniform<u8:f32, 2.500000e-01:3>>
  %3 = qc.avg_pool2d %q {kernel = array<i64: 8, 8>} : (tensor<1x4x8x8x!u8>) -> tensor<1x4x1x1x!u8b>
  // CHECK: qc.avg_pool2d %{{.*}} {ceil_mode = true, count_include_pad = true, kernel = array<i64: 3, 3>, strides = array<i64: 3, 3>} : (tensor<1x4x8x8xf32>) -> tensor<1x4x3x3xf32>
  %4 = qc.avg_pool2d %x {kernel = array<i64: 3, 3>, strides = array<i64: 3, 3>, ceil_mode = true, count_include_pad = true} : (tensor<1x4x8x8xf32>) -> tensor<1x4x3x3xf32>
  // CHECK: qc.max_pool2d %{{.*}} {dilations = array<i64: 2, 2>, kernel = array<i64: 2, 2>} : (tensor<1x4x8x8xf32>) -> tensor<1x4x6x6xf32>
  %5 = qc.max_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 1, 1>, dilations = array<i64: 2, 2>} : (tensor<1x4x8x8xf32>) -> tensor<1x4x6x6xf32>
  return %0, %1, %2, %3, %4, %5 : tensor<1x4x4x4xf32>, tensor<1x4x1x1xf32>, tensor<1x4x4x4x!u8>, tensor<1x4x1x1x!u8b>, tensor<1x4x3x3xf32>, tensor<1x4x6x6xf32>
}

// CHECK-LABEL: func.func @data_movement
func.func @data_movement(%a: tensor<1x2xf32>, %b: tensor<1x3xf32>, %x: tensor<1x4x2x2xf32>,
                         %qa: tensor<1x2x!u8>, %qb: tensor<1x3x!u8>, %w: tensor<4x2x!i8pc>)
    -> (tensor<1x5xf32>, tensor<1x5x!u8>, tensor<1x16xf32>, tensor<2x2x4x1xf32>, tensor<3x1x!u8>, tensor<2x4x!quant.uniform<i8:f32:1, {0.5, 0.25, 0.125, 1.0}>>) {
  // CHECK: qc.concat %{{.*}}, %{{.*}} {axis = 1 : i64} : (tensor<1x2xf32>, tensor<1x3xf32>) -> tensor<1x5xf32>
  %0 = qc.concat %a, %b {axis = 1} : (tensor<1x2xf32>, tensor<1x3xf32>) -> tensor<1x5xf32>
  // CHECK: qc.concat %{{.*}}, %{{.*}} {axis = -1 : i64} : (tensor<1x2x!quant.uniform<u8:f32, 5.000000e-01:128>>, tensor<1x3x!quant.uniform<u8:f32, 5.000000e-01:128>>) -> tensor<1x5x!quant.uniform<u8:f32, 5.000000e-01:128>>
  %1 = qc.concat %qa, %qb {axis = -1} : (tensor<1x2x!u8>, tensor<1x3x!u8>) -> tensor<1x5x!u8>
  // CHECK: qc.reshape %{{.*}} : (tensor<1x4x2x2xf32>) -> tensor<1x16xf32>
  %2 = qc.reshape %x : (tensor<1x4x2x2xf32>) -> tensor<1x16xf32>
  // CHECK: qc.transpose %{{.*}} {perm = array<i64: 2, 3, 1, 0>} : (tensor<1x4x2x2xf32>) -> tensor<2x2x4x1xf32>
  %3 = qc.transpose %x {perm = array<i64: 2, 3, 1, 0>} : (tensor<1x4x2x2xf32>) -> tensor<2x2x4x1xf32>
  // CHECK: qc.reshape %{{.*}} : (tensor<1x3x!quant.uniform<u8:f32, 5.000000e-01:128>>) -> tensor<3x1x!quant.uniform<u8:f32, 5.000000e-01:128>>
  %4 = qc.reshape %qb : (tensor<1x3x!u8>) -> tensor<3x1x!u8>
  // CHECK: qc.transpose %{{.*}} {perm = array<i64: 1, 0>} : (tensor<4x2x!quant.uniform<i8:f32:0, {{.*}}>>) -> tensor<2x4x!quant.uniform<i8:f32:1, {{.*}}>>
  %5 = qc.transpose %w {perm = array<i64: 1, 0>} : (tensor<4x2x!i8pc>) -> tensor<2x4x!quant.uniform<i8:f32:1, {0.5, 0.25, 0.125, 1.0}>>
  return %0, %1, %2, %3, %4, %5 : tensor<1x5xf32>, tensor<1x5x!u8>, tensor<1x16xf32>, tensor<2x2x4x1xf32>, tensor<3x1x!u8>, tensor<2x4x!quant.uniform<i8:f32:1, {0.5, 0.25, 0.125, 1.0}>>
}

// CHECK-LABEL: func.func @activations
// CHECK-SAME: (%[[X:[^:]+]]: tensor<2x10xf32>
func.func @activations(%x: tensor<2x10xf32>, %q: tensor<2x10x!u8>)
    -> (tensor<2x10xf32>, tensor<2x10xf32>, tensor<2x10xf32>, tensor<2x10xf32>,
        tensor<2x10x!quant.uniform<u8:f32, 0.00390625>>, tensor<2x10x!quant.uniform<u8:f32, 0.00390625>>,
        tensor<2x10x!quant.uniform<i8:f32, 0.0078125>>, tensor<2x10x!quant.uniform<i8:f32, 0.0078125>>) {
  // CHECK: qc.softmax %[[X]] {axis = 1 : i64} : (tensor<2x10xf32>) -> tensor<2x10xf32>
  %0 = qc.softmax %x {axis = 1} : (tensor<2x10xf32>) -> tensor<2x10xf32>
  // CHECK: qc.sigmoid %[[X]] : (tensor<2x10xf32>) -> tensor<2x10xf32>
  %1 = qc.sigmoid %x : (tensor<2x10xf32>) -> tensor<2x10xf32>
  // CHECK: qc.tanh %[[X]] : (tensor<2x10xf32>) -> tensor<2x10xf32>
  %2 = qc.tanh %x : (tensor<2x10xf32>) -> tensor<2x10xf32>
  // CHECK: qc.erf %[[X]] : (tensor<2x10xf32>) -> tensor<2x10xf32>
  %3 = qc.erf %x : (tensor<2x10xf32>) -> tensor<2x10xf32>
  // CHECK: qc.softmax %{{.*}} : (tensor<2x10x!quant.uniform<u8:f32, 5.000000e-01:128>>) -> tensor<2x10x!quant.uniform<u8:f32, 3.906250e-03>>
  %4 = qc.softmax %q : (tensor<2x10x!u8>) -> tensor<2x10x!quant.uniform<u8:f32, 0.00390625>>
  // CHECK: qc.sigmoid %{{.*}} : (tensor<2x10x!quant.uniform<u8:f32, 5.000000e-01:128>>) -> tensor<2x10x!quant.uniform<u8:f32, 3.906250e-03>>
  %5 = qc.sigmoid %q : (tensor<2x10x!u8>) -> tensor<2x10x!quant.uniform<u8:f32, 0.00390625>>
  // CHECK: qc.tanh %{{.*}} : (tensor<2x10x!quant.uniform<u8:f32, 5.000000e-01:128>>) -> tensor<2x10x!quant.uniform<i8:f32, 7.812500e-03>>
  %6 = qc.tanh %q : (tensor<2x10x!u8>) -> tensor<2x10x!quant.uniform<i8:f32, 0.0078125>>
  // CHECK: qc.erf %{{.*}} : (tensor<2x10x!quant.uniform<u8:f32, 5.000000e-01:128>>) -> tensor<2x10x!quant.uniform<i8:f32, 7.812500e-03>>
  %7 = qc.erf %q : (tensor<2x10x!u8>) -> tensor<2x10x!quant.uniform<i8:f32, 0.0078125>>
  return %0, %1, %2, %3, %4, %5, %6, %7 : tensor<2x10xf32>, tensor<2x10xf32>, tensor<2x10xf32>, tensor<2x10xf32>,
      tensor<2x10x!quant.uniform<u8:f32, 0.00390625>>, tensor<2x10x!quant.uniform<u8:f32, 0.00390625>>,
      tensor<2x10x!quant.uniform<i8:f32, 0.0078125>>, tensor<2x10x!quant.uniform<i8:f32, 0.0078125>>
}

// The math functions the ONNX activations are built from, f32 and
// quantized (through the float domain; sign, sin and cos with their fixed
// [-1, 1] range).
// CHECK-LABEL: func.func @math_functions
// CHECK-SAME: (%[[X:[^:]+]]: tensor<2x10xf32>
func.func @math_functions(%x: tensor<2x10xf32>, %q: tensor<2x10x!u8>)
    -> (tensor<2x10xf32>, tensor<2x10xf32>, tensor<2x10xf32>, tensor<2x10xf32>,
        tensor<2x10xf32>, tensor<2x10xf32>, tensor<2x10xf32>, tensor<2x10xf32>,
        tensor<2x10xf32>, tensor<2x10x!u8b>, tensor<2x10x!quant.uniform<i8:f32, 0.0078125>>) {
  // CHECK: qc.exp %[[X]] : (tensor<2x10xf32>) -> tensor<2x10xf32>
  %0 = qc.exp %x : (tensor<2x10xf32>) -> tensor<2x10xf32>
  // CHECK: qc.log %[[X]] : (tensor<2x10xf32>) -> tensor<2x10xf32>
  %1 = qc.log %x : (tensor<2x10xf32>) -> tensor<2x10xf32>
  // CHECK: qc.abs %[[X]] : (tensor<2x10xf32>) -> tensor<2x10xf32>
  %2 = qc.abs %x : (tensor<2x10xf32>) -> tensor<2x10xf32>
  // CHECK: qc.floor %[[X]] : (tensor<2x10xf32>) -> tensor<2x10xf32>
  %3 = qc.floor %x : (tensor<2x10xf32>) -> tensor<2x10xf32>
  // CHECK: qc.ceil %[[X]] : (tensor<2x10xf32>) -> tensor<2x10xf32>
  %4 = qc.ceil %x : (tensor<2x10xf32>) -> tensor<2x10xf32>
  // CHECK: qc.round %[[X]] : (tensor<2x10xf32>) -> tensor<2x10xf32>
  %5 = qc.round %x : (tensor<2x10xf32>) -> tensor<2x10xf32>
  // CHECK: qc.sign %[[X]] : (tensor<2x10xf32>) -> tensor<2x10xf32>
  %6 = qc.sign %x : (tensor<2x10xf32>) -> tensor<2x10xf32>
  // CHECK: qc.sin %[[X]] : (tensor<2x10xf32>) -> tensor<2x10xf32>
  %7 = qc.sin %x : (tensor<2x10xf32>) -> tensor<2x10xf32>
  // CHECK: qc.cos %[[X]] : (tensor<2x10xf32>) -> tensor<2x10xf32>
  %8 = qc.cos %x : (tensor<2x10xf32>) -> tensor<2x10xf32>
  // CHECK: qc.exp %{{.*}} : (tensor<2x10x!quant.uniform<u8:f32, 5.000000e-01:128>>) -> tensor<2x10x!quant.uniform<u8:f32, 2.500000e-01:3>>
  %9 = qc.exp %q : (tensor<2x10x!u8>) -> tensor<2x10x!u8b>
  // CHECK: qc.sin %{{.*}} : (tensor<2x10x!quant.uniform<u8:f32, 5.000000e-01:128>>) -> tensor<2x10x!quant.uniform<i8:f32, 7.812500e-03>>
  %10 = qc.sin %q : (tensor<2x10x!u8>) -> tensor<2x10x!quant.uniform<i8:f32, 0.0078125>>
  return %0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %10 : tensor<2x10xf32>, tensor<2x10xf32>, tensor<2x10xf32>, tensor<2x10xf32>,
      tensor<2x10xf32>, tensor<2x10xf32>, tensor<2x10xf32>, tensor<2x10xf32>,
      tensor<2x10xf32>, tensor<2x10x!u8b>, tensor<2x10x!quant.uniform<i8:f32, 0.0078125>>
}

// CHECK-LABEL: func.func @layer_norm
func.func @layer_norm(%x: tensor<4x16xf32>, %g: tensor<16xf32>, %b: tensor<16xf32>, %y: tensor<2x4x16xf32>,
                      %g2: tensor<4x16xf32>, %q: tensor<4x16x!u8>, %qg: tensor<16x!i8>)
    -> (tensor<4x16xf32>, tensor<2x4x16xf32>, tensor<4x16x!u8b>) {
  // CHECK: qc.layer_norm %{{.*}}, %{{.*}}, %{{.*}} : (tensor<4x16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<4x16xf32>
  %0 = qc.layer_norm %x, %g, %b : (tensor<4x16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<4x16xf32>
  // CHECK: qc.layer_norm %{{.*}}, %{{.*}} {axis = 1 : i64, epsilon = 1.000000e-03 : f32} : (tensor<2x4x16xf32>, tensor<4x16xf32>) -> tensor<2x4x16xf32>
  %1 = qc.layer_norm %y, %g2 {axis = 1, epsilon = 1.0e-03 : f32} : (tensor<2x4x16xf32>, tensor<4x16xf32>) -> tensor<2x4x16xf32>
  // CHECK: qc.layer_norm %{{.*}}, %{{.*}} : (tensor<4x16x!quant.uniform<u8:f32, 5.000000e-01:128>>, tensor<16x!quant.uniform<i8:f32, 1.250000e-01>>) -> tensor<4x16x!quant.uniform<u8:f32, 2.500000e-01:3>>
  %2 = qc.layer_norm %q, %qg : (tensor<4x16x!u8>, tensor<16x!i8>) -> tensor<4x16x!u8b>
  return %0, %1, %2 : tensor<4x16xf32>, tensor<2x4x16xf32>, tensor<4x16x!u8b>
}

// CHECK-LABEL: func.func @transformer_helpers
func.func @transformer_helpers(%x: tensor<4x48xf32>, %q: tensor<4x48x!quant.uniform<u8:f32, 0.5:128>>)
    -> (tensor<4x1xf32>, tensor<4xf32>, tensor<4x16xf32>, tensor<4x16x!quant.uniform<u8:f32, 0.5:128>>, tensor<4x48xf32>, tensor<4x48xf32>) {
  // CHECK: qc.reduce_mean %{{.*}} {axes = array<i64: -1>} : (tensor<4x48xf32>) -> tensor<4x1xf32>
  %m = qc.reduce_mean %x {axes = array<i64: -1>} : (tensor<4x48xf32>) -> tensor<4x1xf32>
  // CHECK: qc.reduce_mean %{{.*}} {axes = array<i64: 1>, keepdims = false} : (tensor<4x48xf32>) -> tensor<4xf32>
  %n = qc.reduce_mean %x {axes = array<i64: 1>, keepdims = false} : (tensor<4x48xf32>) -> tensor<4xf32>
  // CHECK: qc.slice %{{.*}} {offsets = array<i64: 0, 16>} : (tensor<4x48xf32>) -> tensor<4x16xf32>
  %s = qc.slice %x {offsets = array<i64: 0, 16>} : (tensor<4x48xf32>) -> tensor<4x16xf32>
  // CHECK: qc.slice %{{.*}} {offsets = array<i64: 0, 32>} : (tensor<4x48x!quant.uniform<u8:f32, 5.000000e-01:128>>) -> tensor<4x16x!quant.uniform<u8:f32, 5.000000e-01:128>>
  %t = qc.slice %q {offsets = array<i64: 0, 32>} : (tensor<4x48x!quant.uniform<u8:f32, 0.5:128>>) -> tensor<4x16x!quant.uniform<u8:f32, 0.5:128>>
  // CHECK: qc.pow %{{.*}}, %{{.*}} : (tensor<4x48xf32>, tensor<f32>) -> tensor<4x48xf32>
  %two = arith.constant dense<2.0> : tensor<f32>
  %p = qc.pow %x, %two : (tensor<4x48xf32>, tensor<f32>) -> tensor<4x48xf32>
  // CHECK: qc.sqrt %{{.*}} : (tensor<4x48xf32>) -> tensor<4x48xf32>
  %r = qc.sqrt %p : (tensor<4x48xf32>) -> tensor<4x48xf32>
  return %m, %n, %s, %t, %p, %r : tensor<4x1xf32>, tensor<4xf32>, tensor<4x16xf32>, tensor<4x16x!quant.uniform<u8:f32, 0.5:128>>, tensor<4x48xf32>, tensor<4x48xf32>
}

// CHECK-LABEL: func.func @transformer_helpers_quantized
// CHECK-SAME: (%[[Q:[^:]+]]: tensor<4x48x!quant.uniform<u8:f32, 5.000000e-01:128>>, %[[E:[^:]+]]: tensor<!quant.uniform<u8:f32, 2.500000e-01:3>>)
func.func @transformer_helpers_quantized(%q: tensor<4x48x!u8>, %e: tensor<!u8b>)
    -> (tensor<4x1x!u8b>, tensor<4x48x!u8b>, tensor<4x48x!i8>) {
  // CHECK: qc.reduce_mean %[[Q]] {axes = array<i64: -1>} : (tensor<4x48x!quant.uniform<u8:f32, 5.000000e-01:128>>) -> tensor<4x1x!quant.uniform<u8:f32, 2.500000e-01:3>>
  %m = qc.reduce_mean %q {axes = array<i64: -1>} : (tensor<4x48x!u8>) -> tensor<4x1x!u8b>
  // CHECK: %[[P:.*]] = qc.pow %[[Q]], %[[E]] : (tensor<4x48x!quant.uniform<u8:f32, 5.000000e-01:128>>, tensor<!quant.uniform<u8:f32, 2.500000e-01:3>>) -> tensor<4x48x!quant.uniform<u8:f32, 2.500000e-01:3>>
  %p = qc.pow %q, %e : (tensor<4x48x!u8>, tensor<!u8b>) -> tensor<4x48x!u8b>
  // CHECK: qc.sqrt %[[P]] : (tensor<4x48x!quant.uniform<u8:f32, 2.500000e-01:3>>) -> tensor<4x48x!quant.uniform<i8:f32, 1.250000e-01>>
  %r = qc.sqrt %p : (tensor<4x48x!u8b>) -> tensor<4x48x!i8>
  return %m, %p, %r : tensor<4x1x!u8b>, tensor<4x48x!u8b>, tensor<4x48x!i8>
}

// CHECK-LABEL: func.func @dynamic_quantize
func.func @dynamic_quantize(%x: tensor<6xf32>) -> (tensor<6xui8>, tensor<f32>, tensor<ui8>) {
  // CHECK: qc.dynamic_quantize %{{.*}} : tensor<6xf32> -> tensor<6xui8>, tensor<f32>, tensor<ui8>
  %q, %s, %z = qc.dynamic_quantize %x : tensor<6xf32> -> tensor<6xui8>, tensor<f32>, tensor<ui8>
  return %q, %s, %z : tensor<6xui8>, tensor<f32>, tensor<ui8>
}

// A product with a fused output clamp (ReLU6 folded in).
// CHECK-LABEL: func.func @fused_clamp
// CHECK: qc.matmul %{{.*}}, %{{.*}} {clamp_max = 6.000000e+00 : f32, clamp_min = 0.000000e+00 : f32} : (tensor<2x8x!quant.uniform<u8:f32, 5.000000e-01:128>>, tensor<8x4x!quant.uniform<i8:f32, 2.500000e-01>>) -> tensor<2x4x!quant.uniform<u8:f32, 2.500000e-01:3>>
// CHECK: qc.conv2d %{{.*}}, %{{.*}} {clamp_min = 0.000000e+00 : f32, pads = array<i64: 1, 1, 1, 1>}
func.func @fused_clamp(%a: tensor<2x8x!u8>, %b: tensor<8x4x!quant.uniform<i8:f32, 0.25>>,
                       %x: tensor<1x2x4x4x!u8>, %w: tensor<3x2x3x3x!quant.uniform<i8:f32, 0.25>>)
    -> (tensor<2x4x!u8b>, tensor<1x3x4x4x!u8b>) {
  %0 = qc.matmul %a, %b {clamp_min = 0.0 : f32, clamp_max = 6.0 : f32} : (tensor<2x8x!u8>, tensor<8x4x!quant.uniform<i8:f32, 0.25>>) -> tensor<2x4x!u8b>
  %1 = qc.conv2d %x, %w {pads = array<i64: 1, 1, 1, 1>, clamp_min = 0.0 : f32} : (tensor<1x2x4x4x!u8>, tensor<3x2x3x3x!quant.uniform<i8:f32, 0.25>>) -> tensor<1x3x4x4x!u8b>
  return %0, %1 : tensor<2x4x!u8b>, tensor<1x3x4x4x!u8b>
}

// Bool and integer tensors: comparisons, selection, logic, casts, modulus,
// integer arithmetic and data movement of masks.
// CHECK-LABEL: func.func @logic_ops
func.func @logic_ops(%ids: tensor<2x8xi64>, %zero: tensor<i64>, %s: tensor<2x4x8x8xf32>,
                     %big: tensor<f32>, %x: tensor<3x4xi1>, %y: tensor<4xi1>,
                     %f: tensor<6xf32>, %u: tensor<3xui8>)
    -> (tensor<2x4x8x8xf32>, tensor<3x4xi1>, tensor<2x8xf32>, tensor<2x8xi64>, tensor<6xf32>, tensor<3xui8>) {
  // CHECK: %[[EQ:.*]] = qc.compare eq, %{{.*}}, %{{.*}} : (tensor<2x8xi64>, tensor<i64>) -> tensor<2x8xi1>
  %eq = qc.compare eq, %ids, %zero : (tensor<2x8xi64>, tensor<i64>) -> tensor<2x8xi1>
  // CHECK: qc.compare ge, %{{.*}}, %{{.*}} : (tensor<6xf32>, tensor<6xf32>) -> tensor<6xi1>
  %ge = qc.compare ge, %f, %f : (tensor<6xf32>, tensor<6xf32>) -> tensor<6xi1>
  // CHECK: %[[M:.*]] = qc.reshape %[[EQ]] : (tensor<2x8xi1>) -> tensor<2x1x1x8xi1>
  %m = qc.reshape %eq : (tensor<2x8xi1>) -> tensor<2x1x1x8xi1>
  // CHECK: qc.select %[[M]], %{{.*}}, %{{.*}} : (tensor<2x1x1x8xi1>, tensor<f32>, tensor<2x4x8x8xf32>) -> tensor<2x4x8x8xf32>
  %sel = qc.select %m, %big, %s : (tensor<2x1x1x8xi1>, tensor<f32>, tensor<2x4x8x8xf32>) -> tensor<2x4x8x8xf32>
  // CHECK: %[[OR:.*]] = qc.logical or, %{{.*}}, %{{.*}} : (tensor<3x4xi1>, tensor<4xi1>) -> tensor<3x4xi1>
  %or = qc.logical or, %x, %y : (tensor<3x4xi1>, tensor<4xi1>) -> tensor<3x4xi1>
  // CHECK: qc.logical and,
  %and = qc.logical and, %or, %y : (tensor<3x4xi1>, tensor<4xi1>) -> tensor<3x4xi1>
  // CHECK: qc.logical xor,
  %xor = qc.logical xor, %and, %x : (tensor<3x4xi1>, tensor<3x4xi1>) -> tensor<3x4xi1>
  // CHECK: qc.not %{{.*}} : tensor<3x4xi1>
  %not = qc.not %xor : tensor<3x4xi1>
  // CHECK: qc.cast %{{.*}} : tensor<2x8xi64> -> tensor<2x8xf32>
  %cf = qc.cast %ids : tensor<2x8xi64> -> tensor<2x8xf32>
  // CHECK: qc.mod %{{.*}}, %{{.*}} : (tensor<2x8xi64>, tensor<i64>) -> tensor<2x8xi64>
  %md = qc.mod %ids, %zero : (tensor<2x8xi64>, tensor<i64>) -> tensor<2x8xi64>
  // CHECK: qc.mod %{{.*}}, %{{.*}} {fmod = true} : (tensor<6xf32>, tensor<f32>) -> tensor<6xf32>
  %fm = qc.mod %f, %big {fmod = true} : (tensor<6xf32>, tensor<f32>) -> tensor<6xf32>
  // CHECK: qc.div %{{.*}}, %{{.*}} : (tensor<2x8xi64>, tensor<2x8xi64>) -> tensor<2x8xi64>
  %dv = qc.div %md, %ids : (tensor<2x8xi64>, tensor<2x8xi64>) -> tensor<2x8xi64>
  // CHECK: qc.add %{{.*}}, %{{.*}} : (tensor<3xui8>, tensor<3xui8>) -> tensor<3xui8>
  %ad = qc.add %u, %u : (tensor<3xui8>, tensor<3xui8>) -> tensor<3xui8>
  // CHECK: qc.concat %{{.*}}, %{{.*}} {axis = 0 : i64} : (tensor<3x4xi1>, tensor<3x4xi1>) -> tensor<6x4xi1>
  %cat = qc.concat %not, %x {axis = 0} : (tensor<3x4xi1>, tensor<3x4xi1>) -> tensor<6x4xi1>
  // CHECK: qc.transpose %{{.*}} {perm = array<i64: 1, 0>} : (tensor<6x4xi1>) -> tensor<4x6xi1>
  %tr = qc.transpose %cat {perm = array<i64: 1, 0>} : (tensor<6x4xi1>) -> tensor<4x6xi1>
  // CHECK: qc.slice %{{.*}} {offsets = array<i64: 0, 2>} : (tensor<4x6xi1>) -> tensor<3x4xi1>
  %sl = qc.slice %tr {offsets = array<i64: 0, 2>} : (tensor<4x6xi1>) -> tensor<3x4xi1>
  return %sel, %sl, %cf, %dv, %fm, %ad : tensor<2x4x8x8xf32>, tensor<3x4xi1>, tensor<2x8xf32>, tensor<2x8xi64>, tensor<6xf32>, tensor<3xui8>
}

// Padding, resizing, broadcasting and gathering, f32 and quantized, and a
// strided slice.
// CHECK-LABEL: func.func @resample_and_select
func.func @resample_and_select(%x: tensor<1x3x4x4xf32>, %q: tensor<1x3x4x4x!u8>)
    -> (tensor<1x3x6x8xf32>, tensor<1x3x5x4x!u8>, tensor<1x3x8x8xf32>,
        tensor<1x3x8x8x!u8>, tensor<1x3x2x2x!u8b>, tensor<2x1x3x4x4xf32>,
        tensor<1x2x4x4x!u8>, tensor<1x3x2x4xf32>) {
  // CHECK: qc.pad %{{.*}} {mode = "reflect", pads = array<i64: 0, 0, 1, 2, 0, 0, 1, 2>} : (tensor<1x3x4x4xf32>) -> tensor<1x3x6x8xf32>
  %0 = qc.pad %x {mode = "reflect", pads = array<i64: 0, 0, 1, 2, 0, 0, 1, 2>} : (tensor<1x3x4x4xf32>) -> tensor<1x3x6x8xf32>
  // CHECK: qc.pad %{{.*}} {pads = array<i64: 0, 0, 1, 0, 0, 0, 0, 0>, value = 1.500000e+00 : f32} : (tensor<1x3x4x4x!quant.uniform<u8:f32, 5.000000e-01:128>>) -> tensor<1x3x5x4x!quant.uniform<u8:f32, 5.000000e-01:128>>
  %1 = qc.pad %q {pads = array<i64: 0, 0, 1, 0, 0, 0, 0, 0>, value = 1.5 : f32} : (tensor<1x3x4x4x!u8>) -> tensor<1x3x5x4x!u8>
  // CHECK: qc.resize %{{.*}} {coordinate_mode = "align_corners", cubic_coeff_a = -5.000000e-01 : f32, exclude_outside = true, mode = "cubic", scales = array<f64: 1.000000e+00, 1.000000e+00, 2.000000e+00, 2.000000e+00>} : (tensor<1x3x4x4xf32>) -> tensor<1x3x8x8xf32>
  %2 = qc.resize %x {mode = "cubic", coordinate_mode = "align_corners", cubic_coeff_a = -0.5 : f32, exclude_outside = true, scales = array<f64: 1.0, 1.0, 2.0, 2.0>} : (tensor<1x3x4x4xf32>) -> tensor<1x3x8x8xf32>
  // CHECK: qc.resize %{{.*}} {coordinate_mode = "asymmetric", nearest_mode = "floor", scales = array<f64: 1.000000e+00, 1.000000e+00, 2.000000e+00, 2.000000e+00>} : (tensor<1x3x4x4x!quant.uniform<u8:f32, 5.000000e-01:128>>) -> tensor<1x3x8x8x!quant.uniform<u8:f32, 5.000000e-01:128>>
  %3 = qc.resize %q {coordinate_mode = "asymmetric", nearest_mode = "floor", scales = array<f64: 1.0, 1.0, 2.0, 2.0>} : (tensor<1x3x4x4x!u8>) -> tensor<1x3x8x8x!u8>
  // Linear resizing requantizes freely.
  // CHECK: qc.resize %{{.*}} {mode = "linear", scales = array<f64: 1.000000e+00, 1.000000e+00, 5.000000e-01, 5.000000e-01>} : (tensor<1x3x4x4x!quant.uniform<u8:f32, 5.000000e-01:128>>) -> tensor<1x3x2x2x!quant.uniform<u8:f32, 2.500000e-01:3>>
  %4 = qc.resize %q {mode = "linear", scales = array<f64: 1.0, 1.0, 0.5, 0.5>} : (tensor<1x3x4x4x!u8>) -> tensor<1x3x2x2x!u8b>
  // CHECK: qc.broadcast %{{.*}} : (tensor<1x3x4x4xf32>) -> tensor<2x1x3x4x4xf32>
  %5 = qc.broadcast %x : (tensor<1x3x4x4xf32>) -> tensor<2x1x3x4x4xf32>
  // CHECK: qc.gather %{{.*}} {axis = 1 : i64, indices = array<i64: 2, 0>} : (tensor<1x3x4x4x!quant.uniform<u8:f32, 5.000000e-01:128>>) -> tensor<1x2x4x4x!quant.uniform<u8:f32, 5.000000e-01:128>>
  %6 = qc.gather %q {axis = 1 : i64, indices = array<i64: 2, 0>} : (tensor<1x3x4x4x!u8>) -> tensor<1x2x4x4x!u8>
  // CHECK: qc.slice %{{.*}} {offsets = array<i64: 0, 0, 3, 0>, strides = array<i64: 1, 1, -2, 1>} : (tensor<1x3x4x4xf32>) -> tensor<1x3x2x4xf32>
  %7 = qc.slice %x {offsets = array<i64: 0, 0, 3, 0>, strides = array<i64: 1, 1, -2, 1>} : (tensor<1x3x4x4xf32>) -> tensor<1x3x2x4xf32>
  return %0, %1, %2, %3, %4, %5, %6, %7 : tensor<1x3x6x8xf32>, tensor<1x3x5x4x!u8>, tensor<1x3x8x8xf32>, tensor<1x3x8x8x!u8>, tensor<1x3x2x2x!u8b>, tensor<2x1x3x4x4xf32>, tensor<1x2x4x4x!u8>, tensor<1x3x2x4xf32>
}

// CHECK-LABEL: func.func @take
// CHECK: qc.take %arg0, %arg1 : (tensor<10x4xf32>, tensor<2x5xi64>) -> tensor<2x5x4xf32>
// CHECK: qc.take %arg2, %arg3 {axis = 1 : i64} : (tensor<3x6x!quant.uniform<u8:f32, 5.000000e-01:3>>, tensor<2xi32>) -> tensor<3x2x!quant.uniform<u8:f32, 5.000000e-01:3>>
func.func @take(%t: tensor<10x4xf32>, %ids: tensor<2x5xi64>, %q: tensor<3x6x!quant.uniform<u8:f32, 0.5:3>>, %c: tensor<2xi32>) {
  %0 = qc.take %t, %ids : (tensor<10x4xf32>, tensor<2x5xi64>) -> tensor<2x5x4xf32>
  %1 = qc.take %q, %c {axis = 1 : i64} : (tensor<3x6x!quant.uniform<u8:f32, 0.5:3>>, tensor<2xi32>) -> tensor<3x2x!quant.uniform<u8:f32, 0.5:3>>
  return
}

// Transposed convolution: f32 with every attribute, and the quantized form
// (per-channel weight along the output channels, i32 bias, fused clamp).
// CHECK-LABEL: func.func @conv_transpose
// CHECK: qc.conv_transpose2d %{{.*}}, %{{.*}}, %{{.*}} {dilations = array<i64: 1, 2>, groups = 2 : i64, output_padding = array<i64: 1, 0>, pads = array<i64: 1, 0, 0, 1>, strides = array<i64: 2, 1>} : (tensor<1x4x3x3xf32>, tensor<4x2x3x2xf32>, tensor<4xf32>) -> tensor<1x4x7x4xf32>
// CHECK: qc.conv_transpose2d %{{.*}}, %{{.*}}, %{{.*}} {clamp_min = 0.000000e+00 : f32, strides = array<i64: 2, 2>} : (tensor<1x2x3x3x!quant.uniform<u8:f32, 5.000000e-01:128>>, tensor<4x2x2x2x!quant.uniform<i8:f32:0, {5.000000e-01,2.500000e-01,1.250000e-01,1.000000e+00}>>, tensor<4x!quant.uniform<i32:f32:0, {2.500000e-01,1.250000e-01,6.250000e-02,5.000000e-01}>>) -> tensor<1x4x6x6x!quant.uniform<u8:f32, 2.500000e-01:3>>
func.func @conv_transpose(%x: tensor<1x4x3x3xf32>, %w: tensor<4x2x3x2xf32>, %b: tensor<4xf32>,
                          %q: tensor<1x2x3x3x!u8>, %qw: tensor<4x2x2x2x!i8pc>, %qb: tensor<4x!i32pc>)
    -> (tensor<1x4x7x4xf32>, tensor<1x4x6x6x!u8b>) {
  %0 = qc.conv_transpose2d %x, %w, %b {strides = array<i64: 2, 1>, pads = array<i64: 1, 0, 0, 1>, dilations = array<i64: 1, 2>, output_padding = array<i64: 1, 0>, groups = 2 : i64} : (tensor<1x4x3x3xf32>, tensor<4x2x3x2xf32>, tensor<4xf32>) -> tensor<1x4x7x4xf32>
  %1 = qc.conv_transpose2d %q, %qw, %qb {strides = array<i64: 2, 2>, clamp_min = 0.0 : f32} : (tensor<1x2x3x3x!u8>, tensor<4x2x2x2x!i8pc>, tensor<4x!i32pc>) -> tensor<1x4x6x6x!u8b>
  return %0, %1 : tensor<1x4x7x4xf32>, tensor<1x4x6x6x!u8b>
}

// Every reduction kind; a quantized maximum keeps its operand's type.
// CHECK-LABEL: func.func @reductions
// CHECK: qc.reduce sum %{{.*}} {axes = array<i64: 1, 2>, keepdims = false} : (tensor<2x3x4xf32>) -> tensor<2xf32>
// CHECK: qc.reduce sum_square
// CHECK: qc.reduce l1
// CHECK: qc.reduce l2
// CHECK: qc.reduce log_sum
// CHECK: qc.reduce log_sum_exp
// CHECK: qc.reduce prod
// CHECK: qc.reduce min
// CHECK: qc.reduce max %{{.*}} {axes = array<i64: -1>} : (tensor<2x3x4x!quant.uniform<u8:f32, 5.000000e-01:128>>) -> tensor<2x3x1x!quant.uniform<u8:f32, 5.000000e-01:128>>
func.func @reductions(%x: tensor<2x3x4xf32>, %q: tensor<2x3x4x!u8>)
    -> (tensor<2xf32>, tensor<2x1x4xf32>, tensor<2x1x4xf32>, tensor<2x1x4xf32>,
        tensor<2x1x4xf32>, tensor<2x1x4xf32>, tensor<2x1x4xf32>, tensor<3xf32>,
        tensor<2x3x1x!u8>) {
  %0 = qc.reduce sum %x {axes = array<i64: 1, 2>, keepdims = false} : (tensor<2x3x4xf32>) -> tensor<2xf32>
  %1 = qc.reduce sum_square %x {axes = array<i64: 1>} : (tensor<2x3x4xf32>) -> tensor<2x1x4xf32>
  %2 = qc.reduce l1 %x {axes = array<i64: 1>} : (tensor<2x3x4xf32>) -> tensor<2x1x4xf32>
  %3 = qc.reduce l2 %x {axes = array<i64: 1>} : (tensor<2x3x4xf32>) -> tensor<2x1x4xf32>
  %4 = qc.reduce log_sum %x {axes = array<i64: 1>} : (tensor<2x3x4xf32>) -> tensor<2x1x4xf32>
  %5 = qc.reduce log_sum_exp %x {axes = array<i64: 1>} : (tensor<2x3x4xf32>) -> tensor<2x1x4xf32>
  %6 = qc.reduce prod %x {axes = array<i64: -2>} : (tensor<2x3x4xf32>) -> tensor<2x1x4xf32>
  %7 = qc.reduce min %x {axes = array<i64: 0, 2>, keepdims = false} : (tensor<2x3x4xf32>) -> tensor<3xf32>
  %8 = qc.reduce max %q {axes = array<i64: -1>} : (tensor<2x3x4x!u8>) -> tensor<2x3x1x!u8>
  return %0, %1, %2, %3, %4, %5, %6, %7, %8 : tensor<2xf32>, tensor<2x1x4xf32>, tensor<2x1x4xf32>, tensor<2x1x4xf32>, tensor<2x1x4xf32>, tensor<2x1x4xf32>, tensor<2x1x4xf32>, tensor<3xf32>, tensor<2x3x1x!u8>
}

// The index-valued reductions on f32, quantized and integer operands; the
// top-k values keep the operand's element type.
// CHECK-LABEL: func.func @arg_top_k
// CHECK: qc.argmax %{{.*}} {axis = 1 : i64, keepdims = false} : (tensor<2x3x4xf32>) -> tensor<2x4xi64>
// CHECK: qc.argmin %{{.*}} {axis = -1 : i64, select_last_index = true} : (tensor<2x3x4x!quant.uniform<u8:f32, 5.000000e-01:128>>) -> tensor<2x3x1xi64>
// CHECK: qc.argmax %{{.*}} : (tensor<2x3x4xi64>) -> tensor<1x3x4xi64>
// CHECK: qc.top_k %{{.*}} {axis = 1 : i64, k = 2 : i64, largest = false} : (tensor<2x3x4xf32>) -> (tensor<2x2x4xf32>, tensor<2x2x4xi64>)
// CHECK: qc.top_k %{{.*}} {k = 3 : i64} : (tensor<2x3x4x!quant.uniform<u8:f32, 5.000000e-01:128>>) -> (tensor<2x3x3x!quant.uniform<u8:f32, 5.000000e-01:128>>, tensor<2x3x3xi64>)
func.func @arg_top_k(%x: tensor<2x3x4xf32>, %q: tensor<2x3x4x!u8>, %n: tensor<2x3x4xi64>)
    -> (tensor<2x4xi64>, tensor<2x3x1xi64>, tensor<1x3x4xi64>, tensor<2x2x4xf32>,
        tensor<2x2x4xi64>, tensor<2x3x3x!u8>, tensor<2x3x3xi64>) {
  %0 = qc.argmax %x {axis = 1 : i64, keepdims = false} : (tensor<2x3x4xf32>) -> tensor<2x4xi64>
  %1 = qc.argmin %q {axis = -1 : i64, select_last_index = true} : (tensor<2x3x4x!u8>) -> tensor<2x3x1xi64>
  %2 = qc.argmax %n : (tensor<2x3x4xi64>) -> tensor<1x3x4xi64>
  %3:2 = qc.top_k %x {k = 2 : i64, axis = 1 : i64, largest = false} : (tensor<2x3x4xf32>) -> (tensor<2x2x4xf32>, tensor<2x2x4xi64>)
  %4:2 = qc.top_k %q {k = 3 : i64} : (tensor<2x3x4x!u8>) -> (tensor<2x3x3x!u8>, tensor<2x3x3xi64>)
  return %0, %1, %2, %3#0, %3#1, %4#0, %4#1 : tensor<2x4xi64>, tensor<2x3x1xi64>, tensor<1x3x4xi64>, tensor<2x2x4xf32>, tensor<2x2x4xi64>, tensor<2x3x3x!u8>, tensor<2x3x3xi64>
}

// Log-softmax and group normalization, f32 and quantized (per-group scale).
// CHECK-LABEL: func.func @norms
// CHECK: qc.log_softmax %{{.*}} {axis = 1 : i64} : (tensor<2x4x3x3xf32>) -> tensor<2x4x3x3xf32>
// CHECK: qc.log_softmax %{{.*}} : (tensor<2x4x3x3x!quant.uniform<u8:f32, 5.000000e-01:128>>) -> tensor<2x4x3x3x!quant.uniform<u8:f32, 2.500000e-01:3>>
// CHECK: qc.group_norm %{{.*}}, %{{.*}}, %{{.*}} {epsilon = 1.000000e-03 : f32, groups = 2 : i64} : (tensor<2x4x3x3xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<2x4x3x3xf32>
// CHECK: qc.group_norm %{{.*}}, %{{.*}}, %{{.*}} {groups = 2 : i64} : (tensor<2x4x3x3x!quant.uniform<u8:f32, 5.000000e-01:128>>, tensor<2x!quant.uniform<i8:f32, 1.250000e-01>>, tensor<2x!quant.uniform<i8:f32, 1.250000e-01>>) -> tensor<2x4x3x3x!quant.uniform<u8:f32, 2.500000e-01:3>>
func.func @norms(%x: tensor<2x4x3x3xf32>, %g: tensor<4xf32>, %b: tensor<4xf32>,
                 %q: tensor<2x4x3x3x!u8>, %qg: tensor<2x!i8>, %qb: tensor<2x!i8>)
    -> (tensor<2x4x3x3xf32>, tensor<2x4x3x3x!u8b>, tensor<2x4x3x3xf32>, tensor<2x4x3x3x!u8b>) {
  %0 = qc.log_softmax %x {axis = 1 : i64} : (tensor<2x4x3x3xf32>) -> tensor<2x4x3x3xf32>
  %1 = qc.log_softmax %q : (tensor<2x4x3x3x!u8>) -> tensor<2x4x3x3x!u8b>
  %2 = qc.group_norm %x, %g, %b {groups = 2 : i64, epsilon = 1.0e-3 : f32} : (tensor<2x4x3x3xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<2x4x3x3xf32>
  %3 = qc.group_norm %q, %qg, %qb {groups = 2 : i64} : (tensor<2x4x3x3x!u8>, tensor<2x!i8>, tensor<2x!i8>) -> tensor<2x4x3x3x!u8b>
  return %0, %1, %2, %3 : tensor<2x4x3x3xf32>, tensor<2x4x3x3x!u8b>, tensor<2x4x3x3xf32>, tensor<2x4x3x3x!u8b>
}
