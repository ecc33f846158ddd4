// File: tests/crash/nats_crash.cc
// Crash test of kvgate's NATS KV persistence: kill -9 under write load, restart, check.
//
//   nats_crash --policy always|everysec|no [--appendonly no|yes] [--rounds N] [--seed S]
//   nats_crash --expect-loss     (self-check: restarts on an empty --dir must fail)
//   nats_crash --no-persist --no-crash   (self-check: no false alarm without kills)
//   nats_crash --reference       (self-check: the same against nats-server -js, file storage)
//
// Forks $KVGATE_BINARY with --dir D (storage "file" buckets are logged whatever --appendonly
// says), creates a file KV bucket with history 5 and runs W writer threads, each on its own
// connection and keys: kvStore_Put, kvStore_Create, kvStore_Update with the expected revision,
// deletes (kvStore_Delete, and the same DEL marker through js_PublishMsg so its PubAck revision
// is known). After a random 0.05-0.5 s the server gets SIGKILL and is restarted on the same
// directory. Every key's history (kvStore_History) must then be the last 5 of its acknowledged
// (revision, value) records, or of those plus the one write in flight at the kill; every
// acknowledged revision reads back through kvStore_GetRevision unless pushed out of history;
// the stream's message count matches, its last sequence never goes backwards and a new put gets
// a revision above every acknowledged one. Rounds continue on the same directory; a last restart
// after SIGTERM checks once more.
//
// KVGATE_CRASH_ROUNDS=N raises the round count (for long local runs). A failure prints the seed;
// thread timing is not reproducible, the operation streams and kill delays are.
#include <nats/nats.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "crash/nats_crash_support.h"

// libnats 3.4.1 keeps a few allocations of its own until exit (see tests/integration).
extern "C" const char* __lsan_default_suppressions() {
  return "leak:libnats.so\n";
}

namespace {

using namespace kvgate::crash;
using namespace std::chrono_literals;

constexpr int kKeysPerWriter = 6;

// One write of a key: revision 0 = not known (kvStore_Delete does not return it).
struct Rec {
  uint64_t rev = 0;
  bool del = false;
  std::string value;
};

// The last 8 records (enough to see a history of 5 and what came before it).
std::string Show(const std::vector<Rec>& recs) {
  std::string out = recs.size() > 8 ? "[... " : "[";
  for (size_t i = recs.size() > 8 ? recs.size() - 8 : 0; i < recs.size(); ++i) {
    const Rec& r = recs[i];
    out +=
        (out.back() != '[' ? " " : "") + std::to_string(r.rev) + (r.del ? ":DEL" : ":" + r.value);
  }
  return out + "]";
}

// A key's acknowledged writes in revision order, and the write in flight at the kill.
struct KeyLog {
  std::vector<Rec> acked;
  std::optional<Rec> pending;
  size_t checked = 0;  // acked[0, checked) were read back by an earlier verification
};
using Model = std::map<std::string, KeyLog>;

// Writes its own keys w<id>.k<n> with one connection, one request at a time.
class Writer {
 public:
  Writer(int id, uint64_t seed) : id_(id), seed_(seed) {
    // Appended piecewise: GCC 12's -Wrestrict misfires on `"w" + to_string(id) + ...` at -O3.
    for (int k = 0; k < kKeysPerWriter; ++k) {
      std::string key = "w";
      key += std::to_string(id);
      key += ".k";
      key += std::to_string(k);
      keys[key];
    }
  }
  void Start(int round, int port, const std::atomic<bool>* killed) {
    rng_.seed(seed_ * 1000003 + static_cast<uint64_t>(round) * 101 + static_cast<uint64_t>(id_));
    for (auto& [key, log] : keys) log.pending.reset();
    error.clear();
    acked = 0;
    ready = false;
    thread_ = std::thread([this, port, killed] {
      try {
        Run(port, *killed);
      } catch (const CheckFailure& e) {
        error = "writer " + std::to_string(id_) + ": " + e.what();
      } catch (const std::exception& e) {
        if (!killed->load()) error = "writer " + std::to_string(id_) + ": " + e.what();
      }
      ready = true;
    });
  }
  void Join() {
    thread_.join();
  }

  Model keys;
  std::string error;
  int acked = 0;
  std::atomic<bool> ready{false};

 private:
  enum class Op { kPut, kCreate, kUpdate, kDelete, kPublishDelete, kCreateExisting };

  void Run(int port, const std::atomic<bool>& killed) {
    Session s(port);
    if (natsStatus st = s.Bind(); st != NATS_OK) throw std::runtime_error(StatusText(st));
    ready = true;
    std::uniform_real_distribution<double> unit(0, 1);
    while (!killed.load()) {
      auto it = keys.begin();
      std::advance(it, static_cast<long>(rng_() % keys.size()));
      const std::string& key = it->first;
      KeyLog& log = it->second;
      const Rec* last = log.acked.empty() ? nullptr : &log.acked.back();
      bool exists = last != nullptr && !last->del;
      double p = unit(rng_);
      Op op = !exists                    ? (p < 0.5 ? Op::kCreate : Op::kPut)
              : p < 0.35                 ? Op::kPut
              : p < 0.6 && last->rev > 0 ? Op::kUpdate
              : p < 0.75                 ? Op::kPublishDelete
              : p < 0.9                  ? Op::kDelete
              : p < 0.95                 ? Op::kCreateExisting
                                         : Op::kPut;
      Rec rec;
      rec.del = op == Op::kDelete || op == Op::kPublishDelete;
      if (!rec.del) rec.value = "w" + std::to_string(id_) + "." + std::to_string(++seq_);
      const void* data = rec.value.data();
      int len = static_cast<int>(rec.value.size());
      const char* k = key.c_str();
      if (op == Op::kCreateExisting) {
        // Must be refused: the key exists. A kvgate that lost it would accept.
        if (kvStore_Create(&rec.rev, s.kv, k, data, len) == NATS_OK) {
          throw CheckFailure("kvStore_Create of existing " + key + " (last " + Show({*last}) +
                             ") succeeded, revision " + std::to_string(rec.rev));
        }
        continue;
      }
      natsStatus st = NATS_OK;
      log.pending = rec;
      if (op == Op::kPut) st = kvStore_Put(&rec.rev, s.kv, k, data, len);
      if (op == Op::kCreate) st = kvStore_Create(&rec.rev, s.kv, k, data, len);
      if (op == Op::kUpdate) st = kvStore_Update(&rec.rev, s.kv, k, data, len, last->rev);
      if (op == Op::kDelete) st = kvStore_Delete(s.kv, k);
      if (op == Op::kPublishDelete) st = PublishDelete(s.js, key, &rec.rev);
      if (st != NATS_OK) {
        if (killed.load()) return;  // the kill: this write stays pending
        throw std::runtime_error("write to " + key + ": " + StatusText(st));
      }
      log.pending.reset();
      if (rec.rev != 0 && last != nullptr && last->rev >= rec.rev) {
        throw CheckFailure(key + ": revision " + std::to_string(rec.rev) + " after " +
                           std::to_string(last->rev));
      }
      log.acked.push_back(rec);
      ++acked;
    }
  }

  // What kvStore_Delete sends (a KV-Operation: DEL marker), keeping the PubAck's sequence.
  static natsStatus PublishDelete(jsCtx* js, const std::string& key, uint64_t* rev) {
    natsMsg* m = nullptr;
    std::string subject = std::string("$KV.") + kBucket + "." + key;
    natsStatus st = natsMsg_Create(&m, subject.c_str(), nullptr, nullptr, 0);
    if (st == NATS_OK) st = natsMsgHeader_Set(m, "KV-Operation", "DEL");
    jsPubAck* pa = nullptr;
    if (st == NATS_OK) st = js_PublishMsg(&pa, js, m, nullptr, nullptr);
    if (st == NATS_OK) *rev = pa->Sequence;
    jsPubAck_Destroy(pa);
    natsMsg_Destroy(m);
    return st;
  }

  int id_;
  uint64_t seed_;
  uint64_t seq_ = 0;
  std::mt19937_64 rng_;
  std::thread thread_;
};

// True when `actual` is the last kHistory of `recs` (unknown revisions just increase).
bool Retains(const std::vector<Rec>& recs, const std::vector<Rec>& actual) {
  size_t n = std::min<size_t>(recs.size(), kHistory);
  if (actual.size() != n) return false;
  for (size_t i = 0; i < n; ++i) {
    const Rec& want = recs[recs.size() - n + i];
    const Rec& got = actual[i];
    if (want.del != got.del || (!want.del && want.value != got.value)) return false;
    if (want.rev != 0 ? got.rev != want.rev : i > 0 && got.rev <= actual[i - 1].rev) return false;
  }
  return true;
}

class Verifier {
 public:
  Verifier(Session& s, std::mt19937_64& rng) : s_(s), rng_(rng) {
  }

  // Checks one key and settles its pending write; returns how many messages it keeps.
  size_t Key(const std::string& key, KeyLog& log) {
    std::vector<Rec> actual = History(key);
    std::vector<Rec> with = log.acked;
    if (log.pending) with.push_back(*log.pending);
    const std::vector<Rec>* matched = Retains(log.acked, actual)             ? &log.acked
                                      : log.pending && Retains(with, actual) ? &with
                                                                             : nullptr;
    if (matched == nullptr) {
      throw CheckFailure(key + ": history after restart is " + Show(actual) +
                         ", acknowledged (last " + std::to_string(kHistory) + " count) " +
                         Show(log.acked) + ", in flight at the kill " +
                         (log.pending ? Show({*log.pending}) : "none"));
    }
    if (matched == &with) {
      log.acked = with;
      ++survived;
    }
    log.pending.reset();
    // Revisions kvStore_Delete did not report are known now.
    size_t keep_from = log.acked.size() - actual.size();
    std::copy(actual.begin(), actual.end(), log.acked.begin() + static_cast<long>(keep_from));
    for (const Rec& r : actual) max_rev = std::max(max_rev, r.rev);
    // kvStore_GetRevision: the retained ones read back, the pushed-out new ones are gone.
    std::vector<size_t> idx;
    for (size_t i = std::min(log.checked, keep_from); i < log.acked.size(); ++i) idx.push_back(i);
    if (idx.size() > 40) {  // bounded per key; the retained ones always
      std::shuffle(idx.begin(), idx.end() - static_cast<long>(actual.size()), rng_);
      idx.erase(idx.begin() + 40 - static_cast<long>(actual.size()),
                idx.end() - static_cast<long>(actual.size()));
    }
    for (size_t i : idx) GetRevision(key, log.acked[i], i >= keep_from);
    log.checked = log.acked.size();
    CheckGet(key, actual);
    return actual.size();
  }

  uint64_t max_rev = 0;
  int survived = 0;  // in-flight writes found after the restart

 private:
  std::vector<Rec> History(const std::string& key) {
    kvEntryList list{};
    natsStatus st = kvStore_History(&list, s_.kv, key.c_str(), nullptr);
    std::vector<Rec> out;
    if (st == NATS_NOT_FOUND) return out;
    if (st != NATS_OK) throw CheckFailure("kvStore_History " + key + ": " + StatusText(st));
    for (int i = 0; i < list.Count; ++i) {
      kvEntry* e = list.Entries[i];
      Rec r;
      r.rev = kvEntry_Revision(e);
      r.del = kvEntry_Operation(e) != kvOp_Put;
      if (!r.del) {
        r.value.assign(static_cast<const char*>(kvEntry_Value(e)),
                       static_cast<size_t>(kvEntry_ValueLen(e)));
      }
      out.push_back(r);
    }
    kvEntryList_Destroy(&list);
    return out;
  }
  void GetRevision(const std::string& key, const Rec& r, bool retained) {
    if (r.rev == 0) return;  // pushed out before its revision was ever seen
    kvEntry* e = nullptr;
    natsStatus st = kvStore_GetRevision(&e, s_.kv, key.c_str(), r.rev);
    std::string got = st == NATS_OK ? std::string(static_cast<const char*>(kvEntry_Value(e)),
                                                  static_cast<size_t>(kvEntry_ValueLen(e)))
                                    : "<" + StatusText(st) + ">";
    kvEntry_Destroy(e);
    bool want_value = retained && !r.del;
    if (want_value ? (st != NATS_OK || got != r.value) : st != NATS_NOT_FOUND) {
      throw CheckFailure("kvStore_GetRevision(" + key + ", " + std::to_string(r.rev) +
                         ") = " + got + ", expected " + (want_value ? r.value : "<not found>") +
                         (retained ? "" : " (pushed out of history)"));
    }
  }
  void CheckGet(const std::string& key, const std::vector<Rec>& actual) {
    kvEntry* e = nullptr;
    natsStatus st = kvStore_Get(&e, s_.kv, key.c_str());
    bool live = !actual.empty() && !actual.back().del;
    bool ok =
        live ? st == NATS_OK && kvEntry_Revision(e) == actual.back().rev : st == NATS_NOT_FOUND;
    kvEntry_Destroy(e);
    if (!ok)
      throw CheckFailure("kvStore_Get(" + key + ") disagrees with its history " + Show(actual));
  }

  Session& s_;
  std::mt19937_64& rng_;
};

// After a restart: every key, then the stream's counts and sequence, then one new put.
int Verify(int port, std::vector<std::unique_ptr<Writer>>& writers, KeyLog& probe,
           uint64_t* last_seq, std::mt19937_64& rng, const std::string& label, bool expect_loss) {
  Session s(port);
  natsStatus st = s.Bind();
  // JetStream answers 10008 (unavailable) while the log is replayed; "not found" is an answer.
  for (int i = 0; i < 300 && st != NATS_OK && st != NATS_NOT_FOUND; ++i) {
    std::this_thread::sleep_for(100ms);
    st = s.Bind();
  }
  if (st != NATS_OK) {
    // The self-check goes on to the keys, so that it shows the key checks catch a loss.
    if (!expect_loss || s.Create() != NATS_OK) {
      throw CheckFailure(label + ": bucket " + kBucket +
                         " not usable after restart: " + StatusText(st));
    }
  }
  Verifier v(s, rng);
  uint64_t msgs = 0;
  std::set<std::string> live;
  auto check = [&](const std::string& key, KeyLog& log) {
    msgs += v.Key(key, log);
    if (!log.acked.empty() && !log.acked.back().del) live.insert(key);
  };
  for (auto& w : writers) {
    for (auto& [key, log] : w->keys) check(key, log);
  }
  check("probe", probe);
  jsStreamInfo* si = nullptr;
  std::string stream = std::string("KV_") + kBucket;
  st = js_GetStreamInfo(&si, s.js, stream.c_str(), nullptr, nullptr);
  if (st != NATS_OK) throw CheckFailure(label + ": stream info: " + StatusText(st));
  uint64_t got_msgs = si->State.Msgs, seq = si->State.LastSeq;
  bool file = si->Config->Storage == js_FileStorage;
  int64_t per_subject = si->Config->MaxMsgsPerSubject;
  jsStreamInfo_Destroy(si);
  std::ostringstream why;
  if (got_msgs != msgs) why << "stream holds " << got_msgs << " messages, keys' histories " << msgs;
  if (seq < v.max_rev || seq < *last_seq) {
    why << "last sequence " << seq << " below an acknowledged revision " << v.max_rev
        << " or the last sequence before " << *last_seq;
  }
  if (!file || per_subject != kHistory)
    why << "config lost: file " << file << ", history " << per_subject;
  kvKeysList keys{};
  st = kvStore_Keys(&keys, s.kv, nullptr);
  if (st != NATS_OK && st != NATS_NOT_FOUND) {
    throw CheckFailure(label + ": kvStore_Keys: " + StatusText(st));
  }
  std::set<std::string> got_keys;
  for (int i = 0; st == NATS_OK && i < keys.Count; ++i) got_keys.insert(keys.Keys[i]);
  if (st == NATS_OK) kvKeysList_Destroy(&keys);
  if (got_keys != live) {
    why << "kvStore_Keys has " << got_keys.size() << " keys, expected " << live.size();
  }
  if (!why.str().empty()) throw CheckFailure(label + ": " + why.str());
  // A revision is never reused: a new write lands above everything before the restart.
  Rec r{0, false, "probe." + label};
  st = kvStore_Put(&r.rev, s.kv, "probe", r.value.data(), static_cast<int>(r.value.size()));
  if (st != NATS_OK) throw CheckFailure(label + ": put after restart: " + StatusText(st));
  if (r.rev <= seq) {
    throw CheckFailure(label + ": put after restart got revision " + std::to_string(r.rev) +
                       ", the stream's last sequence is " + std::to_string(seq));
  }
  probe.acked.push_back(r);
  *last_seq = r.rev;
  return v.survived;
}

void Rounds(const Options& opt, Kvgate& server);

void Run(const Options& opt, const std::string& work) {
  Kvgate server(opt, work);
  try {
    Rounds(opt, server);
  } catch (...) {
    std::fprintf(stderr, "last kvgate log:\n%s\n", server.LogTail().c_str());
    throw;
  }
}

void Rounds(const Options& opt, Kvgate& server) {
  std::mt19937_64 rng(opt.seed);
  std::vector<std::unique_ptr<Writer>> writers;
  for (int i = 0; i < opt.writers; ++i) writers.push_back(std::make_unique<Writer>(i, opt.seed));
  KeyLog probe;
  uint64_t last_seq = 0;
  server.Start();
  if (natsStatus st = Session(server.port).Create(); st != NATS_OK) {
    throw std::runtime_error("create bucket: " + StatusText(st));
  }
  std::atomic<bool> killed{false};
  for (int round = 1; round <= opt.rounds; ++round) {
    killed = false;
    for (auto& w : writers) w->Start(round, server.port, &killed);
    for (auto& w : writers) {
      for (int i = 0; i < 1000 && !w->ready; ++i) std::this_thread::sleep_for(10ms);
    }
    std::uniform_int_distribution<int> delay(50, 500);
    std::this_thread::sleep_for(delay(rng) * 1ms);
    killed = true;
    if (!opt.no_crash) server.Kill9();
    int acked = 0, pending = 0;
    std::string errors;
    for (auto& w : writers) {
      w->Join();
      acked += w->acked;
      for (auto& [key, log] : w->keys) pending += log.pending ? 1 : 0;
      if (!w->error.empty()) errors += w->error + "; ";
    }
    if (!errors.empty()) throw CheckFailure("round " + std::to_string(round) + ": " + errors);
    if (!opt.no_crash) server.Start();
    int survived = Verify(server.port, writers, probe, &last_seq, rng,
                          "round " + std::to_string(round), opt.expect_loss);
    std::printf(
        "round %d: %d acknowledged, %d in flight at the kill (%d survived), last sequence "
        "%llu\n",
        round, acked, pending, survived, static_cast<unsigned long long>(last_seq));
    std::fflush(stdout);
  }
  server.Terminate();
  server.Start();
  Verify(server.port, writers, probe, &last_seq, rng, "restart after SIGTERM", false);
  server.Terminate();
  const int checkpoints = server.LogCount("checkpoint done");
  std::printf("%d checkpoints completed across the rounds\n", checkpoints);
  if (std::getenv("KVGATE_CRASH_EXTRA_ARGS") != nullptr && checkpoints == 0) {
    throw CheckFailure("no checkpoint completed: the kills never met one");
  }
}

Options Parse(int argc, char** argv) {
  Options o;
  o.seed = std::random_device{}() & 0x7fffffff;
  std::map<std::string, std::string> args;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    bool flag =
        a == "--no-persist" || a == "--no-crash" || a == "--expect-loss" || a == "--reference";
    if (!flag && i + 1 >= argc) throw std::invalid_argument(a + " needs a value");
    args[a] = flag ? "1" : argv[++i];
  }
  auto take = [&](const char* name, std::string fallback) {
    auto it = args.find(name);
    if (it == args.end()) return fallback;
    std::string v = it->second;
    args.erase(it);
    return v;
  };
  o.policy = take("--policy", o.policy);
  o.appendonly = take("--appendonly", o.appendonly);
  o.rounds = std::stoi(take("--rounds", "5"));
  o.seed = std::stoull(take("--seed", std::to_string(o.seed)));
  o.writers = std::stoi(take("--writers", "2"));
  o.no_crash = !take("--no-crash", "").empty();
  o.expect_loss = !take("--expect-loss", "").empty();
  o.no_persist = !take("--no-persist", "").empty() || o.expect_loss;
  o.reference = !take("--reference", "").empty();
  if (!args.empty()) throw std::invalid_argument("unknown argument " + args.begin()->first);
  if (const char* env = std::getenv("KVGATE_CRASH_ROUNDS"); env != nullptr && *env != 0) {
    o.rounds = std::max(o.rounds, std::stoi(env));
  }
  if (o.expect_loss) o.rounds = 1;
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  Options opt;
  try {
    opt = Parse(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "nats_crash: %s\n", e.what());
    return 2;
  }
  std::string tmpl = (std::filesystem::temp_directory_path() / "kvgate-crash-nats-XXXXXX").string();
  if (mkdtemp(tmpl.data()) == nullptr) return 2;
  std::filesystem::create_directory(tmpl + "/data");
  std::printf("nats crash test: policy %s, appendonly %s, %d rounds, %d writers, seed %llu\n",
              opt.policy.c_str(), opt.appendonly.c_str(), opt.rounds, opt.writers,
              static_cast<unsigned long long>(opt.seed));
  std::fflush(stdout);
  signal(SIGPIPE, SIG_IGN);
  nats_Open(-1);
  int rc = 0;
  try {
    Run(opt, tmpl);
    if (opt.expect_loss) {
      std::fprintf(stderr,
                   "FAILED: kvgate restarted on empty directories and the check noticed no loss\n");
      rc = 1;
    } else {
      std::printf("passed\n");
    }
  } catch (const std::exception& e) {
    bool check = dynamic_cast<const CheckFailure*>(&e) != nullptr;
    if (opt.expect_loss && check) {
      std::printf("as expected, restarts on an empty --dir fail the check: %s\n", e.what());
    } else {
      std::string how = "--policy " + opt.policy + " --appendonly " + opt.appendonly +
                        " --rounds " + std::to_string(opt.rounds) + " --seed " +
                        std::to_string(opt.seed);
      std::fprintf(stderr, "%s (%s): %s\nrerun: %s %s\nkept %s\n", check ? "FAILED" : "ERROR",
                   how.c_str(), e.what(), argv[0], how.c_str(), tmpl.c_str());
      rc = check ? 1 : 2;
    }
  }
  nats_Close();
  if (rc == 0) std::filesystem::remove_all(tmpl);
  return rc;
}
