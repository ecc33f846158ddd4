// File: translate/tls_control.h
// The TLS settings a front may read and change (Redis CONFIG GET/SET tls-*). The gateway owns
// TLS and implements this; fronts hold a pointer that may be null (TLS not built in, tests).
//
//   if (translate::TlsControl* tls = front.tls_control()) {
//     for (std::string_view name : tls->ParamNames()) ... tls->Get(name);
//     std::string err = tls->Set({{"tls-cert-file", "new.crt"}}, &failed_name);
//   }
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kvgate::translate {

class TlsControl {
 public:
  virtual ~TlsControl() = default;
  // Every tls-* parameter, in the order CONFIG GET lists them.
  virtual std::span<const std::string_view> ParamNames() const = 0;
  virtual bool Known(std::string_view name) const = 0;
  virtual bool Mutable(std::string_view name) const = 0;
  virtual std::string Get(std::string_view name) const = 0;
  // Checks every (name, value), then applies them together; a change of a file or cipher
  // option rebuilds the context (new connections use it). On an error nothing changes: the
  // error text is returned and *failed_name names the parameter it concerns; "" on success.
  virtual std::string Set(const std::vector<std::pair<std::string, std::string>>& changes,
                          std::string* failed_name) = 0;
};

}  // namespace kvgate::translate
