-- wrk script: creates customers with passwords, so every request runs one
-- scrypt hash: the load that must not stall other requests.
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
    '{"data":{"type":"customer","name":"Bench User %d","password":"correct horse battery","email":"bench-%d-%d-%d@example.com"}}',
    counter, thread_id, math.random(1, 1000000000), counter)
  return wrk.format("POST", "/v2/customers", nil, body)
end
