#include "translate/nats/nkey.h"

#include <sodium.h>

#include <vector>

namespace kvgate::nats {
namespace {

constexpr char kBase32Alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

uint16_t Crc16Xmodem(const uint8_t* data, size_t n) {
  uint16_t crc = 0;
  for (size_t i = 0; i < n; ++i) {
    crc ^= static_cast<uint16_t>(data[i]) << 8;
    for (int bit = 0; bit < 8; ++bit) {
      crc = (crc & 0x8000) != 0 ? static_cast<uint16_t>((crc << 1) ^ 0x1021)
                                : static_cast<uint16_t>(crc << 1);
    }
  }
  return crc;
}

std::string Base32Encode(const std::vector<uint8_t>& raw) {
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (uint8_t b : raw) {
    buffer = (buffer << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out.push_back(kBase32Alphabet[(buffer >> (bits - 5)) & 31]);
      bits -= 5;
    }
  }
  if (bits > 0) out.push_back(kBase32Alphabet[(buffer << (5 - bits)) & 31]);
  return out;
}

bool Base32Decode(std::string_view text, std::vector<uint8_t>* raw) {
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    int v = -1;
    if (c >= 'A' && c <= 'Z') v = c - 'A';
    if (c >= '2' && c <= '7') v = c - '2' + 26;
    if (v < 0) return false;
    buffer = (buffer << 5) | static_cast<uint32_t>(v);
    bits += 5;
    if (bits >= 8) {
      raw->push_back(static_cast<uint8_t>(buffer >> (bits - 8)));
      bits -= 8;
    }
  }
  return true;
}

// Appends the checksum and encodes.
std::string WithChecksum(std::vector<uint8_t> raw) {
  uint16_t crc = Crc16Xmodem(raw.data(), raw.size());
  raw.push_back(static_cast<uint8_t>(crc & 0xff));
  raw.push_back(static_cast<uint8_t>(crc >> 8));
  return Base32Encode(raw);
}

bool DecodeBase64(std::string_view text, int variant, std::vector<uint8_t>* out) {
  out->assign(text.size(), 0);
  size_t len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(out->data(), out->size(), text.data(), text.size(), nullptr, &len, &end,
                        variant) != 0 ||
      end != text.data() + text.size()) {
    return false;
  }
  out->resize(len);
  return true;
}

}  // namespace

bool DecodeUserPublicKey(std::string_view nkey, Ed25519PublicKey* key) {
  // 1 prefix + 32 key + 2 checksum bytes = 35 bytes = 56 base32 characters.
  if (nkey.size() != 56) return false;
  std::vector<uint8_t> raw;
  if (!Base32Decode(nkey, &raw) || raw.size() != 35) return false;
  uint16_t want = static_cast<uint16_t>(raw[33] | (raw[34] << 8));
  if (Crc16Xmodem(raw.data(), 33) != want || raw[0] != kNkeyPrefixUser) return false;
  std::copy(raw.begin() + 1, raw.begin() + 33, key->begin());
  return true;
}

bool VerifyNonceSignature(const Ed25519PublicKey& key, std::string_view nonce,
                          std::string_view sig) {
  if (sodium_init() < 0) return false;
  std::vector<uint8_t> raw;
  // As nats-server: raw URL-safe base64 first, then standard (padded) base64.
  if (!DecodeBase64(sig, sodium_base64_VARIANT_URLSAFE_NO_PADDING, &raw) &&
      !DecodeBase64(sig, sodium_base64_VARIANT_ORIGINAL, &raw)) {
    return false;
  }
  if (raw.size() != crypto_sign_BYTES) return false;
  return crypto_sign_verify_detached(raw.data(), reinterpret_cast<const uint8_t*>(nonce.data()),
                                     nonce.size(), key.data()) == 0;
}

std::string EncodeUserPublicKey(const Ed25519PublicKey& key) {
  std::vector<uint8_t> raw{kNkeyPrefixUser};
  raw.insert(raw.end(), key.begin(), key.end());
  return WithChecksum(std::move(raw));
}

std::string EncodeUserSeed(const std::array<uint8_t, 32>& seed) {
  // Two prefix bytes: the seed prefix and the key type spread over 5 + 3 bits.
  std::vector<uint8_t> raw{static_cast<uint8_t>(kNkeyPrefixSeed | (kNkeyPrefixUser >> 5)),
                           static_cast<uint8_t>((kNkeyPrefixUser & 31) << 3)};
  raw.insert(raw.end(), seed.begin(), seed.end());
  return WithChecksum(std::move(raw));
}

}  // namespace kvgate::nats
