// A HardSwish fused into a quantized matmul's epilogue: the kernel
// dequantizes the 16-bit sum, applies the function and quantizes in
// registers (one division by the result scale, as the reference's
// quantize), and its clamps are plain vmaxps/vminps: their operands come
// from integers, so no NaN compare (vcmpunordps) is needed. The 16-bit sum
// is never stored.
// RUN: qc %s --target=x86-64-avx512vnni --emit=asm -o - | FileCheck %s
// CHECK-LABEL: __qc_gemm_vnni512_{{.*}}_hard_swish:
// CHECK-NOT: vcmpunordps
// CHECK: vpdpbusd
// CHECK-NOT: vcmpunordps
// CHECK: vdivps
// CHECK-NOT: vcmpunordps
// CHECK: vpmovdb
// CHECK-NOT: vcmpunordps
// CHECK: .Lfunc_end
func.func @matmul(%a: tensor<4x16x!quant.uniform<u8:f32, 0.5:3>>) -> tensor<4x32x!quant.uniform<u8:f32, 0.02:30>> {
  %w = qc.constant dense<5> : tensor<16x32xi8> -> tensor<16x32x!quant.uniform<i8:f32, 0.25>>
  %y = qc.matmul %a, %w : (tensor<4x16x!quant.uniform<u8:f32, 0.5:3>>, tensor<16x32x!quant.uniform<i8:f32, 0.25>>) -> tensor<4x32x!quant.uniform<i16:f32, 0.0001:-5>>
  %z = qc.activation hard_swish %y : (tensor<4x32x!quant.uniform<i16:f32, 0.0001:-5>>) -> tensor<4x32x!quant.uniform<u8:f32, 0.02:30>>
  return %z : tensor<4x32x!quant.uniform<u8:f32, 0.02:30>>
}
