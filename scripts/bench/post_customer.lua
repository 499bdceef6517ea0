-- wrk script: creates customers with unique emails. Without BENCH_PASSWORD
-- the figure measures HTTP + validation + durable writes (group-committed on
-- SQLite, a transaction each on PostgreSQL); with it every request also runs
-- one scrypt hash.
local counter = 0
local thread_id = 0
local threads = {}
local password = os.getenv("BENCH_PASSWORD")
-- Several wrk processes at once (one per gateway instance) use different
-- prefixes, so their emails never collide.
local prefix = os.getenv("BENCH_PREFIX") or "bench"
local password_member = password and string.format('"password":"%s",', password) or ""

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function init(args)
  thread_id = tid
  math.randomseed(os.time() + thread_id)
end

request = function()
  counter = counter + 1
  local body = string.format(
    '{"data":{"type":"customer","name":"Bench User %d",%s"email":"%s-%d-%d-%d@example.com"}}',
    counter, password_member, prefix, thread_id, math.random(1, 1000000000), counter)
  return wrk.format("POST", "/v2/customers", nil, body)
end
