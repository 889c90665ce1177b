// The entry point of a model split into batch tiles (qc-tile-batch, here
// 9 + 9 + 7 samples): cnn_run advances every input and output by one
// tile's bytes per call of the tile function (144 and 72), then calls the
// remainder function at tile 2; the workspace is the larger of the two.
// RUN: qopt %s --qc-lower-to-llvm="target=x86-64-avx512vnni batch-tile-bytes=720" | FileCheck %s
// CHECK-LABEL: llvm.func @cnn_workspace_size() -> i64
// CHECK: %[[WS:.*]] = llvm.mlir.constant(832 : i64) : i64
// CHECK: llvm.return %[[WS]]
// CHECK-LABEL: llvm.func @cnn_run(
// CHECK-SAME: %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %[[W:.*]]: !llvm.ptr) -> i32
// CHECK: llvm.br ^[[HEAD:.*]](%{{.*}} : i64)
// CHECK: ^[[HEAD]](%[[I:.*]]: i64):
// CHECK: %[[N:.*]] = llvm.mlir.constant(2 : i64) : i64
// CHECK: llvm.icmp "slt" %[[I]], %[[N]] : i64
// CHECK: llvm.mlir.constant(144 : i64)
// CHECK: llvm.getelementptr %{{.*}}[%{{.*}}] : (!llvm.ptr, i64) -> !llvm.ptr, i8
// CHECK: llvm.mlir.constant(72 : i64)
// CHECK: llvm.getelementptr %{{.*}}[%{{.*}}] : (!llvm.ptr, i64) -> !llvm.ptr, i8
// CHECK: llvm.call @cnn__batch_tile(%{{.*}}, %{{.*}}, %[[W]])
// CHECK: llvm.call @cnn__batch_tail(%{{.*}}, %{{.*}}, %[[W]])
// CHECK: llvm.func internal @cnn__batch_tile(
// CHECK: llvm.func internal @cnn__batch_tail(
func.func @cnn(%x: tensor<25x1x4x4x!quant.uniform<u8:f32, 0.5:128>>) -> tensor<25x8x!quant.uniform<u8:f32, 0.25:3>> {
  %w = qc.constant dense<1> : tensor<2x1x3x3xi8> -> tensor<2x1x3x3x!quant.uniform<i8:f32, 0.25>>
  %c = qc.conv2d %x, %w {pads = array<i64: 1, 1, 1, 1>} : (tensor<25x1x4x4x!quant.uniform<u8:f32, 0.5:128>>, tensor<2x1x3x3x!quant.uniform<i8:f32, 0.25>>) -> tensor<25x2x4x4x!quant.uniform<u8:f32, 0.25:3>>
  %p = qc.max_pool2d %c {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<25x2x4x4x!quant.uniform<u8:f32, 0.25:3>>) -> tensor<25x2x2x2x!quant.uniform<u8:f32, 0.25:3>>
  %r = qc.reshape %p : (tensor<25x2x2x2x!quant.uniform<u8:f32, 0.25:3>>) -> tensor<25x8x!quant.uniform<u8:f32, 0.25:3>>
  %y = qc.clamp %r {min = 0.0 : f32} : tensor<25x8x!quant.uniform<u8:f32, 0.25:3>>
  return %y : tensor<25x8x!quant.uniform<u8:f32, 0.25:3>>
}
