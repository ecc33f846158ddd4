#include "translate/nats/kv_headers.h"

#include "protocols/nats/headers.h"
#include "translate/nats/stream_config.h"

namespace kvgate::nats {

void AppendEntryFieldLines(const engine::EntryView& entry, std::string* out) {
  std::string_view stored = natswire::HeaderFieldLines(entry.meta);
  if (!stored.empty()) {
    out->append(stored);
    return;
  }
  if (!entry.meta.empty()) {
    // Stored by a publish but not a well-formed block: present what parses.
    natswire::HeaderBlock h;
    if (natswire::ParseHeaderBlock(entry.meta, &h)) {
      natswire::HeaderBuilder b(out);
      for (const auto& f : h.fields) b.Add(f.name, f.value);
      return;
    }
  }
  // Markers written without NATS headers (Redis DEL, TTL expiry, max_age marker), and the
  // type of a key holding a Redis collection.
  natswire::HeaderBuilder b(out);
  if (entry.type != engine::ValueType::kString) b.Add("KV-Type", engine::TypeName(entry.type));
  if (entry.op == engine::Op::kDelete) {
    b.Add("KV-Operation", "DEL");
  } else if (entry.op == engine::Op::kPurge) {
    b.Add("KV-Operation", "PURGE");
    if (entry.reason != engine::MarkerReason::kNone) b.Add("Nats-Marker-Reason", "MaxAge");
  }
}

bool AppendEntryHeaderBlock(
    const engine::EntryView& entry,
    std::initializer_list<std::pair<std::string_view, std::string_view>> extra, std::string* out) {
  const size_t start = out->size();
  natswire::HeaderBuilder b(out);
  b.Start();
  const size_t fields_at = out->size();
  AppendEntryFieldLines(entry, out);
  if (out->size() == fields_at && extra.size() == 0) {
    out->resize(start);
    return false;
  }
  for (const auto& [name, value] : extra) b.Add(name, value);
  b.Finish();
  return true;
}

std::string KvSubject(std::string_view bucket, std::string_view key) {
  std::string s;
  s.reserve(kKvSubjectPrefix.size() + bucket.size() + 1 + key.size());
  s.append(kKvSubjectPrefix);
  s.append(bucket);
  s.push_back('.');
  s.append(key);
  return s;
}

engine::Result<engine::KeyFilter> KeyFilterForSubject(std::string_view bucket,
                                                      std::string_view subject_filter) {
  // The first two tokens must admit "$KV" and the bucket; the rest is a key pattern.
  std::string_view rest = subject_filter;
  for (std::string_view want : {std::string_view("$KV"), bucket}) {
    size_t dot = rest.find('.');
    std::string_view token = rest.substr(0, dot);
    if (token == ">") return engine::KeyFilter::All();
    if (dot == std::string_view::npos) return engine::Errc::kNotFound;  // no key token left
    if (token != "*" && token != want) return engine::Errc::kNotFound;
    rest.remove_prefix(dot + 1);
  }
  if (rest.empty()) return engine::Errc::kNotFound;
  return engine::KeyFilter::Tokens(rest);
}

std::string Base64Encode(std::string_view in) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    uint32_t v = (static_cast<uint8_t>(in[i]) << 16) | (static_cast<uint8_t>(in[i + 1]) << 8) |
                 static_cast<uint8_t>(in[i + 2]);
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.push_back(kAlphabet[(v >> 6) & 63]);
    out.push_back(kAlphabet[v & 63]);
  }
  size_t rest = in.size() - i;
  if (rest > 0) {
    uint32_t v = static_cast<uint8_t>(in[i]) << 16;
    if (rest == 2) v |= static_cast<uint8_t>(in[i + 1]) << 8;
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.push_back(rest == 2 ? kAlphabet[(v >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

}  // namespace kvgate::nats
