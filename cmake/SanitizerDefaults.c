/*===- SanitizerDefaults.c - ASan defaults of qc's executables ------------===*\
|*                                                                            *|
|* Linked into every executable of a -DQC_SANITIZE=address build (tools,      *|
|* tests, examples, fuzzers; see the top-level CMakeLists.txt).               *|
|*                                                                            *|
|* qc is instrumented but libLLVM.so and libMLIR.so are not. LLVM's           *|
|* BumpPtrAllocator poisons each new slab and unpoisons each allocation in    *|
|* inline code: when qc's instrumented copy starts a slab and libMLIR.so's    *|
|* uninstrumented copy then allocates from it, the allocation stays poisoned  *|
|* and its first use reads as use-after-poison. allow_user_poisoning=0 turns  *|
|* off only such manual poisoning; every heap, stack and global check stays.  *|
|* ASAN_OPTIONS in the environment still override this default.               *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

const char *__asan_default_options(void) { return "allow_user_poisoning=0"; }
