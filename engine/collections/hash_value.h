// File: engine/collections/hash_value.h
// A Redis hash: fields and values in insertion order (StrTable), labelled with the encoding
// redis-server 7.0 would use. Redis keeps a hash as a listpack until it has more than
// hash-max-listpack-entries fields or a field or value longer than hash-max-listpack-value,
// then as a hashtable for good; the label decides OBJECT ENCODING and whether HSCAN answers in
// one call, as there.
//
//   HashValue h;
//   h.table().Set("f", "v");
//   h.NoteWrite("f", "v", 128, 64);   // after every write: the listpack label may go
#pragma once

#include <memory>
#include <string_view>

#include "engine/collection.h"
#include "engine/collection_delta.h"
#include "engine/collections/str_table.h"

namespace kvgate::engine {

class HashValue final : public Collection {
 public:
  static constexpr ValueType kType = ValueType::kHash;

  HashValue() : Collection(kType) {
  }

  // Changes go through Set/Insert/Erase (recorded for the redo log, collection_delta.h);
  // table() is for building a new hash (RESTORE, decoding) and for reading.
  coll::StrTable& table() {
    return table_;
  }
  const coll::StrTable& table() const {
    return table_;
  }
  // field = value; true if the field is new.
  bool Set(std::string_view field, std::string_view value) {
    if (delta() != nullptr) delta::Put(delta(), delta::Op::kHashSet, field, value);
    return table_.Set(field, value);
  }
  // Only if absent (HSETNX); true if inserted.
  bool Insert(std::string_view field, std::string_view value) {
    if (delta() != nullptr) delta::Put(delta(), delta::Op::kHashInsert, field, value);
    return table_.Insert(field, value);
  }
  bool Erase(std::string_view field) {
    if (delta() != nullptr) delta::Put(delta(), delta::Op::kHashErase, field);
    return table_.Erase(field);
  }
  // Redis's listpack -> hashtable conversion after writing `field` = `value`.
  void NoteWrite(std::string_view field, std::string_view value, size_t max_entries,
                 size_t max_value) {
    if (listpack_ &&
        (table_.size() > max_entries || field.size() > max_value || value.size() > max_value)) {
      ToHashtable();
    }
  }
  void ToHashtable() {
    if (delta() != nullptr && listpack_) delta::Put(delta(), delta::Op::kHashTable);
    listpack_ = false;
  }
  bool listpack() const {
    return listpack_;
  }

  size_t size() const override {
    return table_.size();
  }
  uint64_t MemoryBytes() const override {
    return sizeof(*this) + table_.MemoryBytes();
  }
  std::string_view EncodingName() const override {
    return listpack_ ? "listpack" : "hashtable";
  }
  std::unique_ptr<Collection> Clone() const override {
    return std::make_unique<HashValue>(*this);
  }

 private:
  coll::StrTable table_;
  bool listpack_ = true;
};

}  // namespace kvgate::engine
