"""The WSGI entry point: ``gunicorn wsgi:app`` or ``flask --app wsgi ...``."""

import gc

from volunteer_hub import create_app

app = create_app()
# Everything built so far (the app, its templates, metadata and translations, some 200,000
# objects) lives as long as the process: keep it out of every garbage collection, which would
# otherwise walk it again on each full collection during a large page such as the report.
gc.freeze()
