"""Family cases: households and their members, reception, housing, work, Danish classes, children.

Rules P1–P8, P12 and P14 of the integration policy live here. Deadline arithmetic is in
``deadlines.py`` (pure); warnings in ``warnings.py`` (pure); services change cases; views are
per area in ``views/``.
"""
