//===- NpyTest.cpp - Tests of the .npy reader on hostile files ------------===//
//
// The reader takes files from users: every malformed header, dtype, shape
// or length is an error message naming the file and the fault, never a
// crash or an allocation the shape asks for. Round trips of every dtype
// through writeNpy.
//
//===----------------------------------------------------------------------===//

#include "qc/Support/Npy.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include "gtest/gtest.h"

#include <string>

using namespace mlir::qc;

namespace {

/// A temporary file holding `bytes`, removed when the test ends.
class TempFile {
public:
  explicit TempFile(const std::string &bytes) {
    int fd;
    EXPECT_FALSE(llvm::sys::fs::createTemporaryFile("npytest", "npy", fd, path));
    llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
    os << bytes;
  }
  ~TempFile() { llvm::sys::fs::remove(path); }
  std::string str() const { return std::string(path.str()); }

private:
  llvm::SmallString<128> path;
};

/// A version-1 .npy file: magic, header length, header, then `data`.
std::string npy(const std::string &header, const std::string &data = "") {
  std::string out = "\x93NUMPY";
  out += char(1);
  out += char(0);
  out += char(header.size() & 0xff);
  out += char(header.size() >> 8);
  return out + header + data;
}

std::string read(const std::string &bytes, HostArray &a) {
  TempFile f(bytes);
  std::string err = readNpy(f.str(), a);
  // Every message names the file.
  if (!err.empty())
    EXPECT_NE(err.find(f.str()), std::string::npos) << err;
  return err;
}

std::string readError(const std::string &bytes) {
  HostArray a;
  return read(bytes, a);
}

std::string dict(const std::string &descr, const std::string &shape,
                 const std::string &fortran = "False") {
  return "{'descr': '" + descr + "', 'fortran_order': " + fortran +
         ", 'shape': " + shape + ", }\n";
}

TEST(Npy, RoundTripsEveryDtype) {
  for (const char *dtype : {"float32", "float64", "int32", "int64", "int16",
                            "int8", "uint8", "bool"}) {
    HostArray a;
    a.dtype = dtype;
    a.shape = {2, 3};
    a.data.resize(6 * a.elementSize());
    for (size_t i = 0; i < a.data.size(); ++i)
      a.data[i] = uint8_t(i * 37 + 11);
    std::string bytes;
    llvm::raw_string_ostream os(bytes);
    ASSERT_EQ(writeNpy(os, a), "");
    os.flush();
    HostArray b;
    ASSERT_EQ(read(bytes, b), "") << dtype;
    EXPECT_EQ(b.dtype, a.dtype);
    EXPECT_EQ(b.shape, a.shape);
    EXPECT_EQ(b.data, a.data);
  }
}

TEST(Npy, Int16Values) {
  HostArray a;
  ASSERT_EQ(read(npy(dict("<i2", "(3,)"), std::string("\x01\x80\xff\x7f"
                                                      "\xf9\xff",
                                                      6)),
                 a),
            "");
  EXPECT_EQ(a.dtype, "int16");
  EXPECT_EQ(a.get(0), -32767);
  EXPECT_EQ(a.get(1), 32767);
  EXPECT_EQ(a.get(2), -7);
}

TEST(Npy, ScalarAndOneDimensionalShapes) {
  HostArray a;
  ASSERT_EQ(read(npy(dict("<f4", "()"), std::string(4, '\0')), a), "");
  EXPECT_TRUE(a.shape.empty());
  EXPECT_EQ(a.numElements(), 1);
  ASSERT_EQ(read(npy(dict("<i8", "(3,)"), std::string(24, '\0')), a), "");
  ASSERT_EQ(a.shape.size(), 1u);
  EXPECT_EQ(a.shape[0], 3);
}

TEST(Npy, NotANpyFile) {
  EXPECT_NE(readError("").find("is not a .npy file"), std::string::npos);
  EXPECT_NE(readError("\x93NUMP").find("is not a .npy file"),
            std::string::npos);
  EXPECT_NE(readError("PK\x03\x04 a zip, perhaps an .npz")
                .find("is not a .npy file"),
            std::string::npos);
}

TEST(Npy, TruncatedHeader) {
  std::string full = npy(dict("<f4", "(2,)"), std::string(8, '\0'));
  EXPECT_NE(readError(full.substr(0, 20)).find("truncated header"),
            std::string::npos);
}

TEST(Npy, UnsupportedVersion) {
  std::string bytes = npy(dict("<f4", "(2,)"), std::string(8, '\0'));
  bytes[6] = 9;
  EXPECT_NE(readError(bytes).find("unsupported .npy version 9"),
            std::string::npos);
}

TEST(Npy, UnsupportedDtypes) {
  for (const char *descr : {">f4", "|O", "<U8", "<c8", "<f2"}) {
    std::string err = readError(npy(dict(descr, "(1,)"), std::string(8, 0)));
    EXPECT_NE(err.find("unsupported dtype '" + std::string(descr) + "'"),
              std::string::npos)
        << err;
  }
}

TEST(Npy, MissingKeys) {
  EXPECT_NE(readError(npy("{'descr': '<f4', 'shape': (1,), }\n",
                          std::string(4, 0)))
                .find("malformed header: no 'fortran_order' key"),
            std::string::npos);
  EXPECT_NE(readError(npy("{'descr': '<f4', 'fortran_order': False, }\n"))
                .find("malformed header: no 'shape' key"),
            std::string::npos);
}

TEST(Npy, FortranOrder) {
  EXPECT_NE(readError(npy(dict("<f4", "(2, 2)", "True"), std::string(16, 0)))
                .find("Fortran-ordered arrays are not supported"),
            std::string::npos);
  EXPECT_NE(readError(npy(dict("<f4", "(2, 2)", "maybe"), std::string(16, 0)))
                .find("fortran_order is 'maybe'"),
            std::string::npos);
}

TEST(Npy, MalformedShapes) {
  for (const char *shape : {"[2, 2]", "(2, -1)", "(2, x)", "(2", "(1.5,)"})
    EXPECT_NE(readError(npy(dict("<f4", shape), std::string(16, 0)))
                  .find("malformed shape"),
              std::string::npos)
        << shape;
}

TEST(Npy, AbsurdShapeIsNotAllocated) {
  // 2^40 * 2^40 float32s: the product overflows 64 bits.
  std::string err = readError(
      npy(dict("<f4", "(1099511627776, 1099511627776)"), std::string(16, 0)));
  EXPECT_NE(err.find("is too large"), std::string::npos) << err;
  // Large but representable: the data is simply missing.
  err = readError(npy(dict("<f4", "(1000000000, 1000)"), std::string(16, 0)));
  EXPECT_NE(err.find("expected 4000000000000 bytes of data, found 16"),
            std::string::npos)
      << err;
}

TEST(Npy, EmptyArrayWithHugeDims) {
  // A zero dim: no elements, though the other dims multiply past int64
  // (the npy fuzzer's finding: numElements overflowed).
  HostArray a;
  EXPECT_EQ(read(npy(dict("|u1", "(2, 22222222, 2222228, 4, 28, 4, 28, 4, 2, 0)")),
                 a),
            "");
  EXPECT_EQ(a.numElements(), 0);
  EXPECT_TRUE(a.data.empty());
}

TEST(Npy, DataLengthMismatch) {
  std::string err = readError(npy(dict("<f4", "(2, 3)"), std::string(20, 0)));
  EXPECT_NE(err.find("expected 24 bytes of data, found 20"), std::string::npos)
      << err;
  err = readError(npy(dict("<f4", "(2, 3)"), std::string(28, 0)));
  EXPECT_NE(err.find("expected 24 bytes of data, found 28"), std::string::npos)
      << err;
}

TEST(Npy, UnreadableFile) {
  HostArray a;
  std::string err = readNpy("/nonexistent/dir/x.npy", a);
  EXPECT_NE(err.find("cannot read '/nonexistent/dir/x.npy'"), std::string::npos)
      << err;
}

} // namespace
