"""Flask extensions, created unbound and bound to an app in create_app()."""

from flask_babel import Babel
from flask_compress import Compress
from flask_htmx import HTMX
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_limiter.util import get_remote_address
from flask_migrate import Migrate
from flask_wtf.csrf import CSRFProtect

babel = Babel()
compress = Compress()
csrf = CSRFProtect()
htmx = HTMX()
# Storage comes from RATELIMIT_STORAGE_URI: Redis whenever REDIS_URL is set, so
# several workers share one count (a memory store counts per worker).
# No "strong" session protection: it signs parents out whenever their mobile IP changes.
# Sessions are revoked on the server instead (a per-user token, see auth.services).
login_manager = LoginManager()
login_manager.session_protection = None
limiter = Limiter(key_func=get_remote_address, default_limits=[])
migrate = Migrate(render_as_batch=True, compare_type=True)
