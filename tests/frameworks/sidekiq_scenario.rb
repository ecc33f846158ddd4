# frozen_string_literal: true

# Sidekiq (client and a real server process) against redis://127.0.0.1:PORT: jobs pushed with
# perform_async and push_bulk run, perform_in and perform_at jobs fire through the scheduler, a
# failing job is retried from the retry set, a job without retries lands in the dead set, and the
# API (Stats, queues, ProcessSet) sees it all. Prints "OUTCOME <json>"; exits non-zero on a broken
# expectation. Usage: ruby sidekiq_scenario.rb PORT
require "json"
require "timeout"

GUARD_S = 60 # failure guard for every wait below, never an expectation
port = Integer(ARGV.fetch(0))
ENV["SIDEKIQ_REDIS_URL"] = "redis://127.0.0.1:#{port}/5"
here = __dir__
require File.join(here, "sidekiq_jobs")
require "sidekiq/api"

workdir = ENV.fetch("KVGATE_FRAMEWORKS_WORKDIR", Dir.pwd)
log_path = File.join(workdir, "sidekiq-server.log")
redis = Redis.new(url: ENV["SIDEKIQ_REDIS_URL"])
redis.flushdb
out = {}

def effects_until(redis, count)
  got = []
  while got.size < count
    item = redis.blpop("effects", timeout: GUARD_S)
    raise "only #{got.inspect} within the guard timeout" if item.nil?

    got << item[1]
  end
  got.sort
end

def wait_until
  Timeout.timeout(GUARD_S) do
    sleep 0.05 until yield
  end
end

# Pushed before the server runs: they wait in the queue.
out["jid_is_hex"] = GreetJob.perform_async("ada", 1).match?(/\A\h{24}\z/)
Sidekiq::Client.push_bulk("class" => GreetJob, "args" => [["bob", 2], ["cy", 3]])
out["queue_sizes_before"] = Sidekiq::Queue.all.to_h { |q| [q.name, q.size] }
out["enqueued_before"] = Sidekiq::Stats.new.enqueued

server = Process.spawn({ "SIDEKIQ_REDIS_URL" => ENV["SIDEKIQ_REDIS_URL"] },
                       "sidekiq", "-r", File.join(here, "sidekiq_jobs.rb"), "-c", "2",
                       "-q", "critical,2", "-q", "default", "-t", "5",
                       %i[out err] => [log_path, "w"], chdir: workdir)
begin
  out["immediate"] = effects_until(redis, 3)
  wait_until { Sidekiq::ProcessSet.new.size == 1 }
  process = Sidekiq::ProcessSet.new.first
  out["process_queues"] = process["queues"].sort
  out["process_concurrency"] = process["concurrency"]

  ScheduledJob.perform_in(2, "in")
  ScheduledJob.perform_at(Time.now + 2, "at")
  out["scheduled_set_size"] = Sidekiq::ScheduledSet.new.size
  out["scheduled"] = effects_until(redis, 2)

  FlakyJob.perform_async("f1")
  out["flaky"] = effects_until(redis, 1)
  DoomedJob.perform_async
  wait_until { Sidekiq::DeadSet.new.size == 1 }
  dead = Sidekiq::DeadSet.new.first
  out["dead"] = [dead.klass, dead["error_class"], dead["error_message"]]
  out["retry_set_after"] = Sidekiq::RetrySet.new.size
ensure
  Process.kill("TERM", server)
  status = nil
  begin
    Timeout.timeout(GUARD_S) { _, status = Process.wait2(server) }
  rescue Timeout::Error
    Process.kill("KILL", server)
    Process.wait(server)
  end
  out["server_exit"] = status&.exitstatus
  warn "sidekiq server log (last 6000 chars):\n#{File.read(log_path)[-6000..] || File.read(log_path)}"
end

# The server flushes its counters when it stops.
stats = Sidekiq::Stats.new
out["processed"] = stats.processed
out["failed"] = stats.failed
out["queues_after"] = Sidekiq::Queue.all.to_h { |q| [q.name, q.size] }
out["processes_after"] = Sidekiq::ProcessSet.new.size

expected = {
  "jid_is_hex" => true, "queue_sizes_before" => { "default" => 3 }, "enqueued_before" => 3,
  "immediate" => ["hello ada x1", "hello bob x2", "hello cy x3"],
  "process_queues" => %w[critical default], "process_concurrency" => 2,
  "scheduled_set_size" => 2, "scheduled" => ["scheduled at", "scheduled in"],
  "flaky" => ["flaky f1 on attempt 2"],
  "dead" => ["DoomedJob", "RuntimeError", "doomed"], "retry_set_after" => 0,
  "server_exit" => 0, "processed" => 8, "failed" => 2,
  "queues_after" => { "critical" => 0, "default" => 0 }, "processes_after" => 0
}
puts "OUTCOME #{JSON.generate(out.sort.to_h)}"
broken = expected.reject { |k, v| out[k] == v }.to_h { |k, v| [k, [out[k], v]] }
unless broken.empty?
  warn "unexpected (got, expected): #{broken}"
  exit 1
end
