// Lever 4, supplier matchmaking through SMESCO (DOMAIN §5.4): a matched agent gets a good supplier
// for good (kSupplierAccess: test success x testing.supplier_bonus, supplier failures x
// shocks.supplier_access_factor). Agents that already have one are not eligible. Government cost
// `cost` per match.
#include "policy/one_off.hpp"

namespace imersim {

std::unique_ptr<Lever> make_matchmaking(const MatchmakingSpec& s, AgentTable& table) {
  return std::make_unique<OneOffLever>("matchmaking", 3, s, table, s.cost, kSupplierAccess);
}

}  // namespace imersim
