#include "translate/redis/notifications.h"

namespace kvgate::redis {

bool ParseKeyspaceEvents(std::string_view text, uint32_t* flags) {
  uint32_t f = 0;
  for (char c : text) {
    switch (c) {
      case 'A':
        f |= kNotifyAll;
        break;
      case 'g':
        f |= kNotifyGeneric;
        break;
      case '$':
        f |= kNotifyString;
        break;
      case 'l':
        f |= kNotifyList;
        break;
      case 's':
        f |= kNotifySet;
        break;
      case 'h':
        f |= kNotifyHash;
        break;
      case 'z':
        f |= kNotifyZset;
        break;
      case 'x':
        f |= kNotifyExpired;
        break;
      case 'e':
        f |= kNotifyEvicted;
        break;
      case 'K':
        f |= kNotifyKeyspace;
        break;
      case 'E':
        f |= kNotifyKeyevent;
        break;
      case 't':
        f |= kNotifyStream;
        break;
      case 'm':
        f |= kNotifyKeyMiss;
        break;
      case 'd':
        f |= kNotifyModule;
        break;
      case 'n':
        f |= kNotifyNew;
        break;
      default:
        return false;
    }
  }
  *flags = f;
  return true;
}

std::string FormatKeyspaceEvents(uint32_t flags) {
  std::string s;
  if ((flags & kNotifyAll) == kNotifyAll) {
    s += 'A';
  } else {
    static constexpr struct {
      uint32_t flag;
      char c;
    } kOrder[] = {{kNotifyGeneric, 'g'}, {kNotifyString, '$'},  {kNotifyList, 'l'},
                  {kNotifySet, 's'},     {kNotifyHash, 'h'},    {kNotifyZset, 'z'},
                  {kNotifyExpired, 'x'}, {kNotifyEvicted, 'e'}, {kNotifyStream, 't'},
                  {kNotifyModule, 'd'},  {kNotifyNew, 'n'}};
    for (const auto& o : kOrder) {
      if (flags & o.flag) s += o.c;
    }
  }
  if (flags & kNotifyKeyspace) s += 'K';
  if (flags & kNotifyKeyevent) s += 'E';
  if (flags & kNotifyKeyMiss) s += 'm';
  return s;
}

}  // namespace kvgate::redis
