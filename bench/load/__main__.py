"""Entry point for ``python -m bench.load`` (``--churn``: the pages while a municipality works)."""

import sys

if "--churn" in sys.argv[1:]:
    from bench.load.churn import main

    raise SystemExit(main([arg for arg in sys.argv[1:] if arg != "--churn"]))

from bench.load.run import main

raise SystemExit(main())
