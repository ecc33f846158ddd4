// Garnet's ETag meta-commands (microsoft/garnet website/docs garnet-etags), with the kvgate
// revision as the ETag: a key's ETag is the revision of its live value (0: no value). Every
// write from either protocol advances it, so it is a version Redis and NATS clients share.
//
//   GETETAG key                              -> revision | null
//   EXECWITHETAG command [arg ...]            -> [command reply, ETag after]
//   EXECIFMATCH etag command [arg ...]        -> runs if ETag == etag
//   EXECIFNOTMATCH etag command [arg ...]     -> runs if ETag != etag
//   EXECIFGREATER etag command [arg ...]      -> runs if etag > ETag
// The conditional forms reply [command reply, ETag after] when the command ran and
// [null, current ETag] when it did not; for SET the first element is null when it ran and the
// current value when it did not. When the command removed the key (DEL), the ETag is the one
// before the removal. Only single-key data commands can be wrapped.
#include <string>

#include "engine/store.h"
#include "protocols/buffer.h"
#include "protocols/resp/number.h"
#include "translate/redis/command.h"
#include "translate/redis/command_table.h"
#include "translate/redis/errors.h"
#include "translate/redis/session.h"

namespace kvgate::redis {
namespace {

enum class Mode { kWith, kIfMatch, kIfNotMatch, kIfGreater };

int64_t CurrentEtag(engine::StoreBucket* db, std::string_view key) {
  auto e = db->Get(key);
  return e.ok() ? static_cast<int64_t>(e->revision) : 0;
}

void GetEtagCmd(CommandContext& ctx) {
  engine::StoreBucket* db = ctx.Db();
  if (db == nullptr) return;
  auto e = db->Get(ctx.arg(1));
  if (!e.ok()) return ctx.w.Null();
  ctx.w.Integer(static_cast<int64_t>(e->revision));
}

// The wrapped command's spec, or nullptr after replying with why it cannot be wrapped.
const CommandSpec* Wrapped(CommandContext& ctx, std::span<const std::string_view> inner) {
  const CommandSpec* spec = CommandTable::Get().Find(inner[0]);
  if (spec == nullptr) {
    ctx.w.Error(UnknownCommandError(inner));
    return nullptr;
  }
  auto refuse = [&] {
    ctx.w.Error("ERR command '" + std::string(spec->name) +
                "' cannot be used with ETag meta-commands (single-key data commands only)");
  };
  if (spec->handler == nullptr || !spec->subcommands.empty() || spec->first_key != 1 ||
      spec->key_step <= 0 || (spec->flags & (kPubSub | kAdmin))) {
    refuse();
    return nullptr;
  }
  const int argc = static_cast<int>(inner.size());
  if ((spec->arity > 0 && argc != spec->arity) || argc < -spec->arity) {
    ReplyArity(ctx.w, spec->name);
    return nullptr;
  }
  // The key is argument 1; DEL/EXISTS-style commands only with a single key.
  if (spec->last_key != 1 && !(spec->last_key == -1 && argc == 2)) {
    refuse();
    return nullptr;
  }
  return spec;
}

void MetaCmd(CommandContext& ctx, Mode mode) {
  size_t pos = 1;
  int64_t etag = 0;
  if (mode != Mode::kWith) {
    if (!resp::ParseInt64(ctx.arg(1), &etag) || etag < 0) return ctx.w.Error(kNotInteger);
    pos = 2;
  }
  std::span<const std::string_view> inner = ctx.args.subspan(pos);
  const CommandSpec* spec = Wrapped(ctx, inner);
  if (spec == nullptr) return;
  engine::StoreBucket* db = ctx.Db();
  if (db == nullptr) return;
  std::string_view key = inner[1];
  const int64_t before = CurrentEtag(db, key);
  bool run = true;
  switch (mode) {
    case Mode::kWith:
      break;
    case Mode::kIfMatch:
      run = before == etag;
      break;
    case Mode::kIfNotMatch:
      run = before != etag;
      break;
    case Mode::kIfGreater:
      run = etag > before;
      break;
  }
  const bool is_set = spec->name == "set";
  if (!run) {
    ctx.w.ArrayHeader(2);
    auto e = db->Get(key);
    if (is_set && e.ok()) {
      ctx.w.Bulk(e->value);
    } else {
      ctx.w.Null();
    }
    return ctx.w.Integer(before);
  }
  // The command's reply is captured so it can become the first element of ours.
  protocols::OutChain scratch;
  resp::ReplyWriter w(&scratch, ctx.w.resp());
  CommandContext inner_ctx{ctx.session, ctx.front, inner, w, spec, nullptr, ctx.now_ms};
  spec->handler(inner_ctx);
  // Removing the key reports the ETag it had (Garnet's DEL rule).
  int64_t after = CurrentEtag(db, key);
  if (after == 0) after = before;
  std::string reply = scratch.ToString();
  ctx.w.ArrayHeader(2);
  if (is_set && mode != Mode::kWith && !reply.empty() && reply[0] != '-') {
    ctx.w.Null();
  } else {
    ctx.w.Raw(reply);
  }
  ctx.w.Integer(after);
}

void ExecWithEtagCmd(CommandContext& ctx) {
  MetaCmd(ctx, Mode::kWith);
}
void ExecIfMatchCmd(CommandContext& ctx) {
  MetaCmd(ctx, Mode::kIfMatch);
}
void ExecIfNotMatchCmd(CommandContext& ctx) {
  MetaCmd(ctx, Mode::kIfNotMatch);
}
void ExecIfGreaterCmd(CommandContext& ctx) {
  MetaCmd(ctx, Mode::kIfGreater);
}

constexpr CommandSpec kCommands[] = {
    {"getetag", 2, kReadOnly | kFast, GetEtagCmd, 1, 1, 1},
    {"execwithetag", -3, kWrite, ExecWithEtagCmd},
    {"execifmatch", -4, kWrite, ExecIfMatchCmd},
    {"execifnotmatch", -4, kWrite, ExecIfNotMatchCmd},
    {"execifgreater", -4, kWrite, ExecIfGreaterCmd},
};

}  // namespace

std::span<const CommandSpec> EtagCommands() {
  return kCommands;
}

}  // namespace kvgate::redis
