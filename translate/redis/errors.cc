#include "translate/redis/errors.h"

#include <string>

namespace kvgate::redis {

void ReplyArity(resp::ReplyWriter& w, std::string_view fullname) {
  std::string msg = "ERR wrong number of arguments for '";
  msg.append(fullname);
  msg.append("' command");
  w.Error(msg);
}

void ReplySubcommandSyntax(resp::ReplyWriter& w, std::string_view subcommand,
                           std::string_view container) {
  std::string msg = "ERR unknown subcommand or wrong number of arguments for '";
  msg.append(CString(subcommand).substr(0, 128));
  msg.append("'. Try ").append(container).append(" HELP.");
  w.Error(msg);
}

void ReplyInvalidExpire(resp::ReplyWriter& w, std::string_view command) {
  std::string msg = "ERR invalid expire time in '";
  msg.append(command);
  msg.append("' command");
  w.Error(msg);
}

void ReplyEngineError(resp::ReplyWriter& w, engine::Errc errc) {
  using engine::Errc;
  switch (errc) {
    case Errc::kOutOfMemory:
    case Errc::kBucketFull:
      w.Error(kOom);
      return;
    case Errc::kWrongType:
      w.Error(kWrongType);
      return;
    case Errc::kStorageFailed:
      // Redis's answer to writes while its AOF cannot be written (the log says why).
      w.Error("MISCONF Errors writing to the AOF file: see the kvgate log");
      return;
    case Errc::kValueTooLarge:
      w.Error(kStringTooLong);
      return;
    case Errc::kTtlNotAllowed:
      w.Error("ERR per-key expiry is disabled for the bucket backing this database");
      return;
    case Errc::kBucketNotFound:
      w.Error("ERR the bucket backing this database does not exist");
      return;
    case Errc::kInvalidArgument:
      w.Error("ERR invalid key or bucket configuration");
      return;
    case Errc::kCursorExpired:
      w.Error("ERR CURSOREXPIRED the requested revision has been compacted");
      return;
    case Errc::kWrongRevision:
    case Errc::kAlreadyExists:
      w.Error("ERR WRONGREVISION the key's revision does not match");
      return;
    case Errc::kNotFound:
      w.Error(kNoSuchKey);
      return;
    case Errc::kOk:
    case Errc::kBucketExists:
    case Errc::kSlowConsumer:
      break;
  }
  std::string msg = "ERR engine error: ";
  msg.append(engine::ErrcName(errc));
  w.Error(msg);
}

std::string_view CString(std::string_view arg) {
  size_t nul = arg.find('\0');
  return nul == std::string_view::npos ? arg : arg.substr(0, nul);
}

std::string UnknownCommandError(std::span<const std::string_view> args) {
  std::string msg = "ERR unknown command '";
  msg.append(CString(args[0]).substr(0, 128));
  msg.append("', with args beginning with: ");
  std::string shown;
  for (size_t i = 1; i < args.size() && shown.size() < 128; ++i) {
    const size_t room = 128 - shown.size();
    shown.push_back('\'');
    shown.append(CString(args[i]).substr(0, room));
    shown.append("' ");
  }
  msg.append(shown);
  return msg;
}

}  // namespace kvgate::redis
