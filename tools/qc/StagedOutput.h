//===- StagedOutput.h - Outputs moved into place only on success -*- C++
//-*-===//
//
// qc writes every output (the object or library, --header, --report, qc
// run's .npy files) beside its destination and renames them into place only
// when the whole command has succeeded, so a failure leaves no partial file
// and no clobbered earlier one.
//
//===----------------------------------------------------------------------===//

#ifndef QC_TOOLS_QC_STAGEDOUTPUT_H
#define QC_TOOLS_QC_STAGEDOUTPUT_H

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

#include <memory>
#include <string>
#include <vector>

namespace qctool {

/// One output file, written beside its destination (a unique temporary in
/// the same directory, removed on a signal or a failure) and renamed over it
/// only when the whole command has succeeded: a failure at any point leaves
/// neither a partial file nor a clobbered earlier one. "-" is standard
/// output, written directly (and never closed).
class StagedOutput {
public:
  /// Opens the staging file for `path` (null, `error` set, when it cannot
  /// be created or a directory is in the way).
  static std::unique_ptr<StagedOutput> open(llvm::StringRef path,
                                            std::string &error);
  /// Removes the staging file unless it was moved into place.
  ~StagedOutput();

  llvm::raw_ostream &os() { return *stream; }
  /// The stream, for writers that need to seek (object files); standard
  /// output is a raw_fd_ostream too.
  llvm::raw_pwrite_stream &pwriteStream() {
    return file ? static_cast<llvm::raw_pwrite_stream &>(*file)
                : static_cast<llvm::raw_pwrite_stream &>(llvm::outs());
  }
  /// Where a tool that writes the file itself (the linker) should write.
  llvm::StringRef stagingPath() const {
    return temp.empty() ? llvm::StringRef(path) : llvm::StringRef(temp);
  }
  /// Step 1 of committing: flushes or closes the stream. Returns "" or the
  /// write error.
  std::string finish();
  /// Step 2: moves the file into place. Returns "" or the error.
  std::string rename();

private:
  StagedOutput() = default;
  std::string path;
  llvm::SmallString<128> temp;
  std::unique_ptr<llvm::raw_fd_ostream> file;
  llvm::raw_ostream *stream = nullptr;
  bool closed = false, renamed = false;
};

/// The outputs of one command, in the order they were staged.
using PendingOutputs = std::vector<std::unique_ptr<StagedOutput>>;

/// Stages an output whose whole content is `text`. Returns "" or the error.
std::string stageText(llvm::StringRef path, llvm::StringRef text,
                      PendingOutputs &pending);

/// Moves every staged output into place, all or nothing as far as the file
/// system allows: every file is written out and checked before the first
/// rename. Returns "" or the error.
std::string commitOutputs(PendingOutputs &pending);

} // namespace qctool

#endif // QC_TOOLS_QC_STAGEDOUTPUT_H
