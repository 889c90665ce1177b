// RUN: qopt %s -split-input-file --convert-qc-to-linalg=outline=0 --qc-plan-workspace | FileCheck %s

// Per-tensor quantize: x / scale, round half to even, clamp in f32 to
// [qmin - zp, qmax - zp], then add the zero point and truncate.
// CHECK-LABEL: func.func @quantize_per_tensor
// CHECK: linalg.generic
// CHECK-SAME: ins(%arg0 : memref<4xf32>) outs(%arg1 : memref<4xi8>)
// CHECK: %[[S:.*]] = arith.constant 5.000000e-01 : f32
// CHECK: %[[D:.*]] = arith.divf %{{.*}}, %[[S]] : f32
// CHECK: %[[R:.*]] = math.roundeven %[[D]] : f32
// CHECK: %[[LO:.*]] = arith.maxnumf %[[R]]
// CHECK: %[[HI:.*]] = arith.minnumf %[[LO]]
// CHECK: %[[I:.*]] = arith.fptosi %[[HI]] : f32 to i64
// CHECK: %[[Z:.*]] = arith.addi %[[I]]
// CHECK: arith.trunci %[[Z]] : i64 to i8
func.func @quantize_per_tensor(%x: tensor<4xf32>) -> tensor<4x!quant.uniform<u8:f32, 0.5:128>> {
  %q = qc.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 0.5:128>>
  return %q : tensor<4x!quant.uniform<u8:f32, 0.5:128>>
}

// -----

// Per-axis parameters are constant buffers indexed by the axis.
// CHECK-DAG: #[[AXIS:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-DAG: memref.global "private" constant @[[SCALES:.*]] : memref<3xf32> = dense<[5.000000e-01, 2.500000e-01, 1.250000e-01]>
// CHECK-LABEL: func.func @quantize_per_axis
// CHECK: %[[SC:.*]] = memref.get_global @[[SCALES]]
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[AXIS]], #[[AXIS]], #{{.*}}]
// CHECK-SAME: ins(%arg0, %[[SC]], %{{.*}} : memref<2x3xf32>, memref<3xf32>, memref<3xi32>)
// CHECK: ^bb0(%[[X:.*]]: f32, %[[SCALE:.*]]: f32, %[[ZP:.*]]: i32, %{{.*}}: i8):
// CHECK: arith.divf %[[X]], %[[SCALE]] : f32
func.func @quantize_per_axis(%x: tensor<2x3xf32>) -> tensor<2x3x!quant.uniform<i8:f32:1, {0.5, 0.25, 0.125}>> {
  %q = qc.quantize %x : tensor<2x3xf32> -> tensor<2x3x!quant.uniform<i8:f32:1, {0.5, 0.25, 0.125}>>
  return %q : tensor<2x3x!quant.uniform<i8:f32:1, {0.5, 0.25, 0.125}>>
}

// -----

// Runtime parameters are function inputs broadcast to every element; an
// unsigned zero point is zero-extended.
// CHECK-DAG: #[[SCALAR:.*]] = affine_map<(d0, d1) -> ()>
// CHECK-LABEL: func.func @dequantize_runtime
// CHECK-SAME: (%[[Q:.*]]: memref<2x3xi8>, %[[S:.*]]: memref<f32>, %[[Z:.*]]: memref<i8>, %[[OUT:.*]]: memref<2x3xf32>
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[SCALAR]], #[[SCALAR]], #{{.*}}]
// CHECK-SAME: ins(%[[Q]], %[[S]], %[[Z]] : memref<2x3xi8>, memref<f32>, memref<i8>) outs(%[[OUT]] : memref<2x3xf32>)
// CHECK: ^bb0(%[[QV:.*]]: i8, %[[SV:.*]]: f32, %[[ZV:.*]]: i8, %{{.*}}: f32):
// CHECK: arith.extui %[[ZV]] : i8 to i64
// CHECK: %[[QI:.*]] = arith.extui %[[QV]] : i8 to i32
// CHECK: %[[DIFF:.*]] = arith.subi %[[QI]], %{{.*}} : i32
// CHECK: %[[F:.*]] = arith.sitofp %[[DIFF]] : i32 to f32
// CHECK: arith.mulf %[[F]], %[[SV]] : f32
func.func @dequantize_runtime(%q: tensor<2x3xui8>, %s: tensor<f32>, %z: tensor<ui8>) -> tensor<2x3xf32> {
  %d = qc.dequantize %q scale(%s : tensor<f32>) zero_point(%z : tensor<ui8>) : tensor<2x3xui8> -> tensor<2x3xf32>
  return %d : tensor<2x3xf32>
}

// -----

// Requantize multiplies f32(q - zp) by the ratio of the scales (0.5 / 0.25).
// CHECK-LABEL: func.func @requantize
// CHECK: %[[RATIO:.*]] = arith.constant 2.000000e+00 : f32
// CHECK: %[[Q:.*]] = arith.extui %{{.*}} : i8 to i32
// CHECK: %[[D:.*]] = arith.subi %[[Q]], %c128_i32 : i32
// CHECK: %[[F:.*]] = arith.sitofp %[[D]] : i32 to f32
// CHECK: %[[M:.*]] = arith.mulf %[[F]], %[[RATIO]] : f32
// CHECK: math.roundeven %[[M]]
// CHECK: arith.constant -128 : i64
// CHECK: arith.constant 127 : i64
func.func @requantize(%q: tensor<4x!quant.uniform<u8:f32, 0.5:128>>) -> tensor<4x!quant.uniform<i8:f32, 0.25:-3>> {
  %r = qc.requantize %q : tensor<4x!quant.uniform<u8:f32, 0.5:128>> -> tensor<4x!quant.uniform<i8:f32, 0.25:-3>>
  return %r : tensor<4x!quant.uniform<i8:f32, 0.25:-3>>
}

// -----

// DynamicQuantizeLinear: min and max over the tensor, both starting at 0
// (the range always holds 0); scale = (max - min) / 255; zero point =
// saturate(roundeven(-min / scale)), 0 when the scale is 0; then every
// element is quantized with them.
// CHECK-LABEL: func.func @dynamic_quantize
// CHECK: linalg.fill ins(%[[Z0:.*]] : f32) outs(%[[MIN:.*]] : memref<f32>)
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%[[MAX:.*]] : memref<f32>)
// CHECK: linalg.generic {{.*}}iterator_types = ["reduction", "reduction"]} ins(%arg0 : memref<2x3xf32>) outs(%[[MIN]], %[[MAX]] : memref<f32>, memref<f32>)
// CHECK: arith.minnumf
// CHECK: arith.maxnumf
// CHECK: %[[LO:.*]] = memref.load %[[MIN]][]
// CHECK: %[[HI:.*]] = memref.load %[[MAX]][]
// CHECK: %[[RANGE:.*]] = arith.subf %[[HI]], %[[LO]] : f32
// CHECK: %[[SCALE:.*]] = arith.divf %[[RANGE]], %{{.*}} : f32
// CHECK: %[[NEG:.*]] = arith.negf %[[LO]] : f32
// CHECK: %[[ZPF:.*]] = arith.divf %[[NEG]], %[[SCALE]] : f32
// CHECK: %[[IS0:.*]] = arith.cmpf oeq, %[[SCALE]]
// CHECK: arith.select %[[IS0]]
// CHECK: math.roundeven
// CHECK: memref.store %[[SCALE]], %arg2[] : memref<f32>
// CHECK: memref.store %[[ZP:.*]], %arg3[] : memref<i8>
// CHECK: %[[X:.*]] = memref.reinterpret_cast %arg0 {{.*}} to memref<6xf32>
// CHECK: %[[Q:.*]] = memref.reinterpret_cast %arg1 {{.*}} to memref<6xi8>
// CHECK: linalg.generic {{.*}} ins(%[[X]] : memref<6xf32>) outs(%[[Q]] : memref<6xi8>)
// CHECK: arith.divf %{{.*}}, %[[SCALE]] : f32
// CHECK-NEXT: math.roundeven
func.func @dynamic_quantize(%x: tensor<2x3xf32>) -> (tensor<2x3xui8>, tensor<f32>, tensor<ui8>) {
  %q, %s, %z = qc.dynamic_quantize %x : tensor<2x3xf32> -> tensor<2x3xui8>, tensor<f32>, tensor<ui8>
  return %q, %s, %z : tensor<2x3xui8>, tensor<f32>, tensor<ui8>
}
