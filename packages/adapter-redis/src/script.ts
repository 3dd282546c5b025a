import { createHash } from "node:crypto";

/**
 * How many half-lives a counter of 1 is kept after its last change; a
 * counter of `v` is kept `log2(v)` half-lives longer, so every key expires
 * once its value has decayed below 2^-20 (about one millionth): nothing.
 */
export const KEPT_HALF_LIVES = 20;

/**
 * LCK-9 `add` in one Lua script, so each key's read, decay, add and write
 * happen atomically (Redis runs one script at a time).
 *
 * KEYS: the counters, in the order of the changes (a key may repeat: the
 * changes apply in order). ARGV[1]: the caller's now (ms); then, per key,
 * its amount and its half-life (ms). Each counter is a hash `{ value,
 * updatedAt }`; a missing key is a counter at 0. Elapsed time is never
 * negative (another instance's clock may be ahead), and `updatedAt` never
 * moves back. A counter at 0 is deleted; any other gets a TTL of
 * `KEPT_HALF_LIVES + log2(value)` half-lives.
 *
 * Redis turns a Lua number into an integer reply (1.5 becomes 1), so the
 * values are answered as strings of 17 significant digits (a double's exact
 * round trip), and stored the same way.
 */
export const ADD_SCRIPT = `
local now = tonumber(ARGV[1])
local values = {}
for i, key in ipairs(KEYS) do
  local amount = tonumber(ARGV[2 * i])
  local halfLife = tonumber(ARGV[2 * i + 1])
  local stored = redis.call('HMGET', key, 'value', 'updatedAt')
  local value = 0
  local updatedAt = now
  if stored[1] then
    value = tonumber(stored[1]) or 0
    updatedAt = tonumber(stored[2]) or now
    local elapsed = now - updatedAt
    if elapsed < 0 then elapsed = 0 end
    value = value * 2 ^ (-elapsed / halfLife)
  end
  value = value + amount
  if value < 0 then value = 0 end
  if updatedAt < now then updatedAt = now end
  local text = string.format('%.17g', value)
  if value > 0 then
    redis.call('HSET', key, 'value', text, 'updatedAt', string.format('%.17g', updatedAt))
    local halfLives = ${KEPT_HALF_LIVES}
    if value > 1 then halfLives = halfLives + math.log(value) / math.log(2) end
    redis.call('PEXPIRE', key, math.max(1, math.ceil(halfLife * halfLives)))
  else
    redis.call('DEL', key)
  end
  values[i] = text
end
return values
`;

/** The script's SHA-1, for EVALSHA. */
export const ADD_SCRIPT_SHA1 = createHash("sha1").update(ADD_SCRIPT).digest("hex");
