--[[
  The outbox append (packages/core/src/events/outbox.ts): one project event to the `events` stream
  (with the callback URL for the webhook relay) and to the project's event hash (with a pending delivery
  state when there is a callback), in the script of the transition that makes the event.

  appendEvent(streamKey, eventsKey, e): both keys declared by the caller; `e` is nil (no event) or
  { json, id, max_len, callback_url?, delivery? } as outboxAppend builds it. `json` is the event byte for
  byte as the webhook sends it, so it travels as a string, never re-encoded here.
]]
local function appendEvent(streamKey, eventsKey, e)
  if type(e) ~= 'table' then return end
  if e.callback_url then
    redis.call('XADD', streamKey, 'MAXLEN', '~', e.max_len, '*', 'event', e.json, 'callbackUrl', e.callback_url)
    redis.call('HSET', eventsKey, e.id .. '|delivery', e.delivery)
  else
    redis.call('XADD', streamKey, 'MAXLEN', '~', e.max_len, '*', 'event', e.json)
  end
  redis.call('HSET', eventsKey, e.id, e.json)
end
