// Nats-Msg-Id windows on their own: lookup within the window, lazy expiry, per-bucket
// separation, the id cap and Forget.
#include "translate/nats/msg_id_dedupe.h"

#include <catch2/catch.hpp>

namespace kvgate::nats {
namespace {

constexpr int64_t kSec = 1'000'000'000;

TEST_CASE("msg id dedupe: found within the window, gone after it", "[nats][dedupe]") {
  MsgIdDedupe d;
  CHECK(d.Find("b", "id", 2 * kSec, 0) == 0);
  d.Remember("b", "id", 7, 0);
  CHECK(d.Find("b", "id", 2 * kSec, 2 * kSec) == 7);  // the window's edge still counts
  CHECK(d.Find("other", "id", 2 * kSec, 2 * kSec) == 0);
  CHECK(d.Find("b", "id", 2 * kSec, 2 * kSec + 1) == 0);
  CHECK(d.Find("b", "id", 2 * kSec, 0) == 0);  // expired ids were dropped, not hidden
}

TEST_CASE("msg id dedupe: no window keeps nothing", "[nats][dedupe]") {
  MsgIdDedupe d;
  d.Remember("b", "id", 3, 0);
  CHECK(d.Find("b", "id", 0, 0) == 0);
}

TEST_CASE("msg id dedupe: the cap drops the oldest id; Forget drops the bucket", "[nats][dedupe]") {
  MsgIdDedupe d(/*max_ids=*/2);
  d.Remember("b", "a", 1, 0);
  d.Remember("b", "b", 2, 0);
  d.Remember("b", "c", 3, 0);
  CHECK(d.Find("b", "a", kSec, 0) == 0);
  CHECK(d.Find("b", "b", kSec, 0) == 2);
  CHECK(d.Find("b", "c", kSec, 0) == 3);
  d.Forget("b");
  CHECK(d.Find("b", "c", kSec, 0) == 0);
}

}  // namespace
}  // namespace kvgate::nats
