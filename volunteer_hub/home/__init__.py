"""The top floor's own pages: the front page (the overview every domain contributes to), the
language switch, the accessibility statement and the health checks. It may import every domain."""
