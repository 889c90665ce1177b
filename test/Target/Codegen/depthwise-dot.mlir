// Depthwise convolution and 8-bit tables on AVX-512 VBMI targets: the
// depthwise kernel gathers each lane's 4 taps with vpermb and multiplies
// them with one vpdpbusd, the HardSwish table is two vpermi2b per 64 bytes.
// Without VBMI (x86-64-avx512vnni) the taps go one by one and the table is
// read byte by byte.
// RUN: qc %s --target=x86-64-amx --emit=asm -o - | FileCheck %s --check-prefix=VBMI
// RUN: qc %s --target=x86-64-avx512vnni --emit=asm -o - | FileCheck %s --check-prefix=NOVBMI
// RUN: qopt %s -qc-select-kernels=target=x86-64-amx -mlir-print-op-on-diagnostic=0 2>&1 >/dev/null | FileCheck %s --check-prefix=REMARK

// 7x7 outputs: two whole rows (14 of 16 lanes) per vector, a 9-byte padded
// row, so one masked load of 9 + 6 + 3 = 18 bytes per kernel row.
// REMARK: remark: kernel: depthwise, 4 taps per vpdpbusd
// REMARK: remark: kernel: depthwise (taps one by one: signed input or weights w - zp_w outside s8)
// REMARK: remark: kernel: depthwise (taps one by one: dilated)
// VBMI-LABEL: depthwise__{{[0-9]+}}_activation:
// VBMI: vpmovb2m
// VBMI: {{vpermt2b|vpermi2b}}
// VBMI: {{vpermt2b|vpermi2b}}
// VBMI-LABEL: __qc_depthwise_dot_q8_7x7_k3x3_s1x1_w9_r2:
// VBMI: vmovdqu8 {{.*}}%zmm{{[0-9]+}} {%k{{[0-7]}}} {z}
// VBMI: vpermb
// VBMI: vpdpbusd
// VBMI: vpmovdb %zmm{{[0-9]+}}, {{.*}} {%k{{[0-7]}}}
// NOVBMI-NOT: {{vpermb|vpermi2b|vpermt2b}}
// NOVBMI: __qc_depthwise_ui8_q8_sw1_v4:
!u = !quant.uniform<u8:f32, 0.05:10>
!s = !quant.uniform<i8:f32, 0.05:-3>
!w = !quant.uniform<i8:f32, 0.02>
!o = !quant.uniform<u8:f32, 0.04:120>
!h = !quant.uniform<u8:f32, 0.03:20>
func.func @depthwise(%x: tensor<1x16x7x7x!u>, %xs: tensor<1x16x7x7x!s>) -> (tensor<1x16x7x7x!h>, tensor<1x16x7x7x!o>, tensor<1x16x7x7x!o>) {
  %wb = qc.constant dense<-5> : tensor<16x1x3x3xi8> -> tensor<16x1x3x3x!w>
  %y = qc.conv2d %x, %wb {groups = 16 : i64, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x16x7x7x!u>, tensor<16x1x3x3x!w>) -> tensor<1x16x7x7x!o>
  %a = qc.activation hard_swish %y : (tensor<1x16x7x7x!o>) -> tensor<1x16x7x7x!h>
  %z = qc.conv2d %xs, %wb {groups = 16 : i64, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x16x7x7x!s>, tensor<16x1x3x3x!w>) -> tensor<1x16x7x7x!o>
  %d = qc.conv2d %x, %wb {groups = 16 : i64, pads = array<i64: 2, 2, 2, 2>, dilations = array<i64: 2, 2>} : (tensor<1x16x7x7x!u>, tensor<16x1x3x3x!w>) -> tensor<1x16x7x7x!o>
  return %a, %z, %d : tensor<1x16x7x7x!h>, tensor<1x16x7x7x!o>, tensor<1x16x7x7x!o>
}
