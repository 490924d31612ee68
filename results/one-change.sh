# Sourced by results/regenerate.sh and results/burn-in/readings.sh (from the repository's top).
# one_change_scenarios REFERENCE: the names of the shipped one-change scenarios of REFERENCE,
# those written as the reference with one thing changed (their header says
# "Compare with scenarios/REFERENCE.toml"), one per line, in file order.
one_change_scenarios() {
  local f
  for f in $(grep -l "Compare with scenarios/$1.toml" scenarios/*.toml); do
    basename "$f" .toml
  done
}
