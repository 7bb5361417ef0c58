--[[
  The fix rank formula, for the library's scripts (through includes/library.lua); rankOf in
  src/fix-library/types.ts is the same formula in TypeScript, and test/fix-rank.test.ts runs both over
  the same inputs so they cannot drift apart.

  A fix's rank among the candidates for a signature: its success rate with a prior, (s + 1) / (s + f + 2),
  plus 1 when it was proven here, so an imported fix that has not yet worked here ranks below every
  local one whatever its imported counters say. Demoted fixes are ranked -1 by the caller.
]]
local function rankOf(successes, failures, imported, localSuccesses)
  local score = (successes + 1) / (successes + failures + 2)
  if not imported or localSuccesses > 0 then score = score + 1 end
  return score
end
