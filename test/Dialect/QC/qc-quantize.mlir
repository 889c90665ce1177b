// RUN: qopt %s -qc-quantize | FileCheck %s
// RUN: qopt %s -qc-quantize 2>/dev/null | FileCheck %s --check-prefix=NOSTATS
// RUN: qopt %s -qc-quantize="granularity=per-tensor activation-type=i8" | FileCheck %s --check-prefix=PT
// RUN: qopt %s -qc-quantize="narrow-range" 2>/dev/null | FileCheck %s --check-prefix=NARROW

// End to end: a small float CNN with hand-written statistics becomes integer
// ops with the parameters the statistics and rules give:
//   input [0, 2.55]        -> u8 scale 0.01, zero point 0
//   conv [-4, 10.2] + ReLU -> narrowed to [0, 10.2]: scale 0.04, zero point 0
//                             (the ReLU disappears into the conv's saturation)
//   weights: channel ranges 0.127 and 12.7 -> per-channel i8, scales 0.001, 0.1
//   bias -> i32, scales 0.01 x 0.001 and 0.01 x 0.1
//   max pool, reshape      -> the conv's parameters
//   global average pool [0, 5.1] -> scale 0.02
//   linear [-2.55, 2.55]   -> scale 0.02, zero point 128
//   softmax                -> 1/256, zero point 0
// CHECK-LABEL: func.func @cnn
// CHECK-DAG: %[[W1:.*]] = qc.constant dense<{{\[\[\[\[}}127]]], {{\[\[\[}}-127]]]]> : tensor<2x1x1x1xi8> -> tensor<2x1x1x1x!quant.uniform<i8:f32:0, {0.00100{{[0-9]*}},0.0999{{[0-9]*}}}>>
// CHECK-DAG: %[[B1:.*]] = qc.constant dense<[500, -20]> : tensor<2xi32> -> tensor<2x!quant.uniform<i32:f32:0, {1.0000{{[0-9]*}}E-5,9.999{{[0-9]*}}E-4}>>
// CHECK-DAG: %[[W2:.*]] = qc.constant dense<{{.*}}> : tensor<2x3xi8> -> tensor<2x3x!quant.uniform<i8:f32:1,
// CHECK: %[[X:.*]] = qc.quantize %arg0 : tensor<1x1x4x4xf32> -> tensor<1x1x4x4x!quant.uniform<u8:f32, 0.0099{{[0-9]*}}>>
// CHECK-NEXT: %[[C:.*]] = qc.conv2d %[[X]], %[[W1]], %[[B1]] {{.*}} -> tensor<1x2x4x4x!quant.uniform<u8:f32, 0.03999{{[0-9]*}}>>
// CHECK-NEXT: %[[P:.*]] = qc.max_pool2d %[[C]] {{.*}} -> tensor<1x2x2x2x!quant.uniform<u8:f32, 0.03999{{[0-9]*}}>>
// CHECK-NEXT: %[[G:.*]] = qc.avg_pool2d %[[P]] {{.*}} -> tensor<1x2x1x1x!quant.uniform<u8:f32, 0.01999{{[0-9]*}}>>
// CHECK-NEXT: %[[R:.*]] = qc.reshape %[[G]] {{.*}} -> tensor<1x2x!quant.uniform<u8:f32, 0.01999{{[0-9]*}}>>
// CHECK-NEXT: %[[L:.*]] = qc.matmul %[[R]], %[[W2]], %{{.*}} {{.*}} -> tensor<1x3x!quant.uniform<u8:f32, 0.01999{{[0-9]*}}:128>>
// CHECK-NEXT: %[[S:.*]] = qc.softmax %[[L]] {{.*}} -> tensor<1x3x!quant.uniform<u8:f32, 3.906250e-03>>
// CHECK-NEXT: %[[O:.*]] = qc.dequantize %[[S]]
// CHECK-NEXT: return %[[O]]
// Every qc.stats op is consumed, wherever it was.
// NOSTATS-LABEL: func.func @cnn
// NOSTATS-NOT: qc.stats
// NOSTATS: return
// With narrow-range, weights use [-127, 127].
// NARROW-LABEL: func.func @cnn
// NARROW-DAG: qc.constant dense<{{.*}}> : tensor<2x1x1x1xi8> -> tensor<2x1x1x1x!quant.uniform<i8<-127:127>:f32:0,
// NARROW-DAG: qc.constant dense<{{.*}}> : tensor<2x3xi8> -> tensor<2x3x!quant.uniform<i8<-127:127>:f32:1,
// PT-LABEL: func.func @cnn
// PT-DAG: qc.constant dense<{{.*}}> : tensor<2x1x1x1xi8> -> tensor<2x1x1x1x!quant.uniform<i8:f32, 0.0999{{[0-9]*}}>>
// PT-DAG: qc.quantize %arg0 : tensor<1x1x4x4xf32> -> tensor<1x1x4x4x!quant.uniform<i8:f32, 0.0099{{[0-9]*}}:-128>>
func.func @cnn(%x: tensor<1x1x4x4xf32>) -> tensor<1x3xf32> {
  %xs = qc.stats %x <min = 0.0, max = 2.55> : tensor<1x1x4x4xf32>
  %w1 = arith.constant dense<[[[[0.127]]], [[[-12.7]]]]> : tensor<2x1x1x1xf32>
  %b1 = arith.constant dense<[0.005, -0.02]> : tensor<2xf32>
  %c = qc.conv2d %xs, %w1, %b1 : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %cs = qc.stats %c <min = -4.0, max = 10.2> : tensor<1x2x4x4xf32>
  %r = qc.clamp %cs {min = 0.0 : f32} : tensor<1x2x4x4xf32>
  %p = qc.max_pool2d %r {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x2x4x4xf32>) -> tensor<1x2x2x2xf32>
  %g = qc.avg_pool2d %p {kernel = array<i64: 2, 2>} : (tensor<1x2x2x2xf32>) -> tensor<1x2x1x1xf32>
  %gs = qc.stats %g <min = 0.0, max = 5.1> : tensor<1x2x1x1xf32>
  %f = qc.reshape %gs : (tensor<1x2x1x1xf32>) -> tensor<1x2xf32>
  %w2 = arith.constant dense<[[0.5, -0.25, 1.0], [0.125, 0.75, -1.0]]> : tensor<2x3xf32>
  %b2 = arith.constant dense<[0.1, 0.0, -0.1]> : tensor<3xf32>
  %l = qc.matmul %f, %w2, %b2 : (tensor<1x2xf32>, tensor<2x3xf32>, tensor<3xf32>) -> tensor<1x3xf32>
  %ls = qc.stats %l <min = -2.55, max = 2.55> : tensor<1x3xf32>
  %y = qc.softmax %ls : (tensor<1x3xf32>) -> tensor<1x3xf32>
  return %y : tensor<1x3xf32>
}
