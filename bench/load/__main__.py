"""Entry point for ``python -m bench.load``."""

from bench.load.run import main

raise SystemExit(main())
