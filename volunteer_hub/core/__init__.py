"""Pages every visitor shares: the front page, the accessibility statement, health checks."""
