#include "protocols/resp/detail/inline_split.h"

namespace kvgate::resp::detail {
namespace {

// C isspace() in the "C" locale.
bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

bool SplitInline(std::string_view line, std::string* arena,
                 std::vector<std::pair<size_t, size_t>>* args) {
  // Behaves as if the line were NUL-terminated: at(i) past the end (or at a NUL) is '\0'.
  auto at = [&](size_t i) -> char { return i < line.size() ? line[i] : '\0'; };
  size_t p = 0;
  for (;;) {
    while (at(p) != '\0' && IsSpace(at(p))) ++p;
    if (at(p) == '\0') return true;
    size_t start = arena->size();
    bool in_dq = false;
    bool in_sq = false;
    bool done = false;
    while (!done) {
      char c = at(p);
      if (in_dq) {
        if (c == '\\' && at(p + 1) == 'x' && HexValue(at(p + 2)) >= 0 && HexValue(at(p + 3)) >= 0) {
          arena->push_back(static_cast<char>(HexValue(at(p + 2)) * 16 + HexValue(at(p + 3))));
          p += 3;
        } else if (c == '\\' && at(p + 1) != '\0') {
          ++p;
          char e = at(p);
          switch (e) {
            case 'n':
              e = '\n';
              break;
            case 'r':
              e = '\r';
              break;
            case 't':
              e = '\t';
              break;
            case 'b':
              e = '\b';
              break;
            case 'a':
              e = '\a';
              break;
            default:
              break;
          }
          arena->push_back(e);
        } else if (c == '"') {
          // A closing quote must be followed by a blank or the end of the line.
          if (at(p + 1) != '\0' && !IsSpace(at(p + 1))) return false;
          done = true;
        } else if (c == '\0') {
          return false;
        } else {
          arena->push_back(c);
        }
      } else if (in_sq) {
        if (c == '\\' && at(p + 1) == '\'') {
          ++p;
          arena->push_back('\'');
        } else if (c == '\'') {
          if (at(p + 1) != '\0' && !IsSpace(at(p + 1))) return false;
          done = true;
        } else if (c == '\0') {
          return false;
        } else {
          arena->push_back(c);
        }
      } else {
        switch (c) {
          case ' ':
          case '\n':
          case '\r':
          case '\t':
          case '\0':
            done = true;
            break;
          case '"':
            in_dq = true;
            break;
          case '\'':
            in_sq = true;
            break;
          default:
            arena->push_back(c);
            break;
        }
      }
      if (at(p) != '\0') ++p;
    }
    args->emplace_back(start, arena->size() - start);
  }
}

}  // namespace kvgate::resp::detail
