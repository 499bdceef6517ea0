-- wrk script: creates customers with unique emails (no password, so the
-- figure measures HTTP + validation + group-committed SQLite writes).
local counter = 0
local thread_id = 0
local threads = {}

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
    '{"data":{"type":"customer","name":"Bench User %d","email":"bench-%d-%d-%d@example.com"}}',
    counter, thread_id, math.random(1, 1000000000), counter)
  return wrk.format("POST", "/v2/customers", nil, body)
end
