"""Load benchmark of the coordinator and public pages at national scale (``python -m bench.load``)."""
