// File: tests/integration/check_aof_manifest_test.cc
// `kvgate --check-aof` over a manifest (gateway/check_aof.h), running the real binary on data
// directories built by hand (framed records of arbitrary payload bytes, a manifest written with
// WriteManifest or as text): every listed file is reported, only the last incr file is cut by
// --fix, damage elsewhere and missing files fail even with --fix (and nothing is cut), a
// missing last incr file is fine; a plain log file keeps its own report.
//
//   Dir d;  d.Put("kvgate-redo.1.incr", Records(3));  d.List({{kIncr, 1, "kvgate-redo.1.incr"}});
//   int rc = Check(d.manifest(), /*fix=*/true, &out);
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "engine/redo.h"
#include "gateway/manifest.h"
#include "integration/support/process.h"

namespace {

using kvgate::gateway::Manifest;
using kvgate::gateway::ManifestFile;
using Kind = kvgate::gateway::ManifestFile::Kind;

constexpr size_t kPayload = 20;
constexpr size_t kFrame = kvgate::engine::kRedoHeaderBytes + kPayload;

// `n` framed records whose payloads are 20 arbitrary bytes each.
std::string Records(size_t n, char fill = 'p') {
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    std::string payload(kPayload, fill);
    payload[0] = static_cast<char>(i);
    payload[1] = '\0';
    kvgate::engine::AppendRedoFrame(payload, &out);
  }
  return out;
}

std::string Torn(std::string records) {  // a crash in the middle of one more record
  return records + Records(1, 't').substr(0, 10);
}

std::string Corrupt(std::string records, size_t record) {  // a flipped payload byte
  records[record * kFrame + kvgate::engine::kRedoHeaderBytes + 5] ^= 0x5a;
  return records;
}

struct Dir {
  kvgate::testing::TempDir tmp{"check-aof"};
  std::string Path(const std::string& name) const {
    return tmp.path + "/" + name;
  }
  void Put(const std::string& name, const std::string& bytes) const {
    std::ofstream out(Path(name), std::ios::binary | std::ios::trunc);
    out << bytes;
  }
  void List(std::vector<ManifestFile> files) const {
    Manifest m;
    m.files = std::move(files);
    REQUIRE(kvgate::gateway::WriteManifest(tmp.path, m) == 0);
  }
  size_t Size(const std::string& name) const {
    return static_cast<size_t>(std::filesystem::file_size(Path(name)));
  }
  std::string manifest() const {
    return Path("kvgate.manifest");
  }
};

int Check(const std::string& path, bool fix, std::string* out) {
  std::vector<std::string> argv = {kvgate::testing::KvgateBinary(), "--check-aof", path};
  if (fix) argv.push_back("--fix");
  const int rc = kvgate::testing::RunCommand(argv, out, "", 20000);
  UNSCOPED_INFO("kvgate --check-aof " << path << (fix ? " --fix" : "") << ":\n" << *out);
  return rc;
}

bool Has(const std::string& out, const std::string& line) {
  return out.find(line + "\n") != std::string::npos;
}

// A base of 3 records, then incr files of 2 and 4.
const std::vector<ManifestFile> kThree = {{Kind::kBase, 1, "kvgate-redo.1.base"},
                                          {Kind::kIncr, 1, "kvgate-redo.1.incr"},
                                          {Kind::kIncr, 2, "kvgate-redo.2.incr"}};

}  // namespace

TEST_CASE("check-aof manifest: every listed file is checked in order", "[check_aof]") {
  Dir d;
  d.Put("kvgate-redo.1.base", Records(3));
  d.Put("kvgate-redo.1.incr", Records(2));
  d.Put("kvgate-redo.2.incr", Records(4));
  d.List(kThree);
  std::string out;
  for (const std::string& arg : {d.manifest(), d.tmp.path, d.tmp.path + "/"}) {
    CHECK(Check(arg, false, &out) == 0);
    const size_t b =
        out.find(d.Path("kvgate-redo.1.base") + ": 3 good records in 108 of 108 bytes");
    const size_t i1 = out.find(d.Path("kvgate-redo.1.incr") + ": 2 good records in 72 of 72 bytes");
    const size_t i2 =
        out.find(d.Path("kvgate-redo.2.incr") + ": 4 good records in 144 of 144 bytes");
    CHECK(b != std::string::npos);
    CHECK(i1 != std::string::npos);
    CHECK(i2 != std::string::npos);
    CHECK((b < i1 && i1 < i2));
    CHECK(Has(out, "Redo log is valid"));
  }
  CHECK(Check(d.manifest(), true, &out) == 0);
  CHECK(d.Size("kvgate-redo.2.incr") == 4 * kFrame);
}

TEST_CASE("check-aof manifest: --fix cuts a torn tail of the last incr file", "[check_aof]") {
  Dir d;
  d.Put("kvgate-redo.1.base", Records(3));
  d.Put("kvgate-redo.1.incr", Records(2));
  d.Put("kvgate-redo.2.incr", Torn(Records(4)));
  d.List(kThree);
  const std::string last = d.Path("kvgate-redo.2.incr");
  std::string out;
  CHECK(Check(d.manifest(), false, &out) == 1);
  CHECK(Has(out, last + ": 4 good records in 144 of 154 bytes"));
  CHECK(Has(out, last + ": an incomplete last record at offset 144 (10 bytes after it)"));
  CHECK(Has(out, "Run again with --fix to cut " + last + " at offset 144"));
  CHECK(d.Size("kvgate-redo.2.incr") == 154);
  CHECK(Check(d.manifest(), true, &out) == 0);
  CHECK(Has(out, "Successfully truncated " + last + " to 144 bytes"));
  CHECK(d.Size("kvgate-redo.2.incr") == 144);
  CHECK(d.Size("kvgate-redo.1.base") == 108);
  CHECK(Check(d.manifest(), false, &out) == 0);
  CHECK(Has(out, "Redo log is valid"));
}

TEST_CASE("check-aof manifest: --fix cuts the last incr file at a bad record", "[check_aof]") {
  Dir d;
  d.Put("kvgate-redo.1.incr", Records(2));
  d.Put("kvgate-redo.2.incr", Corrupt(Records(5), 2));
  d.List({{Kind::kIncr, 1, "kvgate-redo.1.incr"}, {Kind::kIncr, 2, "kvgate-redo.2.incr"}});
  const std::string last = d.Path("kvgate-redo.2.incr");
  std::string out;
  CHECK(Check(d.manifest(), false, &out) == 1);
  CHECK(Has(out, last + ": 2 good records in 72 of 180 bytes"));
  CHECK(Has(out, last + ": a bad record (checksum or length) with more data after it at offset 72 "
                        "(108 bytes after it)"));
  CHECK(d.Size("kvgate-redo.2.incr") == 180);
  CHECK(Check(d.manifest(), true, &out) == 0);
  CHECK(d.Size("kvgate-redo.2.incr") == 72);
  CHECK(Check(d.manifest(), false, &out) == 0);
}

TEST_CASE("check-aof manifest: damage outside the last incr file is not fixable", "[check_aof]") {
  Dir d;
  const bool in_base = GENERATE(true, false);
  const bool torn = GENERATE(true, false);
  const std::string damaged_name = in_base ? "kvgate-redo.1.base" : "kvgate-redo.1.incr";
  const std::string damaged = torn ? Torn(Records(3)) : Corrupt(Records(3), 1);
  d.Put("kvgate-redo.1.base", in_base ? damaged : Records(3));
  d.Put("kvgate-redo.1.incr", in_base ? Records(3) : damaged);
  d.Put("kvgate-redo.2.incr", Torn(Records(1)));  // fixable on its own, yet not cut
  d.List(kThree);
  const size_t offset = torn ? 3 * kFrame : kFrame;
  const std::string line = d.Path(damaged_name) + ": bad record at offset " +
                           std::to_string(offset) + "; only the last incr file can be cut";
  std::string out;
  for (const bool fix : {false, true}) {
    CHECK(Check(d.manifest(), fix, &out) == 1);
    CHECK(Has(out, line));
    CHECK(out.find("Successfully truncated") == std::string::npos);
    CHECK(d.Size(damaged_name) == damaged.size());
    CHECK(d.Size("kvgate-redo.2.incr") == kFrame + 10);
  }
  CHECK(out.find("nothing was cut") != std::string::npos);
}

TEST_CASE("check-aof manifest: missing files", "[check_aof]") {
  Dir d;
  std::string out;
  SECTION("the last incr file may be missing") {
    d.Put("kvgate-redo.1.base", Records(3));
    d.Put("kvgate-redo.1.incr", Records(2));
    d.List(kThree);
    CHECK(Check(d.manifest(), false, &out) == 0);
    CHECK(Has(out, d.Path("kvgate-redo.2.incr") + ": missing (the first write creates it)"));
    CHECK(Has(out, "Redo log is valid"));
    CHECK(Check(d.manifest(), true, &out) == 0);
    CHECK_FALSE(std::filesystem::exists(d.Path("kvgate-redo.2.incr")));
  }
  SECTION("a missing base or earlier incr file is an error, even with --fix") {
    const bool base = GENERATE(true, false);
    const std::string gone = base ? "kvgate-redo.1.base" : "kvgate-redo.1.incr";
    if (!base) d.Put("kvgate-redo.1.base", Records(3));
    if (base) d.Put("kvgate-redo.1.incr", Records(2));
    d.Put("kvgate-redo.2.incr", Torn(Records(1)));
    d.List(kThree);
    for (const bool fix : {false, true}) {
      CHECK(Check(d.manifest(), fix, &out) == 1);
      CHECK(out.find("Cannot read " + d.Path(gone) + ": ") != std::string::npos);
      CHECK(d.Size("kvgate-redo.2.incr") == kFrame + 10);
    }
  }
  SECTION("no manifest") {
    CHECK(Check(d.manifest(), false, &out) == 1);
    CHECK(out.find("Cannot read " + d.manifest()) != std::string::npos);
  }
}

TEST_CASE("check-aof manifest: an invalid manifest names its line", "[check_aof]") {
  Dir d;
  d.Put("kvgate-redo.1.incr", Records(2));
  d.Put("kvgate.manifest", "kvgate-manifest 1\nincr 1 kvgate-redo.1.incr\nincr 1 other\n");
  std::string out;
  CHECK(Check(d.manifest(), true, &out) == 1);
  CHECK(out.find("line 3") != std::string::npos);
  CHECK(out.find(d.manifest()) != std::string::npos);
}

TEST_CASE("check-aof: a plain log file keeps its own report", "[check_aof]") {
  Dir d;
  const std::string log = d.Path("kvgate-redo.log");
  d.Put("kvgate-redo.log", Torn(Records(3)));
  d.Put("kvgate.manifest", "not read: the argument is a plain file");
  std::string out;
  CHECK(Check(log, false, &out) == 1);
  CHECK(out == log + ": 3 good records in 108 of 118 bytes\n" +
                   "Redo log has an incomplete last record at offset 108 (10 bytes after it)\n" +
                   "Run again with --fix to cut the log at offset 108\n");
  CHECK(Check(log, true, &out) == 0);
  CHECK(Has(out, "Successfully truncated the redo log to 108 bytes"));
  CHECK(d.Size("kvgate-redo.log") == 108);
  CHECK(Check(log, false, &out) == 0);
  CHECK(out == log + ": 3 good records in 108 of 108 bytes\nRedo log is valid\n");
}
