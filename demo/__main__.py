"""Entry point of `python -m demo` (scripts/demo)."""

from demo.launcher import main

raise SystemExit(main())
