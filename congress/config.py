"""Default configuration. ``instance/config.py`` and ``CONGRESS_*`` variables override it."""

# Set from CONGRESS_DATABASE_URL; without it, a SQLite file in the instance folder.
DATABASE_URL = None
# Without one, create_app generates a key and keeps it in the instance folder.
SECRET_KEY = None

LANGUAGES = ["en", "fr", "es", "pt", "ar", "zh", "ru"]
BABEL_DEFAULT_LOCALE = "en"
BABEL_DEFAULT_TIMEZONE = "UTC"

# Credentials letters and other uploads: 10 MiB per request.
MAX_CONTENT_LENGTH = 10 * 1024 * 1024
# A delegation's credentials letter (note verbale, PDF): at most this many bytes.
CREDENTIALS_MAX_BYTES = 5 * 1024 * 1024
# Registration forms a focal point may send per minute (Flask-Limiter syntax).
REGISTRATION_RATE_LIMIT = "30 per minute"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
REMEMBER_COOKIE_HTTPONLY = True
REMEMBER_COOKIE_SAMESITE = "Lax"

# Outgoing mail: SMTP when MAIL_SERVER is set, otherwise .eml files in instance/outbox/.
MAIL_SERVER = None
MAIL_PORT = 587
MAIL_USE_TLS = True
MAIL_USERNAME = None
MAIL_PASSWORD = None
MAIL_SENDER = "Congress <no-reply@localhost>"

# Rate limits (Flask-Limiter): memory:// in one process; redis://127.0.0.1:6379 when several
# (gunicorn.conf.py refuses several workers on memory://).
RATELIMIT_STORAGE_URI = "memory://"
RATELIMIT_HEADERS_ENABLED = True
# Built calendar feeds and schedule exports, kept as files under their ETag (congress.cache)
# and shared by every worker: file:// (the instance folder's cache/feeds/), file:///a/folder, or
# none:// to build every time. The oldest files go once there are more than CACHE_MAX_BYTES.
CACHE_STORAGE_URI = "file://"
CACHE_MAX_BYTES = 256 * 1024 * 1024
# How long each process takes a programme's version as read (calendar.queries.programme_poll):
# a change reaches the feeds at most this long after its commit; 0 reads it on every request.
FEED_POLL_SECONDS = 1.0

# Served over HTTPS (CONGRESS_HTTPS=1): Secure cookies, https links, and HSTS on every response.
HTTPS = False
# Hosts the app answers to, besides SERVER_NAME's and loopback: a JSON list or "a.org,b.org".
TRUSTED_HOSTS = None
# How many reverse proxies in front of the app set X-Forwarded-For/-Proto/-Host; 0 trusts none.
TRUSTED_PROXIES = 0
# Refuse to start when the database schema is behind the migrations (off for `flask db ...`,
# and for tests that build their tables with create_all).
SCHEMA_CHECK = True

# The domain part of every calendar event's UID ("rio-2008-opening@congress.example.org"):
# the site's own host name, kept for good, so that two servers carrying the same archive never
# give calendars the same UIDs. Without it: SERVER_NAME's host, else the host a feed is asked at.
UID_DOMAIN = None

# Links in mail sent outside a request (deadline reminders from `flask jobs remind` or a
# worker): the site's address, "https://congress.example.org". Without it, SERVER_NAME's.
PUBLIC_URL = None
# Programme change notices: a change to a session in someone's agenda is mailed this many
# seconds after the last edit to that agenda (edits meanwhile join the same mail), and never
# later than PROGRAMME_NOTICE_MAX_WAIT seconds after the first.
PROGRAMME_NOTICE_SECONDS = 120
PROGRAMME_NOTICE_MAX_WAIT = 900
# Focal points of delegations still in draft are reminded this many days before registration
# closes (once per delegation and deadline); 0 turns the reminders off.
DEADLINE_REMINDER_DAYS = 7

# The job queue (congress.jobs, on Dramatiq). Production: redis://127.0.0.1:6379/1 and
# `flask --app congress jobs worker` beside gunicorn. Without a broker each web process runs
# the jobs it sends in JOBS_THREADS threads of its own, so a fresh clone needs nothing else.
JOBS_BROKER_URL = None
# Whether this process runs jobs itself: by default only when no broker is configured.
JOBS_IN_PROCESS = None
JOBS_THREADS = 2
JOBS_QUEUE = "congress"
# Prefix of the broker's keys in Redis.
JOBS_NAMESPACE = "congress-jobs"
# A failed job is tried again up to this many times, after a pause (seconds) that doubles
# from JOBS_MIN_BACKOFF up to JOBS_MAX_BACKOFF; then it is recorded as failed.
JOBS_MAX_RETRIES = 5
JOBS_MIN_BACKOFF = 15
JOBS_MAX_BACKOFF = 3600
# A congress's export holds its delegates' personal data: it is deleted this many hours after
# it was written (by the jobs' sweep).
EXPORTS_KEEP_HOURS = 24
# A job still running after this many seconds is stopped (and retried).
JOBS_TIME_LIMIT = 600
# How often a worker looks for work the database says is due (mail left in the outbox).
JOBS_SWEEP_SECONDS = 60
# The outbox: a mail is tried up to MAIL_MAX_ATTEMPTS times, MAIL_RETRY_SECONDS after the
# first failure and twice as long after each next one (at most six hours).
MAIL_MAX_ATTEMPTS = 8
MAIL_RETRY_SECONDS = 60
# A worker holds a mail it sends for this long; a worker that died is taken over after it.
MAIL_LEASE_SECONDS = 300
