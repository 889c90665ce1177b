// RUN: qopt %s -split-input-file --convert-qc-to-linalg=outline=0 --qc-plan-workspace --mlir-print-elementsattrs-with-hex-if-larger=-1 | FileCheck %s

// Quantized add: both operands dequantized (the rhs broadcast along the
// rows), added in f32, the sum quantized with the result's parameters.
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1) -> (0, d1)>
// CHECK-LABEL: func.func @add_quantized
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[ROW]], #{{.*}}]
// CHECK: ^bb0(%[[A:.*]]: i8, %[[B:.*]]: i8, %{{.*}}: i8):
// CHECK: arith.extui %[[A]] : i8 to i32
// CHECK: %[[FA:.*]] = arith.mulf
// CHECK: arith.extsi %[[B]] : i8 to i32
// CHECK: %[[FB:.*]] = arith.mulf
// CHECK: %[[SUM:.*]] = arith.addf %[[FA]], %[[FB]] : f32
// CHECK: arith.divf %[[SUM]], %{{.*}} : f32
// CHECK: math.roundeven
// CHECK: arith.trunci %{{.*}} : i64 to i8
func.func @add_quantized(%a: tensor<2x3x!quant.uniform<u8:f32, 0.5:128>>, %b: tensor<3x!quant.uniform<i8:f32, 0.25>>) -> tensor<2x3x!quant.uniform<u8:f32, 0.1:10>> {
  %y = qc.add %a, %b : (tensor<2x3x!quant.uniform<u8:f32, 0.5:128>>, tensor<3x!quant.uniform<i8:f32, 0.25>>) -> tensor<2x3x!quant.uniform<u8:f32, 0.1:10>>
  return %y : tensor<2x3x!quant.uniform<u8:f32, 0.1:10>>
}

// -----

// A quantized clamp clamps storage integers (unsigned compares for u8):
// 0.0 -> 128 (-128 as i8), 6.0 -> 140 (-116 as i8).
// CHECK-LABEL: func.func @clamp_quantized
// CHECK: %[[LO:.*]] = arith.constant -128 : i8
// CHECK: %[[X:.*]] = arith.maxui %{{.*}}, %[[LO]] : i8
// CHECK: %[[HI:.*]] = arith.constant -116 : i8
// CHECK: arith.minui %[[X]], %[[HI]] : i8
func.func @clamp_quantized(%a: tensor<4x!quant.uniform<u8:f32, 0.5:128>>) -> tensor<4x!quant.uniform<u8:f32, 0.5:128>> {
  %y = qc.clamp %a {min = 0.0 : f32, max = 6.0 : f32} : tensor<4x!quant.uniform<u8:f32, 0.5:128>>
  return %y : tensor<4x!quant.uniform<u8:f32, 0.5:128>>
}

// -----

// An f32 ReLU propagates NaN (maximumf).
// CHECK-LABEL: func.func @relu
// CHECK: arith.maximumf %{{.*}}, %{{.*}} : f32
func.func @relu(%a: tensor<4xf32>) -> tensor<4xf32> {
  %y = qc.clamp %a {min = 0.0 : f32} : tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @sigmoid
// CHECK: %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK: %[[N:.*]] = arith.negf
// CHECK: %[[E:.*]] = math.exp %[[N]] : f32
// CHECK: %[[D:.*]] = arith.addf %[[ONE]], %[[E]] : f32
// CHECK: arith.divf %[[ONE]], %[[D]] : f32
func.func @sigmoid(%a: tensor<4xf32>) -> tensor<4xf32> {
  %y = qc.sigmoid %a : (tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @tanh_erf_sub_mul_div
// CHECK: math.tanh
// CHECK: math.erf
// CHECK: arith.subf
// CHECK: arith.mulf
// CHECK: arith.divf
func.func @tanh_erf_sub_mul_div(%a: tensor<4xf32>) -> tensor<4xf32> {
  %t = qc.tanh %a : (tensor<4xf32>) -> tensor<4xf32>
  %e = qc.erf %t : (tensor<4xf32>) -> tensor<4xf32>
  %s = qc.sub %e, %a : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %m = qc.mul %s, %a : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %d = qc.div %m, %a : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %d : tensor<4xf32>
}

// -----

// sqrt and pow: f32 math ops in a pointwise generic (pow broadcasting its
// exponent); a quantized sqrt goes through the float domain.
// An 8-bit to 8-bit quantized sqrt is a table: entry q is
// sqrt(0.5 q) / 0.1 rounded.
// CHECK: memref.global "private" constant @{{.*}} : memref<256xi8> = dense<[0, 7, 10, 12, 14, 16,
// CHECK-LABEL: func.func @sqrt_pow
// CHECK: linalg.generic
// CHECK: math.sqrt %{{.*}} : f32
// CHECK: linalg.generic
// CHECK: math.powf %{{.*}}, %{{.*}} : f32
// CHECK: linalg.generic
// CHECK: ^bb0(%[[Q:.*]]: i8, %{{.*}}: i8):
// CHECK: %[[I:.*]] = arith.extui %[[Q]] : i8 to i32
// CHECK: %[[K:.*]] = arith.index_castui %[[I]] : i32 to index
// CHECK: memref.load %{{.*}}[%[[K]]] : memref<256xi8>
func.func @sqrt_pow(%x: tensor<2x3xf32>, %e: tensor<3xf32>, %q: tensor<4x!quant.uniform<u8:f32, 0.5:0>>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<4x!quant.uniform<u8:f32, 0.1:0>>) {
  %s = qc.sqrt %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %p = qc.pow %x, %e : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %r = qc.sqrt %q : (tensor<4x!quant.uniform<u8:f32, 0.5:0>>) -> tensor<4x!quant.uniform<u8:f32, 0.1:0>>
  return %s, %p, %r : tensor<2x3xf32>, tensor<2x3xf32>, tensor<4x!quant.uniform<u8:f32, 0.1:0>>
}

// -----

// max and min: maximumf/minimumf (NaN propagates, as ONNX Max and Min) in a
// pointwise generic broadcasting the rhs along the rows; a quantized max
// goes through the float domain.
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1) -> (0, d1)>
// CHECK-LABEL: func.func @max_min
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[ROW]], #{{.*}}]
// CHECK: arith.maximumf %{{.*}}, %{{.*}} : f32
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[ROW]], #{{.*}}]
// CHECK: arith.minimumf %{{.*}}, %{{.*}} : f32
// CHECK: linalg.generic
// CHECK: ^bb0(%[[A:.*]]: i8, %[[B:.*]]: i8, %{{.*}}: i8):
// CHECK: arith.extui %[[A]] : i8 to i32
// CHECK: %[[FA:.*]] = arith.mulf
// CHECK: arith.extui %[[B]] : i8 to i32
// CHECK: %[[FB:.*]] = arith.mulf
// CHECK: %[[M:.*]] = arith.maximumf %[[FA]], %[[FB]] : f32
// CHECK: arith.divf %[[M]], %{{.*}} : f32
// CHECK: math.roundeven
func.func @max_min(%a: tensor<2x3xf32>, %b: tensor<3xf32>, %qa: tensor<4x!quant.uniform<u8:f32, 0.5:128>>, %qb: tensor<4x!quant.uniform<u8:f32, 0.25:3>>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<4x!quant.uniform<u8:f32, 0.1:10>>) {
  %x = qc.max %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %n = qc.min %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %q = qc.max %qa, %qb : (tensor<4x!quant.uniform<u8:f32, 0.5:128>>, tensor<4x!quant.uniform<u8:f32, 0.25:3>>) -> tensor<4x!quant.uniform<u8:f32, 0.1:10>>
  return %x, %n, %q : tensor<2x3xf32>, tensor<2x3xf32>, tensor<4x!quant.uniform<u8:f32, 0.1:10>>
}

// -----

// The activations' math functions: one math op each in a pointwise generic
// (round is roundeven, ties to even as ONNX Round); a quantized exp is a
// table: entry q is exp(0.5 (q - 128)) / 0.1 rounded and saturated to
// [0, 255] (stored as i8: 201 is -55, 255 is -1).
// CHECK: memref.global "private" constant @{{.*}} : memref<256xi8> = dense<[0, {{.*}}, 0, 1, 1, 2, 4, 6, 10, 16, 27, 45, 74, 122, -55, -1, -1,
// CHECK-LABEL: func.func @math_functions
// CHECK: math.exp %{{.*}} : f32
// CHECK: math.log %{{.*}} : f32
// CHECK: math.absf %{{.*}} : f32
// CHECK: math.floor %{{.*}} : f32
// CHECK: math.ceil %{{.*}} : f32
// CHECK: math.roundeven %{{.*}} : f32
// CHECK: math.sin %{{.*}} : f32
// CHECK: math.cos %{{.*}} : f32
// CHECK: linalg.generic
// CHECK: ^bb0(%[[Q:.*]]: i8, %{{.*}}: i8):
// CHECK: arith.extui %[[Q]] : i8 to i32
// CHECK: memref.load %{{.*}} : memref<256xi8>
func.func @math_functions(%x: tensor<4xf32>, %q: tensor<4x!quant.uniform<u8:f32, 0.5:128>>) -> (tensor<4xf32>, tensor<4x!quant.uniform<u8:f32, 0.1:0>>) {
  %0 = qc.exp %x : (tensor<4xf32>) -> tensor<4xf32>
  %1 = qc.log %0 : (tensor<4xf32>) -> tensor<4xf32>
  %2 = qc.abs %1 : (tensor<4xf32>) -> tensor<4xf32>
  %3 = qc.floor %2 : (tensor<4xf32>) -> tensor<4xf32>
  %4 = qc.ceil %3 : (tensor<4xf32>) -> tensor<4xf32>
  %5 = qc.round %4 : (tensor<4xf32>) -> tensor<4xf32>
  %6 = qc.sin %5 : (tensor<4xf32>) -> tensor<4xf32>
  %7 = qc.cos %6 : (tensor<4xf32>) -> tensor<4xf32>
  %r = qc.exp %q : (tensor<4x!quant.uniform<u8:f32, 0.5:128>>) -> tensor<4x!quant.uniform<u8:f32, 0.1:0>>
  return %7, %r : tensor<4xf32>, tensor<4x!quant.uniform<u8:f32, 0.1:0>>
}

// -----

// Sign: 1 above zero, -1 below, the operand itself for zeros and NaN.
// CHECK-LABEL: func.func @sign
// CHECK: ^bb0(%[[X:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[GT:.*]] = arith.cmpf ogt, %[[X]], %[[ZERO]] : f32
// CHECK: %[[LT:.*]] = arith.cmpf olt, %[[X]], %[[ZERO]] : f32
// CHECK: %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK: %[[P:.*]] = arith.select %[[GT]], %[[ONE]], %[[X]] : f32
// CHECK: %[[MINUS:.*]] = arith.constant -1.000000e+00 : f32
// CHECK: arith.select %[[LT]], %[[MINUS]], %[[P]] : f32
func.func @sign(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = qc.sign %x : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Sin (and cos) first reduce by whole turns, k = round(x / 2pi), with 2pi in
// two parts (6.28125 exact in 8 bits), and clamp the result to [-1, 1].
// CHECK-LABEL: func.func @sin_reduction
// CHECK: ^bb0(%[[X:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[INV:.*]] = arith.constant 0.159154937 : f32
// CHECK: %[[T:.*]] = arith.mulf %[[X]], %[[INV]] : f32
// CHECK: %[[K:.*]] = math.roundeven %[[T]] : f32
// CHECK: %[[HI:.*]] = arith.constant 6.281250e+00 : f32
// CHECK: %[[KHI:.*]] = arith.mulf %[[K]], %[[HI]] : f32
// CHECK: %[[R0:.*]] = arith.subf %[[X]], %[[KHI]] : f32
// CHECK: %[[LO:.*]] = arith.constant 0.00193530717 : f32
// CHECK: %[[KLO:.*]] = arith.mulf %[[K]], %[[LO]] : f32
// CHECK: %[[R:.*]] = arith.subf %[[R0]], %[[KLO]] : f32
// CHECK: %[[S:.*]] = math.sin %[[R]] : f32
// CHECK: %[[M:.*]] = arith.maximumf %[[S]], %{{.*}} : f32
// CHECK: arith.minimumf %[[M]], %{{.*}} : f32
func.func @sin_reduction(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = qc.sin %x : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// qc.activation in f32: one pointwise generic per activation, the function
// inlined (hard_swish: x * clamp(x * 1/6 + 0.5, 0, 1); gelu: x * 0.5 * (1 +
// erf(x / sqrt(2)))).
// CHECK-LABEL: func.func @activations_f32
// CHECK: linalg.generic
// CHECK: ^bb0(%[[X:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[S:.*]] = arith.mulf %[[X]], %{{.*}} : f32
// CHECK: %[[T:.*]] = arith.addf %[[S]], %{{.*}} : f32
// CHECK: %[[L:.*]] = arith.maximumf %[[T]], %{{.*}} : f32
// CHECK: %[[H:.*]] = arith.minimumf %[[L]], %{{.*}} : f32
// CHECK: %[[Y:.*]] = arith.mulf %[[X]], %[[H]] : f32
// CHECK: linalg.yield %[[Y]] : f32
// CHECK: linalg.generic
// CHECK: ^bb0(%[[X2:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[D:.*]] = arith.divf %[[X2]], %{{.*}} : f32
// CHECK: %[[E:.*]] = math.erf %[[D]] : f32
// CHECK: %[[HX:.*]] = arith.mulf %[[X2]], %{{.*}} : f32
// CHECK: %[[P:.*]] = arith.addf %[[E]], %{{.*}} : f32
// CHECK: arith.mulf %[[HX]], %[[P]] : f32
func.func @activations_f32(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %0 = qc.activation hard_swish %x : (tensor<4xf32>) -> tensor<4xf32>
  %1 = qc.activation gelu %x : (tensor<4xf32>) -> tensor<4xf32>
  return %0, %1 : tensor<4xf32>, tensor<4xf32>
}

// -----

// A quantized hard_swish from i8 is a table indexed by q + 128: entry 0 is
// q = -128, x = -12.8 (0); entries 156 to 160 are x = 2.8 to 3.2, where
// hard_swish is 2.707, 2.85, 3, 3.1, 3.2 (27 to 32 at scale 0.1); the
// minimum -0.375 is -3 or -4 steps.
// CHECK: memref.global "private" constant @{{.*}} : memref<256xi8> = dense<[0, 0,
// CHECK-SAME: -3, -3, -3,
// CHECK-SAME: 26, 27, 29, 30, 31, 32, 33,
// CHECK-LABEL: func.func @activation_table_i8
// CHECK: ^bb0(%[[Q:.*]]: i8, %{{.*}}: i8):
// CHECK: %[[W:.*]] = arith.extsi %[[Q]] : i8 to i32
// CHECK: %[[I:.*]] = arith.addi %[[W]], %{{.*}} : i32
// CHECK: %[[K:.*]] = arith.index_castui %[[I]] : i32 to index
// CHECK: memref.load %{{.*}}[%[[K]]] : memref<256xi8>
func.func @activation_table_i8(%q: tensor<8x!quant.uniform<i8:f32, 0.1>>) -> tensor<8x!quant.uniform<i8:f32, 0.1>> {
  %y = qc.activation hard_swish %q : (tensor<8x!quant.uniform<i8:f32, 0.1>>) -> tensor<8x!quant.uniform<i8:f32, 0.1>>
  return %y : tensor<8x!quant.uniform<i8:f32, 0.1>>
}

// -----

// Per-channel factors: a table per channel, back to back, indexed by the
// channel's offset (c * 256, a broadcast i32 operand) plus q + 128. Channel
// 0 (factors 1) is the plain table; channel 1 is hard_swish(2 x) * 0.5: at
// x = 0, 0.1, ..., 1.1 (entries 128-139) 0, 1, 1, 2, 3, 3, 4, 5, 6, 7, 8, 10
// where channel 0 has 0, 1, 1, 2, 2, 3, 4, 4, 5, 6, 7, 8.
// CHECK-DAG: memref.global "private" constant @{{.*}} : memref<512xi8> = dense<[0, {{.*}}, 0, 1, 1, 2, 2, 3, 4, 4, 5, 6, 7, 8, {{.*}}, 0, 1, 1, 2, 3, 3, 4, 5, 6, 7, 8, 10,
// CHECK-DAG: memref.global "private" constant @{{.*}} : memref<1x2x1xi32> = dense<{{\[\[\[}}0], [256]]]>
// CHECK-NOT: memref<1x2x1xf32>
// CHECK-LABEL: func.func @activation_tables_per_channel
// CHECK: ^bb0(%[[Q:.*]]: i8, %[[OFF:.*]]: i32, %{{.*}}: i8):
// CHECK: %[[W:.*]] = arith.extsi %[[Q]] : i8 to i32
// CHECK: %[[I:.*]] = arith.addi %[[W]], %{{.*}} : i32
// CHECK: %[[J:.*]] = arith.addi %[[I]], %[[OFF]] : i32
// CHECK: %[[K:.*]] = arith.index_castui %[[J]] : i32 to index
// CHECK: memref.load %{{.*}}[%[[K]]] : memref<512xi8>
func.func @activation_tables_per_channel(%q: tensor<1x2x4x!quant.uniform<i8:f32, 0.1>>) -> tensor<1x2x4x!quant.uniform<i8:f32, 0.1>> {
  %y = qc.activation hard_swish %q {in_scales = array<f32: 1.0, 2.0>, out_scales = array<f32: 1.0, 0.5>} : (tensor<1x2x4x!quant.uniform<i8:f32, 0.1>>) -> tensor<1x2x4x!quant.uniform<i8:f32, 0.1>>
  return %y : tensor<1x2x4x!quant.uniform<i8:f32, 0.1>>
}

// -----

// In f32, the channel's input factor multiplies x before the function and
// its output factor the result (broadcast [1, C, 1] operands).
// CHECK-LABEL: func.func @activation_factors_f32
// CHECK: linalg.generic
// CHECK: ^bb0(%[[X:.*]]: f32, %[[IN:.*]]: f32, %[[OUT:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[S:.*]] = arith.mulf %[[X]], %[[IN]] : f32
// CHECK: %[[Y:.*]] = arith.mulf %[[S]], %{{.*}} : f32
// CHECK: %[[R:.*]] = arith.mulf %{{.*}}, %[[OUT]] : f32
// CHECK: linalg.yield %[[R]] : f32
func.func @activation_factors_f32(%x: tensor<1x2x4xf32>) -> tensor<1x2x4xf32> {
  %y = qc.activation silu %x {in_scales = array<f32: 1.0, 2.0>, out_scales = array<f32: 1.0, 0.5>} : (tensor<1x2x4xf32>) -> tensor<1x2x4xf32>
  return %y : tensor<1x2x4xf32>
}

// -----

// The affine epilogue: f32 adds a multiply and an add after the function;
// the table includes it (i8 at scale 0.1: x = -12.8 gives 0 * 2 - 1 = -1,
// -10 steps, at entry 0; x = 0 gives -1 too, at entry 128; x = 3 gives
// 3 * 2 - 1 = 5, 50 steps, at entry 158).
// CHECK: memref.global "private" constant @{{.*}} : memref<256xi8> = dense<[-10, -10,
// CHECK-SAME: -12, -11, -10, -9, -8,
// CHECK-SAME: 44, 47, 50, 52, 54,
// CHECK-LABEL: func.func @activation_epilogue
// CHECK: linalg.generic
// CHECK: %[[M:.*]] = arith.minimumf
// CHECK: %[[H:.*]] = arith.mulf %{{.*}}, %[[M]] : f32
// CHECK: %[[S:.*]] = arith.mulf %[[H]], %{{.*}} : f32
// CHECK: arith.addf %[[S]], %{{.*}} : f32
func.func @activation_epilogue(%x: tensor<4xf32>, %q: tensor<8x!quant.uniform<i8:f32, 0.1>>) -> (tensor<4xf32>, tensor<8x!quant.uniform<i8:f32, 0.1>>) {
  %0 = qc.activation hard_swish %x {scale = 2.0 : f32, shift = -1.0 : f32} : (tensor<4xf32>) -> tensor<4xf32>
  %1 = qc.activation hard_swish %q {scale = 2.0 : f32, shift = -1.0 : f32} : (tensor<8x!quant.uniform<i8:f32, 0.1>>) -> tensor<8x!quant.uniform<i8:f32, 0.1>>
  return %0, %1 : tensor<4xf32>, tensor<8x!quant.uniform<i8:f32, 0.1>>
}

// -----

// On AVX-512 VBMI targets a table is looked up 64 bytes at a time: its four
// 64-byte parts loaded once, vpermi2b on entries 0-127 and 128-255, the
// index's top bit choosing (signed storage flips it first: entry q + 128);
// 100 = 64 + 36 bytes, so one whole vector and a masked tail. The reference
// lowering keeps the scalar loads.
// RUN: qopt %s -split-input-file --convert-qc-to-linalg="target=x86-64-amx outline=0" | FileCheck %s --check-prefix=VBMI
// RUN: qopt %s -split-input-file --convert-qc-to-linalg="target=x86-64-amx reference=1 outline=0" | FileCheck %s --check-prefix=SCALAR
// VBMI-LABEL: func.func @vbmi_table
// VBMI-COUNT-4: vector.load %{{.*}} : memref<256xi8>, vector<64xi8>
// VBMI: scf.for
// VBMI: %[[V:.*]] = vector.load %{{.*}} : memref<100xi8>, vector<64xi8>
// VBMI: %[[I:.*]] = arith.xori %[[V]], %{{.*}} : vector<64xi8>
// VBMI: %[[TOP:.*]] = arith.cmpi slt, %[[I]]
// VBMI: %[[HI:.*]] = llvm.call_intrinsic "llvm.x86.avx512.vpermi2var.qi.512"(%{{.*}}, %[[I]], %{{.*}})
// VBMI: %[[LO:.*]] = llvm.call_intrinsic "llvm.x86.avx512.vpermi2var.qi.512"(%{{.*}}, %[[I]], %{{.*}})
// VBMI: arith.select %[[TOP]], %[[HI]], %[[LO]] : vector<64xi1>, vector<64xi8>
// VBMI: vector.create_mask %c36 : vector<64xi1>
// VBMI: vector.maskedload
// VBMI: vector.maskedstore
// SCALAR-LABEL: func.func @vbmi_table
// SCALAR-NOT: vpermi2var
// SCALAR: memref.load %{{.*}} : memref<256xi8>
func.func @vbmi_table(%x: tensor<4x25x!quant.uniform<i8:f32, 0.05:3>>) -> tensor<4x25x!quant.uniform<u8:f32, 0.03:10>> {
  %y = qc.activation hard_swish %x : (tensor<4x25x!quant.uniform<i8:f32, 0.05:3>>) -> tensor<4x25x!quant.uniform<u8:f32, 0.03:10>>
  return %y : tensor<4x25x!quant.uniform<u8:f32, 0.03:10>>
}
