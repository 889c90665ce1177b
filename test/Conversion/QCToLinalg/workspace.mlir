// RUN: qopt %s -split-input-file --convert-qc-to-linalg=outline=0 --qc-plan-workspace | FileCheck %s

// The function takes inputs, one buffer per result and the workspace;
// intermediates whose lifetimes do not overlap share workspace offsets;
// reshapes are views; the last op writes the caller's output buffer.
// CHECK-LABEL: func.func @chain
// CHECK-SAME: (%[[IN:.*]]: memref<64xf32>, %[[OUT:.*]]: memref<64xi8>, %[[WS:.*]]: memref<576xi8>)
// CHECK-SAME: attributes {qc.num_inputs = 1 : i64, qc.workspace_size = 576 : i64}
// CHECK: %[[A:.*]] = memref.view %[[WS]][%c0{{.*}}][] : memref<576xi8> to memref<64xf32>
// CHECK: linalg.generic {{.*}} ins(%[[IN]] : memref<64xf32>) outs(%[[A]] : memref<64xf32>)
// CHECK: %[[B:.*]] = memref.view %[[WS]][%c256{{.*}}][] : memref<576xi8> to memref<64xf32>
// CHECK: linalg.generic {{.*}} ins(%[[A]] : memref<64xf32>) outs(%[[B]] : memref<64xf32>)
// The third buffer reuses the first one's bytes (offset 0).
// CHECK: %[[C:.*]] = memref.view %[[WS]][%c0{{.*}}][] : memref<576xi8> to memref<64xf32>
// CHECK: linalg.generic {{.*}} ins(%[[B]] : memref<64xf32>) outs(%[[C]] : memref<64xf32>)
// CHECK: %[[R1:.*]] = memref.reinterpret_cast %[[C]] to offset: [0], sizes: [8, 8], strides: [8, 1]
// CHECK: %[[R2:.*]] = memref.reinterpret_cast %[[R1]] to offset: [0], sizes: [64], strides: [1]
// CHECK: linalg.generic {{.*}} ins(%[[R2]] : memref<64xf32>) outs(%[[OUT]] : memref<64xi8>)
// CHECK-NOT: memref.alloc
// CHECK: return
func.func @chain(%x: tensor<64xf32>) -> tensor<64x!quant.uniform<u8:f32, 0.1:10>> {
  %a = qc.sigmoid %x : (tensor<64xf32>) -> tensor<64xf32>
  %b = qc.tanh %a : (tensor<64xf32>) -> tensor<64xf32>
  %c = qc.erf %b : (tensor<64xf32>) -> tensor<64xf32>
  %r = qc.reshape %c : (tensor<64xf32>) -> tensor<8x8xf32>
  %d = qc.reshape %r : (tensor<8x8xf32>) -> tensor<64xf32>
  %q = qc.quantize %d : tensor<64xf32> -> tensor<64x!quant.uniform<u8:f32, 0.1:10>>
  return %q : tensor<64x!quant.uniform<u8:f32, 0.1:10>>
}

// -----

// A returned argument, a value returned twice and a constant are copied
// into the output buffers.
// CHECK-LABEL: func.func @copies
// CHECK-SAME: (%[[X:.*]]: memref<4xf32>, %[[O0:.*]]: memref<4xf32>, %[[O1:.*]]: memref<4xf32>, %[[O2:.*]]: memref<4xf32>, %[[O3:.*]]: memref<4xf32>, %{{.*}}: memref<{{[0-9]+}}xi8>)
// CHECK: %[[G:.*]] = memref.get_global @__qc_constant_{{[0-9]+}} : memref<4xf32>
// CHECK: linalg.generic {{.*}} ins(%[[X]] : memref<4xf32>) outs(%[[O1]] : memref<4xf32>)
// CHECK: linalg.generic {{.*}} ins(%[[X]] : memref<4xf32>) outs(%[[O0]] : memref<4xf32>)
// CHECK: linalg.generic {{.*}} ins(%[[O1]] : memref<4xf32>) outs(%[[O2]] : memref<4xf32>)
// CHECK: linalg.generic {{.*}} ins(%[[G]] : memref<4xf32>) outs(%[[O3]] : memref<4xf32>)
func.func @copies(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %c = arith.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %s = qc.sigmoid %x : (tensor<4xf32>) -> tensor<4xf32>
  return %x, %s, %s, %c : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}
