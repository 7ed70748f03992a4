#!/usr/bin/env bash
# One-step set-up on Debian 12: install missing apt packages, build, then run the baseline or the tests.
#   tools/setup.sh run    install + Release build + run scenarios/baseline.yaml (prints the stage table)
#   tools/setup.sh test   install + Release and ASan/UBSan builds + the whole test suite under both
set -euo pipefail
cd "$(dirname "$0")/.."

mode="${1:-run}"
case "$mode" in run|test) ;; *) echo "usage: tools/setup.sh run|test" >&2; exit 2 ;; esac

packages=(g++ cmake make pkg-config git libboost-random-dev libtbb-dev libhdf5-dev hdf5-tools
          libyaml-cpp-dev libgtest-dev libgmock-dev librandom123-dev libcli11-dev libfmt-dev
          libnlopt-cxx-dev libsleef-dev libopenmpi-dev openmpi-bin python3 python3-numpy python3-h5py python3-matplotlib)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi

jobs="$(nproc)"
build() {
  cmake --preset "$1" >/dev/null
  cmake --build --preset "$1" -j "$jobs"
}

if [ "$mode" = run ]; then
  build release
  exec build/release/imersim run scenarios/baseline.yaml
fi

build release
ctest --preset release -j "$jobs"
build asan
ctest --preset asan -j "$jobs"
