// Softmax, sigmoid, tanh, GELU (erf), pow and the math functions of the
// ONNX activations compile to vector code that calls no math library
// function: the generated objects need no libm.
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
// The math functions of the ONNX activations: exp, log, sin and cos are
// polynomials, floor, ceil and round (ties to even) are vroundps / frintm,
// frintp, frintn, abs a mask, sign compares and selects.
// CHECK-LABEL: {{^}}math__{{[0-9]+}}_exp:
// CHECK-NOT: call
// CHECK: vfmadd{{[0-9]*}}ps {{.*}}%ymm
// CHECK-LABEL: {{^}}math__{{[0-9]+}}_log:
// CHECK-NOT: call
// CHECK: vfmadd{{[0-9]*}}ps {{.*}}%ymm
// CHECK-LABEL: {{^}}math__{{[0-9]+}}_sin:
// CHECK-NOT: call
// CHECK: vfmadd{{[0-9]*}}ps {{.*}}%ymm
// CHECK-LABEL: {{^}}math__{{[0-9]+}}_cos:
// CHECK-NOT: call
// CHECK: vfmadd{{[0-9]*}}ps {{.*}}%ymm
// CHECK-LABEL: {{^}}math__{{[0-9]+}}_floor:
// CHECK-NOT: call
// CHECK: vroundps $9, {{.*}}%ymm
// CHECK-LABEL: {{^}}math__{{[0-9]+}}_ceil:
// CHECK-NOT: call
// CHECK: vroundps $10, {{.*}}%ymm
// CHECK-LABEL: {{^}}math__{{[0-9]+}}_round:
// CHECK-NOT: call
// CHECK: vroundps $8, {{.*}}%ymm
// CHECK-LABEL: {{^}}math__{{[0-9]+}}_abs:
// CHECK-NOT: call
// CHECK: vandps {{.*}}%ymm
// CHECK-LABEL: {{^}}math__{{[0-9]+}}_sign:
// CHECK-NOT: call
// CHECK: vcmpltps {{.*}}%ymm
// CHECK-NOT: {{call.*(expf|logf|powf|tanhf|erff|sinf|cosf|floorf|ceilf|roundevenf|rintf)}}
// ARM-NOT: {{bl.*(expf|logf|powf|tanhf|erff|sinf|cosf|floorf|ceilf|roundevenf|rintf)}}
// ARM-LABEL: {{^}}math__{{[0-9]+}}_exp:
// ARM-NOT: {{[[:space:]]bl[[:space:]]}}
// ARM: fmla v{{[0-9]+}}.4s
// ARM-LABEL: {{^}}math__{{[0-9]+}}_sin:
// ARM-NOT: {{[[:space:]]bl[[:space:]]}}
// ARM: fmla v{{[0-9]+}}.4s
// ARM-LABEL: {{^}}math__{{[0-9]+}}_floor:
// ARM-NOT: {{[[:space:]]bl[[:space:]]}}
// ARM: frintm v{{[0-9]+}}.4s
// ARM-LABEL: {{^}}math__{{[0-9]+}}_ceil:
// ARM-NOT: {{[[:space:]]bl[[:space:]]}}
// ARM: frintp v{{[0-9]+}}.4s
// ARM-LABEL: {{^}}math__{{[0-9]+}}_round:
// ARM-NOT: {{[[:space:]]bl[[:space:]]}}
// ARM: frintn v{{[0-9]+}}.4s
// ARM-NOT: {{bl.*(expf|logf|powf|tanhf|erff|sinf|cosf|floorf|ceilf|roundevenf|rintf)}}
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
func.func @math(%x: tensor<4096xf32>) -> (tensor<4096xf32>, tensor<4096xf32>, tensor<4096xf32>, tensor<4096xf32>, tensor<4096xf32>, tensor<4096xf32>, tensor<4096xf32>, tensor<4096xf32>, tensor<4096xf32>) {
  %0 = qc.exp %x : (tensor<4096xf32>) -> tensor<4096xf32>
  %1 = qc.log %x : (tensor<4096xf32>) -> tensor<4096xf32>
  %2 = qc.sin %x : (tensor<4096xf32>) -> tensor<4096xf32>
  %3 = qc.cos %x : (tensor<4096xf32>) -> tensor<4096xf32>
  %4 = qc.floor %x : (tensor<4096xf32>) -> tensor<4096xf32>
  %5 = qc.ceil %x : (tensor<4096xf32>) -> tensor<4096xf32>
  %6 = qc.round %x : (tensor<4096xf32>) -> tensor<4096xf32>
  %7 = qc.abs %x : (tensor<4096xf32>) -> tensor<4096xf32>
  %8 = qc.sign %x : (tensor<4096xf32>) -> tensor<4096xf32>
  return %0, %1, %2, %3, %4, %5, %6, %7, %8 : tensor<4096xf32>, tensor<4096xf32>, tensor<4096xf32>, tensor<4096xf32>, tensor<4096xf32>, tensor<4096xf32>, tensor<4096xf32>, tensor<4096xf32>, tensor<4096xf32>
}
