//===- StagedOutput.cpp - Outputs moved into place only on success --------===//
//
// See StagedOutput.h.
//
//===----------------------------------------------------------------------===//

#include "StagedOutput.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Signals.h"

using namespace qctool;

std::unique_ptr<StagedOutput> StagedOutput::open(llvm::StringRef path,
                                                 std::string &error) {
  auto out = std::unique_ptr<StagedOutput>(new StagedOutput());
  out->path = path.str();
  if (path == "-") {
    out->stream = &llvm::outs();
    return out;
  }
  // A directory in the way would only show at the final rename, after other
  // outputs may have been moved into place: refuse it now.
  if (llvm::sys::fs::is_directory(path)) {
    error = "cannot open output file '" + path.str() + "': is a directory";
    return nullptr;
  }
  llvm::SmallString<128> model(path);
  model += ".tmp-%%%%%%";
  int fd;
  if (std::error_code ec =
          llvm::sys::fs::createUniqueFile(model, fd, out->temp)) {
    error = "cannot open output file '" + path.str() + "': " + ec.message();
    return nullptr;
  }
  llvm::sys::RemoveFileOnSignal(out->temp);
  out->file = std::make_unique<llvm::raw_fd_ostream>(fd, /*shouldClose=*/true);
  out->stream = out->file.get();
  return out;
}

StagedOutput::~StagedOutput() {
  if (file && !closed) {
    file->close();
    file->clear_error(); // Moot: the file is removed below.
  }
  if (!renamed && !temp.empty()) {
    llvm::sys::fs::remove(temp);
    llvm::sys::DontRemoveFileOnSignal(temp);
  }
}

std::string StagedOutput::finish() {
  std::error_code ec;
  if (!file) {
    llvm::outs().flush();
    ec = llvm::outs().error();
  } else {
    file->close();
    closed = true;
    ec = file->error();
    file->clear_error();
  }
  if (ec)
    return "cannot write '" + path + "': " + ec.message();
  return "";
}

std::string StagedOutput::rename() {
  if (temp.empty())
    return "";
  if (std::error_code ec = llvm::sys::fs::rename(temp, path))
    return "cannot write '" + path + "': " + ec.message();
  renamed = true;
  llvm::sys::DontRemoveFileOnSignal(temp);
  return "";
}

std::string qctool::stageText(llvm::StringRef path, llvm::StringRef text,
                              PendingOutputs &pending) {
  std::string error;
  auto out = StagedOutput::open(path, error);
  if (!out)
    return error;
  out->os() << text;
  pending.push_back(std::move(out));
  return "";
}

std::string qctool::commitOutputs(PendingOutputs &pending) {
  for (auto &out : pending) {
    std::string error = out->finish();
    if (!error.empty())
      return error;
  }
  for (auto &out : pending) {
    std::string error = out->rename();
    if (!error.empty())
      return error;
  }
  return "";
}
