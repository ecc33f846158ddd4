// File: protocols/nats/headers.h
// NATS message header blocks: `NATS/1.0[ <status>[ <description>]]\r\n` then `Name: value\r\n`
// lines then `\r\n`. Parsing keeps the fields in order and with their exact case (nats.c and
// nats.js match header names case-sensitively); building appends to a std::string.
//
//   HeaderBlock h;
//   if (ParseHeaderBlock("NATS/1.0\r\nKV-Operation: DEL\r\n\r\n", &h)) h.Get("KV-Operation");
//   std::string out; HeaderBuilder b(&out); b.Start(404, "Message Not Found"); b.Finish();
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kvgate::natswire {

inline constexpr std::string_view kHeaderVersion = "NATS/1.0";

struct HeaderField {
  std::string_view name;
  std::string_view value;
};

// A parsed header block; every view points into the parsed bytes.
struct HeaderBlock {
  int status = 0;  // 0 when the first line carries no status
  std::string_view description;
  std::vector<HeaderField> fields;

  // Value of the first field with exactly this name.
  std::optional<std::string_view> Get(std::string_view name) const;
  // Same, ignoring ASCII case of the name.
  std::optional<std::string_view> GetIgnoreCase(std::string_view name) const;
  void Clear() {
    status = 0;
    description = {};
    fields.clear();
  }
};

// Parses `block` into `out` (cleared first; reuse one HeaderBlock to avoid allocations).
// Returns false if the block does not start with "NATS/1.0", has a malformed status, or a field
// line without ':'. Line ends may be CRLF or a bare LF; the terminating blank line is optional.
bool ParseHeaderBlock(std::string_view block, HeaderBlock* out);

// The `Name: value\r\n` lines of a well-formed block (between the first line and the final
// blank line), verbatim; empty if the block is empty or not well formed.
std::string_view HeaderFieldLines(std::string_view block);

// Appends a header block to a string.
class HeaderBuilder {
 public:
  explicit HeaderBuilder(std::string* out) : out_(out) {
  }
  // First line; status 0 writes the bare version line.
  void Start(int status = 0, std::string_view description = {});
  void Add(std::string_view name, std::string_view value);
  void AddUint(std::string_view name, uint64_t value);
  // Appends ready-made `Name: value\r\n` lines (see HeaderFieldLines).
  void AddLines(std::string_view lines);
  // Terminating blank line.
  void Finish();

 private:
  std::string* out_;
};

}  // namespace kvgate::natswire
