// File: engine/collection_delta.cc
// Applying recorded collection operations (collection_delta.h) through the same mutators that
// recorded them. Arguments are checked before use (an index within the list, a non-NaN score),
// so a corrupt record is refused rather than crashing.
//
//   ApplyCollectionDelta(list, ops);   // false: malformed or for another type
#include "engine/collection_delta.h"

#include <cmath>
#include <string_view>
#include <vector>

#include "engine/collections/hash_value.h"
#include "engine/collections/list_value.h"
#include "engine/collections/set_value.h"
#include "engine/collections/stream_value.h"
#include "engine/collections/zset_value.h"

namespace kvgate::engine {

namespace {

using delta::Op;

bool ApplyHash(HashValue& h, Op op, detail::Reader& r) {
  std::string_view a;
  std::string_view b;
  switch (op) {
    case Op::kHashSet:
      if (!r.String(&a) || !r.String(&b)) return false;
      h.Set(a, b);
      return true;
    case Op::kHashInsert:
      if (!r.String(&a) || !r.String(&b)) return false;
      h.Insert(a, b);
      return true;
    case Op::kHashErase:
      if (!r.String(&a)) return false;
      h.Erase(a);
      return true;
    case Op::kHashTable:
      h.ToHashtable();
      return true;
    default:
      return false;
  }
}

bool ApplySet(SetValue& s, Op op, detail::Reader& r) {
  std::string_view m;
  int64_t cap = 0;
  switch (op) {
    case Op::kSetAdd:
      if (!r.String(&m) || !r.Signed(&cap) || cap < 0) return false;
      s.Add(m, static_cast<size_t>(cap));
      return true;
    case Op::kSetRemove:
      if (!r.String(&m)) return false;
      s.Remove(m);
      return true;
    case Op::kSetClear:
      s.Clear();
      return true;
    default:
      return false;
  }
}

bool ApplyList(ListValue& l, Op op, detail::Reader& r) {
  std::string_view v;
  uint64_t i = 0;
  uint64_t j = 0;
  int64_t count = 0;
  switch (op) {
    case Op::kListPushFront:
      if (!r.String(&v)) return false;
      l.PushFront(v);
      return true;
    case Op::kListPushBack:
      if (!r.String(&v)) return false;
      l.PushBack(v);
      return true;
    case Op::kListPopFront:
      return l.PopFront(nullptr);
    case Op::kListPopBack:
      return l.PopBack(nullptr);
    case Op::kListSet:
      if (!r.Varint(&i) || !r.String(&v) || i >= l.size()) return false;
      l.Set(i, v);
      return true;
    case Op::kListInsert:
      if (!r.Varint(&i) || !r.String(&v) || i > l.size()) return false;
      l.Insert(i, v);
      return true;
    case Op::kListRemove:
      if (!r.String(&v) || !r.Signed(&count)) return false;
      l.Remove(v, count);
      return true;
    case Op::kListTrim:
      if (!r.Varint(&i) || !r.Varint(&j) || i > l.size() || j > l.size()) return false;
      l.Trim(i, j);
      return true;
    default:
      return false;
  }
}

bool ApplyZSet(ZSetValue& z, Op op, detail::Reader& r) {
  std::string_view m;
  double score = 0;
  uint64_t on = 0;
  uint64_t unused = 0;
  switch (op) {
    case Op::kZSet:
      if (!r.String(&m) || !r.Double(&score) || std::isnan(score)) return false;
      z.Set(m, score);
      return true;
    case Op::kZErase:
      if (!r.String(&m)) return false;
      z.Erase(m);
      return true;
    case Op::kZListpack:
      if (!r.Varint(&on) || !r.Varint(&unused) || on > 1) return false;
      z.set_listpack(on == 1);
      return true;
    case Op::kZClearNegZeros:
      z.ClearNegativeZeros();
      return true;
    default:
      return false;
  }
}

bool ApplyStream(StreamValue& s, Op op, detail::Reader& r) {
  StreamId id;
  uint64_t n = 0;
  switch (op) {
    case Op::kStreamAppend: {
      uint8_t new_node = 0;
      if (!r.Id(&id) || !r.Byte(&new_node) || new_node > 1 || !r.Count(&n, 1) || n == 0 ||
          n % 2 != 0 || id <= s.last_id()) {
        return false;
      }
      std::vector<std::string_view> fv(n);
      for (std::string_view& x : fv) {
        if (!r.String(&x)) return false;
      }
      s.Append(id, fv, new_node == 1);
      return true;
    }
    case Op::kStreamDelete:
      if (!r.Id(&id)) return false;
      s.Delete(id);
      return true;
    case Op::kStreamTrim: {
      StreamTrim t;
      uint8_t by = 0;
      uint8_t approx = 0;
      if (!r.Byte(&by) || !r.Byte(&approx) || by > static_cast<uint8_t>(StreamTrim::By::kMinId) ||
          approx > 1 || !r.Varint(&t.maxlen) || !r.Id(&t.minid) || !r.Signed(&t.limit) ||
          t.limit < 0) {
        return false;
      }
      t.by = static_cast<StreamTrim::By>(by);
      t.approx = approx == 1;
      s.Trim(t);
      return true;
    }
    case Op::kStreamLastId:
      if (!r.Id(&id)) return false;
      s.SetLastId(id);
      return true;
    case Op::kStreamEntriesAdded:
      if (!r.Varint(&n)) return false;
      s.SetEntriesAdded(n);
      return true;
    case Op::kStreamMaxDeleted:
      if (!r.Id(&id)) return false;
      s.SetMaxDeletedId(id);
      return true;
    case Op::kStreamFirstId:
      if (!r.Id(&id)) return false;
      s.SetFirstId(id);
      return true;
    case Op::kStreamFlagLastDeleted:
      if (s.node_count() == 0) return false;
      s.FlagLastDeleted();
      return true;
    case Op::kGroupPut:
    case Op::kGroupDestroy:
    case Op::kConsumerPut:
    case Op::kConsumerDelete:
    case Op::kNackPut:
    case Op::kNackDelete:
      return s.groups().Apply(static_cast<uint8_t>(op), r);
    default:
      return false;
  }
}

}  // namespace

bool ApplyCollectionDelta(Collection& c, std::string_view ops) {
  detail::Reader r(ops);
  while (!r.done()) {
    uint8_t byte = 0;
    if (!r.Byte(&byte)) return false;
    const auto op = static_cast<Op>(byte);
    bool ok = false;
    switch (c.type()) {
      case ValueType::kHash:
        ok = ApplyHash(static_cast<HashValue&>(c), op, r);
        break;
      case ValueType::kSet:
        ok = ApplySet(static_cast<SetValue&>(c), op, r);
        break;
      case ValueType::kList:
        ok = ApplyList(static_cast<ListValue&>(c), op, r);
        break;
      case ValueType::kZSet:
        ok = ApplyZSet(static_cast<ZSetValue&>(c), op, r);
        break;
      case ValueType::kStream:
        ok = ApplyStream(static_cast<StreamValue&>(c), op, r);
        break;
      default:
        break;
    }
    if (!ok) return false;
  }
  return true;
}

}  // namespace kvgate::engine
