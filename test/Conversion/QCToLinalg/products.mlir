// RUN: qopt %s -split-input-file --convert-qc-to-linalg="reference=1 outline=0" --qc-plan-workspace | FileCheck %s --check-prefix=REF

// The reference lowering of qc.conv2d and qc.matmul (the kernels lower the
// qc.packed_* ops of qc-select-kernels: kernels.mlir).

// Reference convolution: a copy padded with the input zero point, the
// grouped buffers viewed as [N, G, C/G, H, W], an i32 reduction of
// (x - zx) * (w - zw) over (ic, kh, kw), then requantization.
// REF-DAG: #[[X:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d5, d3 + d6, d4 + d7)>
// REF-DAG: #[[W:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d1, d2, d5, d6, d7)>
// REF-LABEL: func.func @conv_grouped
// REF: linalg.fill ins(%c-128_i8 : i8) outs(%{{.*}} : memref<1x4x7x7xi8>)
// REF: memref.reinterpret_cast {{.*}} sizes: [1, 2, 2, 7, 7]
// REF: linalg.generic {indexing_maps = [#[[X]], #[[W]], {{.*}}], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
// REF: %[[XS:.*]] = arith.subi %{{.*}}, %c128_i32 : i32
// REF: %[[WS:.*]] = arith.subi
// REF: %[[P:.*]] = arith.muli %[[XS]], %[[WS]] : i32
// REF: arith.addi %{{.*}}, %[[P]] : i32
// REF: arith.sitofp %{{.*}} : i32 to f32
// REF: math.roundeven
func.func @conv_grouped(%x: tensor<1x4x5x5x!quant.uniform<u8:f32, 0.5:128>>) -> tensor<1x4x5x5x!quant.uniform<u8:f32, 1.0:3>> {
  %w = qc.constant dense<3> : tensor<4x2x3x3xi8> -> tensor<4x2x3x3x!quant.uniform<i8:f32, 0.25>>
  %y = qc.conv2d %x, %w {groups = 2 : i64, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x4x5x5x!quant.uniform<u8:f32, 0.5:128>>, tensor<4x2x3x3x!quant.uniform<i8:f32, 0.25>>) -> tensor<1x4x5x5x!quant.uniform<u8:f32, 1.0:3>>
  return %y : tensor<1x4x5x5x!quant.uniform<u8:f32, 1.0:3>>
}

// -----

// Reference matmul: an i32 reduction over K, then requantization.
// REF-LABEL: func.func @matmul
// REF: linalg.generic {{.*}}["parallel", "parallel", "reduction"]
func.func @matmul(%a: tensor<3x8x!quant.uniform<u8:f32, 0.5:3>>) -> tensor<3x20x!quant.uniform<u8:f32, 1.0:3>> {
  %w = qc.constant dense<1> : tensor<8x20xi8> -> tensor<8x20x!quant.uniform<i8:f32, 0.25>>
  %b = qc.constant dense<2> : tensor<20xi32> -> tensor<20x!quant.uniform<i32:f32, 0.125>>
  %y = qc.matmul %a, %w, %b : (tensor<3x8x!quant.uniform<u8:f32, 0.5:3>>, tensor<8x20x!quant.uniform<i8:f32, 0.25>>, tensor<20x!quant.uniform<i32:f32, 0.125>>) -> tensor<3x20x!quant.uniform<u8:f32, 1.0:3>>
  return %y : tensor<3x20x!quant.uniform<u8:f32, 1.0:3>>
}

// -----

// A fused output clamp (ReLU6: [0, 6] at scale 0.25, zero point 20) narrows
// the saturation of the requantization to [20, 44] (the kernels take the
// same range as qc.packed_matmul's out_min/out_max).
// REF-LABEL: func.func @fused_clamp_matmul
// REF: math.roundeven %{{.*}} : f32
// REF-NEXT: arith.constant 20 : i64
// REF: arith.constant 44 : i64
func.func @fused_clamp_matmul(%a: tensor<3x8x!quant.uniform<u8:f32, 0.5:3>>) -> tensor<3x20x!quant.uniform<u8:f32, 0.25:20>> {
  %w = qc.constant dense<1> : tensor<8x20xi8> -> tensor<8x20x!quant.uniform<i8:f32, 0.25>>
  %y = qc.matmul %a, %w {clamp_min = 0.0 : f32, clamp_max = 6.0 : f32} : (tensor<3x8x!quant.uniform<u8:f32, 0.5:3>>, tensor<8x20x!quant.uniform<i8:f32, 0.25>>) -> tensor<3x20x!quant.uniform<u8:f32, 0.25:20>>
  return %y : tensor<3x20x!quant.uniform<u8:f32, 0.25:20>>
}
// -----

// Reference f32 matmul: the sum starts at the bias and takes one fma per
// product in K order (what the fma kernel computes).
// REF-LABEL: func.func @matmul_f32
// REF: linalg.generic {{.*}} ins(%{{.*}} : memref<1x16xf32>) outs(%arg1 : memref<2x16xf32>)
// REF: linalg.generic {{.*}}["parallel", "parallel", "reduction"]
// REF: math.fma
func.func @matmul_f32(%a: tensor<2x8xf32>) -> tensor<2x16xf32> {
  %w = arith.constant dense<0.5> : tensor<8x16xf32>
  %b = arith.constant dense<1.0> : tensor<16xf32>
  %y = qc.matmul %a, %w, %b : (tensor<2x8xf32>, tensor<8x16xf32>, tensor<16xf32>) -> tensor<2x16xf32>
  return %y : tensor<2x16xf32>
}
