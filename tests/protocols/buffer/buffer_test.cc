// InBuffer / OutChain: the byte plumbing every connection uses.
#include <catch2/catch.hpp>

#include <string>

#include "protocols/buffer.h"

using kvgate::protocols::InBuffer;
using kvgate::protocols::OutChain;

TEST_CASE("InBuffer reserve, commit and consume keep unconsumed bytes in order", "[buffer]") {
  InBuffer in;
  auto tail = in.Reserve(4);
  REQUIRE(tail.size() >= 4);
  std::memcpy(tail.data(), "abcd", 4);
  in.Commit(4);
  REQUIRE(in.Data() == "abcd");
  in.Consume(1);
  REQUIRE(in.Data() == "bcd");
  // Growing past the capacity keeps the unconsumed bytes.
  std::string big(100000, 'z');
  in.Append(big);
  REQUIRE(in.size() == 3 + big.size());
  REQUIRE(in.Data().substr(0, 3) == "bcd");
  in.Consume(in.size());
  REQUIRE(in.empty());
  in.ShrinkIfIdle(1024);
  REQUIRE(in.capacity() == 0);
}

TEST_CASE("InBuffer slides a consumed prefix instead of growing", "[buffer]") {
  InBuffer in;
  in.Append(std::string(1000, 'a'));
  size_t cap = in.capacity();
  in.Consume(990);
  in.Append(std::string(cap - 20, 'b'));
  REQUIRE(in.capacity() == cap);
  REQUIRE(in.Data().substr(0, 10) == std::string(10, 'a'));
  REQUIRE(in.size() == 10 + cap - 20);
}

TEST_CASE("OutChain appends across blocks and ConsumeFront drops written bytes", "[buffer]") {
  OutChain out;
  std::string expect;
  for (int i = 0; i < 5000; ++i) {
    std::string piece = "item" + std::to_string(i) + ";";
    out.Append(piece);
    expect += piece;
  }
  out.AppendInt(-42);
  out.AppendUint(18446744073709551615ull);
  out.Append('!');
  expect += "-4218446744073709551615!";
  REQUIRE(out.ToString() == expect);
  REQUIRE(out.bytes() == expect.size());

  // Consume in uneven steps, across block boundaries.
  size_t consumed = 0;
  for (size_t step : {3ul, 16380ul, 1ul, 20000ul}) {
    out.ConsumeFront(step);
    consumed += step;
    REQUIRE(out.ToString() == expect.substr(consumed));
  }
  out.ConsumeFront(out.bytes());
  REQUIRE(out.empty());
  out.Append("again");
  REQUIRE(out.ToString() == "again");
}

TEST_CASE("OutChain Detach hands over everything, including a consumed offset", "[buffer]") {
  OutChain out;
  out.Append(std::string(20000, 'q'));
  out.Append("tail");
  out.ConsumeFront(5);
  auto batch = out.Detach();
  REQUIRE(out.empty());
  REQUIRE(batch.bytes() == 20000 - 5 + 4);
  std::string joined;
  size_t skip = batch.front_offset();
  for (const auto& b : batch.blocks()) {
    joined.append(b.data.get() + skip, b.size - skip);
    skip = 0;
  }
  REQUIRE(joined == std::string(19995, 'q') + "tail");
  out.Append("next");
  REQUIRE(out.ToString() == "next");
}

TEST_CASE("OutChain Reserve/Commit writes in place", "[buffer]") {
  OutChain out;
  char* p = out.Reserve(64 * 1024);
  std::memset(p, 'r', 64 * 1024);
  out.Commit(64 * 1024);
  REQUIRE(out.bytes() == 64 * 1024);
  REQUIRE(out.ToString() == std::string(64 * 1024, 'r'));
}
