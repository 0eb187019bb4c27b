"""The benchmark of the Dinstar integration against the gateway simulator (scripts/bench)."""
