-- wrk script for benchmarks/scale_out.py: logged-in readers of the four busiest pages.
-- Each request takes the next page and the next prepared session (QX_LOAD_PAGES,
-- QX_LOAD_SESSIONS), so the pages are read equally often by every user. A response other than
-- 200 (a redirect to the login page included, which wrk itself would count as a success) is
-- counted and printed by done() as "bad <n>".
local pages = {}
for page in string.gmatch(os.getenv("QX_LOAD_PAGES") or "/dashboard/", "%S+") do
  pages[#pages + 1] = page
end
local sessions = {}
for line in io.lines(os.getenv("QX_LOAD_SESSIONS")) do
  if #line > 0 then sessions[#sessions + 1] = line end
end
local threads = {}

function setup(thread)
  threads[#threads + 1] = thread
end

function init(args)
  n = 0
  bad = 0
end

function request()
  n = n + 1
  local page = pages[n % #pages + 1]
  local session = sessions[n % #sessions + 1]
  return wrk.format("GET", page, { ["Cookie"] = "sessionid=" .. session })
end

function response(status, headers, body)
  if status ~= 200 then bad = bad + 1 end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("bad") end
  io.write(string.format("bad %d\n", total))
  io.write(string.format("p50 %.1f p95 %.1f\n", latency:percentile(50) / 1000, latency:percentile(95) / 1000))
end
