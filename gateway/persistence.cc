// File: gateway/persistence.cc
// Recovery, the per-pass hand-off to the I/O thread and the release of held output
// (persistence.h).
//
//   Persistence p(server, engine, options);  p.BeginLoading(&err);  server.Run();  p.Stop();
#include "gateway/persistence.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>

#include "gateway/connection.h"
#include "gateway/log.h"
#include "gateway/redo_file.h"

namespace kvgate::gateway {

namespace {

std::string ErrnoText(const std::string& what, int err) {
  return what + ": " + std::strerror(err);
}

}  // namespace

Persistence::Persistence(Server& server, engine::Engine& engine, PersistenceOptions options)
    : server_(server), engine_(engine), options_(std::move(options)) {
}

Persistence::~Persistence() {
  Stop();
}

namespace {

// Files of the data directory's naming scheme that the manifest does not name: left by a
// rewrite a crash interrupted, or by one whose old files were not all removed yet.
void RemoveStrayFiles(const std::string& dir, const Manifest& m) {
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return;
  while (const dirent* e = ::readdir(d)) {
    const std::string_view name = e->d_name;
    const bool ours = (name.starts_with("kvgate-redo.") &&
                       (name.ends_with(".base") || name.ends_with(".incr"))) ||
                      name == std::string(kManifestName) + ".tmp";
    if (!ours) continue;
    bool named = false;
    for (const ManifestFile& f : m.files) named = named || f.name == name;
    if (named) continue;
    KVGATE_LOG(kInfo, "%s/%s: not named by the manifest; removed", dir.c_str(), e->d_name);
    ::unlinkat(::dirfd(d), e->d_name, 0);
  }
  ::closedir(d);
}

}  // namespace

bool Persistence::BeginLoading(std::string* error, std::function<void()> on_loaded) {
  on_loaded_ = std::move(on_loaded);
  load_start_ns_ = uv_hrtime();
  load_start_unix_ = static_cast<int64_t>(std::time(nullptr));
  last_save_unix_ = load_start_unix_;
  if (::mkdir(options_.dir.c_str(), 0755) != 0 && errno != EEXIST) {
    *error = ErrnoText("cannot create the data directory " + options_.dir, errno);
    return false;
  }
  if (::access(options_.dir.c_str(), W_OK | X_OK) != 0) {
    // Fail now, not at the first write, if the directory cannot take the redo files.
    *error = ErrnoText("cannot write the data directory " + options_.dir, errno);
    return false;
  }
  bool exists = false;
  std::string why;
  if (!ReadManifest(options_.dir, &manifest_, &exists, &why)) {
    *error = why;
    return false;
  }
  RemoveStrayFiles(options_.dir, manifest_);
  for (const ManifestFile& f : manifest_.files) {
    const std::string file = options_.dir + "/" + f.name;
    struct stat st {};
    if (::stat(file.c_str(), &st) == 0) {
      if (::access(file.c_str(), R_OK | W_OK) != 0) {
        *error = ErrnoText("cannot read and write " + file, errno);
        return false;
      }
      load_total_bytes_ += static_cast<uint64_t>(st.st_size);
    } else if (errno != ENOENT || &f != &manifest_.files.back()) {
      // Only the newest incr file may be missing: the manifest naming it is written first.
      *error = ErrnoText("cannot open " + file + " (named by " + kManifestName + ")", errno);
      return false;
    }
    load_files_.push_back(file);
  }
  if (load_total_bytes_ == 0) {
    FinishReplay();
    return true;
  }
  if (!LoadNextFile(error)) return false;
  // Replay on the loop, a slice per iteration, so clients get -LOADING instead of a refused
  // connection; nothing else may change the engine meanwhile.
  loading_ = true;
  server_.PauseStoreTick(true);
  load_idle_ = new uv_idle_t{};
  load_idle_->data = this;
  uv_idle_init(server_.loop(), load_idle_);
  uv_idle_start(load_idle_, OnLoadIdle);
  uv_unref(reinterpret_cast<uv_handle_t*>(load_idle_));  // a SIGTERM while loading still stops
  return true;
}

bool Persistence::LoadNextFile(std::string* error) {
  load_path_ = load_files_[load_index_];
  load_data_.clear();
  load_pos_ = 0;
  const int fd = ::open(load_path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno == ENOENT;  // the newest incr file, not made yet
  const bool ok = ReadWholeFile(fd, &load_data_);
  const int err = errno;
  ::close(fd);
  if (!ok) *error = ErrnoText("cannot read " + load_path_, err);
  return ok;
}

void Persistence::CloseLoadIdle() {
  uv_idle_stop(load_idle_);
  uv_close(reinterpret_cast<uv_handle_t*>(load_idle_),
           [](uv_handle_t* h) { delete reinterpret_cast<uv_idle_t*>(h); });
  load_idle_ = nullptr;
}

void Persistence::OnLoadIdle(uv_idle_t* handle) {
  auto* self = static_cast<Persistence*>(handle->data);
  std::string error;
  // A few milliseconds per iteration: the loop keeps answering -LOADING meanwhile.
  if (self->ReplaySlice(5'000'000, &error)) return;
  self->CloseLoadIdle();
  if (self->load_failed_) {
    KVGATE_LOG(kError, "%s", error.c_str());
    self->server_.RequestStop();
  }
}

bool Persistence::ReplaySlice(uint64_t budget_ns, std::string* error) {
  const uint64_t until = uv_hrtime() + budget_ns;
  bool replay_failed = false;
  bool paused = false;
  size_t count = 0;
  const std::string_view rest = std::string_view(load_data_).substr(load_pos_);
  const engine::RedoScan scan = engine::ScanRedo(rest, [&](std::string_view payload, size_t) {
    if ((++count & 255) == 0 && uv_hrtime() >= until) {
      paused = true;
      return false;
    }
    if (!engine_.Replay(payload).ok()) {
      replay_failed = true;
      return false;
    }
    return true;
  });
  recovery_.records += scan.records;
  if (paused) {
    load_pos_ += scan.bad_offset;
    return true;
  }
  engine::RedoScan whole = scan;
  whole.good_bytes += load_pos_;
  whole.bad_offset += load_pos_;
  if (replay_failed) whole.end = engine::RedoScan::End::kRejected;
  load_pos_ = whole.good_bytes;
  if (!FinishFile(whole, error)) {
    load_failed_ = true;
    loading_ = false;
    return false;
  }
  load_done_bytes_ += load_data_.size();
  if (++load_index_ < load_files_.size()) {
    if (LoadNextFile(error)) return true;
    load_failed_ = true;
    loading_ = false;
    return false;
  }
  FinishReplay();
  return false;
}

bool Persistence::FinishFile(const engine::RedoScan& scan, std::string* error) {
  const std::string& file = load_path_;
  const bool last = load_index_ + 1 == load_files_.size();
  switch (scan.end) {
    case engine::RedoScan::End::kClean:
      break;
    case engine::RedoScan::End::kTornTail: {
      if (!last) {
        // Older files were synced before the next one was started: a bad end is damage.
        *error = file + ": bad record at offset " + std::to_string(scan.good_bytes) +
                 " (only the newest incr file may end in a torn record); `kvgate --check-aof " +
                 options_.dir + "/" + kManifestName + "` shows the state of every file";
        return false;
      }
      // The last record never made it whole (a crash mid-write): what it held was never
      // acknowledged. Cut it so appends continue after the last good record.
      KVGATE_LOG(kWarning, "%s: cutting a torn last record at offset %zu (%zu bytes)", file.c_str(),
                 scan.good_bytes, load_data_.size() - scan.good_bytes);
      if (const int err = CutFile(file, scan.good_bytes); err != 0) {
        *error = ErrnoText("cannot cut the torn tail of " + file, err);
        return false;
      }
      recovery_.cut_bytes = load_data_.size() - scan.good_bytes;
      break;
    }
    case engine::RedoScan::End::kCorrupt:
      *error = file + ": bad record at offset " + std::to_string(scan.bad_offset) + " of " +
               std::to_string(load_data_.size()) +
               " bytes (checksum or length); `kvgate --check-aof " + file +
               " --fix` cuts the log there, losing what follows";
      return false;
    case engine::RedoScan::End::kRejected:
      *error = file + ": the record at offset " + std::to_string(scan.bad_offset) +
               " does not apply to the state before it (the log is inconsistent)";
      return false;
  }
  recovery_.bytes += scan.good_bytes;
  return true;
}

void Persistence::FinishReplay() {
  recovery_.seconds = static_cast<double>(uv_hrtime() - load_start_ns_) / 1e9;
  if (!load_files_.empty()) {
    KVGATE_LOG(kInfo, "%s: replayed %llu records (%llu bytes, %zu files) in %.3f s",
               options_.dir.c_str(), static_cast<unsigned long long>(recovery_.records),
               static_cast<unsigned long long>(recovery_.bytes), load_files_.size(),
               recovery_.seconds);
  }
  std::string().swap(load_data_);
  const bool was_loading = loading_;
  loading_ = false;
  if (was_loading) server_.PauseStoreTick(false);
  Start();
  if (on_loaded_) on_loaded_();
}

void Persistence::Start() {
  writer_ = std::make_unique<RedoWriter>(
      server_.loop(), options_.fsync, [this](uint64_t seq, int err) { OnDurable(seq, err); },
      [this](int err) { OnCheckpointEnd(err); });
  writer_->Start(options_.dir, manifest_);
  size_after_last_checkpoint_ = writer_->file_bytes();
  server_.mutable_gate().pending = &redo_;
  server_.SetEndOfPass([this] { EndPass(); });
  // A busy script's changes so far stay in redo_ (they go to the log whole, after it); batches
  // handed over before it are reported as they finish.
  server_.SetBusyHook([this] {
    if (writer_) writer_->Poll();
  });
  engine_.SetRedo(&redo_);
  // A database turned into a file bucket (CONFIG SET appendonly yes) gets its image from a
  // checkpoint written in slices, not from a pause of the loop (CheckpointStep starts it).
  engine_.DeferFileImages(true);
}

void Persistence::Stop(bool drop_pending) {
  if (load_idle_ != nullptr) {  // stopped while replaying: nothing was logged yet
    CloseLoadIdle();
    loading_ = false;
  }
  if (!writer_) return;
  if (drop_pending) {
    EndCheckpointWalk();  // an image not finished is dropped; its incr file stays named
    redo_.bytes.clear();  // never acknowledged: their output was held
  } else {
    FinishCheckpointNow();  // buckets waiting for it become durable before the exit
  }
  if (!redo_.bytes.empty() && write_error_ == 0) Submit();  // the thread drains its queue
  stopping_ = true;
  writer_->Stop();
  engine_.SetRedo(nullptr);
  if (walk_idle_ != nullptr) {
    uv_close(reinterpret_cast<uv_handle_t*>(walk_idle_),
             [](uv_handle_t* h) { delete reinterpret_cast<uv_idle_t*>(h); });
    walk_idle_ = nullptr;
  }
  server_.SetEndOfPass(nullptr);
  server_.SetBusyHook(nullptr);
  server_.mutable_gate().pending = nullptr;
  writer_.reset();
}

void Persistence::SetFsync(FsyncPolicy policy) {
  options_.fsync = policy;
  if (writer_) writer_->SetPolicy(policy);
}

translate::PersistenceInfo Persistence::Info() const {
  translate::PersistenceInfo i;
  i.dir = options_.dir;
  i.fsync = std::string(FsyncPolicyName(options_.fsync));
  i.write_error = write_error_;
  i.log_bytes = writer_ ? writer_->file_bytes() : load_total_bytes_;
  i.base_bytes = writer_ ? writer_->base_bytes() : 0;
  i.changes = redo_.records;
  i.fsyncs = writer_ ? writer_->fsyncs() : 0;
  i.last_fsync_unix = writer_ ? writer_->last_fsync_unix() : 0;
  i.recovered_records = recovery_.records;
  i.recovery_seconds = recovery_.seconds;
  i.loading = loading_;
  i.loading_bytes_total = load_total_bytes_;
  i.loading_bytes_done = load_done_bytes_ + load_pos_;
  i.loading_start_unix = load_start_unix_;
  i.checkpoint_in_progress = checkpoint_ != Checkpoint::kIdle;
  i.checkpoint_scheduled = checkpoint_scheduled_ || checkpoint_requested_;
  i.checkpoints = checkpoints_done_;
  i.last_checkpoint_ok = last_checkpoint_ok_;
  i.checkpoint_failures_in_a_row = checkpoint_failures_in_a_row_;
  i.last_checkpoint_seconds = last_checkpoint_seconds_;
  if (checkpoint_ != Checkpoint::kIdle) {
    i.current_checkpoint_seconds =
        static_cast<int64_t>((uv_hrtime() - checkpoint_start_ns_) / 1'000'000'000);
  }
  i.last_save_unix = last_save_unix_;
  i.changes_since_save = redo_.records - records_at_last_save_;
  return i;
}

bool Persistence::SetFsync(std::string_view name) {
  FsyncPolicy policy;
  if (!ParseFsyncPolicy(name, &policy)) return false;
  SetFsync(policy);
  return true;
}

void Persistence::EndPass() {
  if (write_error_ == 0) CheckpointStep();
  if (redo_.bytes.empty()) return;
  if (write_error_ != 0) {
    // Changes made since the log failed (expiry, compaction) cannot be logged: output of this
    // pass might reveal them, so it does not go out.
    redo_.bytes.clear();
    server_.ForEachPendingFlush([](Connection* c) { c->CloseNow(); });
    return;
  }
  // One batch in flight at a time: while the I/O thread works, the passes' records gather
  // into the next batch (handed over when it reports), so a busy loop making many small passes
  // costs one hand-off per disk round, not one per pass.
  const OutputGate& gate = server_.gate();
  if (gate.submitted > gate.durable) return;
  Submit();
}

void Persistence::Submit() {
  uint64_t seq = 0;
  int error = 0;
  if (writer_->WriteNow(redo_.bytes, &seq, &error)) {  // always, and the thread is idle
    redo_.bytes.clear();
    server_.mutable_gate().submitted = seq;
    OnDurable(error == 0 ? seq : server_.gate().durable, error);
    return;
  }
  std::string batch = writer_->TakeBuffer();
  batch.swap(redo_.bytes);
  server_.mutable_gate().submitted = writer_->Submit(std::move(batch));
}

void Persistence::OnDurable(uint64_t seq, int error) {
  OutputGate& gate = server_.mutable_gate();
  if (seq > gate.durable) gate.durable = seq;
  if (error != 0 && write_error_ == 0) {
    write_error_ = error;
    engine_.RefuseFileWrites(true);
    // Output that waited for a batch that will never be durable must not go out: close
    // those connections (their clients see an error, never a success).
    server_.ForEachGated([&](Connection* c) {
      if (c->last_mark_seq() > gate.durable) c->CloseNow();
    });
    server_.ForEachPendingFlush([](Connection* c) { c->CloseNow(); });
    redo_.bytes.clear();
    gate.durable = gate.submitted;  // nothing more will be waited for
    // The thread does no more work: a checkpoint in progress ends here, failed.
    if (checkpoint_ != Checkpoint::kIdle) OnCheckpointEnd(error);
  }
  if (write_error_ == 0 && !stopping_ && !redo_.bytes.empty()) Submit();
  server_.ReleaseGated();
}

}  // namespace kvgate::gateway
