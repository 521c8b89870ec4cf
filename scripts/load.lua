-- wrk script for load-test.sh: rotates through allowed, refused, preflight and hostile
-- requests (raw, so duplicate and non-UTF-8 headers are possible), and checks every answer:
-- no 5xx, and Access-Control-Allow-Origin only ever equal to the origin that was granted —
-- also for a live origin set that load-test.sh edits all along.
-- One connection per thread without pipelining: the answer is always to the request built
-- last (wrk builds one extra request at start that it never sends, so no queue).

local cases = {
  { expect = "http://127.0.0.1:8081", raw = "GET /api/exact HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: http://127.0.0.1:8081\r\n\r\n" },
  { expect = nil, raw = "GET /api/exact HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: https://evil.example\r\n\r\n" },
  { expect = "http://a.localhost:8081", raw = "OPTIONS /api/items/7 HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: http://a.localhost:8081\r\nAccess-Control-Request-Method: PUT\r\nAccess-Control-Request-Headers: content-type,x-token\r\n\r\n" },
  { expect = nil, raw = "OPTIONS /api/items/7 HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: https://evil.example\r\nAccess-Control-Request-Method: PUT\r\n\r\n" },
  { expect = nil, raw = "GET /api/exact HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: http://127.0.0.1:8081\r\nOrigin: https://evil.example\r\n\r\n" },
  { expect = nil, raw = "GET /api/wildcard HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: http://\255\254.localhost:8081\r\n\r\n" },
  { expect = nil, raw = "OPTIONS /api/items/7 HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: http://127.0.0.1:8081\r\nAccess-Control-Request-Method: PUT\r\nAccess-Control-Request-Headers: " .. string.rep(",", 1024) .. "\r\n\r\n" },
  { expect = nil, raw = "GET /api/items/7 HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: http://a.localhost:8081.evil.com\r\n\r\n" },
  { expect = "*", raw = "GET /api/public HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: https://anyone.example\r\n\r\n" },
  { expect = nil, raw = "GET /api/exact HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" },
  -- The live set, edited while this runs: `a.tenant` is in it before and after every update,
  -- `b.tenant` and the preview pattern come and go (either answer is right, but a grant must
  -- name the origin), `d.tenant` is never in it.
  { expect = "https://a.tenant.example", raw = "GET /api/tenant HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: https://a.tenant.example\r\n\r\n" },
  { expect = "https://a.tenant.example", raw = "OPTIONS /api/tenant HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: https://a.tenant.example\r\nAccess-Control-Request-Method: GET\r\nAccess-Control-Request-Headers: x-any\r\n\r\n" },
  { maybe = "https://b.tenant.example", raw = "GET /api/tenant HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: https://b.tenant.example\r\n\r\n" },
  { maybe = "https://pr-7.preview.tenant.example", raw = "GET /api/tenant HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: https://pr-7.preview.tenant.example\r\n\r\n" },
  { expect = nil, raw = "GET /api/tenant HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: https://d.tenant.example\r\n\r\n" },
}

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  sent, checked, errors5xx, wrong = 0, 0, 0, 0
  last = nil
end

function request()
  sent = sent + 1
  local case = cases[(sent % #cases) + 1]
  last = case
  return case.raw
end

function response(status, headers, body)
  local case = last
  checked = checked + 1
  if status >= 500 then errors5xx = errors5xx + 1 end
  local acao = headers["access-control-allow-origin"] or headers["Access-Control-Allow-Origin"]
  if case == nil then
    wrong = wrong + 1
  elseif case.maybe ~= nil then
    if acao ~= nil and acao ~= case.maybe then wrong = wrong + 1 end
  elseif acao ~= case.expect then
    wrong = wrong + 1
  end
end

function done(summary, latency, requests)
  local total_checked, total_5xx, total_wrong = 0, 0, 0
  for _, thread in ipairs(threads) do
    total_checked = total_checked + thread:get("checked")
    total_5xx = total_5xx + thread:get("errors5xx")
    total_wrong = total_wrong + thread:get("wrong")
  end
  io.write(string.format("checked=%d fivexx=%d wrong=%d\n", total_checked, total_5xx, total_wrong))
end
