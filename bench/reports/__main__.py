"""Entry point for ``python -m bench.reports``."""

from bench.reports.run import main

raise SystemExit(main())
