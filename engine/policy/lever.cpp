// Lever base: name, random purpose index, common settings, membership columns.
#include "policy/lever.hpp"

namespace imersim {

Lever::Lever(std::string name, int index, const LeverCommon& common, AgentTable& table)
    : name_(std::move(name)), index_(index), common_(common) {
  member_ = table.add(name_ + ".member");
  since_ = table.add(name_ + ".since");
}

}  // namespace imersim
