// File: translate/redis/client_info.h
// One CLIENT LIST / CLIENT INFO line, fields in Redis 7.0's order, ending in '\n' (also the
// client-info of ACL LOG entries).
//
//   std::string line;
//   AppendClientInfo(session, now_ms, &line);   // "id=3 addr=... user=default redir=-1 resp=2\n"
#pragma once

#include <cstdint>
#include <string>

namespace kvgate::redis {

class RedisSession;

void AppendClientInfo(RedisSession& s, int64_t now_ms, std::string* out);

}  // namespace kvgate::redis
