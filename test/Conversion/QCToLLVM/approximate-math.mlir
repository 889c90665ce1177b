// RUN: qopt %s -split-input-file -qc-approximate-math | FileCheck %s

// exp, log, tanh and erf become polynomials of arith ops (with fma), and
// powf becomes exp(y * log(x)) with its special cases, so no libm call is
// left and loops over them vectorize.
// CHECK-LABEL: func.func @transcendentals
// CHECK-NOT: math.exp
// CHECK-NOT: math.log
// CHECK-NOT: math.tanh
// CHECK-NOT: math.erf
// CHECK-NOT: math.powf
// CHECK: math.fma
// CHECK: return
func.func @transcendentals(%x: f32, %y: f32) -> (f32, f32, f32, f32, f32) {
  %e = math.exp %x : f32
  %l = math.log %x : f32
  %t = math.tanh %x : f32
  %r = math.erf %x : f32
  %p = math.powf %x, %y : f32
  return %e, %l, %t, %r, %p : f32, f32, f32, f32, f32
}

// -----

// The same on vectors.
// CHECK-LABEL: func.func @vectors
// CHECK-NOT: math.exp
// CHECK: math.fma {{.*}} : vector<8xf32>
func.func @vectors(%x: vector<8xf32>) -> vector<8xf32> {
  %e = math.exp %x : vector<8xf32>
  return %e : vector<8xf32>
}
