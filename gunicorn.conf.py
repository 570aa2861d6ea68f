"""gunicorn's settings, read from the working directory: each worker compiles the page templates
before it takes its first request.

Jinja compiles a template the first time a page uses it, which made each page's first request in a
new worker 50 to 100 ms slower (more on a busy machine); compiling all of them once per worker
(about 0.7 s on two cores) moves that cost to start-up. Command-line options still apply.
"""

from __future__ import annotations

import gc
from typing import Any

TEMPLATE_SUFFIXES = (".html", ".txt")


def post_worker_init(worker: Any) -> None:
    """Compile every template of the app this worker loaded (a template that does not compile
    is logged and left to fail when a page uses it, as it would have)."""
    from jinja2 import TemplateError

    environment = worker.wsgi.jinja_env
    for name in environment.list_templates(filter_func=lambda n: n.endswith(TEMPLATE_SUFFIXES)):
        try:
            environment.get_template(name)
        except TemplateError:
            worker.log.exception("template %s does not compile", name)
    gc.freeze()  # as wsgi.py does: what lives as long as the process stays out of collections
