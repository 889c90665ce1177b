// RUN: qopt %s -split-input-file --convert-qc-to-linalg=outline=0 --qc-plan-workspace | FileCheck %s

// f32 comparisons are ordered as numpy's (NaN compares false) except ne,
// which is unordered (NaN compares true).
// CHECK-LABEL: func.func @compare_float
// CHECK: arith.cmpf olt, %{{.*}}, %{{.*}} : f32
// CHECK: arith.cmpf une, %{{.*}}, %{{.*}} : f32
func.func @compare_float(%a: tensor<4xf32>, %b: tensor<4xf32>) -> (tensor<4xi1>, tensor<4xi1>) {
  %lt = qc.compare lt, %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi1>
  %ne = qc.compare ne, %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi1>
  return %lt, %ne : tensor<4xi1>, tensor<4xi1>
}

// -----

// Integers compare signed, ui8 unsigned (its buffer holds signless i8); the
// scalar rhs broadcasts.
// CHECK-DAG: #[[SCALAR:.*]] = affine_map<(d0) -> (0)>
// CHECK-LABEL: func.func @compare_integer
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[SCALAR]], #{{.*}}]
// CHECK: arith.cmpi sge, %{{.*}}, %{{.*}} : i64
// CHECK: arith.cmpi ugt, %{{.*}}, %{{.*}} : i8
func.func @compare_integer(%a: tensor<8xi64>, %z: tensor<i64>, %u: tensor<8xui8>) -> (tensor<8xi1>, tensor<8xi1>) {
  %ge = qc.compare ge, %a, %z : (tensor<8xi64>, tensor<i64>) -> tensor<8xi1>
  %gt = qc.compare gt, %u, %u : (tensor<8xui8>, tensor<8xui8>) -> tensor<8xi1>
  return %ge, %gt : tensor<8xi1>, tensor<8xi1>
}

// -----

// An attention mask: the bool intermediate takes one byte per element in
// the workspace (100 bytes, placed in 128, plus the 64-byte tail slack),
// and the select broadcasts the condition and the scalar fill.
// CHECK-DAG: #[[COND:.*]] = affine_map<(d0, d1) -> (0, d1)>
// CHECK-DAG: #[[FILL:.*]] = affine_map<(d0, d1) -> (0, 0)>
// CHECK-LABEL: func.func @select_mask
// CHECK-SAME: qc.workspace_size = 192
// CHECK: %[[M:.*]] = memref.view %{{.*}}[%{{.*}}][] : memref<192xi8> to memref<100xi1>
// CHECK: arith.cmpi eq, %{{.*}}, %{{.*}} : i64
// CHECK: linalg.generic {indexing_maps = [#[[COND]], #[[FILL]], #{{.*}}, #{{.*}}]
// CHECK: arith.select %{{.*}}, %{{.*}}, %{{.*}} : f32
func.func @select_mask(%mask: tensor<100xi64>, %zero: tensor<i64>, %fill: tensor<f32>, %s: tensor<4x100xf32>) -> tensor<4x100xf32> {
  %m = qc.compare eq, %mask, %zero : (tensor<100xi64>, tensor<i64>) -> tensor<100xi1>
  %y = qc.select %m, %fill, %s : (tensor<100xi1>, tensor<f32>, tensor<4x100xf32>) -> tensor<4x100xf32>
  return %y : tensor<4x100xf32>
}

// -----

// CHECK-LABEL: func.func @logic
// CHECK: arith.andi %{{.*}}, %{{.*}} : i1
// CHECK: arith.ori %{{.*}}, %{{.*}} : i1
// CHECK: arith.xori %{{.*}}, %{{.*}} : i1
// CHECK: %[[TRUE:.*]] = arith.constant true
// CHECK-NEXT: arith.xori %{{.*}}, %[[TRUE]] : i1
func.func @logic(%a: tensor<3x4xi1>, %b: tensor<4xi1>) -> tensor<3x4xi1> {
  %0 = qc.logical and, %a, %b : (tensor<3x4xi1>, tensor<4xi1>) -> tensor<3x4xi1>
  %1 = qc.logical or, %0, %b : (tensor<3x4xi1>, tensor<4xi1>) -> tensor<3x4xi1>
  %2 = qc.logical xor, %1, %a : (tensor<3x4xi1>, tensor<3x4xi1>) -> tensor<3x4xi1>
  %3 = qc.not %2 : tensor<3x4xi1>
  return %3 : tensor<3x4xi1>
}

// -----

// f32 -> i32 truncates toward zero and saturates: values >= 2^31 give the
// maximum, values < -2^31 the minimum, NaN (which fails both ordered range
// tests) converts as 0; fptosi only sees in-range values.
// CHECK-LABEL: func.func @cast_float_to_int
// CHECK: %[[HI:.*]] = arith.constant 2.14748365E+9 : f32
// CHECK: %[[LO:.*]] = arith.constant -2.14748365E+9 : f32
// CHECK: %[[ABOVE:.*]] = arith.cmpf oge, %[[X:.*]], %[[HI]] : f32
// CHECK: %[[BELOW:.*]] = arith.cmpf olt, %[[X]], %[[LO]] : f32
// CHECK: %[[SAFE:.*]] = arith.select %{{.*}}, %[[X]], %{{.*}} : f32
// CHECK: %[[T:.*]] = arith.fptosi %[[SAFE]] : f32 to i64
// CHECK: %[[MIN:.*]] = arith.select %[[BELOW]], %{{.*}}, %[[T]] : i64
// CHECK: %[[MAX:.*]] = arith.select %[[ABOVE]], %{{.*}}, %[[MIN]] : i64
// CHECK: arith.trunci %[[MAX]] : i64 to i32
func.func @cast_float_to_int(%a: tensor<4xf32>) -> tensor<4xi32> {
  %c = qc.cast %a : tensor<4xf32> -> tensor<4xi32>
  return %c : tensor<4xi32>
}

// -----

// ui8 and bool widen with zero extension, i64 narrows by truncation, bools
// become 0/1 floats, and anything becomes a bool as x != 0 (NaN true).
// CHECK-LABEL: func.func @cast_others
// CHECK: arith.extui %{{.*}} : i8 to i64
// CHECK: arith.trunci %{{.*}} : i64 to i32
// CHECK: arith.uitofp %{{.*}} : i1 to f32
// CHECK: arith.cmpf une, %{{.*}}, %{{.*}} : f32
// CHECK: arith.cmpi ne, %{{.*}}, %{{.*}} : i64
func.func @cast_others(%u: tensor<4xui8>, %l: tensor<4xi64>, %b: tensor<4xi1>, %f: tensor<4xf32>)
    -> (tensor<4xi64>, tensor<4xi32>, tensor<4xf32>, tensor<4xi1>, tensor<4xi1>) {
  %0 = qc.cast %u : tensor<4xui8> -> tensor<4xi64>
  %1 = qc.cast %l : tensor<4xi64> -> tensor<4xi32>
  %2 = qc.cast %b : tensor<4xi1> -> tensor<4xf32>
  %3 = qc.cast %f : tensor<4xf32> -> tensor<4xi1>
  %4 = qc.cast %l : tensor<4xi64> -> tensor<4xi1>
  return %0, %1, %2, %3, %4 : tensor<4xi64>, tensor<4xi32>, tensor<4xf32>, tensor<4xi1>, tensor<4xi1>
}

// -----

// Integer mod (numpy's, the sign of the divisor): a truncated remainder by
// a divisor that cannot trap (0 and -1 replaced by 1, both give 0), then
// the divisor added when the remainder's sign differs from it.
// CHECK-LABEL: func.func @mod_integer
// CHECK: ^bb0(%[[A:.*]]: i64, %[[B:.*]]: i64, %{{.*}}: i64):
// CHECK: %[[ZERO:.*]] = arith.cmpi eq, %[[B]], %{{.*}} : i64
// CHECK: %[[M1:.*]] = arith.cmpi eq, %[[B]], %{{.*}} : i64
// CHECK: %[[BAD:.*]] = arith.ori %[[ZERO]], %[[M1]] : i1
// CHECK: %[[SAFE:.*]] = arith.select %[[BAD]], %{{.*}}, %[[B]] : i64
// CHECK: %[[R:.*]] = arith.remsi %[[A]], %[[SAFE]] : i64
// CHECK: %[[SUM:.*]] = arith.addi %[[R]], %[[B]] : i64
// CHECK: arith.select %{{.*}}, %[[SUM]], %[[R]] : i64
func.func @mod_integer(%a: tensor<6xi64>, %b: tensor<6xi64>) -> tensor<6xi64> {
  %r = qc.mod %a, %b : (tensor<6xi64>, tensor<6xi64>) -> tensor<6xi64>
  return %r : tensor<6xi64>
}

// -----

// fmod: C's remainder, frem for f32 and the plain truncated remainder for
// integers; unsigned operands only guard against 0.
// CHECK-LABEL: func.func @mod_fmod
// CHECK: arith.remf %{{.*}}, %{{.*}} : f32
// CHECK: arith.remsi
// CHECK-NOT: arith.addi
// CHECK: arith.remui
func.func @mod_fmod(%a: tensor<6xf32>, %i: tensor<6xi32>, %u: tensor<6xui8>) -> (tensor<6xf32>, tensor<6xi32>, tensor<6xui8>) {
  %f = qc.mod %a, %a {fmod = true} : (tensor<6xf32>, tensor<6xf32>) -> tensor<6xf32>
  %t = qc.mod %i, %i {fmod = true} : (tensor<6xi32>, tensor<6xi32>) -> tensor<6xi32>
  %m = qc.mod %u, %u : (tensor<6xui8>, tensor<6xui8>) -> tensor<6xui8>
  return %f, %t, %m : tensor<6xf32>, tensor<6xi32>, tensor<6xui8>
}

// -----

// Integer add/sub/mul wrap; div truncates, x / 0 is 0 and x / -1 is -x
// (wrapping); max and min compare as signed. No float op is involved.
// CHECK-LABEL: func.func @integer_arith
// CHECK-NOT: arith.addf
// CHECK: arith.addi %{{.*}}, %{{.*}} : i32
// CHECK: arith.subi %{{.*}}, %{{.*}} : i32
// CHECK: arith.muli %{{.*}}, %{{.*}} : i32
// CHECK: ^bb0(%[[X:.*]]: i32, %[[Y:.*]]: i32, %{{.*}}: i32):
// CHECK: %[[ZERO:.*]] = arith.cmpi eq, %[[Y]], %{{.*}} : i32
// CHECK: %[[M1:.*]] = arith.cmpi eq, %[[Y]], %{{.*}} : i32
// CHECK: %[[Q:.*]] = arith.divsi %[[X]], %{{.*}} : i32
// CHECK: %[[NEG:.*]] = arith.subi %{{.*}}, %[[X]] : i32
// CHECK: %[[Q1:.*]] = arith.select %[[M1]], %[[NEG]], %[[Q]] : i32
// CHECK: arith.select %[[ZERO]], %{{.*}}, %[[Q1]] : i32
// CHECK: arith.maxsi
// CHECK: arith.minsi
func.func @integer_arith(%a: tensor<4xi32>, %b: tensor<4xi32>) -> tensor<4xi32> {
  %0 = qc.add %a, %b : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  %1 = qc.sub %0, %b : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  %2 = qc.mul %1, %b : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  %3 = qc.div %2, %b : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  %4 = qc.max %3, %b : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  %5 = qc.min %4, %b : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  return %5 : tensor<4xi32>
}

// -----

// ui8 division and maximum are unsigned.
// CHECK-LABEL: func.func @integer_unsigned
// CHECK: arith.divui %{{.*}}, %{{.*}} : i8
// CHECK: arith.maxui %{{.*}}, %{{.*}} : i8
func.func @integer_unsigned(%a: tensor<4xui8>, %b: tensor<4xui8>) -> tensor<4xui8> {
  %0 = qc.div %a, %b : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  %1 = qc.max %0, %b : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  return %1 : tensor<4xui8>
}

// -----

// Bool constants become byte-per-element globals; masks move through
// reshape (a view), transpose and concat like any other tensor.
// CHECK: memref.global "private" constant @[[G:.*]] : memref<1x2xi1> = dense<{{\[}}[true, false]]>
// CHECK-LABEL: func.func @bool_data_movement
// CHECK: memref.get_global @[[G]] : memref<1x2xi1>
// CHECK: memref.reinterpret_cast %arg1 to offset: [0], sizes: [2, 1]
// CHECK: memref.subview %{{.*}}[0, 0] [2, 2] [1, 1] : memref<5x2xi1>
func.func @bool_data_movement(%a: tensor<2x2xi1>, %b: tensor<2xi1>) -> tensor<5x2xi1> {
  %c = arith.constant dense<[[true, false]]> : tensor<1x2xi1>
  %r = qc.reshape %b : (tensor<2xi1>) -> tensor<2x1xi1>
  %t = qc.transpose %r {perm = array<i64: 1, 0>} : (tensor<2x1xi1>) -> tensor<1x2xi1>
  %y = qc.concat %a, %c, %t, %c {axis = 0} : (tensor<2x2xi1>, tensor<1x2xi1>, tensor<1x2xi1>, tensor<1x2xi1>) -> tensor<5x2xi1>
  return %y : tensor<5x2xi1>
}
