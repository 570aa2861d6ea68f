"""Flask extensions, created unbound and initialised in create_app()."""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from volunteer_hub.db import Base, render_migration_item

db = SQLAlchemy(model_class=Base)
migrate = Migrate(render_as_batch=True, compare_type=True, render_item=render_migration_item)
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
# Keyed by the client's address (behind proxies: set PROXY_FIX_X_FOR); limits are set per
# route and configured in config.py.
limiter = Limiter(key_func=get_remote_address)
