// The generated library has the generic C entry points and allocates
// nothing: every buffer comes from the caller.
// RUN: qc %qc_src/examples/small_cnn.mlir --emit=llvm -o - 2>/dev/null | FileCheck %s --implicit-check-not=malloc --implicit-check-not=alloca
// RUN: qc %qc_src/examples/small_cnn.mlir --emit=llvm --reference -o - 2>/dev/null | FileCheck %s --implicit-check-not=malloc --implicit-check-not=alloca

// CHECK-DAG: define {{.*}}i64 @small_cnn_workspace_size()
// CHECK-DAG: ret i64 {{[0-9]+}}
// CHECK-DAG: define {{.*}}i32 @small_cnn_run(ptr {{.*}}%0, ptr {{.*}}%1, ptr {{.*}}%2)
