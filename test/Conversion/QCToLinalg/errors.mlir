// RUN: qopt %s -split-input-file --convert-qc-to-linalg -verify-diagnostics
// RUN: not qopt %s -split-input-file --convert-qc-to-linalg="target=z80" 2>&1 | FileCheck %s --check-prefix=TARGET

// TARGET: error: unknown target 'z80'

func.func @unsupported_op(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{no lowering for 'arith.negf' (the qc lowering handles qc ops)}}
  %y = arith.negf %x : tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// expected-error @+1 {{qc lowering needs statically shaped tensor arguments, got 'tensor<?xf32>'}}
func.func @dynamic(%x: tensor<?xf32>) -> tensor<?xf32> {
  return %x : tensor<?xf32>
}

// -----

// expected-error @+1 {{qc lowering needs statically shaped tensor results, got 'f32'}}
func.func @scalar_result(%x: tensor<4xf32>) -> f32 {
  %c = arith.constant 1.0 : f32
  return %c : f32
}
