# frozen_string_literal: true

# The Sidekiq configuration and jobs of sidekiq_scenario.rb, loaded by the real Sidekiq server
# (sidekiq -r) and by the client; Redis at $SIDEKIQ_REDIS_URL. Each job records its effect in the
# Redis list "effects" for the client to read.
require "sidekiq"

# redis-rb 4.8 warns about calls Sidekiq 6.4 makes (sadd, brpop timeout); keep the log readable.
Redis.silence_deprecations = true

Sidekiq.configure_server do |config|
  config.redis = { url: ENV.fetch("SIDEKIQ_REDIS_URL") }
  # Poll the schedule and retry sets about every second (the default scales to 5 s per process
  # after a 10-15 s initial wait); the initial wait is then at most 5 s.
  config.options[:poll_interval_average] = 1
end
Sidekiq.configure_client do |config|
  config.redis = { url: ENV.fetch("SIDEKIQ_REDIS_URL") }
end

def record_effect(text)
  Sidekiq.redis { |conn| conn.rpush("effects", text) }
end

class GreetJob
  include Sidekiq::Worker

  def perform(name, times)
    record_effect("hello #{name} x#{times}")
  end
end

class ScheduledJob
  include Sidekiq::Worker

  def perform(tag)
    record_effect("scheduled #{tag}")
  end
end

# Fails on its first attempt; Sidekiq puts it in the retry set, due a second later, and the
# scheduler brings it back to its queue.
class FlakyJob
  include Sidekiq::Worker
  sidekiq_options retry: 2, queue: "critical"
  sidekiq_retry_in { |_count, _error| 1 }

  def perform(tag)
    attempt = Sidekiq.redis { |conn| conn.incr("flaky:#{tag}") }
    raise ArgumentError, "first attempt fails" if attempt == 1

    record_effect("flaky #{tag} on attempt #{attempt}")
  end
end

# Always fails with no retries: the job lands in the dead set.
class DoomedJob
  include Sidekiq::Worker
  sidekiq_options retry: 0

  def perform
    raise "doomed"
  end
end
