# -*- Python -*-
"""A lit test format for ONNX backend node tests (see
Target/ONNX/conformance/tests.txt): each listed test runs
`qc run MODEL --input ... --expect ...` on the test's data set 0."""

import glob
import os
import re
import subprocess

import lit.formats
import lit.Test

DATA = "/usr/share/libonnx-testdata/data/node"


def _key(path):
    return int(re.search(r"_(\d+)\.pb$", path).group(1))


class OnnxBackendTests(lit.formats.TestFormat):
    def getTestsInDirectory(self, testSuite, path_in_suite, litConfig, localConfig):
        directory = testSuite.getSourcePath(path_in_suite)
        with open(os.path.join(directory, "tests.txt")) as f:
            for line in f:
                name = line.split("#")[0].strip()
                if name:
                    yield lit.Test.Test(testSuite, path_in_suite + (name,), localConfig)

    def execute(self, test, litConfig):
        name = test.path_in_suite[-1]
        d = os.path.join(DATA, name)
        if not os.path.isdir(d):
            return lit.Test.UNSUPPORTED, "libonnx-testdata is not installed"
        data = os.path.join(d, "test_data_set_0")
        cmd = [os.path.join(test.config.qc_tools_dir, "qc"), "run",
               os.path.join(d, "model.onnx")]
        for f in sorted(glob.glob(os.path.join(data, "input_*.pb")), key=_key):
            cmd += ["--input", f]
        for f in sorted(glob.glob(os.path.join(data, "output_*.pb")), key=_key):
            cmd += ["--expect", f]
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True, timeout=300)
        out = " ".join(cmd) + "\n" + p.stdout
        if p.returncode == 0 and "match the expected" in p.stdout:
            return lit.Test.PASS, out
        return lit.Test.FAIL, out


