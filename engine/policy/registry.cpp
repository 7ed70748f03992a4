// Lever 1, the Imers database (PB24; DOMAIN §5.1): agents register at `take_up` a month, up to
// `capacity`, each registration costing the government `cost`. Registration changes nothing in
// the agent's month; it gates the levers that set requires_registration.
#include "policy/one_off.hpp"

namespace imersim {

std::unique_ptr<Lever> make_registry(const RegistrySpec& s, AgentTable& table) {
  return std::make_unique<OneOffLever>("registry", 0, s, table, s.cost, 0);
}

}  // namespace imersim
