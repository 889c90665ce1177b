//===- Npy.cpp - Dense arrays and the .npy format -------------------------===//
//
// A reader and writer for numpy's .npy files: the magic, a version byte, a
// little-endian header length, a Python-literal dict with 'descr',
// 'fortran_order' and 'shape', then the raw data.
//
//===----------------------------------------------------------------------===//

#include "qc/Support/Npy.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <cstring>
#include <limits>

using namespace mlir::qc;

size_t HostArray::elementSize(llvm::StringRef dtype) {
  return llvm::StringSwitch<size_t>(dtype)
      .Cases({"float32", "int32"}, 4)
      .Cases({"float64", "int64"}, 8)
      .Case("int16", 2)
      .Cases({"uint8", "int8", "bool"}, 1)
      .Default(0);
}

int64_t HostArray::numElements() const {
  // A zero dim makes the array empty however large the others are (their
  // product alone may not fit int64: a fuzzer found (2, 22222222, 2222228,
  // 4, 28, 4, 28, 4, 2, 0)); otherwise the reader has checked that the
  // product times the element size fits the data.
  if (llvm::is_contained(shape, 0))
    return 0;
  int64_t n = 1;
  for (int64_t d : shape)
    if (__builtin_mul_overflow(n, d, &n))
      return std::numeric_limits<int64_t>::max();
  return n;
}

double HostArray::get(int64_t i) const {
  const uint8_t *p = data.data() + i * elementSize();
  auto load = [&](auto v) {
    std::memcpy(&v, p, sizeof(v));
    return double(v);
  };
  if (dtype == "float32")
    return load(float());
  if (dtype == "float64")
    return load(double());
  if (dtype == "int32")
    return load(int32_t());
  if (dtype == "int64")
    return load(int64_t());
  if (dtype == "int16")
    return load(int16_t());
  if (dtype == "int8")
    return load(int8_t());
  return load(uint8_t());
}

static std::string descrToDtype(llvm::StringRef descr) {
  return llvm::StringSwitch<std::string>(descr)
      .Cases({"<f4", "=f4"}, "float32")
      .Cases({"<f8", "=f8"}, "float64")
      .Cases({"|u1", "<u1", "=u1"}, "uint8")
      .Cases({"|i1", "<i1", "=i1"}, "int8")
      .Cases({"<i2", "=i2"}, "int16")
      .Cases({"<i4", "=i4"}, "int32")
      .Cases({"<i8", "=i8"}, "int64")
      .Cases({"|b1", "<b1"}, "bool")
      .Default("");
}

static std::string dtypeToDescr(llvm::StringRef dtype) {
  return llvm::StringSwitch<std::string>(dtype)
      .Case("float32", "<f4")
      .Case("float64", "<f8")
      .Case("uint8", "|u1")
      .Case("int8", "|i1")
      .Case("int16", "<i2")
      .Case("int32", "<i4")
      .Case("int64", "<i8")
      .Case("bool", "|b1")
      .Default("");
}

/// The value of `key` in the header dict, as raw text.
static llvm::StringRef dictValue(llvm::StringRef header, llvm::StringRef key) {
  size_t k = header.find(("'" + key + "'").str());
  if (k == llvm::StringRef::npos)
    return {};
  llvm::StringRef rest = header.drop_front(k + key.size() + 2).ltrim();
  if (!rest.consume_front(":"))
    return {};
  rest = rest.ltrim();
  if (rest.starts_with("(")) {
    size_t close = rest.find(')');
    return close == llvm::StringRef::npos ? llvm::StringRef()
                                          : rest.take_front(close + 1);
  }
  if (rest.starts_with("'")) {
    size_t close = rest.find('\'', 1);
    return close == llvm::StringRef::npos ? llvm::StringRef()
                                          : rest.slice(1, close);
  }
  return rest.take_until([](char c) { return c == ',' || c == '}'; }).trim();
}

std::string mlir::qc::readNpy(llvm::StringRef path, HostArray &out) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false);
  if (!buffer)
    return "cannot read '" + path.str() + "': " + buffer.getError().message();
  return readNpyBuffer((*buffer)->getBuffer(), path, out);
}

std::string mlir::qc::readNpyBuffer(llvm::StringRef bytes, llvm::StringRef path,
                                    HostArray &out) {
  if (bytes.size() < 10 || !bytes.starts_with("\x93NUMPY"))
    return "'" + path.str() + "' is not a .npy file";
  unsigned major = uint8_t(bytes[6]);
  size_t headerLen, offset;
  if (major == 1) {
    headerLen = uint8_t(bytes[8]) | (uint8_t(bytes[9]) << 8);
    offset = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12)
      return "'" + path.str() + "': truncated header";
    headerLen = uint32_t(uint8_t(bytes[8])) | uint32_t(uint8_t(bytes[9])) << 8 |
                uint32_t(uint8_t(bytes[10])) << 16 |
                uint32_t(uint8_t(bytes[11])) << 24;
    offset = 12;
  } else {
    return "'" + path.str() + "': unsupported .npy version " +
           std::to_string(major);
  }
  if (offset + headerLen > bytes.size())
    return "'" + path.str() + "': truncated header";
  llvm::StringRef header = bytes.slice(offset, offset + headerLen);
  out.dtype = descrToDtype(dictValue(header, "descr"));
  if (out.dtype.empty())
    return "'" + path.str() + "': unsupported dtype '" +
           dictValue(header, "descr").str() + "'";
  for (llvm::StringRef key : {"descr", "fortran_order", "shape"})
    if (!header.contains(("'" + key + "'").str()))
      return "'" + path.str() + "': malformed header: no '" + key.str() +
             "' key";
  llvm::StringRef fortran = dictValue(header, "fortran_order");
  if (fortran == "True")
    return "'" + path.str() + "': Fortran-ordered arrays are not supported";
  if (fortran != "False")
    return "'" + path.str() + "': malformed header: fortran_order is '" +
           fortran.str() + "'";
  llvm::StringRef shape = dictValue(header, "shape");
  if (!shape.consume_front("(") || !shape.consume_back(")"))
    return "'" + path.str() + "': malformed shape";
  out.shape.clear();
  llvm::SmallVector<llvm::StringRef> dims;
  shape.split(dims, ',', -1, /*KeepEmpty=*/false);
  for (llvm::StringRef d : dims) {
    d = d.trim();
    if (d.empty())
      continue;
    int64_t v;
    if (d.getAsInteger(10, v) || v < 0)
      return "'" + path.str() + "': malformed shape";
    out.shape.push_back(v);
  }
  // The shape comes from the file: multiply with overflow checks, so that
  // an absurd shape is reported as such rather than wrapping around.
  size_t dataStart = offset + headerLen;
  uint64_t expected = out.elementSize();
  for (int64_t d : out.shape)
    if (__builtin_mul_overflow(expected, uint64_t(d), &expected))
      return "'" + path.str() + "': shape " + shape.trim().str() +
             " is too large (more than 2^64 bytes)";
  if (bytes.size() - dataStart != expected)
    return "'" + path.str() + "': expected " + std::to_string(expected) +
           " bytes of data, found " + std::to_string(bytes.size() - dataStart);
  out.data.assign(bytes.begin() + dataStart, bytes.end());
  return "";
}

std::string mlir::qc::writeNpy(llvm::raw_ostream &os, const HostArray &array) {
  std::string descr = dtypeToDescr(array.dtype);
  if (descr.empty())
    return "cannot write dtype '" + array.dtype + "'";
  std::string shape = "(";
  for (int64_t d : array.shape)
    shape += std::to_string(d) + ",";
  if (array.shape.size() > 1)
    shape.pop_back();
  shape += ")";
  std::string header = "{'descr': '" + descr +
                       "', 'fortran_order': False, 'shape': " + shape + ", }";
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  os << "\x93NUMPY" << char(1) << char(0) << char(header.size() & 0xff)
     << char(header.size() >> 8) << header;
  os.write(reinterpret_cast<const char *>(array.data.data()),
           array.data.size());
  return "";
}
