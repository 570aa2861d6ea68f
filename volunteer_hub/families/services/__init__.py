"""Services for family cases: they change cases and flush; the caller commits."""
