// File: translate/nats/nkey.h
// NATS nkeys (the subset a server needs): a user's public key is base32 (RFC 4648, no padding)
// of [prefix 'U' byte | 32-byte ed25519 key | CRC-16/XMODEM little-endian]; CONNECT's `sig` is
// the ed25519 signature of the INFO nonce, base64url (or standard base64), checked with
// libsodium. Encoding (public keys and seeds) is here too, for tests and tools.
//
//   std::array<uint8_t, 32> key;
//   if (DecodeUserPublicKey("UDXU4R...", &key)) ok = VerifyNonceSignature(key, nonce, sig);
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace kvgate::nats {

using Ed25519PublicKey = std::array<uint8_t, 32>;

// nkeys prefix bytes (the first base32 character: 'U' user, 'S' seed).
inline constexpr uint8_t kNkeyPrefixUser = 20 << 3;
inline constexpr uint8_t kNkeyPrefixSeed = 18 << 3;

// True (and the raw key) for a well-formed user public nkey with a valid checksum
// (nats-server's nkeys.IsValidPublicUserKey).
bool DecodeUserPublicKey(std::string_view nkey, Ed25519PublicKey* key);
// `sig` as CONNECT carries it over `nonce` (the INFO nonce string's bytes).
bool VerifyNonceSignature(const Ed25519PublicKey& key, std::string_view nonce,
                          std::string_view sig);

// The user public nkey of a raw ed25519 public key.
std::string EncodeUserPublicKey(const Ed25519PublicKey& key);
// The user seed ("SU...") of a raw 32-byte ed25519 seed, as nats.c reads from a seed file.
std::string EncodeUserSeed(const std::array<uint8_t, 32>& seed);

}  // namespace kvgate::nats
