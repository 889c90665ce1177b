// A 16-bit product that no epilogue takes (here two users: an activation
// and the function's result) is stored by the kernel as 16-bit values:
// the GEMM and the depthwise kernels (vpdpbusd with VBMI's vpermb, the
// general one without) store words, the masked tail of 49 pixels too
// (vpmovdw to memory under a mask), never bytes.
// RUN: qc %s --target=x86-64-amx --emit=asm -o - | FileCheck %s --check-prefixes=CHECK,VBMI
// RUN: qc %s --target=x86-64-avx512vnni --emit=asm -o - | FileCheck %s --check-prefixes=CHECK,NOVBMI
// CHECK-LABEL: __qc_gemm_vnni512_{{.*}}_q16_{{.*}}:
// CHECK-NOT: vpmovdb
// CHECK: vpdpbusd
// CHECK-NOT: vpmovdb
// CHECK: vpmovdw %zmm{{[0-9]+}}, {{.*}}(%r{{.*}}) {%k{{[0-9]}}}
// CHECK-NOT: vpmovdb
// CHECK: .Lfunc_end
// VBMI-LABEL: __qc_depthwise_dot_q16_{{.*}}:
// VBMI-NOT: vpmovdb
// VBMI: vpdpbusd
// VBMI-NOT: vpmovdb
// VBMI: vpmovdw %zmm{{[0-9]+}}, (%r{{.*}}) {%k{{[0-9]}}}
// VBMI-NOT: vpmovdb
// VBMI: .Lfunc_end
// NOVBMI-LABEL: __qc_depthwise_ui8_q16_{{.*}}:
// NOVBMI-NOT: vpmovdb
// NOVBMI: vpmovdw
// NOVBMI-NOT: vpmovdb
// NOVBMI: .Lfunc_end
func.func @wide(%x: tensor<1x16x7x7x!quant.uniform<u8:f32, 0.5:128>>) -> (tensor<1x16x7x7x!quant.uniform<i16:f32, 0.0002:-7>>, tensor<1x16x7x7x!quant.uniform<u8:f32, 0.03:10>>, tensor<1x16x7x7x!quant.uniform<i16:f32, 0.0003:11>>) {
  %w = qc.constant dense<3> : tensor<16x16x1x1xi8> -> tensor<16x16x1x1x!quant.uniform<i8:f32, 0.1>>
  %y = qc.conv2d %x, %w : (tensor<1x16x7x7x!quant.uniform<u8:f32, 0.5:128>>, tensor<16x16x1x1x!quant.uniform<i8:f32, 0.1>>) -> tensor<1x16x7x7x!quant.uniform<i16:f32, 0.0002:-7>>
  %z = qc.activation hard_swish %y : (tensor<1x16x7x7x!quant.uniform<i16:f32, 0.0002:-7>>) -> tensor<1x16x7x7x!quant.uniform<u8:f32, 0.03:10>>
  %dw = qc.constant dense<2> : tensor<16x1x3x3xi8> -> tensor<16x1x3x3x!quant.uniform<i8:f32, 0.1>>
  %d = qc.conv2d %x, %dw {pads = array<i64: 1, 1, 1, 1>, groups = 16 : i64} : (tensor<1x16x7x7x!quant.uniform<u8:f32, 0.5:128>>, tensor<16x1x3x3x!quant.uniform<i8:f32, 0.1>>) -> tensor<1x16x7x7x!quant.uniform<i16:f32, 0.0003:11>>
  return %y, %z, %d : tensor<1x16x7x7x!quant.uniform<i16:f32, 0.0002:-7>>, tensor<1x16x7x7x!quant.uniform<u8:f32, 0.03:10>>, tensor<1x16x7x7x!quant.uniform<i16:f32, 0.0003:11>>
}
