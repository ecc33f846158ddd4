#include "translate/redis/command.h"

#include "translate/redis/errors.h"
#include "translate/redis/front.h"
#include "translate/redis/session.h"

namespace kvgate::redis {

engine::Bucket* CommandContext::Db() {
  engine::Errc err = engine::Errc::kOk;
  engine::Bucket* b = session.CurrentBucket(&err);
  if (b == nullptr) ReplyEngineError(w, err);
  return b;
}

engine::Bucket* CommandContext::DbAt(int index) {
  engine::Errc err = engine::Errc::kOk;
  engine::Bucket* b = front.Database(index, &err);
  if (b == nullptr) ReplyEngineError(w, err);
  return b;
}

int CommandContext::db_index() const {
  return session.notify_db();
}

void CommandContext::Notify(uint32_t type, std::string_view event, std::string_view key) {
  const int db = session.notify_db();
  if (db >= 0) front.Notify(db, type, event, key);
}

}  // namespace kvgate::redis
