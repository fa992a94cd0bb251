-- Mixed MX workload for wrk (bench/run.sh, measurement c).
--   ~76 % GET  /users/{u}/members/{m}/status   (what a client polls while a job runs)
--   ~10 % POST /users/{u}/members/{m}/aggregate (Content-Length: 0; mostly 202 while a job runs)
--    ~6 % GET  /users/{u}/members/{m}           (read the member)
--    ~4 % GET  /users/{u}/transactions?page=1&records_per_page=25
--    ~4 % create: POST /users, then POST /users/{u}/members for a user this thread created
-- Bounded: each thread creates at most MXEMU_BENCH_CREATE_CAP users (default 20) and one MX Bank
-- member per created user; after that the create slots poll status instead. The members polled
-- are the pre-created pool (MXEMU_BENCH_POOL, a Lua file returning {{u=..., m=...}, ...}) plus
-- the members this thread created. Status codes are counted per thread and summed in done().
local pool_file = os.getenv("MXEMU_BENCH_POOL")
local pool = pool_file and dofile(pool_file) or {}
local create_cap = tonumber(os.getenv("MXEMU_BENCH_CREATE_CAP") or "20")
local auth = os.getenv("MXEMU_BENCH_AUTH") or "bXhlbXUtY2xpZW50LWlkOm14ZW11LWFwaS1rZXk="
-- For diagnosis: MXEMU_BENCH_NO_AGGREGATE=1 / MXEMU_BENCH_NO_LIST=1 turn those slots into status polls.
local no_aggregate = os.getenv("MXEMU_BENCH_NO_AGGREGATE") == "1"
local no_list = os.getenv("MXEMU_BENCH_NO_LIST") == "1"

local credentials = '{"member":{"institution_code":"mxbank","credentials":[' ..
  '{"guid":"CRD-9f61fb4c-912c-bd1e-b175-ccc7f0275cc1","value":"mxuser"},' ..
  '{"guid":"CRD-e3d7ea81-aac7-05e9-fbdd-4b493c6e474d","value":"password"}]}}'

local threads = {}
local next_thread_id = 0

function setup(thread)
  thread:set("tid", next_thread_id)
  next_thread_id = next_thread_id + 1
  table.insert(threads, thread)
end

local base_headers
local members        -- {u=..., m=...}: polled, aggregated, read
local pending_users  -- created users still waiting for their member
local created_users = 0
local created_members = 0
local known = {}     -- member guid -> true (no duplicates in `members`)
local n = 0
counts = {}          -- status code -> count; read by done() through thread:get

function init(args)
  base_headers = {
    ["Authorization"] = "Basic " .. auth,
    ["Accept"] = "application/vnd.mx.api.v1+json",
  }
  members = {}
  for i, p in ipairs(pool) do
    members[i] = p
    known[p.m] = true
  end
  pending_users = {}
  math.randomseed(7919 * ((tid or 0) + 1))
end

local function json_headers()
  return {
    ["Authorization"] = base_headers["Authorization"],
    ["Accept"] = base_headers["Accept"],
    ["Content-Type"] = "application/json",
  }
end

local function pick()
  return members[math.random(#members)]
end

function request()
  n = n + 1
  local slot = n % 50
  if slot == 0 and created_users < create_cap then
    created_users = created_users + 1
    local body = string.format('{"user":{"id":"bench-mix-%d-%d"}}', tid or 0, created_users)
    return wrk.format("POST", "/users", json_headers(), body)
  end
  if slot == 25 and #pending_users > 0 then
    local u = table.remove(pending_users, 1)
    created_members = created_members + 1
    return wrk.format("POST", "/users/" .. u .. "/members", json_headers(), credentials)
  end
  local p = pick()
  if slot % 10 == 1 and not no_aggregate then
    -- body "" makes wrk send Content-Length: 0 (mxemu/httplib waits 5 s for a POST without it)
    return wrk.format("POST", "/users/" .. p.u .. "/members/" .. p.m .. "/aggregate", base_headers, "")
  elseif slot == 2 or slot == 12 or slot == 22 then
    return wrk.format("GET", "/users/" .. p.u .. "/members/" .. p.m, base_headers)
  elseif (slot == 32 or slot == 42) and not no_list then
    return wrk.format("GET", "/users/" .. p.u .. "/transactions?page=1&records_per_page=25", base_headers)
  end
  return wrk.format("GET", "/users/" .. p.u .. "/members/" .. p.m .. "/status", base_headers)
end

function response(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
  if status ~= 200 and status ~= 201 and status ~= 202 then return end
  -- A created user: {"user":{... "guid":"USR-..." ...}} (no member in it).
  if body:sub(1, 9) == '{"user":{' then
    local u = body:match('"guid":"(USR%-[%w%-]+)"')
    if u then table.insert(pending_users, u) end
  elseif body:sub(1, 11) == '{"member":{' and body:find('"connection_status":"CREATED"', 1, true) then
    -- A member we just created (only creation answers CREATED): poll it too.
    local m = body:match('"guid":"(MBR%-[%w%-]+)"')
    local u = body:match('"user_guid":"(USR%-[%w%-]+)"')
    if m and u and not known[m] then
      known[m] = true
      table.insert(members, {u = u, m = m})
    end
  end
end

function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    local c = t:get("counts")
    for code, k in pairs(c) do total[code] = (total[code] or 0) + k end
  end
  local codes = {}
  for code, _ in pairs(total) do table.insert(codes, code) end
  table.sort(codes)
  local parts = {}
  for _, code in ipairs(codes) do table.insert(parts, code .. "=" .. total[code]) end
  io.write("mixed_status_codes " .. table.concat(parts, " ") .. "\n")
end
