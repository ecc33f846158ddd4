// File: gateway/manifest.h
// The data directory's manifest (DESIGN.md "Persistence"): the list of redo files to replay, in
// order — at most one base file (a checkpoint image) followed by one or more incr files (records
// appended since). Parsing is strict (anything unexpected is an error naming its line); writing
// replaces the manifest atomically and durably (temp file, fsync, rename, fsync of the directory).
//
//   Manifest m;  bool exists = false;  std::string err;
//   if (!ReadManifest(dir, &m, &exists, &err)) ...err...
//   m.files.push_back({ManifestFile::Kind::kIncr, m.NextSeq(), IncrFileName(m.NextSeq())});
//   if (int e = WriteManifest(dir, m); e != 0) ...strerror(e)...
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kvgate::gateway {

inline constexpr const char* kManifestName = "kvgate.manifest";

struct ManifestFile {
  enum class Kind : uint8_t { kBase, kIncr };
  Kind kind;
  uint64_t seq;      // the rewrite generation that made it
  std::string name;  // a plain file name inside the data directory

  friend bool operator==(const ManifestFile&, const ManifestFile&) = default;
};

struct Manifest {
  std::vector<ManifestFile> files;  // the base (if any) first, then incr files in replay order
  // 1 + the largest seq (1 when empty).
  uint64_t NextSeq() const;
  // nullptr when there is none.
  const ManifestFile* base() const;

  friend bool operator==(const Manifest&, const Manifest&) = default;
};

// Names used for new files: "kvgate-redo.<seq>.base" and "kvgate-redo.<seq>.incr".
std::string BaseFileName(uint64_t seq);
std::string IncrFileName(uint64_t seq);

// Text form, one line per file, each ending in '\n':
//   kvgate-manifest 1
//   base 3 kvgate-redo.3.base
//   incr 3 kvgate-redo.3.incr
//   incr 4 kvgate-redo.4.incr
std::string FormatManifest(const Manifest& m);

// Parses the text form. False with a one-line *error naming the line number for anything else:
// an unknown first line or version; an unknown kind; a seq that is not a decimal u64 (no sign,
// no leading zeros except "0", no overflow); a file name that is empty, longer than 255 bytes,
// "." or "..", has a byte outside [A-Za-z0-9._-], or is the manifest's own (kvgate.manifest,
// kvgate.manifest.tmp); more than one base, a base not first, no incr file at all, incr seqs
// not strictly increasing, a base seq greater than the first incr's; the same name twice; a
// line without its '\n'; extra spaces; an empty line; a CR anywhere. *out changes only on
// success.
bool ParseManifest(std::string_view text, Manifest* out, std::string* error);

// Reads DIR/kvgate.manifest: false with *error on an unreadable or invalid file; *exists=false
// (and true returned) when there is none.
bool ReadManifest(const std::string& dir, Manifest* out, bool* exists, std::string* error);

// Replaces DIR/kvgate.manifest atomically and durably: writes DIR/kvgate.manifest.tmp, fsyncs
// it, renames it over the manifest and fsyncs the directory. Returns 0 or the errno of the
// failing step (the temp file is removed on failure); EINVAL, writing nothing, for a manifest
// ParseManifest would refuse (so recovery never finds one it cannot read).
int WriteManifest(const std::string& dir, const Manifest& m);

}  // namespace kvgate::gateway
