#include "protocols/nats/headers.h"

#include <charconv>

#include "protocols/ascii.h"

namespace kvgate::natswire {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

// Next line of `rest` without its line end; advances `rest`. False when `rest` is empty.
bool NextLine(std::string_view& rest, std::string_view* line) {
  if (rest.empty()) return false;
  size_t nl = rest.find('\n');
  if (nl == std::string_view::npos) {
    *line = rest;
    rest = {};
  } else {
    *line = rest.substr(0, nl);
    rest.remove_prefix(nl + 1);
  }
  if (!line->empty() && line->back() == '\r') line->remove_suffix(1);
  return true;
}

}  // namespace

std::optional<std::string_view> HeaderBlock::Get(std::string_view name) const {
  for (const auto& f : fields) {
    if (f.name == name) return f.value;
  }
  return std::nullopt;
}

std::optional<std::string_view> HeaderBlock::GetIgnoreCase(std::string_view name) const {
  for (const auto& f : fields) {
    if (protocols::EqualsIgnoreCase(f.name, name)) return f.value;
  }
  return std::nullopt;
}

bool ParseHeaderBlock(std::string_view block, HeaderBlock* out) {
  out->Clear();
  std::string_view rest = block;
  std::string_view line;
  if (!NextLine(rest, &line)) return false;
  if (line.substr(0, kHeaderVersion.size()) != kHeaderVersion) return false;
  std::string_view status_part = line.substr(kHeaderVersion.size());
  if (!status_part.empty()) {
    if (status_part.front() != ' ' && status_part.front() != '\t') return false;
    status_part = Trim(status_part);
    if (!status_part.empty()) {
      if (status_part.size() < 3) return false;
      int status = 0;
      auto r = std::from_chars(status_part.data(), status_part.data() + 3, status);
      if (r.ec != std::errc() || r.ptr != status_part.data() + 3) return false;
      std::string_view after = status_part.substr(3);
      if (!after.empty() && after.front() != ' ' && after.front() != '\t') return false;
      out->status = status;
      out->description = Trim(after);
    }
  }
  while (NextLine(rest, &line)) {
    if (line.empty()) break;  // the terminating blank line
    size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) return false;
    out->fields.push_back({Trim(line.substr(0, colon)), Trim(line.substr(colon + 1))});
  }
  return true;
}

std::string_view HeaderFieldLines(std::string_view block) {
  if (block.substr(0, kHeaderVersion.size()) != kHeaderVersion) return {};
  size_t first_end = block.find("\r\n");
  if (first_end == std::string_view::npos) return {};
  size_t start = first_end + 2;
  if (block.size() < start + 2 || block.substr(block.size() - 2) != "\r\n") return {};
  // The block ends with the blank line's CRLF; the field lines end just before it.
  if (block.size() == start + 2) return {};
  if (block.substr(block.size() - 4) != "\r\n\r\n") return {};
  return block.substr(start, block.size() - 2 - start);
}

void HeaderBuilder::Start(int status, std::string_view description) {
  out_->append(kHeaderVersion);
  if (status > 0) {
    char buf[8];
    auto r = std::to_chars(buf, buf + sizeof(buf), status);
    out_->push_back(' ');
    out_->append(buf, static_cast<size_t>(r.ptr - buf));
    if (!description.empty()) {
      out_->push_back(' ');
      out_->append(description);
    }
  }
  out_->append("\r\n");
}

void HeaderBuilder::Add(std::string_view name, std::string_view value) {
  out_->append(name);
  out_->append(": ");
  out_->append(value);
  out_->append("\r\n");
}

void HeaderBuilder::AddUint(std::string_view name, uint64_t value) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof(buf), value);
  Add(name, std::string_view(buf, static_cast<size_t>(r.ptr - buf)));
}

void HeaderBuilder::AddLines(std::string_view lines) {
  out_->append(lines);
}

void HeaderBuilder::Finish() {
  out_->append("\r\n");
}

}  // namespace kvgate::natswire
