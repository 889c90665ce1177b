// RUN: qopt %s -split-input-file --convert-qc-to-linalg | FileCheck %s

// Softmax: max and sum reductions into keepdims buffers, exp of the
// shifted (dequantized) input, division, quantization of the result.
// CHECK-DAG: #[[KEEP:.*]] = affine_map<(d0, d1) -> (d0, 0)>
// CHECK-LABEL: func.func @softmax
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[KEEP]]], iterator_types = ["parallel", "reduction"]} ins(%arg0 : memref<2x5xi8>) outs(%[[MAX:.*]] : memref<2x1xf32>)
// CHECK: arith.maximumf
// CHECK: linalg.generic {{.*}} ins(%arg0, %[[MAX]] : memref<2x5xi8>, memref<2x1xf32>) outs(%[[E:.*]] : memref<2x5xf32>)
// CHECK: arith.subf
// CHECK: math.exp
// CHECK: linalg.generic {{.*}}["parallel", "reduction"]{{.*}} ins(%[[E]] : memref<2x5xf32>)
// CHECK: arith.addf
// CHECK: linalg.generic {{.*}} ins(%[[E]], %{{.*}} : memref<2x5xf32>, memref<2x1xf32>) outs(%arg1 : memref<2x5xi8>)
// CHECK: arith.divf
// CHECK: math.roundeven
func.func @softmax(%x: tensor<2x5x!quant.uniform<i8:f32, 0.1>>) -> tensor<2x5x!quant.uniform<u8:f32, 0.00390625>> {
  %y = qc.softmax %x : (tensor<2x5x!quant.uniform<i8:f32, 0.1>>) -> tensor<2x5x!quant.uniform<u8:f32, 0.00390625>>
  return %y : tensor<2x5x!quant.uniform<u8:f32, 0.00390625>>
}

// -----

// Layer normalization: mean, biased variance, sqrt(var + epsilon), then
// (x - mean) / stddev * scale + bias.
// CHECK-DAG: #[[INNER:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @layer_norm
// CHECK: linalg.generic {{.*}}["parallel", "reduction"]{{.*}} ins(%arg0 : memref<2x8xf32>) outs(%[[MEAN:.*]] : memref<2x1xf32>)
// CHECK: arith.divf
// CHECK: linalg.generic {{.*}} ins(%arg0, %[[MEAN]] : memref<2x8xf32>, memref<2x1xf32>) outs(%[[STD:.*]] : memref<2x1xf32>)
// CHECK: arith.mulf
// CHECK: math.sqrt
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #{{.*}}, #{{.*}}, #[[INNER]], #[[INNER]], #{{.*}}]
// CHECK-SAME: ins(%arg0, %[[MEAN]], %[[STD]], %arg1, %arg2
// CHECK: %[[C:.*]] = arith.subf
// CHECK: %[[N:.*]] = arith.divf %[[C]]
// CHECK: %[[S:.*]] = arith.mulf %[[N]]
// CHECK: arith.addf %[[S]]
func.func @layer_norm(%x: tensor<2x8xf32>, %g: tensor<8xf32>, %b: tensor<8xf32>) -> tensor<2x8xf32> {
  %y = qc.layer_norm %x, %g, %b {epsilon = 1.0e-3 : f32} : (tensor<2x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  return %y : tensor<2x8xf32>
}

// -----

// ReduceMean: an f32 sum over the reduced axes (zero-initialized, in
// order), then one division by the count.
// CHECK-DAG: #[[ALL:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[KEEP:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, 0)>
// CHECK-LABEL: func.func @reduce_mean
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%[[SUM:.*]] : memref<2x3x1xf32>)
// CHECK: linalg.generic {indexing_maps = [#[[ALL]], #[[KEEP]]], iterator_types = ["parallel", "parallel", "reduction"]} ins(%arg0 : memref<2x3x4xf32>) outs(%[[SUM]] : memref<2x3x1xf32>)
// CHECK: arith.addf
// CHECK: %[[N:.*]] = arith.constant 4.000000e+00 : f32
// CHECK: linalg.generic {{.*}} ins(%[[SUM]] : memref<2x3x1xf32>) outs(%arg1 : memref<2x3x1xf32>)
// CHECK: arith.divf %{{.*}}, %[[N]] : f32
func.func @reduce_mean(%x: tensor<2x3x4xf32>) -> tensor<2x3x1xf32> {
  %m = qc.reduce_mean %x {axes = array<i64: 2>} : (tensor<2x3x4xf32>) -> tensor<2x3x1xf32>
  return %m : tensor<2x3x1xf32>
}
