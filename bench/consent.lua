-- consent.lua: the wrk script of charte's load benchmark (bench/load.sh).
-- Every request POSTs one valid decision to /api/v1/consents:
--
--   wrk -t1 -c64 -d10s -s bench/consent.lua http://127.0.0.1:8080 -- CHARTER_VERSION [count]
--
-- done() prints one line that load.sh reads:
--
--   RESULT rps=… p50_us=… p99_us=… responses=… non2xx=… errors=… [sent=… s201=… other=…]
--
-- With "count", the script also counts the requests it sends and the answers
-- by status (sent, s201, other). That costs wrk a Lua call per request and
-- per response, enough to make wrk the bottleneck against the bare handler,
-- so load.sh counts in a separate run and times without it.

local version = "unknown"
local req

-- Globals, so that done() can read them from each thread with thread:get.
sent, s201, other, counting = 0, 0, 0, false

local function decision(v)
  return '{"site":"charte","charter_version":"' .. v .. '","method":"reject_all"}'
end

wrk.method = "POST"
wrk.path = "/api/v1/consents"
wrk.headers["Content-Type"] = "application/json"
wrk.body = decision(version)

function init(args)
  if args[1] then version = args[1] end
  counting = args[2] == "count"
  wrk.body = decision(version)
  req = wrk.format()
  if counting then
    -- wrk looks these up after init: defining them makes it call them.
    request = function()
      sent = sent + 1
      return req
    end
    response = function(status, headers, body)
      if status == 201 then
        s201 = s201 + 1
      else
        other = other + 1
        if other <= 3 then io.stderr:write("status " .. status .. ": " .. body .. "\n") end
      end
    end
  end
end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function done(summary, latency, requests)
  local e = summary.errors
  local line = string.format(
    "RESULT rps=%.0f p50_us=%d p99_us=%d responses=%d non2xx=%d errors=%d",
    summary.requests / (summary.duration / 1e6), latency:percentile(50), latency:percentile(99),
    summary.requests, e.status, e.connect + e.read + e.write + e.timeout)
  local t_sent, t_201, t_other, counted = 0, 0, 0, false
  for _, t in ipairs(threads) do
    if t:get("counting") then counted = true end
    t_sent = t_sent + t:get("sent")
    t_201 = t_201 + t:get("s201")
    t_other = t_other + t:get("other")
  end
  if counted then
    line = line .. string.format(" sent=%d s201=%d other=%d", t_sent, t_201, t_other)
  end
  io.write(line .. "\n")
end
