// The quantized matmul kernel uses each target's dot-product instruction.
// RUN: qc %s --target=x86-64-avx512vnni --emit=asm -o - | FileCheck %s --check-prefix=AVX512
// RUN: qc %s --target=x86-64-avxvnni --emit=asm -o - | FileCheck %s --check-prefix=AVXVNNI
// RUN: qc %s --target=x86-64-avx2 --emit=asm -o - | FileCheck %s --check-prefix=AVX2
// RUN: qc %s --target=x86-64-avx2 --emit=asm -o - | FileCheck %s --check-prefix=AVX2-ONLY
// RUN: qc %s --target=x86-64-avxvnni --emit=asm -o - | FileCheck %s --check-prefix=AVXVNNI-ONLY
// RUN: qc %s --target=aarch64-dotprod --emit=asm -o - | FileCheck %s --check-prefix=ARM
// RUN: qc %s --target=x86-64-avx512vnni --reference --emit=asm -o - | FileCheck %s --check-prefix=REF
// RUN: qc %s --target=x86-64-amx --emit=asm -o - | FileCheck %s --check-prefix=AMX

// AVX512: vpdpbusd {{.*}}%zmm{{[0-9]+}}, %zmm{{[0-9]+}}, %zmm{{[0-9]+}}
// AVXVNNI: {vex} vpdpbusd {{.*}}%ymm{{[0-9]+}}, %ymm{{[0-9]+}}, %ymm{{[0-9]+}}
// AVXVNNI-NOT: zmm
// AVX2-NOT: vpdpbusd
// AVX2: vpmaddwd
// AVX2-NOT: vpdpbusd
// The AVX2 kernel widens to i16 and adds pairs with vpmaddwd: never the
// saturating u8 x s8 pair add vpmaddubsw, and no AVX-512 register anywhere.
// AVX2-ONLY-NOT: {{vpmaddubsw|zmm|vpdpbusd}}
// AVXVNNI-ONLY-NOT: {{vpmaddubsw|zmm}}
// ARM: sdot v{{[0-9]+}}.4s, v{{[0-9]+}}.16b, v{{[0-9]+}}.16b
// With AMX, the tile state is asked for once per process, the configuration
// loaded once per run (in the model function, not in the kernel), the
// products accumulate in tiles (u8 activations x s8 weights), the tiles are
// released at the end; the VNNI loop is the fallback.
// AMX-LABEL: matmul_run:
// AMX: callq __qc_amx_begin
// AMX: callq matmul__0_packed_matmul
// AMX: callq __qc_amx_end
// AMX-LABEL: __qc_gemm_amx_16x2_q8_colch_tiles:
// AMX-NOT: ldtilecfg
// AMX: tilezero %tmm0
// AMX: tileloadd ({{.*}}), %tmm4
// AMX: tileloadd ({{.*}}), %tmm6
// AMX: tdpbusd %tmm6, %tmm4, %tmm0
// AMX: tdpbusd %tmm7, %tmm4, %tmm1
// AMX: tilestored %tmm0
// AMX-LABEL: __qc_gemm_amx_8x2_q8_colch:
// AMX: vpdpbusd {{.*}}%zmm
// AMX-LABEL: __qc_amx_begin:
// AMX: syscall
// AMX: ldtilecfg __qc_amx_config(%rip)
// AMX-LABEL: __qc_amx_end:
// AMX: tilerelease
// REF: matmul_run:
// REF-NOT: vpdpbusd
func.func @matmul(%a: tensor<16x64x!quant.uniform<u8:f32, 0.05:3>>) -> tensor<16x64x!quant.uniform<u8:f32, 0.5:128>> {
  %w = qc.constant dense<7> : tensor<64x64xi8> -> tensor<64x64x!quant.uniform<i8:f32, 0.01>>
  %y = qc.matmul %a, %w : (tensor<16x64x!quant.uniform<u8:f32, 0.05:3>>, tensor<64x64x!quant.uniform<i8:f32, 0.01>>) -> tensor<16x64x!quant.uniform<u8:f32, 0.5:128>>
  return %y : tensor<16x64x!quant.uniform<u8:f32, 0.5:128>>
}
