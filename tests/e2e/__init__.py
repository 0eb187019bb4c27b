"""Browser tests of the demo, run by scripts/e2e (not collected by the normal test run)."""
