// RUN: qopt %s --convert-qc-to-linalg="target=x86-64-avx512vnni block-bytes=1024" | FileCheck %s --check-prefix=BLOCKED
// RUN: qopt %s --convert-qc-to-linalg="target=x86-64-avx512vnni" | FileCheck %s --check-prefix=WHOLE

// Cache blocking of the GEMM rows. With a budget of 1024 bytes, 16 rows of
// K = 64 fit: the 37 rows become 2 blocks of 16 (each = 2 row tiles of 8)
// and a tail block of 5, and every block passes over both full column
// tiles (48 columns) and the 4-column tail tile.
// BLOCKED-LABEL: func.func @matmul_blocks
// BLOCKED: scf.for %[[B:.*]] = %c0 to %c2 step %c1 {
// BLOCKED: %[[ROW0:.*]] = arith.muli %[[B]], %c16
// BLOCKED: scf.for %[[T:.*]] = %{{.*}} to %c2{{.*}} step
// BLOCKED: scf.for %[[R:.*]] = %{{.*}} to %c2{{.*}} step
// BLOCKED: %[[OFF:.*]] = arith.muli %[[R]], %c8
// BLOCKED: arith.addi %[[ROW0]], %[[OFF]]
// BLOCKED: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"
// The tail block: one tile of 5 rows x 3 vectors (15 accumulators) from
// row 32, whose first broadcast reads X at 32 * 64.
// BLOCKED: %{{.*}}:15 = scf.for
// BLOCKED: arith.muli %c32, %c64
// With the target's budget (512 KiB) all 37 rows are one block: the
// outermost loop runs over the column tiles.
// WHOLE-LABEL: func.func @matmul_blocks
// WHOLE: scf.for %[[T:.*]] = %c0{{.*}} to %c2 step %c1 {
// WHOLE-NOT: arith.muli %[[T]], %c
// WHOLE: scf.for %[[R:.*]] = %{{.*}} to %c4{{.*}} step
func.func @matmul_blocks(%a: tensor<37x64x!quant.uniform<u8:f32, 0.5:3>>) -> tensor<37x100x!quant.uniform<u8:f32, 1.0:3>> {
  %w = qc.constant dense<1> : tensor<64x100xi8> -> tensor<64x100x!quant.uniform<i8:f32, 0.25>>
  %y = qc.matmul %a, %w : (tensor<37x64x!quant.uniform<u8:f32, 0.5:3>>, tensor<64x100x!quant.uniform<i8:f32, 0.25>>) -> tensor<37x100x!quant.uniform<u8:f32, 1.0:3>>
  return %y : tensor<37x100x!quant.uniform<u8:f32, 1.0:3>>
}
