// File: gateway/manifest.cc
// The data directory's manifest (manifest.h): its strict text form and its durable replacement.
//
//   Manifest m;  std::string err;
//   if (!ParseManifest("kvgate-manifest 1\nincr 1 kvgate-redo.1.incr\n", &m, &err)) ...
//   WriteManifest("/data", m);   // /data/kvgate.manifest
#include "gateway/manifest.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <unordered_set>

#include "gateway/redo_file.h"

namespace kvgate::gateway {
namespace {

constexpr std::string_view kHeader = "kvgate-manifest 1";
constexpr std::string_view kMagic = "kvgate-manifest ";
constexpr size_t kMaxName = 255;
constexpr std::string_view kManifestTmpName = "kvgate.manifest.tmp";

bool Fail(std::string* error, size_t line, std::string_view why) {
  if (error != nullptr) *error = "line " + std::to_string(line) + ": " + std::string(why);
  return false;
}

// A decimal u64: digits only, no leading zero (but "0"), no overflow.
bool ParseSeq(std::string_view s, uint64_t* out) {
  if (s.empty() || (s.size() > 1 && s[0] == '0')) return false;
  uint64_t v = 0;
  for (const char c : s) {
    if (c < '0' || c > '9') return false;
    const auto d = static_cast<uint64_t>(c - '0');
    if (v > (UINT64_MAX - d) / 10) return false;
    v = v * 10 + d;
  }
  *out = v;
  return true;
}

bool NameByteOk(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

// nullptr when `name` may be listed, else why not.
const char* NameProblem(std::string_view name) {
  if (name.empty()) return "empty file name";
  if (name.size() > kMaxName) return "file name longer than 255 bytes";
  if (name == "." || name == "..") return "file name is \".\" or \"..\"";
  // Listing the manifest itself would have recovery replay it and --check-aof --fix cut it.
  if (name == kManifestName || name == kManifestTmpName) return "file name is the manifest's own";
  for (const char c : name) {
    if (!NameByteOk(c)) return "file name has a byte outside [A-Za-z0-9._-]";
  }
  return nullptr;
}

// One "<kind> <seq> <name>" line, checked against the files before it in *m.
bool ParseEntry(std::string_view l, size_t line, Manifest* m,
                std::unordered_set<std::string_view>* names, std::string* error) {
  const size_t s1 = l.find(' ');
  const size_t s2 = s1 == std::string_view::npos ? s1 : l.find(' ', s1 + 1);
  if (s2 == std::string_view::npos) return Fail(error, line, "expected \"<kind> <seq> <name>\"");
  const std::string_view kind = l.substr(0, s1);
  const std::string_view seq_text = l.substr(s1 + 1, s2 - s1 - 1);
  const std::string_view name = l.substr(s2 + 1);
  if (kind.empty() || seq_text.empty() || name.find(' ') != std::string_view::npos)
    return Fail(error, line, "extra spaces");
  ManifestFile f{ManifestFile::Kind::kIncr, 0, std::string(name)};
  if (kind == "base") {
    f.kind = ManifestFile::Kind::kBase;
  } else if (kind != "incr") {
    return Fail(error, line, "unknown kind (expected base or incr)");
  }
  if (!ParseSeq(seq_text, &f.seq))
    return Fail(error, line, "seq is not a decimal u64 (no sign, no leading zeros, no overflow)");
  if (const char* why = NameProblem(name)) return Fail(error, line, why);
  if (f.kind == ManifestFile::Kind::kBase) {
    if (m->base() != nullptr) return Fail(error, line, "more than one base file");
    if (!m->files.empty()) return Fail(error, line, "the base file is not first");
  } else if (!m->files.empty()) {
    const ManifestFile& prev = m->files.back();
    if (prev.kind == ManifestFile::Kind::kIncr && f.seq <= prev.seq)
      return Fail(error, line, "incr seqs are not strictly increasing");
    if (prev.kind == ManifestFile::Kind::kBase && prev.seq > f.seq)
      return Fail(error, line, "the base seq is greater than the first incr's");
  }
  if (!names->insert(name).second) return Fail(error, line, "the same file name twice");
  m->files.push_back(std::move(f));
  return true;
}

int OpenRetry(const char* path, int flags, mode_t mode = 0) {
  int fd;
  do {
    fd = ::open(path, flags, mode);
  } while (fd < 0 && errno == EINTR);
  return fd;
}

}  // namespace

uint64_t Manifest::NextSeq() const {
  uint64_t max = 0;
  for (const ManifestFile& f : files) max = f.seq > max ? f.seq : max;
  return max + 1;
}

const ManifestFile* Manifest::base() const {
  return !files.empty() && files.front().kind == ManifestFile::Kind::kBase ? &files.front()
                                                                           : nullptr;
}

std::string BaseFileName(uint64_t seq) {
  return "kvgate-redo." + std::to_string(seq) + ".base";
}

std::string IncrFileName(uint64_t seq) {
  return "kvgate-redo." + std::to_string(seq) + ".incr";
}

std::string FormatManifest(const Manifest& m) {
  std::string out(kHeader);
  out += '\n';
  for (const ManifestFile& f : m.files) {
    out += f.kind == ManifestFile::Kind::kBase ? "base " : "incr ";
    out += std::to_string(f.seq);
    out += ' ';
    out += f.name;
    out += '\n';
  }
  return out;
}

bool ParseManifest(std::string_view text, Manifest* out, std::string* error) {
  Manifest m;
  std::unordered_set<std::string_view> names;  // views into `text`
  size_t line = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    ++line;
    const size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) return Fail(error, line, "no newline at the end");
    const std::string_view l = text.substr(pos, nl - pos);
    pos = nl + 1;
    if (l.find('\r') != std::string_view::npos) return Fail(error, line, "carriage return (CR)");
    if (l.empty()) return Fail(error, line, "empty line");
    if (line == 1) {
      if (l == kHeader) continue;
      if (l.substr(0, kMagic.size()) == kMagic)
        return Fail(error, line, "unsupported manifest version (expected \"kvgate-manifest 1\")");
      return Fail(error, line, "not a kvgate manifest (expected \"kvgate-manifest 1\")");
    }
    if (!ParseEntry(l, line, &m, &names, error)) return false;
  }
  if (line == 0) return Fail(error, 1, "empty file (expected \"kvgate-manifest 1\")");
  if (m.files.empty() || m.files.back().kind != ManifestFile::Kind::kIncr)
    return Fail(error, line + 1, "no incr file (the manifest ends here)");
  *out = std::move(m);
  return true;
}

bool ReadManifest(const std::string& dir, Manifest* out, bool* exists, std::string* error) {
  const std::string path = dir + "/" + kManifestName;
  *exists = false;
  const int fd = OpenRetry(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT) return true;
  std::string text;
  if (fd < 0 || !ReadWholeFile(fd, &text)) {
    *error = "cannot read " + path + ": " + std::strerror(errno);
    if (fd >= 0) ::close(fd);
    return false;
  }
  ::close(fd);
  *exists = true;
  std::string why;
  if (!ParseManifest(text, out, &why)) {
    *error = path + ": " + why;
    return false;
  }
  return true;
}

int WriteManifest(const std::string& dir, const Manifest& m) {
  const std::string text = FormatManifest(m);
  Manifest reparsed;
  if (!ParseManifest(text, &reparsed, nullptr) || !(reparsed == m)) return EINVAL;
  const std::string path = dir + "/" + kManifestName;
  const std::string tmp = dir + "/" + std::string(kManifestTmpName);
  const int fd = OpenRetry(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return errno;
  int err = WriteAll(fd, text);
  if (err == 0 && ::fsync(fd) != 0) err = errno;
  if (::close(fd) != 0 && err == 0 && errno != EINTR) err = errno;
  if (err == 0 && ::rename(tmp.c_str(), path.c_str()) != 0) err = errno;
  if (err != 0) {
    ::unlink(tmp.c_str());
    return err;
  }
  return SyncDir(dir);
}

}  // namespace kvgate::gateway
