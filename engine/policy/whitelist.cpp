// Lever 6, whitelisted ad accounts (DOMAIN §4, the fix PB24 names for blocked accounts): the
// agent's account is whitelisted for good (kWhitelisted: block chance x shocks.whitelist_factor).
// Agents already whitelisted are not eligible. Government cost `cost` per account.
#include "policy/one_off.hpp"

namespace imersim {

std::unique_ptr<Lever> make_whitelist(const WhitelistSpec& s, AgentTable& table) {
  return std::make_unique<OneOffLever>("whitelist", 5, s, table, s.cost, kWhitelisted);
}

}  // namespace imersim
