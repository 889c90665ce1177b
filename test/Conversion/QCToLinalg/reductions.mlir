// RUN: qopt %s -split-input-file --convert-qc-to-linalg=outline=0 --qc-plan-workspace | FileCheck %s

// A quantized maximum with its operand's parameters compares storage
// integers (signed) straight into the result, viewed with the reduced dim
// kept, starting from the storage minimum.
// CHECK-DAG: #[[KEPT:.*]] = affine_map<(d0, d1, d2) -> (d0, 0, d2)>
// CHECK-LABEL: func.func @reduce_max_storage
// CHECK-NOT: memref.view
// CHECK: %[[R:.*]] = memref.reinterpret_cast %arg1 {{.*}} to memref<2x1x4xi8>
// CHECK: linalg.fill ins(%c-128_i8 : i8) outs(%[[R]] : memref<2x1x4xi8>)
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[KEPT]]], iterator_types = ["parallel", "reduction", "parallel"]} ins(%arg0 : memref<2x3x4xi8>) outs(%[[R]] : memref<2x1x4xi8>)
// CHECK: arith.maxsi
func.func @reduce_max_storage(%x: tensor<2x3x4x!quant.uniform<i8:f32, 0.5>>) -> tensor<2x4x!quant.uniform<i8:f32, 0.5>> {
  %y = qc.reduce max %x {axes = array<i64: 1>, keepdims = false} : (tensor<2x3x4x!quant.uniform<i8:f32, 0.5>>) -> tensor<2x4x!quant.uniform<i8:f32, 0.5>>
  return %y : tensor<2x4x!quant.uniform<i8:f32, 0.5>>
}

// -----

// A minimum whose result has other parameters goes through the float
// domain: dequantized operands, an f32 accumulator from +inf, quantized.
// CHECK-LABEL: func.func @reduce_min_requantized
// CHECK: %[[ACC:.*]] = memref.view {{.*}} to memref<2x1xf32>
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%[[ACC]]
// CHECK: linalg.generic {{.*}} ins(%arg0 : memref<2x3xi8>) outs(%[[ACC]] : memref<2x1xf32>)
// CHECK: arith.sitofp
// CHECK: arith.minimumf
// CHECK: linalg.generic {{.*}} ins(%{{.*}} : memref<2xf32>)
// CHECK: math.roundeven
func.func @reduce_min_requantized(%x: tensor<2x3x!quant.uniform<i8:f32, 0.5>>) -> tensor<2x!quant.uniform<i8:f32, 0.25>> {
  %y = qc.reduce min %x {axes = array<i64: 1>, keepdims = false} : (tensor<2x3x!quant.uniform<i8:f32, 0.5>>) -> tensor<2x!quant.uniform<i8:f32, 0.25>>
  return %y : tensor<2x!quant.uniform<i8:f32, 0.25>>
}

// -----

// f32 sums without a finishing step accumulate into the result.
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1) -> (0, d1)>
// CHECK-LABEL: func.func @reduce_sum_square
// CHECK-NOT: memref.view
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%arg1 : memref<1x3xf32>)
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[ROW]]], iterator_types = ["reduction", "parallel"]} ins(%arg0 : memref<2x3xf32>) outs(%arg1 : memref<1x3xf32>)
// CHECK: %[[SQ:.*]] = arith.mulf %[[X:.*]], %[[X]] : f32
// CHECK: arith.addf %{{.*}}, %[[SQ]] : f32
func.func @reduce_sum_square(%x: tensor<2x3xf32>) -> tensor<1x3xf32> {
  %y = qc.reduce sum_square %x {axes = array<i64: 0>} : (tensor<2x3xf32>) -> tensor<1x3xf32>
  return %y : tensor<1x3xf32>
}

// -----

// log_sum_exp: the maxima, then sum(exp(x - max)), then max + log(sum),
// or the maximum itself where it is infinite.
// CHECK-LABEL: func.func @reduce_log_sum_exp
// CHECK-DAG: %[[SUM:.*]] = memref.view %{{.*}}[%c0{{.*}} to memref<2x1xf32>
// CHECK-DAG: %[[MAX:.*]] = memref.view %{{.*}}[%c64{{.*}} to memref<2x1xf32>
// CHECK: linalg.generic {{.*}} ins(%arg0 : memref<2x3xf32>) outs(%[[MAX]] : memref<2x1xf32>)
// CHECK: arith.maximumf
// CHECK: linalg.generic {{.*}} ins(%arg0, %[[MAX]] : memref<2x3xf32>, memref<2x1xf32>) outs(%[[SUM]] : memref<2x1xf32>)
// CHECK: %[[D:.*]] = arith.subf
// CHECK: math.exp %[[D]]
// CHECK: linalg.generic
// CHECK: %[[L:.*]] = math.log
// CHECK: %[[S:.*]] = arith.addf %[[M:.*]], %[[L]]
// CHECK: %[[A:.*]] = math.absf %[[M]]
// CHECK: %[[INF:.*]] = arith.cmpf oeq, %[[A]]
// CHECK: arith.select %[[INF]], %[[M]], %[[S]]
func.func @reduce_log_sum_exp(%x: tensor<2x3xf32>) -> tensor<2xf32> {
  %y = qc.reduce log_sum_exp %x {axes = array<i64: 1>, keepdims = false} : (tensor<2x3xf32>) -> tensor<2xf32>
  return %y : tensor<2xf32>
}

// -----

// Log-softmax: max and sum(exp(x - max)) into keepdims buffers, then
// x - max - log(sum), quantized.
// CHECK-LABEL: func.func @log_softmax
// CHECK: linalg.generic {{.*}} outs(%[[MAX:.*]] : memref<2x1xf32>)
// CHECK: arith.maximumf
// CHECK: linalg.generic {{.*}} ins(%arg0, %[[MAX]] : memref<2x3xi8>, memref<2x1xf32>) outs(%[[SUM:.*]] : memref<2x1xf32>)
// CHECK: math.exp
// CHECK: linalg.generic {{.*}} ins(%arg0, %[[MAX]], %[[SUM]] : {{.*}}) outs(%arg1 : memref<2x3xi8>)
// CHECK: %[[SHIFTED:.*]] = arith.subf %{{.*}}, %{{.*}} : f32
// CHECK: %[[LOG:.*]] = math.log
// CHECK: arith.subf %[[SHIFTED]], %[[LOG]]
// CHECK: math.roundeven
func.func @log_softmax(%x: tensor<2x3x!quant.uniform<i8:f32, 0.5>>) -> tensor<2x3x!quant.uniform<u8:f32, 0.1:255>> {
  %y = qc.log_softmax %x {axis = 1 : i64} : (tensor<2x3x!quant.uniform<i8:f32, 0.5>>) -> tensor<2x3x!quant.uniform<u8:f32, 0.1:255>>
  return %y : tensor<2x3x!quant.uniform<u8:f32, 0.1:255>>
}

// -----

// Group norm over rows of one (sample, group): 4 rows of 2 channels x 3
// positions; mean and variance as loop-carried sums; a per-group scale is
// read at the row's group, a per-channel bias at the channel.
// CHECK-LABEL: func.func @group_norm
// CHECK: %[[X:.*]] = memref.reinterpret_cast %arg0 {{.*}} to memref<4x6xf32>
// CHECK: %[[Y:.*]] = memref.reinterpret_cast %arg3 {{.*}} to memref<4x6xf32>
// CHECK: scf.for %[[R:[a-z0-9]*]] = %{{.*}} to %c4 step
// CHECK: %[[SUM:.*]] = scf.for {{.*}} iter_args({{.*}}) -> (f32)
// CHECK: %[[MEAN:.*]] = arith.divf %[[SUM]], %[[N:.*]] : f32
// CHECK: %[[SQ:.*]] = scf.for {{.*}} -> (f32)
// CHECK: arith.subf %{{.*}}, %[[MEAN]]
// CHECK: %[[VAR:.*]] = arith.divf %[[SQ]], %[[N]]
// CHECK: %[[STD:.*]] = math.sqrt
// CHECK: %[[G:.*]] = arith.remui %[[R]], %c2
// CHECK: scf.for %[[C:[a-z0-9]*]] =
// CHECK: %[[CH:.*]] = arith.addi %{{.*}}, %[[C]] : index
// CHECK: memref.load %arg1[%[[G]]] : memref<2xf32>
// CHECK: memref.load %arg2[%[[CH]]] : memref<4xf32>
// CHECK: scf.for
// CHECK: arith.divf %{{.*}}, %[[STD]]
// CHECK: memref.store %{{.*}}, %[[Y]][%[[R]], %{{.*}}] : memref<4x6xf32>
func.func @group_norm(%x: tensor<2x4x3xf32>, %g: tensor<2xf32>, %b: tensor<4xf32>) -> tensor<2x4x3xf32> {
  %y = qc.group_norm %x, %g, %b {groups = 2 : i64} : (tensor<2x4x3xf32>, tensor<2xf32>, tensor<4xf32>) -> tensor<2x4x3xf32>
  return %y : tensor<2x4x3xf32>
}

// -----

// argmax: one reduction generic with two accumulators, the best value (in
// a scratch buffer, from -inf) and its index (in the result, from 0). With
// select_last_index a later element wins unless the best so far is
// strictly better; a NaN is better than every number.
// CHECK-LABEL: func.func @argmax_last
// CHECK: %[[BEST:.*]] = memref.view {{.*}} to memref<2x1x4xf32>
// CHECK: %[[IDX:.*]] = memref.reinterpret_cast %arg1 {{.*}} to memref<2x1x4xi64>
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%[[BEST]]
// CHECK: linalg.fill ins(%c0_i64 : i64) outs(%[[IDX]]
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction", "parallel"]} ins(%arg0 : memref<2x3x4xf32>) outs(%[[BEST]], %[[IDX]] : memref<2x1x4xf32>, memref<2x1x4xi64>)
// CHECK: ^bb0(%[[IN:.*]]: f32, %[[OUT:.*]]: f32, %{{.*}}: i64):
// CHECK: arith.cmpf ogt, %[[OUT]], %[[IN]] : f32
// CHECK: arith.cmpf uno
// CHECK: %[[BETTER:.*]] = arith.ori
// CHECK: %[[TAKE:.*]] = arith.xori %[[BETTER]]
// CHECK: %[[J:.*]] = linalg.index 1 : index
// CHECK: %[[J64:.*]] = arith.index_cast %[[J]] : index to i64
// CHECK: arith.select %[[TAKE]], %[[IN]], %[[OUT]] : f32
// CHECK: arith.select %[[TAKE]], %[[J64]], %{{.*}} : i64
func.func @argmax_last(%x: tensor<2x3x4xf32>) -> tensor<2x4xi64> {
  %y = qc.argmax %x {axis = 1 : i64, keepdims = false, select_last_index = true} : (tensor<2x3x4xf32>) -> tensor<2x4xi64>
  return %y : tensor<2x4xi64>
}

// -----

// A quantized argmin compares storage integers (unsigned for u8), from
// the largest one (255 = -1 as i8).
// CHECK-LABEL: func.func @argmin_u8
// CHECK: linalg.fill ins(%c-1_i8 : i8)
// CHECK: linalg.generic {{.*}} ins(%arg0 : memref<2x3xi8>)
// CHECK: arith.cmpi ult, %{{.*}}, %{{.*}} : i8
func.func @argmin_u8(%x: tensor<2x3x!quant.uniform<u8:f32, 0.5:128>>) -> tensor<2x1xi64> {
  %y = qc.argmin %x {axis = 1 : i64} : (tensor<2x3x!quant.uniform<u8:f32, 0.5:128>>) -> tensor<2x1xi64>
  return %y : tensor<2x1xi64>
}

// -----

// An i64 argmax starts from the smallest i64.
// CHECK-LABEL: func.func @argmax_i64
// CHECK: linalg.fill ins(%c-9223372036854775808_i64 : i64)
// CHECK: arith.cmpi sgt, %{{.*}}, %{{.*}} : i64
func.func @argmax_i64(%x: tensor<2x3xi64>) -> tensor<2xi64> {
  %y = qc.argmax %x {axis = 1 : i64, keepdims = false} : (tensor<2x3xi64>) -> tensor<2xi64>
  return %y : tensor<2xi64>
}

// -----

// top_k: per slice of the [outer, n, inner] view, each element in index
// order is inserted into the sorted list in the results (index -1 marks an
// empty slot): it takes the first slot it is strictly better than, and the
// entries from there on move down (equal values keep their index order).
// CHECK-LABEL: func.func @top_k
// CHECK: linalg.fill ins(%c-1_i64 : i64) outs(%arg2 : memref<2x2x3xi64>)
// CHECK: scf.for
// CHECK: scf.for
// CHECK: scf.for %[[J:.*]] = %{{.*}} to %c5
// CHECK: %[[X:.*]] = memref.load %arg0[%{{.*}}, %[[J]], %{{.*}}] : memref<2x5x3xf32>
// CHECK: scf.for {{.*}} iter_args(%{{.*}} = %[[X]], {{.*}}) -> (f32, i64, i1)
// CHECK: arith.cmpi eq, %{{.*}}, %c-1_i64 : i64
// CHECK: arith.cmpf ogt
// CHECK: memref.store {{.*}} : memref<2x2x3xf32>
// CHECK: memref.store {{.*}} : memref<2x2x3xi64>
func.func @top_k(%x: tensor<2x5x3xf32>) -> (tensor<2x2x3xf32>, tensor<2x2x3xi64>) {
  %v, %i = qc.top_k %x {k = 2 : i64, axis = 1 : i64} : (tensor<2x5x3xf32>) -> (tensor<2x2x3xf32>, tensor<2x2x3xi64>)
  return %v, %i : tensor<2x2x3xf32>, tensor<2x2x3xi64>
}
