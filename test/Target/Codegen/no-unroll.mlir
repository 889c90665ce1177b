// The im2col loops of a convolution (compile-time trip counts, vector
// bodies) reach LLVM marked llvm.loop.unroll.disable, in the im2col
// function of its geometry; the micro-kernels' loops are not marked.
// RUN: qc %s --target=x86-64-avx512vnni --emit=llvm -o %t.ll
// RUN: (sed -n '/^define internal.*@__qc_im2rows_/,/^}/p' %t.ll; sed -n '/^define internal.*@__qc_gemm_/,/^}/p' %t.ll; grep '^!' %t.ll) | FileCheck %s
// CHECK-LABEL: define internal {{.*}}@__qc_im2rows_i8_
// CHECK: br {{.*}}, !llvm.loop ![[LOOP:[0-9]+]]{{$}}
// CHECK-LABEL: define internal {{.*}}@__qc_gemm_
// CHECK-NOT: !llvm.loop ![[LOOP]]{{$}}
// CHECK-DAG: ![[LOOP]] = distinct !{![[LOOP]], ![[DISABLE:[0-9]+]]}
// CHECK-DAG: ![[DISABLE]] = !{!"llvm.loop.unroll.disable"}
func.func @conv(%x: tensor<1x4x9x9x!quant.uniform<u8:f32, 0.5:128>>) -> tensor<1x8x9x9x!quant.uniform<u8:f32, 1.0:3>> {
  %w = qc.constant dense<3> : tensor<8x4x3x3xi8> -> tensor<8x4x3x3x!quant.uniform<i8:f32, 0.25>>
  %y = qc.conv2d %x, %w {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x4x9x9x!quant.uniform<u8:f32, 0.5:128>>, tensor<8x4x3x3x!quant.uniform<i8:f32, 0.25>>) -> tensor<1x8x9x9x!quant.uniform<u8:f32, 1.0:3>>
  return %y : tensor<1x8x9x9x!quant.uniform<u8:f32, 1.0:3>>
}
