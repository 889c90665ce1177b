// RUN: qopt %s -split-input-file --convert-qc-to-linalg=outline=0 --qc-plan-workspace | FileCheck %s

// Quantized, grouped, strided and cropped: the i32 accumulator holds the
// uncropped 6x6 result; each of the 2x2 kernel taps is one reduction over
// the input channels of a group, writing the strided view of the
// accumulator that tap reaches (offset = tap, stride = 2) with the weight
// read at that tap; products of zero-point-shifted operands; then the
// requantization epilogue reads the window cropped by the pads [1, 0, 0, 1].
// CHECK-DAG: #[[X:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d5, d3, d4)>
// CHECK-DAG: #[[W00:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d1, d2, d5, 0, 0)>
// CHECK-DAG: #[[W11:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d1, d2, d5, 1, 1)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3, d4)>
// CHECK-LABEL: func.func @conv_transpose_quantized
// CHECK: %[[ACC:.*]] = memref.view %{{.*}} to memref<1x2x6x6xi32>
// CHECK: linalg.fill ins(%{{.*}} : i32) outs(%[[ACC]] : memref<1x2x6x6xi32>)
// CHECK: %[[X5:.*]] = memref.reinterpret_cast %arg0 {{.*}} to memref<1x2x2x3x3xi8>
// CHECK: %[[W5:.*]] = memref.reinterpret_cast %arg1 {{.*}} to memref<2x1x2x2x2xi8>
// CHECK: %[[ACC5:.*]] = memref.reinterpret_cast %[[ACC]] {{.*}} to memref<1x2x1x6x6xi32>
// CHECK: %[[TAP00:.*]] = memref.subview %[[ACC5]][0, 0, 0, 0, 0] [1, 2, 1, 3, 3] [1, 1, 1, 2, 2]
// CHECK: linalg.generic {indexing_maps = [#[[X]], #[[W00]], #{{.*}}, #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%[[X5]], %[[W5]], %{{.*}} : {{.*}}) outs(%[[TAP00]] :
// CHECK: arith.extui
// CHECK: arith.subi %{{.*}}, %c128_i32
// CHECK: arith.extsi
// CHECK: arith.muli
// CHECK: memref.subview %[[ACC5]][0, 0, 0, 0, 1] [1, 2, 1, 3, 3] [1, 1, 1, 2, 2]
// CHECK: memref.subview %[[ACC5]][0, 0, 0, 1, 0] [1, 2, 1, 3, 3] [1, 1, 1, 2, 2]
// CHECK: %[[TAP11:.*]] = memref.subview %[[ACC5]][0, 0, 0, 1, 1] [1, 2, 1, 3, 3] [1, 1, 1, 2, 2]
// CHECK: linalg.generic {indexing_maps = [#[[X]], #[[W11]], #{{.*}}, #[[OUT]]], {{.*}} outs(%[[TAP11]] :
// CHECK: %[[CROP:.*]] = memref.subview %[[ACC]][0, 0, 1, 0] [1, 2, 5, 5] [1, 1, 1, 1]
// CHECK: linalg.generic {{.*}} ins(%[[CROP]], %{{.*}}, %arg2 : {{.*}}) outs(%arg3 : memref<1x2x5x5xi8>)
// CHECK: arith.addi
// CHECK: arith.sitofp
// CHECK: arith.mulf
// CHECK: math.roundeven
func.func @conv_transpose_quantized(%x: tensor<1x4x3x3x!quant.uniform<u8:f32, 0.5:128>>, %w: tensor<2x2x2x2x!quant.uniform<i8:f32:0, {0.5, 0.25}>>, %b: tensor<2x!quant.uniform<i32:f32:0, {0.25, 0.125}>>) -> tensor<1x2x5x5x!quant.uniform<u8:f32, 0.25:3>> {
  %y = qc.conv_transpose2d %x, %w, %b {strides = array<i64: 2, 2>, pads = array<i64: 1, 0, 0, 1>, groups = 2 : i64} : (tensor<1x4x3x3x!quant.uniform<u8:f32, 0.5:128>>, tensor<2x2x2x2x!quant.uniform<i8:f32:0, {0.5, 0.25}>>, tensor<2x!quant.uniform<i32:f32:0, {0.25, 0.125}>>) -> tensor<1x2x5x5x!quant.uniform<u8:f32, 0.25:3>>
  return %y : tensor<1x2x5x5x!quant.uniform<u8:f32, 0.25:3>>
}

// -----

// f32 without cropping: the result buffer is the accumulator, started at
// the bias of each channel; dilation 2 places tap k at offset 2k.
// CHECK-LABEL: func.func @conv_transpose_f32_in_place
// CHECK-NOT: memref.view
// CHECK: memref.reinterpret_cast %arg2 {{.*}} to memref<3x1x1xf32>
// CHECK: %[[OUT:.*]] = memref.reinterpret_cast %arg3 {{.*}} to memref<3x30xf32>
// CHECK: linalg.generic {{.*}} outs(%[[OUT]] : memref<3x30xf32>)
// CHECK: %[[R5:.*]] = memref.reinterpret_cast %arg3 {{.*}} to memref<1x1x3x6x5xf32>
// CHECK: memref.subview %[[R5]][0, 0, 0, 0, 0] [1, 1, 3, 4, 3] [1, 1, 1, 1, 1]
// CHECK: math.fma
// CHECK: memref.subview %[[R5]][0, 0, 0, 2, 2] [1, 1, 3, 4, 3] [1, 1, 1, 1, 1]
// CHECK-NEXT: linalg.generic
// CHECK-NOT: linalg.generic
// CHECK: return
func.func @conv_transpose_f32_in_place(%x: tensor<1x2x4x3xf32>, %w: tensor<3x2x2x2xf32>, %b: tensor<3xf32>) -> tensor<1x3x6x5xf32> {
  %y = qc.conv_transpose2d %x, %w, %b {dilations = array<i64: 2, 2>} : (tensor<1x2x4x3xf32>, tensor<3x2x2x2xf32>, tensor<3xf32>) -> tensor<1x3x6x5xf32>
  return %y : tensor<1x3x6x5xf32>
}

// -----

// f32 with output padding and pads: an accumulator one row and column
// longer than the uncropped result (5x5 + output padding 1), zero-filled
// without a bias, copied out from the window at [1, 1].
// CHECK-LABEL: func.func @conv_transpose_f32_cropped
// CHECK: %[[ACC:.*]] = memref.view %{{.*}} to memref<1x1x6x6xf32>
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%[[ACC]] : memref<1x1x6x6xf32>)
// CHECK: %[[CROP:.*]] = memref.subview %[[ACC]][0, 0, 1, 1] [1, 1, 5, 5] [1, 1, 1, 1]
// CHECK: linalg.generic {{.*}} ins(%[[CROP]] : {{.*}}) outs(%arg2 : memref<1x1x5x5xf32>)
func.func @conv_transpose_f32_cropped(%x: tensor<1x1x2x2xf32>, %w: tensor<1x1x3x3xf32>) -> tensor<1x1x5x5xf32> {
  %y = qc.conv_transpose2d %x, %w {strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 0, 0>, output_padding = array<i64: 1, 1>} : (tensor<1x1x2x2xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x5x5xf32>
  return %y : tensor<1x1x5x5xf32>
}
