// File: protocols/nats/parser.h
// Resumable parser for the client half of the NATS protocol: CONNECT, PUB, HPUB, SUB, UNSUB,
// PING, PONG. Bytes may arrive in any split; the parser keeps its state between Feed() calls.
//
//   Parser parser(ParserLimits{.max_payload = 1 << 20});
//   size_t used = parser.Feed(in.Data(), sink);   // sink.OnPub(...) etc. per complete frame
//   in.Consume(used);
//
// Zero copy when a frame is whole in one Feed(): the views handed to the sink point into the
// caller's bytes. Only a frame split across Feed() calls is copied into the parser's scratch
// buffers (its control line, then its payload). Either way views are valid only during the
// sink call. Leniency matches nats-server: op names in any case, runs of spaces/tabs between
// arguments, trailing spaces, a bare '\n' line end, `HPUB s r 0 n` without a header block.
//
// protocols/nats is namespace kvgate::natswire (bytes), apart from translate/nats's
// kvgate::nats (meaning), so a name says which layer it belongs to: natswire::PubFrame.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace kvgate::natswire {

struct ParserLimits {
  size_t max_control_line = 4096;  // bytes of a control line's arguments (nats-server default)
  size_t max_payload = 1 << 20;    // bytes of a PUB payload / HPUB headers+payload
};

enum class ParseError : uint8_t {
  kNone,
  kUnknownOp,       // not a client op, or a frame not ended by CRLF after its payload
  kBadArgs,         // wrong number of arguments or a bad size on PUB/HPUB/SUB/UNSUB
  kMaxControlLine,  // control line longer than max_control_line
  kMaxPayload,      // announced size above max_payload
};

// The `-ERR '...'` text nats-server sends for the error (every one of them closes the
// connection afterwards).
std::string_view ParseErrorText(ParseError error);

struct PubFrame {
  std::string_view subject;
  std::string_view reply;    // empty when absent
  std::string_view headers;  // the raw header block (HPUB); empty for PUB or `HPUB .. 0 n`
  std::string_view payload;
  bool hpub = false;
};

// Receives complete frames. A callback returns false to stop Feed() right after this frame
// (the session is closing or wants input back-pressure); Feed() can be called again later.
class ParserSink {
 public:
  virtual ~ParserSink() = default;
  virtual bool OnConnect(std::string_view json) = 0;
  virtual bool OnPub(const PubFrame& frame) = 0;
  virtual bool OnSub(std::string_view subject, std::string_view queue, std::string_view sid) = 0;
  // max_msgs: auto-unsubscribe after that many messages in total; 0 = unsubscribe now.
  virtual bool OnUnsub(std::string_view sid, uint64_t max_msgs) = 0;
  virtual bool OnPing() = 0;
  virtual bool OnPong() = 0;
  // The stream is unparseable from here on; the parser ignores all further input.
  virtual void OnError(ParseError error) = 0;
};

class Parser {
 public:
  explicit Parser(const ParserLimits& limits = {}) : limits_(limits) {
  }

  // Parses `data`, calling the sink for each complete frame. Returns the bytes consumed: all of
  // `data` unless a sink callback returned false (then up to the end of that frame). After an
  // error, returns data.size() and ignores everything.
  size_t Feed(std::string_view data, ParserSink& sink);

  bool failed() const {
    return state_ == State::kFailed;
  }
  // True between frames (no partial frame buffered).
  bool idle() const {
    return state_ == State::kOpStart;
  }
  // Bytes held in scratch buffers for a split frame (memory accounting).
  size_t buffered_bytes() const {
    return arg_buf_.size() + msg_buf_.size();
  }
  void set_max_payload(size_t max_payload) {
    limits_.max_payload = max_payload;
  }

 private:
  enum class Op : uint8_t { kNone, kPub, kHpub, kSub, kUnsub, kPing, kPong, kConnect };
  enum class State : uint8_t {
    kOpStart,    // reading the op name
    kOpSpace,    // op name done, expecting at least one space/tab
    kSkipSpace,  // skipping spaces/tabs before the arguments
    kArgs,       // control line arguments up to '\n'
    kSkipLine,   // PING/PONG: anything up to '\n' is ignored (as nats-server does)
    kPayload,    // PUB/HPUB payload plus its CRLF
    kFailed,
  };

  // Handles a complete control line (arguments, '\r' stripped). Returns false to stop.
  bool OnControlLine(std::string_view args, ParserSink& sink);
  bool ParsePubArgs(std::string_view args, ParserSink& sink);
  // Delivers a complete payload (with its trailing CRLF). Returns false to stop.
  bool OnPayload(std::string_view with_crlf, ParserSink& sink);
  void Fail(ParseError error, ParserSink& sink);
  // The payload continues in a later Feed(): copy what must outlive this one.
  void StartSplitPayload();

  ParserLimits limits_;
  State state_ = State::kOpStart;
  Op op_ = Op::kNone;
  char op_name_[8] = {};
  uint8_t op_len_ = 0;

  // Split control line, copied here across Feed() calls.
  std::string arg_buf_;
  bool arg_split_ = false;
  // Pending PUB/HPUB: the control line (owned copy while the payload is split) and sizes.
  std::string pub_line_;
  std::string_view pub_line_view_;  // into the caller's bytes, arg_buf_ or pub_line_
  size_t pub_subject_off_ = 0;
  size_t pub_subject_len_ = 0;
  size_t pub_reply_off_ = 0;
  size_t pub_reply_len_ = 0;
  size_t pub_header_size_ = 0;
  size_t pub_total_size_ = 0;
  bool pub_hpub_ = false;
  // Split payload (+CRLF), copied here across Feed() calls.
  std::string msg_buf_;
  bool msg_split_ = false;
};

}  // namespace kvgate::natswire
