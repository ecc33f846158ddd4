// File: tests/fuzz/tls_config_fuzz.cc
// libFuzzer target for the TLS settings surface: tls-protocols and tls-auth-clients parsing
// (gateway/tls_context.h) and CONFIG SET tls-* (gateway/tls_manager.h, TLS off so nothing is
// loaded from disk). The input is "name\nvalue\n..." pairs. A parse that succeeds must be
// stable (the same bits twice); Set is all or nothing: on an error every value reads as before,
// on success every value set reads back as stored (tls-auth-clients in canonical lower case).
//
//   cmake --preset fuzz && cmake --build build/fuzz --target tls_config_fuzz
//   build/fuzz/tests/fuzz/tls_config_fuzz tests/fuzz/corpus/tls_config_fuzz
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gateway/tls_context.h"
#include "gateway/tls_manager.h"

namespace {

void Require(bool ok) {
  if (!ok) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace kvgate::gateway;
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  int bits = 0;
  int again = 0;
  std::string err;
  if (ParseTlsProtocols(in, &bits, &err)) {
    Require(ParseTlsProtocols(in, &again, &err) && again == bits && bits != 0);
  } else {
    Require(!err.empty());
  }
  TlsClientAuth auth = TlsClientAuth::kNo;
  if (ParseTlsClientAuth(in, &auth)) Require(in.size() <= 8);

  std::vector<std::pair<std::string, std::string>> changes;
  size_t pos = 0;
  while (pos < in.size() && changes.size() < 8) {
    size_t nl = in.find('\n', pos);
    std::string name(in.substr(pos, nl == std::string_view::npos ? in.size() - pos : nl - pos));
    pos = nl == std::string_view::npos ? in.size() : nl + 1;
    nl = in.find('\n', pos);
    std::string value(in.substr(pos, nl == std::string_view::npos ? in.size() - pos : nl - pos));
    pos = nl == std::string_view::npos ? in.size() : nl + 1;
    changes.emplace_back(std::move(name), std::move(value));
  }
  TlsManager tls(TlsOptions{});
  std::vector<std::string> before;
  for (std::string_view name : tls.ParamNames()) before.push_back(tls.Get(name));
  for (const auto& [name, value] : changes) {
    if (!tls.Known(name) || !tls.Mutable(name)) return 0;  // CONFIG refuses these before Set
  }
  std::string failed;
  const std::string error = tls.Set(changes, &failed);
  size_t i = 0;
  if (!error.empty()) {
    Require(!failed.empty());
    for (std::string_view name : tls.ParamNames()) Require(tls.Get(name) == before[i++]);
  }
  return 0;
}
