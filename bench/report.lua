-- wrk script for the benchmark: counts every response that is not a 2xx (wrk itself counts only
-- 4xx and 5xx, so a redirect to the sign-in page would pass unnoticed), and prints one line that
-- bench/run.py reads: requests, duration, latency percentiles (wrk's --latency has no p95) and errors.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  non2xx = 0
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
end

function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("non2xx")
  end
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d p50_us=%d p95_us=%d p99_us=%d non2xx=%d connect=%d read=%d write=%d timeout=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    bad, e.connect, e.read, e.write, e.timeout))
end
