-- wrk script of `make bench` (scripts/bench/loadgen.py): POST /api/route with mixed-profile bodies.
--
-- wrk -t2 -c8 -d60s -s scripts/bench/wrk_routes.lua http://127.0.0.1:PORT -- 2
--
-- ACCESSROUTE_BENCH_BODIES names a file of route request bodies, one JSON object a line. Every
-- request is built once in init(); thread k of N (the number after "--") starts at body
-- k * floor(count / N) and walks the bodies in turn, so the threads do not send the same ones.
-- response() counts the statuses per thread (wrk then hands it each response's headers and body,
-- a copy that costs wrk some CPU, which loadgen.py reports; only the status is used);
-- done() prints, after wrk's own report, one line "accessroute-bench: {JSON}" with the exact
-- figures (microseconds, counts) for loadgen.py to read.

local threads = {}

function setup(thread)
   thread:set("id", #threads)
   table.insert(threads, thread)
end

function init(args)
   local path = os.getenv("ACCESSROUTE_BENCH_BODIES")
   if not path then
      error("ACCESSROUTE_BENCH_BODIES is not set")
   end
   local headers = { ["Content-Type"] = "application/json" }
   prepared = {}
   for line in io.lines(path) do
      if line ~= "" then
         prepared[#prepared + 1] = wrk.format("POST", "/api/route", headers, line)
      end
   end
   if #prepared == 0 then
      error("no request body in " .. path)
   end
   local count = tonumber(args[1]) or 1
   index = id * math.floor(#prepared / count)
   statuses = {}
end

function request()
   index = index % #prepared + 1
   return prepared[index]
end

function response(status, headers, body)
   statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency)
   local counts = {}
   for _, thread in ipairs(threads) do
      for status, n in pairs(thread:get("statuses")) do
         counts[status] = (counts[status] or 0) + n
      end
   end
   local parts = {}
   for status, n in pairs(counts) do
      parts[#parts + 1] = string.format('"%d": %d', status, n)
   end
   local e = summary.errors
   io.write(string.format(
      'accessroute-bench: {"duration_us": %d, "requests": %d, "bytes": %d, '
         .. '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, '
         .. '"latency_us": {"50": %d, "90": %d, "95": %d, "99": %d, "max": %d}, '
         .. '"statuses": {%s}}\n',
      summary.duration, summary.requests, summary.bytes,
      e.connect, e.read, e.write, e.status, e.timeout,
      latency:percentile(50), latency:percentile(90), latency:percentile(95),
      latency:percentile(99), latency.max,
      table.concat(parts, ", ")
   ))
end
