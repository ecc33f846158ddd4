// Tests for protocols/nats/headers and protocols/nats/writer.
#include "protocols/nats/headers.h"

#include <catch2/catch.hpp>

#include "protocols/nats/writer.h"

namespace kvgate::natswire {

TEST_CASE("header block parse: fields in order, exact case, status forms", "[nats][headers]") {
  HeaderBlock h;
  REQUIRE(ParseHeaderBlock("NATS/1.0\r\nKV-Operation: DEL\r\nNats-Rollup:sub\r\n\r\n", &h));
  CHECK(h.status == 0);
  CHECK(h.description.empty());
  REQUIRE(h.fields.size() == 2);
  CHECK(h.fields[0].name == "KV-Operation");
  CHECK(h.fields[0].value == "DEL");
  CHECK(h.fields[1].name == "Nats-Rollup");
  CHECK(h.fields[1].value == "sub");
  CHECK(h.Get("KV-Operation") == std::optional<std::string_view>("DEL"));
  CHECK(!h.Get("kv-operation").has_value());
  CHECK(h.GetIgnoreCase("kv-operation") == std::optional<std::string_view>("DEL"));

  REQUIRE(ParseHeaderBlock("NATS/1.0 503\r\n\r\n", &h));
  CHECK(h.status == 503);
  CHECK(h.description.empty());
  CHECK(h.fields.empty());

  REQUIRE(ParseHeaderBlock("NATS/1.0 404 Message Not Found\r\n\r\n", &h));
  CHECK(h.status == 404);
  CHECK(h.description == "Message Not Found");

  REQUIRE(ParseHeaderBlock(
      "NATS/1.0 100 Idle Heartbeat\r\nNats-Last-Consumer: 3\r\nNats-Last-Stream: 12\r\n\r\n", &h));
  CHECK(h.status == 100);
  CHECK(h.description == "Idle Heartbeat");
  CHECK(h.Get("Nats-Last-Stream") == std::optional<std::string_view>("12"));

  // Values keep inner spaces; duplicate names keep both in order.
  REQUIRE(ParseHeaderBlock("NATS/1.0\nA: x y \nA: 2\n", &h));
  REQUIRE(h.fields.size() == 2);
  CHECK(h.fields[0].value == "x y");
  CHECK(h.Get("A") == std::optional<std::string_view>("x y"));
}

TEST_CASE("header block parse rejects malformed blocks", "[nats][headers]") {
  HeaderBlock h;
  CHECK_FALSE(ParseHeaderBlock("", &h));
  CHECK_FALSE(ParseHeaderBlock("HTTP/1.1\r\n\r\n", &h));
  CHECK_FALSE(ParseHeaderBlock("NATS/1.0x\r\n\r\n", &h));
  CHECK_FALSE(ParseHeaderBlock("NATS/1.0 5\r\n\r\n", &h));
  CHECK_FALSE(ParseHeaderBlock("NATS/1.0 abc\r\n\r\n", &h));
  CHECK_FALSE(ParseHeaderBlock("NATS/1.0 4040\r\n\r\n", &h));
  CHECK_FALSE(ParseHeaderBlock("NATS/1.0\r\nno colon\r\n\r\n", &h));
  CHECK_FALSE(ParseHeaderBlock("NATS/1.0\r\n: empty name\r\n\r\n", &h));
}

TEST_CASE("header field lines are extracted verbatim", "[nats][headers]") {
  CHECK(HeaderFieldLines("NATS/1.0\r\nKV-Operation: DEL\r\n\r\n") == "KV-Operation: DEL\r\n");
  CHECK(HeaderFieldLines("NATS/1.0\r\nA: 1\r\nB:2\r\n\r\n") == "A: 1\r\nB:2\r\n");
  CHECK(HeaderFieldLines("NATS/1.0\r\n\r\n").empty());
  CHECK(HeaderFieldLines("").empty());
  CHECK(HeaderFieldLines("garbage\r\nA: 1\r\n\r\n").empty());
  CHECK(HeaderFieldLines("NATS/1.0\r\nA: 1\r\n").empty());
}

TEST_CASE("header builder produces the exact wire bytes", "[nats][headers]") {
  std::string out;
  HeaderBuilder b(&out);
  b.Start();
  b.Add("KV-Operation", "DEL");
  b.Finish();
  CHECK(out == "NATS/1.0\r\nKV-Operation: DEL\r\n\r\n");
  CHECK(out.size() == 31);

  out.clear();
  b.Start(404, "Message Not Found");
  b.Finish();
  CHECK(out == "NATS/1.0 404 Message Not Found\r\n\r\n");
  CHECK(out.size() == 34);

  out.clear();
  b.Start(503);
  b.Finish();
  CHECK(out == "NATS/1.0 503\r\n\r\n");
  CHECK(out.size() == 16);

  out.clear();
  b.Start(100, "Idle Heartbeat");
  b.AddUint("Nats-Last-Consumer", 3);
  b.AddUint("Nats-Last-Stream", 12);
  b.Finish();
  CHECK(out.size() == 76);

  // Round trip.
  HeaderBlock h;
  REQUIRE(ParseHeaderBlock(out, &h));
  CHECK(h.status == 100);
  CHECK(h.Get("Nats-Last-Consumer") == std::optional<std::string_view>("3"));
}

TEST_CASE("writer frames", "[nats][writer]") {
  protocols::OutChain out;
  WriteInfo(out, "{\"a\":1}");
  WriteOk(out);
  WriteErr(out, "Unknown Protocol Operation");
  WritePing(out);
  WritePong(out);
  WriteMsg(out, "foo", "1", "", "hello");
  WriteMsg(out, "foo", "1", "_INBOX.x", "");
  WriteHmsg(out, "_INBOX.x.1", "2", "", "NATS/1.0 503\r\n\r\n", "");
  WriteHmsg(out, "$KV.b.k", "3", "$JS.ACK.x", "NATS/1.0\r\n\r\n", "v");
  WriteMessage(out, "a", "4", "", "", "p");
  CHECK(out.ToString() ==
        "INFO {\"a\":1} \r\n"
        "+OK\r\n"
        "-ERR 'Unknown Protocol Operation'\r\n"
        "PING\r\nPONG\r\n"
        "MSG foo 1 5\r\nhello\r\n"
        "MSG foo 1 _INBOX.x 0\r\n\r\n"
        "HMSG _INBOX.x.1 2 16 16\r\nNATS/1.0 503\r\n\r\n\r\n"
        "HMSG $KV.b.k 3 $JS.ACK.x 12 13\r\nNATS/1.0\r\n\r\nv\r\n"
        "MSG a 4 1\r\np\r\n");
}

}  // namespace kvgate::natswire
