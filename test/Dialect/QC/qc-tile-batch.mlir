// RUN: qopt %s -split-input-file -qc-tile-batch=tile-bytes=720 | FileCheck %s

// A CNN whose samples are independent: its values take 72 bytes per sample,
// so 10 fit in 720; 25 samples make 3 tiles, balanced as 9 + 9 and a
// remainder of 7. The original is removed. The strides are the bytes of one
// tile of each input and output.
// CHECK-NOT: func.func @cnn(
// CHECK-LABEL: func.func @cnn__batch_tile(%{{.*}}: tensor<9x1x4x4x!quant.uniform<u8:f32, 5.000000e-01:128>>) -> tensor<9x8x!quant.uniform<u8:f32, 2.500000e-01:3>>
// CHECK-SAME: qc.batch_count = 2 : i64, qc.batch_of = "cnn", qc.batch_strides = array<i64: 144, 72>, qc.batch_tail = "cnn__batch_tail"
// CHECK: qc.conv2d {{.*}} -> tensor<9x2x4x4x
// CHECK: qc.max_pool2d {{.*}} -> tensor<9x2x2x2x
// CHECK: qc.reshape {{.*}} -> tensor<9x8x
// CHECK: qc.clamp {{.*}} : tensor<9x8x
// CHECK-LABEL: func.func @cnn__batch_tail(%{{.*}}: tensor<7x1x4x4x!quant.uniform<u8:f32, 5.000000e-01:128>>) -> tensor<7x8x!quant.uniform<u8:f32, 2.500000e-01:3>>
// CHECK-SAME: qc.batch_tail_of = "cnn"
// CHECK-NOT: func.func @cnn(
func.func @cnn(%x: tensor<25x1x4x4x!quant.uniform<u8:f32, 0.5:128>>) -> tensor<25x8x!quant.uniform<u8:f32, 0.25:3>> {
  %w = qc.constant dense<1> : tensor<2x1x3x3xi8> -> tensor<2x1x3x3x!quant.uniform<i8:f32, 0.25>>
  %c = qc.conv2d %x, %w {pads = array<i64: 1, 1, 1, 1>} : (tensor<25x1x4x4x!quant.uniform<u8:f32, 0.5:128>>, tensor<2x1x3x3x!quant.uniform<i8:f32, 0.25>>) -> tensor<25x2x4x4x!quant.uniform<u8:f32, 0.25:3>>
  %p = qc.max_pool2d %c {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<25x2x4x4x!quant.uniform<u8:f32, 0.25:3>>) -> tensor<25x2x2x2x!quant.uniform<u8:f32, 0.25:3>>
  %r = qc.reshape %p : (tensor<25x2x2x2x!quant.uniform<u8:f32, 0.25:3>>) -> tensor<25x8x!quant.uniform<u8:f32, 0.25:3>>
  %y = qc.clamp %r {min = 0.0 : f32} : tensor<25x8x!quant.uniform<u8:f32, 0.25:3>>
  return %y : tensor<25x8x!quant.uniform<u8:f32, 0.25:3>>
}

// -----

// An even split has no remainder: 96 bytes per sample, 7 per tile, 30
// tiles.
// CHECK-LABEL: func.func @even__batch_tile(%{{.*}}: tensor<7x8xf32>
// CHECK-SAME: qc.batch_count = 30 : i64, qc.batch_of = "even", qc.batch_strides = array<i64: 224, 224>}
// CHECK-NOT: even__batch_tail
func.func @even(%x: tensor<210x8xf32>) -> tensor<210x8xf32> {
  %y = qc.sigmoid %x : (tensor<210x8xf32>) -> tensor<210x8xf32>
  %z = qc.add %y, %x : (tensor<210x8xf32>, tensor<210x8xf32>) -> tensor<210x8xf32>
  return %z : tensor<210x8xf32>
}

// -----

// Ops that mix samples keep the model whole: softmax over the batch axis,
// a reduction over it, a transpose that moves it, a concat along it, and an
// operand of batch size that is not derived from the input.
// CHECK-LABEL: func.func @negative_softmax_over_batch
// CHECK-NOT: __batch_tile
func.func @negative_softmax_over_batch(%x: tensor<400x8xf32>) -> tensor<400x8xf32> {
  %y = qc.softmax %x {axis = 0 : i64} : (tensor<400x8xf32>) -> tensor<400x8xf32>
  return %y : tensor<400x8xf32>
}

// -----

// CHECK-LABEL: func.func @negative_reduce_over_batch
// CHECK-NOT: __batch_tile
func.func @negative_reduce_over_batch(%x: tensor<400x8xf32>) -> tensor<1x8xf32> {
  %y = qc.reduce_mean %x {axes = array<i64: 0>} : (tensor<400x8xf32>) -> tensor<1x8xf32>
  return %y : tensor<1x8xf32>
}

// -----

// CHECK-LABEL: func.func @negative_transpose_moves_batch
// CHECK-NOT: __batch_tile
func.func @negative_transpose_moves_batch(%x: tensor<400x400xf32>) -> tensor<400x400xf32> {
  %y = qc.transpose %x {perm = array<i64: 1, 0>} : (tensor<400x400xf32>) -> tensor<400x400xf32>
  return %y : tensor<400x400xf32>
}

// -----

// CHECK-LABEL: func.func @negative_constant_of_batch_size
// CHECK-NOT: __batch_tile
func.func @negative_constant_of_batch_size(%x: tensor<400x8xf32>) -> tensor<400x8xf32> {
  %c = arith.constant dense<1.0> : tensor<400x8xf32>
  %y = qc.add %x, %c : (tensor<400x8xf32>, tensor<400x8xf32>) -> tensor<400x8xf32>
  return %y : tensor<400x8xf32>
}

// -----

// A batch that fits already is left as it is.
// CHECK-LABEL: func.func @negative_fits(
// CHECK-NOT: __batch_tile
func.func @negative_fits(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %y = qc.sigmoid %x : (tensor<4x8xf32>) -> tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}

// -----

// A BERT-style attention mask keeps the samples apart: an int64 mask per
// sample, compared, negated, reshaped and cast, selects between a fill and
// the scores. 64 + 64 bytes of inputs, 3 x 8 of i1 masks (one byte per
// element), 32 of the cast mask and 2 x 64 of f32 results make 312 bytes
// per sample: 2 fit in 720, and 10 samples are 5 tiles.
// CHECK-LABEL: func.func @mask__batch_tile(%{{.*}}: tensor<2x8xi64>, %{{.*}}: tensor<2x2x8xf32>) -> tensor<2x2x8xf32>
// CHECK-SAME: qc.batch_count = 5 : i64, qc.batch_of = "mask", qc.batch_strides = array<i64: 128, 128, 128>
// CHECK: qc.compare eq, %{{.*}}, %{{.*}} : (tensor<2x8xi64>, tensor<i64>) -> tensor<2x8xi1>
// CHECK: qc.not %{{.*}} : tensor<2x8xi1>
// CHECK: qc.cast %{{.*}} : tensor<2x1x8xi1> -> tensor<2x1x8xf32>
// CHECK: qc.select %{{.*}} : (tensor<2x1x8xi1>, tensor<2x2x8xf32>, tensor<f32>) -> tensor<2x2x8xf32>
// CHECK-NOT: mask__batch_tail
func.func @mask(%m: tensor<10x8xi64>, %s: tensor<10x2x8xf32>) -> tensor<10x2x8xf32> {
  %zero = arith.constant dense<0> : tensor<i64>
  %fill = arith.constant dense<-1.0e4> : tensor<f32>
  %eq = qc.compare eq, %m, %zero : (tensor<10x8xi64>, tensor<i64>) -> tensor<10x8xi1>
  %keep = qc.not %eq : tensor<10x8xi1>
  %r = qc.reshape %keep : (tensor<10x8xi1>) -> tensor<10x1x8xi1>
  %f = qc.cast %r : tensor<10x1x8xi1> -> tensor<10x1x8xf32>
  %sel = qc.select %r, %s, %fill : (tensor<10x1x8xi1>, tensor<10x2x8xf32>, tensor<f32>) -> tensor<10x2x8xf32>
  %y = qc.mul %sel, %f : (tensor<10x2x8xf32>, tensor<10x1x8xf32>) -> tensor<10x2x8xf32>
  return %y : tensor<10x2x8xf32>
}

// -----

// Data movement that leaves the batch alone keeps the samples apart:
// padding and resizing the spatial dims, gathering along the channels, a
// strided slice of the width, and a class token broadcast to every sample
// (each tile takes its own copies of it) concatenated with the features.
// CHECK-LABEL: func.func @data_movement__batch_tile
// CHECK: qc.pad %{{.*}} -> tensor<3x2x1x4xf32>
// CHECK: qc.resize %{{.*}} -> tensor<3x2x2x4xf32>
// CHECK: qc.gather %{{.*}} -> tensor<3x1x2x4xf32>
// CHECK: qc.slice %{{.*}} -> tensor<3x1x2x2xf32>
// CHECK: qc.broadcast %{{.*}} : (tensor<1x1x2x2xf32>) -> tensor<3x1x2x2xf32>
// CHECK: qc.concat %{{.*}} -> tensor<3x2x2x2xf32>
func.func @data_movement(%x: tensor<40x2x1x2xf32>) -> tensor<40x2x2x2xf32> {
  %p = qc.pad %x {mode = "reflect", pads = array<i64: 0, 0, 0, 1, 0, 0, 0, 1>} : (tensor<40x2x1x2xf32>) -> tensor<40x2x1x4xf32>
  %r = qc.resize %p {scales = array<f64: 1.0, 1.0, 2.0, 1.0>} : (tensor<40x2x1x4xf32>) -> tensor<40x2x2x4xf32>
  %g = qc.gather %r {axis = 1 : i64, indices = array<i64: 1>} : (tensor<40x2x2x4xf32>) -> tensor<40x1x2x4xf32>
  %s = qc.slice %g {offsets = array<i64: 0, 0, 0, 3>, strides = array<i64: 1, 1, 1, -2>} : (tensor<40x1x2x4xf32>) -> tensor<40x1x2x2xf32>
  %c = arith.constant dense<1.0> : tensor<1x1x2x2xf32>
  %b = qc.broadcast %c : (tensor<1x1x2x2xf32>) -> tensor<40x1x2x2xf32>
  %y = qc.concat %b, %s {axis = 1} : (tensor<40x1x2x2xf32>, tensor<40x1x2x2xf32>) -> tensor<40x2x2x2xf32>
  return %y : tensor<40x2x2x2xf32>
}

// -----

// Data movement along the batch mixes samples: padding it, resizing it,
// gathering along it, slicing it with a stride, and broadcasting a batched
// value (the batch would then be a broadcast dim).
// CHECK-LABEL: func.func @negative_pad_batch
// CHECK-NOT: __batch_tile
func.func @negative_pad_batch(%x: tensor<400x8xf32>) -> tensor<401x8xf32> {
  %y = qc.pad %x {pads = array<i64: 1, 0, 0, 0>} : (tensor<400x8xf32>) -> tensor<401x8xf32>
  return %y : tensor<401x8xf32>
}

// -----

// CHECK-LABEL: func.func @negative_resize_batch
// CHECK-NOT: __batch_tile
func.func @negative_resize_batch(%x: tensor<400x8xf32>) -> tensor<400x8xf32> {
  %y = qc.resize %x {coordinate_mode = "asymmetric", nearest_mode = "ceil", scales = array<f64: 0.99, 1.0>} : (tensor<400x8xf32>) -> tensor<400x8xf32>
  return %y : tensor<400x8xf32>
}

// -----

// 12 samples of 64 bytes do not fit in 720: only the gather along the
// batch keeps them together.
// CHECK-LABEL: func.func @negative_gather_batch
// CHECK-NOT: __batch_tile
func.func @negative_gather_batch(%x: tensor<12x8xf32>) -> tensor<12x8xf32> {
  %y = qc.gather %x {axis = 0 : i64, indices = array<i64: 11, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0>} : (tensor<12x8xf32>) -> tensor<12x8xf32>
  return %y : tensor<12x8xf32>
}

// -----

// CHECK-LABEL: func.func @negative_strided_slice_batch
// CHECK-NOT: __batch_tile
func.func @negative_strided_slice_batch(%x: tensor<400x8xf32>) -> tensor<200x8xf32> {
  %y = qc.slice %x {offsets = array<i64: 0, 0>, strides = array<i64: 2, 1>} : (tensor<400x8xf32>) -> tensor<200x8xf32>
  return %y : tensor<200x8xf32>
}

// -----

// CHECK-LABEL: func.func @negative_broadcast_batched
// CHECK-NOT: __batch_tile
func.func @negative_broadcast_batched(%x: tensor<400x8xf32>) -> tensor<400x400x8xf32> {
  %y = qc.broadcast %x : (tensor<400x8xf32>) -> tensor<400x400x8xf32>
  return %y : tensor<400x400x8xf32>
}

// -----

// An embedding lookup keeps samples apart: batched token ids into a table
// that every sample shares, then an inner-axis take at shared indices.
// CHECK-LABEL: func.func @embed__batch_tile(%{{.*}}: tensor<{{[0-9]+}}x6xi64>
// CHECK: qc.take %{{.*}}, %{{.*}} : (tensor<10x8xf32>, tensor<{{[0-9]+}}x6xi64>)
// CHECK: qc.take %{{.*}}, %{{.*}} {axis = 2 : i64}
func.func @embed(%ids: tensor<100x6xi64>) -> tensor<100x6x3xf32> {
  %t = arith.constant dense<1.0> : tensor<10x8xf32>
  %pick = arith.constant dense<[0, 2, 5]> : tensor<3xi32>
  %e = qc.take %t, %ids : (tensor<10x8xf32>, tensor<100x6xi64>) -> tensor<100x6x8xf32>
  %y = qc.take %e, %pick {axis = 2 : i64} : (tensor<100x6x8xf32>, tensor<3xi32>) -> tensor<100x6x3xf32>
  return %y : tensor<100x6x3xf32>
}

// -----

// A take along the batch of batched data picks samples by index: whole.
// CHECK-LABEL: func.func @negative_take_batch
// CHECK-NOT: __batch_tile
func.func @negative_take_batch(%x: tensor<400x8xf32>, %i: tensor<400xi64>) -> tensor<400x8xf32> {
  %y = qc.take %x, %i : (tensor<400x8xf32>, tensor<400xi64>) -> tensor<400x8xf32>
  return %y : tensor<400x8xf32>
}

// -----

// A decoder of transposed convolution, group norm, log-softmax over the
// channels and a reduction over the spatial dims keeps its samples apart
// (one sample per tile: its values take more than 360 bytes).
// CHECK-LABEL: func.func @decoder__batch_tile(%{{.*}}: tensor<1x1x2x2xf32>) -> tensor<1x2xf32>
// CHECK-SAME: qc.batch_count = 40 : i64, qc.batch_of = "decoder"
// CHECK: qc.conv_transpose2d {{.*}} -> tensor<1x2x4x4xf32>
// CHECK: qc.group_norm {{.*}} -> tensor<1x2x4x4xf32>
// CHECK: qc.log_softmax {{.*}} -> tensor<1x2x4x4xf32>
// CHECK: qc.reduce max {{.*}} -> tensor<1x2xf32>
func.func @decoder(%x: tensor<40x1x2x2xf32>) -> tensor<40x2xf32> {
  %w = arith.constant dense<0.5> : tensor<2x1x2x2xf32>
  %g = arith.constant dense<1.0> : tensor<2xf32>
  %c = qc.conv_transpose2d %x, %w {strides = array<i64: 2, 2>} : (tensor<40x1x2x2xf32>, tensor<2x1x2x2xf32>) -> tensor<40x2x4x4xf32>
  %n = qc.group_norm %c, %g, %g {groups = 1 : i64} : (tensor<40x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<40x2x4x4xf32>
  %l = qc.log_softmax %n {axis = 1 : i64} : (tensor<40x2x4x4xf32>) -> tensor<40x2x4x4xf32>
  %y = qc.reduce max %l {axes = array<i64: 2, 3>, keepdims = false} : (tensor<40x2x4x4xf32>) -> tensor<40x2xf32>
  return %y : tensor<40x2xf32>
}

// -----

// CHECK-LABEL: func.func @negative_reduce_sum_over_batch
// CHECK-NOT: __batch_tile
func.func @negative_reduce_sum_over_batch(%x: tensor<400x8xf32>) -> tensor<8xf32> {
  %y = qc.reduce sum %x {axes = array<i64: -2>, keepdims = false} : (tensor<400x8xf32>) -> tensor<8xf32>
  return %y : tensor<8xf32>
}

// -----

// CHECK-LABEL: func.func @negative_log_softmax_over_batch
// CHECK-NOT: __batch_tile
func.func @negative_log_softmax_over_batch(%x: tensor<400x8xf32>) -> tensor<400x8xf32> {
  %y = qc.log_softmax %x {axis = -2 : i64} : (tensor<400x8xf32>) -> tensor<400x8xf32>
  return %y : tensor<400x8xf32>
}

// -----

// argmax, argmin and top_k along a non-batch axis keep the samples apart
// (both top_k results carry the batch).
// CHECK-LABEL: func.func @arg_top_k__batch_tile(%{{.*}}: tensor<10x8xf32>) -> (tensor<10xi64>, tensor<10x1xi64>, tensor<10x2xf32>, tensor<10x2xi64>)
// CHECK-SAME: qc.batch_count = 4 : i64, qc.batch_of = "arg_top_k"
// CHECK: qc.argmax {{.*}} -> tensor<10xi64>
// CHECK: qc.argmin {{.*}} -> tensor<10x1xi64>
// CHECK: qc.top_k {{.*}} -> (tensor<10x2xf32>, tensor<10x2xi64>)
func.func @arg_top_k(%x: tensor<40x8xf32>) -> (tensor<40xi64>, tensor<40x1xi64>, tensor<40x2xf32>, tensor<40x2xi64>) {
  %a = qc.argmax %x {axis = 1 : i64, keepdims = false} : (tensor<40x8xf32>) -> tensor<40xi64>
  %b = qc.argmin %x {axis = -1 : i64, select_last_index = true} : (tensor<40x8xf32>) -> tensor<40x1xi64>
  %v, %i = qc.top_k %x {k = 2 : i64} : (tensor<40x8xf32>) -> (tensor<40x2xf32>, tensor<40x2xi64>)
  return %a, %b, %v, %i : tensor<40xi64>, tensor<40x1xi64>, tensor<40x2xf32>, tensor<40x2xi64>
}

// -----

// CHECK-LABEL: func.func @negative_argmax_over_batch
// CHECK-NOT: __batch_tile
func.func @negative_argmax_over_batch(%x: tensor<400x8xf32>) -> tensor<1x8xi64> {
  %y = qc.argmax %x {axis = 0 : i64} : (tensor<400x8xf32>) -> tensor<1x8xi64>
  return %y : tensor<1x8xi64>
}

// -----

// CHECK-LABEL: func.func @negative_top_k_over_batch
// CHECK-NOT: __batch_tile
func.func @negative_top_k_over_batch(%x: tensor<400x8xf32>) -> (tensor<2x8xf32>, tensor<2x8xi64>) {
  %v, %i = qc.top_k %x {k = 2 : i64, axis = -2 : i64} : (tensor<400x8xf32>) -> (tensor<2x8xf32>, tensor<2x8xi64>)
  return %v, %i : tensor<2x8xf32>, tensor<2x8xi64>
}
