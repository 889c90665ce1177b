// RUN: not qopt %s -qc-choose-schemes="granularity=per-row" 2>&1 | FileCheck %s --check-prefix=GRAN
// RUN: not qopt %s -qc-choose-schemes="weight-type=i4" 2>&1 | FileCheck %s --check-prefix=TYPE

// GRAN: error: qc-choose-schemes: unknown granularity 'per-row' (expected auto, per-tensor or per-channel)
// TYPE: error: qc-choose-schemes: unknown weight-type 'i4' (expected i8 or u8)
func.func @f(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  return %x : tensor<2x3xf32>
}
