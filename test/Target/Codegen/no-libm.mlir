// Softmax, sigmoid, tanh, GELU (erf) and pow compile to vector code that
// calls no math library function: the generated objects need no libm.
// RUN: qc %s --target=x86-64-avx512vnni --emit=asm -o - 2>/dev/null | FileCheck %s
// RUN: qc %s --target=aarch64-dotprod --emit=asm -o - 2>/dev/null | FileCheck %s --check-prefix=ARM
// Each op's code is a function of its own (NAME__K_OP), which calls nothing.
// CHECK-LABEL: {{^}}softmax__{{[0-9]+}}_softmax:
// CHECK-NOT: call
// CHECK: vfmadd{{[0-9]*}}ps {{.*}}%ymm
// CHECK-LABEL: {{^}}activations__{{[0-9]+}}_sigmoid:
// CHECK-NOT: call
// CHECK: vfmadd{{[0-9]*}}ps {{.*}}%ymm
// CHECK-LABEL: {{^}}activations__{{[0-9]+}}_tanh:
// CHECK-NOT: call
// CHECK: vfmadd{{[0-9]*}}ps {{.*}}%ymm
// CHECK-LABEL: {{^}}activations__{{[0-9]+}}_erf:
// CHECK-NOT: call
// CHECK: vfmadd{{[0-9]*}}ps {{.*}}%ymm
// CHECK-LABEL: {{^}}activations__{{[0-9]+}}_pow:
// CHECK-NOT: call
// CHECK: vfmadd{{[0-9]*}}ps {{.*}}%ymm
// CHECK-NOT: {{call.*(expf|logf|powf|tanhf|erff)}}
// ARM-NOT: {{bl.*(expf|logf|powf|tanhf|erff)}}
func.func @softmax(%x: tensor<64x256xf32>) -> tensor<64x256xf32> {
  %y = qc.softmax %x : (tensor<64x256xf32>) -> tensor<64x256xf32>
  return %y : tensor<64x256xf32>
}
func.func @activations(%x: tensor<4096xf32>, %p: tensor<4096xf32>) -> (tensor<4096xf32>, tensor<4096xf32>, tensor<4096xf32>, tensor<4096xf32>) {
  %s = qc.sigmoid %x : (tensor<4096xf32>) -> tensor<4096xf32>
  %t = qc.tanh %x : (tensor<4096xf32>) -> tensor<4096xf32>
  %e = qc.erf %x : (tensor<4096xf32>) -> tensor<4096xf32>
  %w = qc.pow %x, %p : (tensor<4096xf32>, tensor<4096xf32>) -> tensor<4096xf32>
  return %s, %t, %e, %w : tensor<4096xf32>, tensor<4096xf32>, tensor<4096xf32>, tensor<4096xf32>
}
