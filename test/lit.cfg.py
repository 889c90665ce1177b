# -*- Python -*-
# lit configuration of the qc regression tests.

import os

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "QC"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.qc_obj_root, "test")
config.excludes = ["CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py", "lit_onnx.py", "Inputs", "Unit"]

config.substitutions.append(("%PATH%", config.environment["PATH"]))
llvm_config.with_system_environment(["HOME", "INCLUDE", "LIB", "TMP", "TEMP",
                                     "ASAN_OPTIONS", "UBSAN_OPTIONS",
                                     "LSAN_OPTIONS"])
llvm_config.use_default_substitutions()

# `not` and `count` are used verbatim: they must be on PATH.
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.with_environment("PATH", config.qc_tools_dir, append_path=True)

tool_dirs = [config.qc_tools_dir, config.llvm_tools_dir]
llvm_config.add_tool_substitutions(["qopt"], tool_dirs)
config.substitutions.append(("%qc_src", config.qc_src_root))
config.substitutions.append(("%qc_obj", config.qc_obj_root))
config.substitutions.append(("%onnx_data", "/usr/share/libonnx-testdata/data/node"))

# AArch64 cross-compiled code runs under qemu when the toolchain is there.
import shutil
if (shutil.which("qemu-aarch64") and shutil.which("clang-22")
        and os.path.isdir("/usr/aarch64-linux-gnu/lib")):
    config.available_features.add("aarch64-cross")

# The x86 vector extensions this CPU runs (tests that JIT code for a target).
try:
    with open("/proc/cpuinfo") as f:
        flags = next((l.split(":", 1)[1].split() for l in f
                      if l.startswith("flags")), [])
except OSError:
    flags = []
if "avx2" in flags and "fma" in flags:
    config.available_features.add("host-avx2")
if "avx512_vnni" in flags and "avx512bw" in flags and "avx512vl" in flags:
    config.available_features.add("host-avx512vnni")

# A sanitizer build (-DQC_SANITIZE=address,undefined): tests that cannot run
# under ASan (they measure memory or time, or load qc's instrumented code
# into an uninstrumented process) say `UNSUPPORTED: asan`.
sanitize = getattr(config, "qc_sanitize", "")
if "address" in sanitize:
    config.available_features.add("asan")
if "undefined" in sanitize:
    config.available_features.add("ubsan")
