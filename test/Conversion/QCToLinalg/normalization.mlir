// RUN: qopt %s -split-input-file --convert-qc-to-linalg=outline=0 --qc-plan-workspace | FileCheck %s

// Softmax along contiguous rows: per row, the max (dequantized input, in
// order), exp of the shifted input into a one-row buffer, the sum (in
// order), then division and quantization of the result. The row's max and
// sum are loop-carried values, not buffer reads, so the pointwise loops
// vectorize.
// CHECK-LABEL: func.func @softmax
// CHECK: %[[E:.*]] = memref.view %{{.*}} to memref<5xf32>
// CHECK: scf.for %[[R:[a-z0-9]*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK: %[[MAX:[0-9]*]] = scf.for %[[K:[a-z0-9]*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[ACC:[a-z0-9_]*]] = %{{.*}}) -> (f32) {
// CHECK: memref.load %arg0[%[[R]], %[[K]]] : memref<2x5xi8>
// CHECK: arith.maximumf %[[ACC]]
// CHECK: scf.for %[[K2:[a-z0-9]*]] =
// CHECK: %[[SHIFTED:.*]] = arith.subf %{{.*}}, %[[MAX]] : f32
// CHECK: %[[EXP:.*]] = math.exp %[[SHIFTED]]
// CHECK: memref.store %[[EXP]], %[[E]][%[[K2]]]
// CHECK: %[[SUM:.*]] = scf.for {{.*}} iter_args(%[[S:[a-z0-9_]*]] = %{{.*}}) -> (f32) {
// CHECK: arith.addf %[[S]]
// CHECK: scf.for %[[K3:[a-z0-9]*]] =
// CHECK: %[[Q:.*]] = arith.divf %{{.*}}, %[[SUM]] : f32
// CHECK: math.roundeven
// CHECK: memref.store %{{.*}}, %arg1[%[[R]], %[[K3]]] : memref<2x5xi8>
func.func @softmax(%x: tensor<2x5x!quant.uniform<i8:f32, 0.1>>) -> tensor<2x5x!quant.uniform<u8:f32, 0.00390625>> {
  %y = qc.softmax %x : (tensor<2x5x!quant.uniform<i8:f32, 0.1>>) -> tensor<2x5x!quant.uniform<u8:f32, 0.00390625>>
  return %y : tensor<2x5x!quant.uniform<u8:f32, 0.00390625>>
}

// -----

// Softmax along an outer axis: reductions into keepdims buffers and
// broadcasting pointwise passes.
// CHECK-DAG: #[[KEEP:.*]] = affine_map<(d0, d1) -> (0, d1)>
// CHECK-LABEL: func.func @softmax_axis0
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[KEEP]]], iterator_types = ["reduction", "parallel"]} ins(%arg0 : memref<3x4xf32>) outs(%[[MAX:.*]] : memref<1x4xf32>)
// CHECK: arith.maximumf
// CHECK: linalg.generic {{.*}} ins(%arg0, %[[MAX]] : memref<3x4xf32>, memref<1x4xf32>) outs(%[[E:.*]] : memref<3x4xf32>)
// CHECK: math.exp
// CHECK: linalg.generic {{.*}}["reduction", "parallel"]{{.*}} ins(%[[E]] : memref<3x4xf32>)
// CHECK: arith.addf
// CHECK: linalg.generic {{.*}} ins(%[[E]], %{{.*}} : memref<3x4xf32>, memref<1x4xf32>) outs(%arg1 : memref<3x4xf32>)
// CHECK: arith.divf
func.func @softmax_axis0(%x: tensor<3x4xf32>) -> tensor<3x4xf32> {
  %y = qc.softmax %x {axis = 0 : i64} : (tensor<3x4xf32>) -> tensor<3x4xf32>
  return %y : tensor<3x4xf32>
}

// -----

// Layer normalization, per row of the normalized dims: the mean (sum in
// order / n), the biased variance, sqrt(var + epsilon), then
// (x - mean) / stddev * scale + bias.
// CHECK-LABEL: func.func @layer_norm
// CHECK: scf.for %[[R:[a-z0-9]*]] = {{.*}} {
// CHECK: %[[SUM:.*]] = scf.for {{.*}} iter_args({{.*}}) -> (f32) {
// CHECK: %[[MEAN:.*]] = arith.divf %[[SUM]], %[[N:.*]] : f32
// CHECK: %[[SQ:.*]] = scf.for {{.*}} -> (f32) {
// CHECK: %[[D:.*]] = arith.subf %{{.*}}, %[[MEAN]]
// CHECK: arith.mulf %[[D]], %[[D]]
// CHECK: %[[VAR:.*]] = arith.divf %[[SQ]], %[[N]]
// CHECK: %[[STD:.*]] = math.sqrt
// CHECK: scf.for %[[K:[a-z0-9]*]] =
// CHECK: %[[C:.*]] = arith.subf %{{.*}}, %[[MEAN]]
// CHECK: %[[NORM:.*]] = arith.divf %[[C]], %[[STD]]
// CHECK: %[[S:.*]] = arith.mulf %[[NORM]]
// CHECK: %[[Y:.*]] = arith.addf %[[S]]
// CHECK: memref.store %[[Y]], %arg3[%[[R]], %[[K]]]
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
// CHECK: %[[S:.*]] = memref.reinterpret_cast %[[SUM]] {{.*}} to memref<6xf32>
// CHECK: %[[M:.*]] = memref.reinterpret_cast %arg1 {{.*}} to memref<6xf32>
// CHECK: linalg.generic {{.*}} ins(%[[S]] : memref<6xf32>) outs(%[[M]] : memref<6xf32>)
// CHECK: arith.divf %{{.*}}, %[[N]] : f32
func.func @reduce_mean(%x: tensor<2x3x4xf32>) -> tensor<2x3x1xf32> {
  %m = qc.reduce_mean %x {axes = array<i64: 2>} : (tensor<2x3x4xf32>) -> tensor<2x3x1xf32>
  return %m : tensor<2x3x1xf32>
}
