// Reply writer: exact RESP2 and RESP3 bytes for every value type.
#include <catch2/catch.hpp>

#include <string>

#include "protocols/buffer.h"
#include "protocols/resp/reply_writer.h"

namespace kvgate::resp {
namespace {

template <typename Fn>
std::string Write(int resp, Fn&& fn) {
  protocols::OutChain out;
  ReplyWriter w(&out, resp);
  fn(w);
  return out.ToString();
}

TEST_CASE("scalar replies", "[resp]") {
  for (int resp : {2, 3}) {
    CHECK(Write(resp, [](ReplyWriter& w) { w.Ok(); }) == "+OK\r\n");
    CHECK(Write(resp, [](ReplyWriter& w) { w.SimpleString("PONG"); }) == "+PONG\r\n");
    CHECK(Write(resp, [](ReplyWriter& w) { w.Error("ERR bad\r\nthing"); }) ==
          "-ERR bad  thing\r\n");
    CHECK(Write(resp, [](ReplyWriter& w) { w.Integer(-9223372036854775807LL - 1); }) ==
          ":-9223372036854775808\r\n");
    CHECK(Write(resp, [](ReplyWriter& w) { w.Integer(0); }) == ":0\r\n");
    CHECK(Write(resp, [](ReplyWriter& w) { w.Bulk(""); }) == "$0\r\n\r\n");
    CHECK(Write(resp, [](ReplyWriter& w) { w.Bulk(std::string("a\0b", 3)); }) ==
          std::string("$3\r\na\0b\r\n", 9));
  }
}

TEST_CASE("large bulk strings span blocks", "[resp]") {
  std::string big(protocols::OutChain::kBlockSize * 3 + 17, 'z');
  CHECK(Write(2, [&](ReplyWriter& w) { w.Bulk(big); }) ==
        "$" + std::to_string(big.size()) + "\r\n" + big + "\r\n");
}

TEST_CASE("types that differ between RESP2 and RESP3", "[resp]") {
  CHECK(Write(2, [](ReplyWriter& w) { w.Null(); }) == "$-1\r\n");
  CHECK(Write(3, [](ReplyWriter& w) { w.Null(); }) == "_\r\n");
  CHECK(Write(2, [](ReplyWriter& w) { w.NullArray(); }) == "*-1\r\n");
  CHECK(Write(3, [](ReplyWriter& w) { w.NullArray(); }) == "_\r\n");
  auto map = [](ReplyWriter& w) {
    w.MapHeader(2);
    w.Bulk("a");
    w.Integer(1);
    w.Bulk("b");
    w.Integer(2);
  };
  CHECK(Write(2, map) == "*4\r\n$1\r\na\r\n:1\r\n$1\r\nb\r\n:2\r\n");
  CHECK(Write(3, map) == "%2\r\n$1\r\na\r\n:1\r\n$1\r\nb\r\n:2\r\n");
  CHECK(Write(2, [](ReplyWriter& w) { w.SetHeader(3); }) == "*3\r\n");
  CHECK(Write(3, [](ReplyWriter& w) { w.SetHeader(3); }) == "~3\r\n");
  CHECK(Write(2, [](ReplyWriter& w) { w.PushHeader(3); }) == "*3\r\n");
  CHECK(Write(3, [](ReplyWriter& w) { w.PushHeader(3); }) == ">3\r\n");
  CHECK(Write(2, [](ReplyWriter& w) { w.ArrayHeader(0); }) == "*0\r\n");
  CHECK(Write(2, [](ReplyWriter& w) { w.Double(1.5); }) == "$3\r\n1.5\r\n");
  CHECK(Write(3, [](ReplyWriter& w) { w.Double(1.5); }) == ",1.5\r\n");
  CHECK(Write(3, [](ReplyWriter& w) { w.Double(-1.0 / 0.0); }) == ",-inf\r\n");
  CHECK(Write(2, [](ReplyWriter& w) { w.Verbatim("txt", "a:1\r\n"); }) == "$5\r\na:1\r\n\r\n");
  CHECK(Write(3, [](ReplyWriter& w) { w.Verbatim("txt", "a:1\r\n"); }) == "=9\r\ntxt:a:1\r\n\r\n");
  CHECK(Write(2, [](ReplyWriter& w) { w.Bool(true); }) == ":1\r\n");
  CHECK(Write(3, [](ReplyWriter& w) { w.Bool(false); }) == "#f\r\n");
}

}  // namespace
}  // namespace kvgate::resp
