// File: tests/fuzz/manifest_fuzz.cc
// libFuzzer target for the data directory's manifest (gateway/manifest.h). The input is parsed
// as a manifest. A refused text must come with a one-line error naming its line; an accepted
// one must obey the structural rules (one base at most and first, incr files after it with
// strictly increasing seqs, a base seq not above the first incr's, distinct valid names, none
// the manifest's own), be canonical (formatting it gives the input back), and round-trip:
// Format(Parse(x)) parses to an equal manifest that formats byte-identically. Adding the next
// incr file the way a rewrite would must keep it valid.
//
//   cmake --preset fuzz && cmake --build build/fuzz --target manifest_fuzz
//   build/fuzz/tests/fuzz/manifest_fuzz tests/fuzz/corpus/manifest_fuzz
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>

#include "gateway/manifest.h"

namespace {

using kvgate::gateway::FormatManifest;
using kvgate::gateway::IncrFileName;
using kvgate::gateway::Manifest;
using kvgate::gateway::ManifestFile;
using kvgate::gateway::ParseManifest;

void Require(bool ok) {
  if (!ok) __builtin_trap();
}

bool NameOk(const std::string& name) {
  if (name.empty() || name.size() > 255 || name == "." || name == "..") return false;
  if (name == "kvgate.manifest" || name == "kvgate.manifest.tmp") return false;
  for (const char c : name) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

void CheckStructure(const Manifest& m) {
  Require(!m.files.empty());
  Require(m.files.back().kind == ManifestFile::Kind::kIncr);
  std::set<std::string> names;
  uint64_t max_seq = 0;
  const ManifestFile* prev_incr = nullptr;
  for (size_t i = 0; i < m.files.size(); ++i) {
    const ManifestFile& f = m.files[i];
    Require(NameOk(f.name));
    Require(names.insert(f.name).second);
    max_seq = f.seq > max_seq ? f.seq : max_seq;
    if (f.kind == ManifestFile::Kind::kBase) {
      Require(i == 0);
      continue;
    }
    Require(f.kind == ManifestFile::Kind::kIncr);
    if (prev_incr != nullptr) Require(f.seq > prev_incr->seq);
    if (prev_incr == nullptr && i == 1) Require(m.files[0].seq <= f.seq);
    prev_incr = &f;
  }
  const ManifestFile* base = m.base();
  Require(base == (m.files[0].kind == ManifestFile::Kind::kBase ? &m.files[0] : nullptr));
  Require(m.NextSeq() == max_seq + 1);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  Manifest m;
  std::string error;
  if (!ParseManifest(text, &m, &error)) {
    Require(error.rfind("line ", 0) == 0 && error.find('\n') == std::string::npos);
    return 0;
  }
  CheckStructure(m);
  const std::string once = FormatManifest(m);
  Require(once == text);  // the accepted form is the only form
  Manifest again;
  Require(ParseManifest(once, &again, &error));
  Require(again == m);
  Require(FormatManifest(again) == once);

  // A rewrite's next incr file, unless its seq would wrap or its name is taken.
  const uint64_t next = m.NextSeq();
  if (next == 0) return 0;
  ManifestFile added{ManifestFile::Kind::kIncr, next, IncrFileName(next)};
  bool taken = false;
  for (const ManifestFile& f : m.files) taken = taken || f.name == added.name;
  m.files.push_back(added);
  Manifest grown;
  Require(ParseManifest(FormatManifest(m), &grown, &error) != taken);
  if (!taken) Require(grown == m);
  return 0;
}
