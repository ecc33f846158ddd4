// The data directory's manifest (gateway/manifest.h): Format -> Parse round trips, every rule
// ParseManifest enforces (each case fails for its own reason, named with its line), and
// WriteManifest/ReadManifest on a real directory (atomic replace, no temp file left, a missing
// manifest, a missing directory).
#include "gateway/manifest.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

namespace {

using kvgate::gateway::BaseFileName;
using kvgate::gateway::FormatManifest;
using kvgate::gateway::IncrFileName;
using kvgate::gateway::Manifest;
using kvgate::gateway::ManifestFile;
using kvgate::gateway::ParseManifest;
using Kind = kvgate::gateway::ManifestFile::Kind;

constexpr const char* kHead = "kvgate-manifest 1\n";

Manifest Make(std::vector<ManifestFile> files) {
  Manifest m;
  m.files = std::move(files);
  return m;
}

// ParseManifest must refuse `text` with an error naming `line` and containing `why`.
void Rejects(const std::string& text, int line, const std::string& why) {
  INFO("text: " << text);
  Manifest m;
  std::string error;
  REQUIRE_FALSE(ParseManifest(text, &m, &error));
  INFO("error: " << error);
  CHECK(error.rfind("line " + std::to_string(line) + ": ", 0) == 0);
  CHECK(error.find(why) != std::string::npos);
  CHECK(error.find('\n') == std::string::npos);
}

struct TempDir {
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "kvgate-manifest-XXXXXX");
    REQUIRE(mkdtemp(tmpl.data()) != nullptr);
    path = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  std::vector<std::string> Names() const {
    std::vector<std::string> out;
    for (const auto& e : std::filesystem::directory_iterator(path))
      out.push_back(e.path().filename());
    return out;
  }
  std::string path;
};

}  // namespace

TEST_CASE("manifest: file names and NextSeq", "[gateway][manifest]") {
  CHECK(BaseFileName(3) == "kvgate-redo.3.base");
  CHECK(IncrFileName(12) == "kvgate-redo.12.incr");
  CHECK(Manifest{}.NextSeq() == 1);
  CHECK(Manifest{}.base() == nullptr);
  const Manifest m = Make({{Kind::kBase, 3, "b"}, {Kind::kIncr, 3, "i3"}, {Kind::kIncr, 7, "i7"}});
  CHECK(m.NextSeq() == 8);
  REQUIRE(m.base() != nullptr);
  CHECK(m.base()->name == "b");
  CHECK(Make({{Kind::kIncr, 0, "a"}}).NextSeq() == 1);
  CHECK(Make({{Kind::kIncr, 2, "a"}}).base() == nullptr);
}

TEST_CASE("manifest: the text form", "[gateway][manifest]") {
  const Manifest m = Make({{Kind::kBase, 3, BaseFileName(3)},
                           {Kind::kIncr, 3, IncrFileName(3)},
                           {Kind::kIncr, 4, IncrFileName(4)}});
  CHECK(FormatManifest(m) ==
        "kvgate-manifest 1\n"
        "base 3 kvgate-redo.3.base\n"
        "incr 3 kvgate-redo.3.incr\n"
        "incr 4 kvgate-redo.4.incr\n");
}

TEST_CASE("manifest: Format then Parse gives the manifest back", "[gateway][manifest]") {
  const std::vector<Manifest> cases = {
      Make({{Kind::kIncr, 1, IncrFileName(1)}}),
      Make({{Kind::kIncr, 0, "0"}}),
      Make({{Kind::kBase, 3, BaseFileName(3)}, {Kind::kIncr, 3, IncrFileName(3)}}),
      Make({{Kind::kBase, 1, "base.img"}, {Kind::kIncr, 5, "a"}, {Kind::kIncr, 6, "b"}}),
      Make({{Kind::kIncr, 1, "x"},
            {Kind::kIncr, 2, "y"},
            {Kind::kIncr, 18446744073709551615u, "z"}}),
      Make({{Kind::kIncr, 9, std::string(255, 'n')}}),
      Make({{Kind::kIncr, 9, "A-Z_a-z.0-9"}, {Kind::kIncr, 10, "..."}}),
  };
  for (const Manifest& m : cases) {
    const std::string text = FormatManifest(m);
    INFO(text);
    Manifest back;
    std::string error;
    REQUIRE(ParseManifest(text, &back, &error));
    CHECK(back == m);
    CHECK(FormatManifest(back) == text);
  }
}

TEST_CASE("manifest: the first line", "[gateway][manifest]") {
  Rejects("", 1, "empty file");
  Rejects("kvgate-manifest 2\nincr 1 a\n", 1, "unsupported manifest version");
  Rejects("kvgate-manifest 10\nincr 1 a\n", 1, "unsupported manifest version");
  Rejects("kvgate-manifest  1\nincr 1 a\n", 1, "unsupported manifest version");
  Rejects("redis-manifest 1\nincr 1 a\n", 1, "not a kvgate manifest");
  Rejects("kvgate-manifest\nincr 1 a\n", 1, "not a kvgate manifest");
  Rejects("incr 1 a\n", 1, "not a kvgate manifest");
}

TEST_CASE("manifest: line form", "[gateway][manifest]") {
  const std::string h = kHead;
  Rejects(h + "incr 1 a", 2, "no newline at the end");
  Rejects("kvgate-manifest 1", 1, "no newline at the end");
  Rejects(h + "incr 1 a\nincr 2 b", 3, "no newline at the end");
  Rejects(h + "\nincr 1 a\n", 2, "empty line");
  Rejects(h + "incr 1 a\n\n", 3, "empty line");
  Rejects("kvgate-manifest 1\r\nincr 1 a\n", 1, "carriage return");
  Rejects(h + "incr 1 a\r\n", 2, "carriage return");
  Rejects(h + "incr 1 a\rb\n", 2, "carriage return");
  Rejects(h + " incr 1 a\n", 2, "extra spaces");
  Rejects(h + "incr  1 a\n", 2, "extra spaces");
  Rejects(h + "incr 1  a\n", 2, "extra spaces");
  Rejects(h + "incr 1 a \n", 2, "extra spaces");
  Rejects(h + "incr 1 a b\n", 2, "extra spaces");
  Rejects(h + "incr\tl a\n", 2, "expected \"<kind> <seq> <name>\"");
  Rejects(h + "incr 1\n", 2, "expected \"<kind> <seq> <name>\"");
  Rejects(h + "incr\n", 2, "expected \"<kind> <seq> <name>\"");
}

TEST_CASE("manifest: kinds and seqs", "[gateway][manifest]") {
  const std::string h = kHead;
  Rejects(h + "rdb 1 a\n", 2, "unknown kind");
  Rejects(h + "INCR 1 a\n", 2, "unknown kind");
  Rejects(h + "incr 1 a\nhist 2 b\n", 3, "unknown kind");
  Rejects(h + "incr +1 a\n", 2, "seq is not a decimal u64");
  Rejects(h + "incr -1 a\n", 2, "seq is not a decimal u64");
  Rejects(h + "incr 01 a\n", 2, "seq is not a decimal u64");
  Rejects(h + "incr 00 a\n", 2, "seq is not a decimal u64");
  Rejects(h + "incr 0x1 a\n", 2, "seq is not a decimal u64");
  Rejects(h + "incr 1.5 a\n", 2, "seq is not a decimal u64");
  Rejects(h + "incr 18446744073709551616 a\n", 2, "seq is not a decimal u64");
  Rejects(h + "incr 99999999999999999999 a\n", 2, "seq is not a decimal u64");
  Manifest m;
  std::string error;
  CHECK(ParseManifest(h + "incr 18446744073709551615 a\n", &m, &error));
  CHECK(ParseManifest(h + "incr 0 a\n", &m, &error));
}

TEST_CASE("manifest: file names", "[gateway][manifest]") {
  const std::string h = kHead;
  Rejects(h + "incr 1 \n", 2, "empty file name");
  Rejects(h + "incr 1 " + std::string(256, 'a') + "\n", 2, "longer than 255 bytes");
  Rejects(h + "incr 1 .\n", 2, "file name is \".\" or \"..\"");
  Rejects(h + "incr 1 ..\n", 2, "file name is \".\" or \"..\"");
  const std::vector<std::string> bad_names = {
      "a/b", "/abs", "a\tb", "caf\xc3\xa9", "a:b", "a*", std::string("a\0b", 3)};
  for (const std::string& bad : bad_names) {
    Rejects(h + "incr 1 " + bad + "\n", 2, "byte outside [A-Za-z0-9._-]");
  }
  Rejects(h + "incr 1 kvgate.manifest\n", 2, "file name is the manifest's own");
  Rejects(h + "base 1 kvgate.manifest.tmp\nincr 1 a\n", 2, "file name is the manifest's own");
  Manifest m;
  std::string error;
  CHECK(ParseManifest(h + "incr 1 kvgate.manifest.old\nincr 2 kvgate-redo.log\n", &m, &error));
  Rejects(h + "incr 1 a\nincr 2 a\n", 3, "the same file name twice");
  Rejects(h + "base 1 a\nincr 2 a\n", 3, "the same file name twice");
}

TEST_CASE("manifest: the order of files", "[gateway][manifest]") {
  const std::string h = kHead;
  Rejects(h + "base 1 a\nbase 1 b\nincr 1 c\n", 3, "more than one base file");
  Rejects(h + "incr 1 a\nbase 1 b\n", 3, "the base file is not first");
  Rejects(h, 2, "no incr file");
  Rejects(h + "base 1 a\n", 3, "no incr file");
  Rejects(h + "incr 2 a\nincr 2 b\n", 3, "incr seqs are not strictly increasing");
  Rejects(h + "incr 1 a\nincr 3 b\nincr 2 c\n", 4, "incr seqs are not strictly increasing");
  Rejects(h + "base 4 a\nincr 3 b\n", 3, "the base seq is greater than the first incr's");
  Manifest m;
  std::string error;
  CHECK(ParseManifest(h + "base 4 a\nincr 4 b\n", &m, &error));
  CHECK(ParseManifest(h + "base 4 a\nincr 9 b\n", &m, &error));
}

TEST_CASE("manifest: a refused text leaves the output alone", "[gateway][manifest]") {
  Manifest m = Make({{Kind::kIncr, 5, "keep"}});
  std::string error;
  CHECK_FALSE(ParseManifest(std::string(kHead) + "incr 1 a\nincr 1 b\n", &m, &error));
  CHECK(m == Make({{Kind::kIncr, 5, "keep"}}));
}

TEST_CASE("manifest: WriteManifest and ReadManifest", "[gateway][manifest]") {
  TempDir dir;
  Manifest m;
  bool exists = true;
  std::string error;
  REQUIRE(kvgate::gateway::ReadManifest(dir.path, &m, &exists, &error));
  CHECK_FALSE(exists);

  const Manifest first = Make({{Kind::kIncr, 1, IncrFileName(1)}});
  REQUIRE(kvgate::gateway::WriteManifest(dir.path, first) == 0);
  CHECK(dir.Names() == std::vector<std::string>{"kvgate.manifest"});
  REQUIRE(kvgate::gateway::ReadManifest(dir.path, &m, &exists, &error));
  CHECK(exists);
  CHECK(m == first);

  // A second write replaces the first; still no temp file.
  const Manifest second = Make({{Kind::kBase, 2, BaseFileName(2)},
                                {Kind::kIncr, 2, IncrFileName(2)},
                                {Kind::kIncr, 3, IncrFileName(3)}});
  REQUIRE(kvgate::gateway::WriteManifest(dir.path, second) == 0);
  CHECK(dir.Names() == std::vector<std::string>{"kvgate.manifest"});
  REQUIRE(kvgate::gateway::ReadManifest(dir.path, &m, &exists, &error));
  CHECK(m == second);
  CHECK(m.NextSeq() == 4);

  // A manifest that would not parse back is refused, and the one on disk stays.
  CHECK(kvgate::gateway::WriteManifest(dir.path, Manifest{}) == EINVAL);
  CHECK(kvgate::gateway::WriteManifest(dir.path, Make({{Kind::kIncr, 1, "a\nincr 2 b"}})) ==
        EINVAL);
  CHECK(dir.Names() == std::vector<std::string>{"kvgate.manifest"});
  REQUIRE(kvgate::gateway::ReadManifest(dir.path, &m, &exists, &error));
  CHECK(m == second);
}

TEST_CASE("manifest: a failed WriteManifest removes its temp file", "[gateway][manifest]") {
  TempDir dir;
  // The manifest's name taken by a non-empty directory: the rename fails.
  REQUIRE(::mkdir((dir.path + "/kvgate.manifest").c_str(), 0755) == 0);
  REQUIRE(::mkdir((dir.path + "/kvgate.manifest/x").c_str(), 0755) == 0);
  const int err = kvgate::gateway::WriteManifest(dir.path, Make({{Kind::kIncr, 1, "a"}}));
  CHECK(err != 0);
  CHECK(dir.Names() == std::vector<std::string>{"kvgate.manifest"});
}

TEST_CASE("manifest: ReadManifest of an invalid file names it and the line",
          "[gateway][manifest]") {
  TempDir dir;
  const std::string path = dir.path + "/kvgate.manifest";
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  REQUIRE(fd >= 0);
  const std::string text = "kvgate-manifest 1\nincr 1 a\nincr 1 b\n";
  REQUIRE(::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()));
  ::close(fd);
  Manifest m;
  bool exists = false;
  std::string error;
  CHECK_FALSE(kvgate::gateway::ReadManifest(dir.path, &m, &exists, &error));
  CHECK(exists);
  CHECK(error.find(path) != std::string::npos);
  CHECK(error.find("line 3") != std::string::npos);
}

TEST_CASE("manifest: WriteManifest into a missing directory is ENOENT", "[gateway][manifest]") {
  TempDir dir;
  const std::string missing = dir.path + "/nope";
  CHECK(kvgate::gateway::WriteManifest(missing, Make({{Kind::kIncr, 1, "a"}})) == ENOENT);
  CHECK_FALSE(std::filesystem::exists(missing));
  Manifest m;
  bool exists = true;
  std::string error;
  CHECK(kvgate::gateway::ReadManifest(missing, &m, &exists, &error));  // nothing there
  CHECK_FALSE(exists);
}
