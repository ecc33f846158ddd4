// File: protocols/resp/detail/inline_split.h
// Splits one inline request line (telnet form) into arguments with Redis's sdssplitargs()
// rules: blanks separate, "double quotes" understand \n \r \t \b \a \\ \" \xHH, 'single
// quotes' understand \', and a closing quote must be followed by a blank or the end.
//
//   std::string arena; std::vector<std::pair<size_t, size_t>> args;
//   SplitInline(R"(SET "a b" 'c')", &arena, &args);   // 3 args: SET, a b, c
//   SplitInline(R"(SET "k v)", &arena, &args) == false  // unbalanced quotes
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kvgate::resp::detail {

// Appends each argument's bytes to *arena and its (offset, length) to *args. Returns false on
// unbalanced quotes. A NUL byte ends the line, as it does for Redis's C string.
bool SplitInline(std::string_view line, std::string* arena,
                 std::vector<std::pair<size_t, size_t>>* args);

}  // namespace kvgate::resp::detail
