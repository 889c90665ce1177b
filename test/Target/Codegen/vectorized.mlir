// The ops outside the micro-kernels (elementwise, quantize / dequantize /
// requantize, pooling, layer normalization, activations) go through linalg
// loops and LLVM's vectorizers: each op's function (NAME__K_OP) uses full
// vector registers (zmm or ymm on AVX-512, ymm on AVX2), not scalar loops
// only.
// RUN: qc %s --target=x86-64-avx512vnni --emit=asm -o - | FileCheck %s
// RUN: qc %s --target=x86-64-avx2 --emit=asm -o - | FileCheck %s --check-prefix=AVX2
// (The checks only look for vector registers; they do not prove every loop
// vectorized. transpose and concat are data movement and are not listed.)
// CHECK-LABEL: {{^}}qadd__{{[0-9]+}}_add:
// CHECK: {{%[yz]mm[0-9]+}}
// AVX2-LABEL: {{^}}qadd__{{[0-9]+}}_add:
// AVX2: {{%ymm[0-9]+}}
// CHECK-LABEL: {{^}}quant__{{[0-9]+}}_quantize:
// CHECK: {{%[yz]mm[0-9]+}}
// AVX2-LABEL: {{^}}quant__{{[0-9]+}}_quantize:
// AVX2: {{%ymm[0-9]+}}
// CHECK-LABEL: {{^}}dequant__{{[0-9]+}}_dequantize:
// CHECK: {{%[yz]mm[0-9]+}}
// AVX2-LABEL: {{^}}dequant__{{[0-9]+}}_dequantize:
// AVX2: {{%ymm[0-9]+}}
// CHECK-LABEL: {{^}}requant__{{[0-9]+}}_requantize:
// CHECK: {{%[yz]mm[0-9]+}}
// AVX2-LABEL: {{^}}requant__{{[0-9]+}}_requantize:
// AVX2: {{%ymm[0-9]+}}
// CHECK-LABEL: {{^}}maxpool__{{[0-9]+}}_max_pool2d:
// CHECK: {{%[yz]mm[0-9]+}}
// A stride-2 max pooling of u8 stays scalar with AVX2 only (deinterleaving bytes
// needs the vpmovwb of AVX-512; LLVM's cost model declines it without).
// AVX2-LABEL: {{^}}maxpool__{{[0-9]+}}_max_pool2d:
// CHECK-LABEL: {{^}}avgpool__{{[0-9]+}}_avg_pool2d:
// CHECK: {{%[yz]mm[0-9]+}}
// AVX2-LABEL: {{^}}avgpool__{{[0-9]+}}_avg_pool2d:
// AVX2: {{%ymm[0-9]+}}
// CHECK-LABEL: {{^}}fadd__{{[0-9]+}}_add:
// CHECK: {{%[yz]mm[0-9]+}}
// AVX2-LABEL: {{^}}fadd__{{[0-9]+}}_add:
// AVX2: {{%ymm[0-9]+}}
// CHECK-LABEL: {{^}}lnorm__{{[0-9]+}}_layer_norm:
// CHECK: {{%[yz]mm[0-9]+}}
// AVX2-LABEL: {{^}}lnorm__{{[0-9]+}}_layer_norm:
// AVX2: {{%ymm[0-9]+}}
// CHECK-LABEL: {{^}}fsigmoid__{{[0-9]+}}_sigmoid:
// CHECK: {{%[yz]mm[0-9]+}}
// AVX2-LABEL: {{^}}fsigmoid__{{[0-9]+}}_sigmoid:
// AVX2: {{%ymm[0-9]+}}
// CHECK-LABEL: {{^}}fgelu__{{[0-9]+}}_activation:
// CHECK: {{%[yz]mm[0-9]+}}
// AVX2-LABEL: {{^}}fgelu__{{[0-9]+}}_activation:
// AVX2: {{%ymm[0-9]+}}
// A quantized sigmoid from u8 to u8 is a 256-byte table: one byte load
// from it per element (unrolled; AVX2 has no byte gather).
// CHECK-LABEL: {{^}}qsigmoid__{{[0-9]+}}_sigmoid:
// CHECK: leaq .L__qc_constant_[[T:[0-9]+]](%rip), %[[TR:r[a-z0-9]+]]
// CHECK: movzbl (%{{r[a-z0-9]+}},%[[TR]])
// AVX2-LABEL: {{^}}qsigmoid__{{[0-9]+}}_sigmoid:
// AVX2: leaq .L__qc_constant_[[T:[0-9]+]](%rip), %[[TR:r[a-z0-9]+]]
// AVX2: movzbl (%{{r[a-z0-9]+}},%[[TR]])
!u = !quant.uniform<u8:f32, 0.05:128>
!v = !quant.uniform<u8:f32, 0.1:3>
func.func @qadd(%a: tensor<64x256x!u>, %b: tensor<64x256x!v>) -> tensor<64x256x!v> {
  %y = qc.add %a, %b : (tensor<64x256x!u>, tensor<64x256x!v>) -> tensor<64x256x!v>
  return %y : tensor<64x256x!v>
}
func.func @quant(%a: tensor<64x256xf32>) -> tensor<64x256x!u> {
  %y = qc.quantize %a : tensor<64x256xf32> -> tensor<64x256x!u>
  return %y : tensor<64x256x!u>
}
func.func @dequant(%a: tensor<64x256x!u>) -> tensor<64x256xf32> {
  %y = qc.dequantize %a : tensor<64x256x!u> -> tensor<64x256xf32>
  return %y : tensor<64x256xf32>
}
func.func @requant(%a: tensor<64x256x!u>) -> tensor<64x256x!v> {
  %y = qc.requantize %a : tensor<64x256x!u> -> tensor<64x256x!v>
  return %y : tensor<64x256x!v>
}
func.func @maxpool(%a: tensor<1x16x32x32x!u>) -> tensor<1x16x16x16x!u> {
  %y = qc.max_pool2d %a {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x16x32x32x!u>) -> tensor<1x16x16x16x!u>
  return %y : tensor<1x16x16x16x!u>
}
func.func @avgpool(%a: tensor<1x16x32x32x!u>) -> tensor<1x16x16x16x!u> {
  %y = qc.avg_pool2d %a {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x16x32x32x!u>) -> tensor<1x16x16x16x!u>
  return %y : tensor<1x16x16x16x!u>
}
func.func @fadd(%a: tensor<64x256xf32>, %b: tensor<64x256xf32>) -> tensor<64x256xf32> {
  %y = qc.add %a, %b : (tensor<64x256xf32>, tensor<64x256xf32>) -> tensor<64x256xf32>
  return %y : tensor<64x256xf32>
}
func.func @lnorm(%a: tensor<64x256xf32>, %g: tensor<256xf32>, %b: tensor<256xf32>) -> tensor<64x256xf32> {
  %y = qc.layer_norm %a, %g, %b : (tensor<64x256xf32>, tensor<256xf32>, tensor<256xf32>) -> tensor<64x256xf32>
  return %y : tensor<64x256xf32>
}
func.func @fsigmoid(%a: tensor<64x256xf32>) -> tensor<64x256xf32> {
  %y = qc.sigmoid %a : (tensor<64x256xf32>) -> tensor<64x256xf32>
  return %y : tensor<64x256xf32>
}
func.func @fgelu(%a: tensor<64x256xf32>) -> tensor<64x256xf32> {
  %y = qc.activation gelu %a : (tensor<64x256xf32>) -> tensor<64x256xf32>
  return %y : tensor<64x256xf32>
}
func.func @qsigmoid(%a: tensor<64x256x!u>) -> tensor<64x256x!quant.uniform<u8:f32, 0.00390625>> {
  %y = qc.sigmoid %a : (tensor<64x256x!u>) -> tensor<64x256x!quant.uniform<u8:f32, 0.00390625>>
  return %y : tensor<64x256x!quant.uniform<u8:f32, 0.00390625>>
}
