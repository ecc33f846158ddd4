#include "protocols/nats/parser.h"

#include <array>
#include <cstring>

namespace kvgate::natswire {
namespace {

// Upper-case op names; input is upper-cased byte by byte before matching.
constexpr std::array<std::string_view, 7> kOpNames = {"PUB",  "HPUB", "SUB",    "UNSUB",
                                                      "PING", "PONG", "CONNECT"};

bool IsSpace(char c) {
  return c == ' ' || c == '\t';
}

// nats-server's parseSize: 1..9 decimal digits, nothing else; -1 otherwise.
int64_t ParseSize(std::string_view s) {
  if (s.empty() || s.size() > 9) return -1;
  int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return -1;
    v = v * 10 + (c - '0');
  }
  return v;
}

// Splits on runs of spaces/tabs. Returns the number of tokens, or max_tokens + 1 if there are
// more than max_tokens.
template <size_t N>
size_t SplitArgs(std::string_view line, std::array<std::string_view, N>& out) {
  size_t count = 0;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && IsSpace(line[i])) ++i;
    if (i == line.size()) break;
    size_t start = i;
    while (i < line.size() && !IsSpace(line[i])) ++i;
    if (count == N) return N + 1;
    out[count++] = line.substr(start, i - start);
  }
  return count;
}

constexpr size_t kKeepScratch = 64 * 1024;  // larger scratch buffers are released when idle

void ReleaseIfLarge(std::string& s) {
  if (s.capacity() > kKeepScratch) {
    std::string().swap(s);
  } else {
    s.clear();
  }
}

}  // namespace

std::string_view ParseErrorText(ParseError error) {
  switch (error) {
    case ParseError::kNone:
      return "";
    case ParseError::kUnknownOp:
    case ParseError::kBadArgs:
      return "Unknown Protocol Operation";
    case ParseError::kMaxControlLine:
      return "maximum control line exceeded";
    case ParseError::kMaxPayload:
      return "Maximum Payload Violation";
  }
  return "Unknown Protocol Operation";
}

void Parser::Fail(ParseError error, ParserSink& sink) {
  state_ = State::kFailed;
  ReleaseIfLarge(arg_buf_);
  ReleaseIfLarge(msg_buf_);
  ReleaseIfLarge(pub_line_);
  sink.OnError(error);
}

size_t Parser::Feed(std::string_view data, ParserSink& sink) {
  const size_t n = data.size();
  size_t i = 0;
  size_t arg_start = 0;  // where kArgs began within `data` (when !arg_split_)
  while (i < n) {
    switch (state_) {
      case State::kFailed:
        return n;

      case State::kOpStart: {
        char c = data[i];
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
        op_name_[op_len_++] = c;
        std::string_view typed(op_name_, op_len_);
        int match = -1;
        bool prefix = false;
        for (size_t k = 0; k < kOpNames.size(); ++k) {
          if (kOpNames[k].substr(0, op_len_) == typed) {
            prefix = true;
            if (kOpNames[k].size() == op_len_) match = static_cast<int>(k);
          }
        }
        ++i;
        if (!prefix) {
          op_len_ = 0;
          Fail(ParseError::kUnknownOp, sink);
          return n;
        }
        if (match < 0) break;
        op_len_ = 0;
        op_ = static_cast<Op>(match + 1);
        state_ = (op_ == Op::kPing || op_ == Op::kPong) ? State::kSkipLine : State::kOpSpace;
        break;
      }

      case State::kOpSpace:
        if (!IsSpace(data[i])) {
          Fail(ParseError::kUnknownOp, sink);
          return n;
        }
        ++i;
        state_ = State::kSkipSpace;
        break;

      case State::kSkipSpace:
        if (IsSpace(data[i])) {
          ++i;
          break;
        }
        state_ = State::kArgs;
        arg_start = i;
        arg_split_ = false;
        arg_buf_.clear();
        break;

      case State::kArgs: {
        const char* nl = static_cast<const char*>(std::memchr(data.data() + i, '\n', n - i));
        if (nl == nullptr) {
          // Split control line: keep it in scratch until its '\n' arrives.
          if (!arg_split_) {
            arg_buf_.assign(data.substr(arg_start));
            arg_split_ = true;
          } else {
            arg_buf_.append(data.substr(i));
          }
          // +1: a trailing '\r' does not count against the limit.
          if (arg_buf_.size() > limits_.max_control_line + 1) {
            Fail(ParseError::kMaxControlLine, sink);
          }
          return n;
        }
        size_t j = static_cast<size_t>(nl - data.data());
        std::string_view line;
        if (arg_split_) {
          arg_buf_.append(data.substr(i, j - i));
          line = arg_buf_;
        } else {
          line = data.substr(arg_start, j - arg_start);
        }
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        i = j + 1;
        if (line.size() > limits_.max_control_line) {
          Fail(ParseError::kMaxControlLine, sink);
          return n;
        }
        state_ = State::kOpStart;
        bool go_on = OnControlLine(line, sink);
        if (state_ == State::kFailed) return n;
        if (!go_on) return i;
        break;
      }

      case State::kSkipLine: {
        const char* nl = static_cast<const char*>(std::memchr(data.data() + i, '\n', n - i));
        if (nl == nullptr) return n;
        i = static_cast<size_t>(nl - data.data()) + 1;
        state_ = State::kOpStart;
        bool go_on = op_ == Op::kPing ? sink.OnPing() : sink.OnPong();
        if (!go_on) return i;
        break;
      }

      case State::kPayload: {
        const size_t need = pub_total_size_ + 2;  // payload + CRLF
        if (!msg_split_) {
          if (n - i >= need) {
            std::string_view whole = data.substr(i, need);
            i += need;
            bool go_on = OnPayload(whole, sink);
            if (state_ == State::kFailed) return n;
            if (!go_on) return i;
            break;
          }
          StartSplitPayload();
          msg_buf_.assign(data.substr(i));
          return n;
        }
        size_t take = std::min(need - msg_buf_.size(), n - i);
        msg_buf_.append(data.substr(i, take));
        i += take;
        if (msg_buf_.size() < need) return n;
        bool go_on = OnPayload(msg_buf_, sink);
        if (state_ == State::kFailed) return n;
        if (!go_on) return i;
        break;
      }
    }
  }
  // The input ended right after a PUB/HPUB control line: its views point into `data`.
  if (state_ == State::kPayload && !msg_split_) StartSplitPayload();
  return n;
}

void Parser::StartSplitPayload() {
  // Own the control line (it may point into the caller's bytes) for the rest of the frame.
  if (pub_line_view_.data() != pub_line_.data()) {
    pub_line_.assign(pub_line_view_);
    pub_line_view_ = pub_line_;
  }
  msg_buf_.clear();
  msg_buf_.reserve(pub_total_size_ + 2);
  msg_split_ = true;
}

bool Parser::OnControlLine(std::string_view args, ParserSink& sink) {
  switch (op_) {
    case Op::kPub:
    case Op::kHpub:
      return ParsePubArgs(args, sink);
    case Op::kSub: {
      std::array<std::string_view, 3> a;
      size_t count = SplitArgs(args, a);
      if (count == 2) return sink.OnSub(a[0], {}, a[1]);
      if (count == 3) return sink.OnSub(a[0], a[1], a[2]);
      Fail(ParseError::kBadArgs, sink);
      return false;
    }
    case Op::kUnsub: {
      std::array<std::string_view, 2> a;
      size_t count = SplitArgs(args, a);
      if (count == 1) return sink.OnUnsub(a[0], 0);
      if (count == 2) {
        int64_t max = ParseSize(a[1]);  // invalid or 0: unsubscribe now (nats-server)
        return sink.OnUnsub(a[0], max > 0 ? static_cast<uint64_t>(max) : 0);
      }
      Fail(ParseError::kBadArgs, sink);
      return false;
    }
    case Op::kConnect:
      return sink.OnConnect(args);
    case Op::kPing:
    case Op::kPong:
    case Op::kNone:
      break;
  }
  Fail(ParseError::kUnknownOp, sink);
  return false;
}

bool Parser::ParsePubArgs(std::string_view args, ParserSink& sink) {
  std::array<std::string_view, 4> a;
  size_t count = SplitArgs(args, a);
  const bool hpub = op_ == Op::kHpub;
  std::string_view subject, reply;
  int64_t header_size = 0, total_size = -1;
  if (!hpub && (count == 2 || count == 3)) {
    subject = a[0];
    if (count == 3) reply = a[1];
    total_size = ParseSize(a[count - 1]);
  } else if (hpub && (count == 3 || count == 4)) {
    subject = a[0];
    if (count == 4) reply = a[1];
    header_size = ParseSize(a[count - 2]);
    total_size = ParseSize(a[count - 1]);
  } else {
    Fail(ParseError::kBadArgs, sink);
    return false;
  }
  if (header_size < 0 || total_size < 0 || header_size > total_size) {
    Fail(ParseError::kBadArgs, sink);
    return false;
  }
  if (static_cast<uint64_t>(total_size) > limits_.max_payload) {
    Fail(ParseError::kMaxPayload, sink);
    return false;
  }
  pub_line_view_ = args;
  pub_subject_off_ = static_cast<size_t>(subject.data() - args.data());
  pub_subject_len_ = subject.size();
  pub_reply_off_ = reply.empty() ? 0 : static_cast<size_t>(reply.data() - args.data());
  pub_reply_len_ = reply.size();
  pub_header_size_ = static_cast<size_t>(header_size);
  pub_total_size_ = static_cast<size_t>(total_size);
  pub_hpub_ = hpub;
  msg_split_ = false;
  state_ = State::kPayload;
  return true;
}

bool Parser::OnPayload(std::string_view with_crlf, ParserSink& sink) {
  if (with_crlf[pub_total_size_] != '\r' || with_crlf[pub_total_size_ + 1] != '\n') {
    Fail(ParseError::kUnknownOp, sink);
    return false;
  }
  PubFrame frame;
  frame.subject = pub_line_view_.substr(pub_subject_off_, pub_subject_len_);
  if (pub_reply_len_ > 0) frame.reply = pub_line_view_.substr(pub_reply_off_, pub_reply_len_);
  frame.headers = with_crlf.substr(0, pub_header_size_);
  frame.payload = with_crlf.substr(pub_header_size_, pub_total_size_ - pub_header_size_);
  frame.hpub = pub_hpub_;
  state_ = State::kOpStart;
  bool go_on = sink.OnPub(frame);
  // Views are dead now: drop the split copies (keeping small capacity for the next split).
  if (msg_split_) {
    msg_split_ = false;
    ReleaseIfLarge(msg_buf_);
  }
  pub_line_view_ = {};
  return go_on;
}

}  // namespace kvgate::natswire
