// RUN: qopt %s -mlir-print-op-on-diagnostic=0 -qc-select-kernels="target=x86-64-avx512vnni block-bytes=1024" 2>&1 | FileCheck %s --check-prefix=BLOCKED
// RUN: qopt %s -mlir-print-op-on-diagnostic=0 -qc-select-kernels=target=x86-64-avx512vnni 2>&1 | FileCheck %s --check-prefix=WHOLE

// Cache blocking of the GEMM rows. With a budget of 1024 bytes, 16 rows of
// K = 64 fit (a multiple of the 8-row tile); with the target's budget
// (512 KiB) all 37 rows are one block. The 100 columns take tiles of 32
// (four of them compute 128 columns; three tiles of 48 would compute 144,
// 12% more).
// BLOCKED: remark: kernel: vnni512, tile 8x2 (8 rows x 32 columns), kGroup 4, 16-row blocks
// BLOCKED: blockRows = 16
// WHOLE: remark: kernel: vnni512, tile 8x2 (8 rows x 32 columns), kGroup 4, 37-row blocks
// WHOLE: blockRows = 37
func.func @matmul_blocks(%a: tensor<37x64x!quant.uniform<u8:f32, 0.5:3>>) -> tensor<37x100x!quant.uniform<u8:f32, 1.0:3>> {
  %w = qc.constant dense<1> : tensor<64x100xi8> -> tensor<64x100x!quant.uniform<i8:f32, 0.25>>
  %y = qc.matmul %a, %w : (tensor<37x64x!quant.uniform<u8:f32, 0.5:3>>, tensor<64x100x!quant.uniform<i8:f32, 0.25>>) -> tensor<37x100x!quant.uniform<u8:f32, 1.0:3>>
  return %y : tensor<37x100x!quant.uniform<u8:f32, 1.0:3>>
}
