"""Settings of the Red Alliance portal, read from the environment.

Unset, the embedded defaults serve one machine: SQLite in ``DATA_DIR`` and a
Celery broker kept in files there, so ``make run`` needs no server. With
``DATABASE_URL`` and ``REDIS_URL`` it runs on PostgreSQL and Redis.
``PRODUCTION=1`` turns on everything ``check --deploy`` asks for and refuses
to start without a real ``SECRET_KEY`` and ``ALLOWED_HOSTS``.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from alliance.core.env import env_bool, env_int, env_json, env_list, tile_origin

BASE_DIR = Path(__file__).resolve().parent.parent


PRODUCTION = env_bool("PRODUCTION", False)
DEBUG = env_bool("DEBUG", False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off when PRODUCTION=1")

DATA_DIR = Path(os.environ.get("DATA_DIR") or BASE_DIR / "var")
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _local_secret_key() -> str:
    """A per-checkout random key, so the embedded defaults never share a secret."""
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY is required when PRODUCTION=1")
    SECRET_KEY = _local_secret_key()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is required when PRODUCTION=1")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
CSRF_FAILURE_VIEW = "alliance.core.error_views.csrf_failure"

INSTALLED_APPS = [
    "alliance.site.apps.AllianceAdminConfig",  # django.contrib.admin with the portal's site (alliance.site.admin_site)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "django_celery_results",
    "import_export",
    "simple_history",
    "axes",
    "alliance.core",
    "grids",
    "members",
    "alliance.committee",
    "projects",
    "services",
    "alliance.points",
    "alliance.volunteering",
    "alliance.proposals",
    "alliance.surveys",
    "alliance.assessment",
    "alliance.following",
    "alliance.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "alliance.core.security.ContentSecurityPolicyMiddleware",
    # Refuses a request body over UPLOAD_MAX_REQUEST_BYTES (413) before anything reads it.
    "alliance.core.uploads.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language of the cookie set_language writes, else Chinese; Accept-Language is not read (admin_chinese).
    "alliance.core.admin_chinese.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "alliance.core.replica.ReadYourWritesMiddleware",  # with a replica: who just wrote reads from the primary
    "django.contrib.messages.middleware.MessageMiddleware",
    # A NUL or a date drill-down outside the calendar is a 400 before any view (the admin's lists) reads it.
    "alliance.core.security.QueryStringGuardMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it sees the outcome of every login.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "alliance.urls"
WSGI_APPLICATION = "alliance.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "alliance.core.context_processors.portal",
                "alliance.site.tabs.portal_tab",
            ],
        },
    },
]

# Database: PostgreSQL from DATABASE_URL, SQLite in DATA_DIR otherwise.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'db.sqlite3'}",
        # Persistent connections: a new PostgreSQL connection per request costs
        # more than most of our pages.
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
IS_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")
if not IS_POSTGRES:
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # SQLite serialises writers; wait for the lock instead of failing at once.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
if os.environ.get("REPLICA_DATABASE_URL"):  # the heavy reads on a streaming replica: see alliance.core.replica
    _replica = dj_database_url.parse(os.environ["REPLICA_DATABASE_URL"], conn_max_age=env_int("CONN_MAX_AGE", 60))
    _replica.setdefault("OPTIONS", {})["connect_timeout"] = 2  # one that does not answer is given up fast
    DATABASES["replica"] = {**_replica, "CONN_HEALTH_CHECKS": True, "TEST": {"MIRROR": "default"}}
    DATABASE_ROUTERS = ["alliance.core.replica.ReplicaRouter"]
REPLICA_MAX_LAG = env_int("REPLICA_MAX_LAG", 5)  # seconds behind at most, else the primary reads
REPLICA_CHECK_INTERVAL = env_int("REPLICA_CHECK_INTERVAL", 2)  # seconds between two lag checks of a process
REPLICA_PIN_SECONDS = env_int("REPLICA_PIN_SECONDS", 5)  # read-your-writes: the primary for this long after a write
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "members.User"
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "alliance.core.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Login throttling: lock a username + address pair after repeated failures.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLED = env_bool("AXES_ENABLED", True)
# The client's address as the trusted reverse proxy reports it (the same as the rate limits), and a
# limit per address across usernames (password spraying): alliance.core.login_throttle.
AXES_CLIENT_IP_CALLABLE = "alliance.core.ratelimit.client_address"
AXES_HANDLER = "alliance.core.login_throttle.AxesHandler"
AXES_ADDRESS_FAILURE_LIMIT = env_int("AXES_ADDRESS_FAILURE_LIMIT", 20)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The language chosen with the switch (set_language) is kept a year, not only for the browser session.
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or DATA_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", PRODUCTION)
            else "whitenoise.storage.CompressedStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
# Uploaded photos are checked in forms; this bounds the body of any request.
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Uploads and imports are bounded before they are expensive (alliance.core.uploads, alliance.core.photos,
# alliance.core.spreadsheets): the whole body of one request, files included (larger: 413 before it is read);
# pixels of one photo and of all photos of one request, as their headers declare them, before decoding
# (Pillow's own bomb guard follows PHOTO_MAX_PIXELS); the long side photos are stored at; bytes, rows and
# unpacked XML of one imported spreadsheet.
UPLOAD_MAX_REQUEST_BYTES = env_int("UPLOAD_MAX_REQUEST_BYTES", 50 * 1024 * 1024)
PHOTO_MAX_PIXELS = env_int("PHOTO_MAX_PIXELS", 25_000_000)
PHOTO_MAX_REQUEST_PIXELS = env_int("PHOTO_MAX_REQUEST_PIXELS", 120_000_000)
PHOTO_MAX_SIDE = env_int("PHOTO_MAX_SIDE", 2560)
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 5 * 1024 * 1024)
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 1000)  # about 15 ms a row: well inside the web timeout (30 s)
IMPORT_MAX_UNPACKED_BYTES = env_int("IMPORT_MAX_UNPACKED_BYTES", 40 * 1024 * 1024)
# Excel exports (alliance.core.exports): past this many rows an export runs as a background job, whose file is
# kept privately (never under MEDIA_URL) in EXPORT_ROOT for EXPORT_KEEP_DAYS days.
EXPORT_SYNC_MAX_ROWS = env_int("EXPORT_SYNC_MAX_ROWS", 10_000)
EXPORT_ROOT = Path(os.environ.get("EXPORT_ROOT") or DATA_DIR / "exports")
EXPORT_KEEP_DAYS = env_int("EXPORT_KEEP_DAYS", 7)

REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "alliance.core.redis_cache.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "alliance"}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "alliance"}
    )
}

# Celery: Redis when REDIS_URL is set, else a broker in files under DATA_DIR (no server; web and worker share it).
CELERY_BROKER_URL = REDIS_URL or "filesystem://"
if not REDIS_URL:
    _broker_dir = DATA_DIR / "broker"
    for sub in ("queue", "processed", "control"):
        (_broker_dir / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
    if REDIS_URL.startswith("redis://"):  # one kept client per channel (alliance/core/broker.py); rediss: kombu's
        CELERY_BROKER_TRANSPORT = "alliance.core.broker:Transport"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Results are kept only where a caller waits for one (the health check) and for the runs of periodic jobs:
# the tasks of a default schedule keep theirs (alliance.core.job_runs), with the task's and the schedule's
# name (extended) and the started state, for 30 days (celery.backend_cleanup, scheduled by beat).
CELERY_RESULT_BACKEND = "django-db"
CELERY_RESULT_EXTENDED = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ANNOTATIONS = ["alliance.core.job_runs.RecordScheduledRuns"]
CELERY_TASK_TRACK_STARTED = True
CELERY_TASK_STORE_EAGER_RESULT = True
CELERY_RESULT_EXPIRES = 30 * 24 * 3600
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TIME_LIMIT = 10 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 9 * 60
# A task is acknowledged after it ran, so a killed worker's task is delivered again;
# every task is written to be safe to run twice.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)

# A write enqueues its task with one fast attempt (seconds to connect, no retries); after a failure it
# publishes nothing for ENQUEUE_PAUSE_SECONDS and leaves the work to the periodic sweeps (alliance.core.enqueue).
ENQUEUE_CONNECT_TIMEOUT = float(os.environ.get("ENQUEUE_CONNECT_TIMEOUT") or 1.0)
ENQUEUE_PAUSE_SECONDS = float(os.environ.get("ENQUEUE_PAUSE_SECONDS") or 30.0)
# The web process publishes the dispatch of new orders, issues and claims in batches this often (core.linger).
DISPATCH_LINGER_SECONDS = float(os.environ.get("DISPATCH_LINGER_SECONDS") or 0.1)

# /healthz tells anonymous callers only which component is down; staff always see the error texts,
# everyone does with HEALTHZ_DETAILS=1 (a private monitoring network).
HEALTHZ_DETAILS = env_bool("HEALTHZ_DETAILS", False)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "alliance.core.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "alliance.core.api_filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "alliance.core.api_pagination.Pagination",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "alliance.core.api_schema.AutoSchema",
    "EXCEPTION_HANDLER": "alliance.core.api_errors.exception_handler",
    # Throttles are set per viewset (alliance.core.ratelimit.CreateRateThrottle); DEFAULT_THROTTLE_RATES and
    # NUM_PROXIES are set below from RATE_LIMITS and RATE_LIMIT_PROXY_COUNT.
}
SPECTACULAR_SETTINGS = {
    "TITLE": "红色联盟 API",
    "DESCRIPTION": "街道区域化党建红色联盟平台接口",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Tags and operation ids from the collection ("grids", "orders"), not the version segment.
    "SCHEMA_PATH_PREFIX": r"/api/v1/",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Choice sets sharing a field name (kind, level, status) need their own component names.
    "ENUM_NAME_OVERRIDES": {
        "GridLevelEnum": "grids.models.GridNode.Level",
        "GridKindEnum": "grids.models.GridNode.Kind",
        "GridPostEnum": "grids.models.GridRole.Post",
        "GridDepartmentEnum": "grids.models.GridRole.Department",
        "TeamKindEnum": "grids.models.Team.Kind",
        "MemberUnitKindEnum": "members.models.MemberUnit.Kind",
        "MemberUnitStatusEnum": "members.models.MemberUnit.Status",
        "PartyOrganizationKindEnum": "members.models.PartyOrganization.Kind",
        "PartyMemberAvailabilityEnum": "members.models.PartyMember.Availability",
        "IssueLevelEnum": "services.models.Issue.Level",
        "CommitteeKindEnum": "alliance.committee.models.Committee.Kind",
        "MeetingKindEnum": "alliance.committee.models.Meeting.Kind",
        "MatchKindEnum": "projects.models.Match.Kind",
        "NeedKindEnum": "projects.models.Need.Kind",
        "PledgeKindEnum": "projects.models.Pledge.Kind",
        "ActivityKindEnum": "services.models.Activity.Kind",
        "IssueEventKindEnum": "services.models.IssueEvent.Kind",
        "OrderEventKindEnum": "services.models.OrderEvent.Kind",
        "ServiceStationKindEnum": "services.models.ServiceStation.Kind",
        "SeatRoleEnum": "alliance.committee.models.Seat.Role",
        "UserRoleEnum": "members.models.User.Role",
        "MatterStatusEnum": "alliance.committee.models.Matter.Status",
        "SelectionStatusEnum": "alliance.surveys.models.Selection.Status",
        "MeetingStatusEnum": "alliance.committee.models.Meeting.Status",
        "ClaimStatusEnum": "projects.models.Claim.Status",
        "MatchStatusEnum": "projects.models.Match.Status",
        "NeedStatusEnum": "projects.models.Need.Status",
        "ProjectStatusEnum": "projects.models.Project.Status",
        "ResourceStatusEnum": "projects.models.Resource.Status",
        "WishStatusEnum": "projects.models.Wish.Status",
        "ActivityStatusEnum": "services.models.Activity.Status",
        "ArticleKindEnum": "alliance.committee.models.Article.Kind",
        "ArticleStatusEnum": "alliance.committee.models.Article.Status",
        "ActivitySignupStatusEnum": "services.models.ActivitySignup.Status",
        "BookingStatusEnum": "services.models.Booking.Status",
        "IssueStatusEnum": "services.models.Issue.Status",
        "NotificationStatusEnum": "alliance.core.models.Notification.Status",
        "OrderStatusEnum": "services.models.Order.Status",
        "FollowFrequencyEnum": "alliance.following.models.Frequency",
        "FollowChannelEnum": "alliance.following.models.DigestChannel",
        "IssueChannelEnum": "services.models.Issue.Channel",  # "channel" is also a follow's (FollowChannelEnum)
        "ProposalStatusEnum": "alliance.proposals.models.Proposal.Status",
    },
}

# API tokens expire this many days after they were issued (alliance.core.authentication).
API_TOKEN_TTL_DAYS = env_int("API_TOKEN_TTL_DAYS", 30)

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "红色联盟 <noreply@localhost>")

# Notifications by SMS and WeChat: a class with send(*, address, title, body, url, kind, params)
# (alliance/core/senders.py). The console sender writes to the log; the real ones are
# alliance.core.channels.sms.AliyunSmsSender / TencentSmsSender and alliance.core.channels.wechat.WeChatTemplateSender.
SMS_SENDER = os.environ.get("SMS_SENDER", "alliance.core.senders.ConsoleSender")
WECHAT_SENDER = os.environ.get("WECHAT_SENDER", "alliance.core.senders.ConsoleSender")


# SMS provider (Alibaba Cloud: AccessKey ID/secret; Tencent Cloud: SecretId/SecretKey and the SmsSdkAppId).
# SMS_ENDPOINT overrides the provider's host ("http://127.0.0.1:9000" in the tests); empty is the SDK's own.
SMS_ACCESS_KEY_ID = os.environ.get("SMS_ACCESS_KEY_ID", "")
SMS_ACCESS_KEY_SECRET = os.environ.get("SMS_ACCESS_KEY_SECRET", "")
SMS_REGION = os.environ.get("SMS_REGION", "")  # empty: cn-hangzhou (Alibaba), ap-guangzhou (Tencent)
SMS_SDK_APP_ID = os.environ.get("SMS_SDK_APP_ID", "")
SMS_SIGN_NAME = os.environ.get("SMS_SIGN_NAME", "红色联盟")  # the approved signature (签名)
SMS_ENDPOINT = os.environ.get("SMS_ENDPOINT", "")
SMS_TIMEOUT_SECONDS = float(os.environ.get("SMS_TIMEOUT_SECONDS") or 10)
# Longest value of one template parameter (the providers refuse longer ones; cut with "…").
SMS_PARAM_MAX_LENGTH = env_int("SMS_PARAM_MAX_LENGTH", 35)
# Templates per kind of message: the kind is the notification key without its ids ("order:42:remind" →
# "order:remind"; "order" and then "default" are tried next); text codes are "code:register",
# "code:registered", "code:reset". Each maps to the provider's template and its parameters, named
# after what fills them: title, body, url (the full link), code, minutes. Tencent's parameters are
# positional: they are sent in the order given.
# {"default": {"template": "SMS_123456", "params": {"title": "title"}},
#  "code:register": {"template": "SMS_654321", "params": {"code": "code", "minutes": "minutes"}}}
SMS_TEMPLATES = env_json("SMS_TEMPLATES", {})
# Delivery receipts pushed by the provider go to /channels/sms/receipts/<provider>/<token>/ (empty: refused).
SMS_RECEIPT_TOKEN = os.environ.get("SMS_RECEIPT_TOKEN", "")

# WeChat official account (公众号): template messages and sign-in in the WeChat browser (wechatpy).
# The base URLs are the platform's; the tests point them to a local fake.
WECHAT_APP_ID = os.environ.get("WECHAT_APP_ID", "")
WECHAT_APP_SECRET = os.environ.get("WECHAT_APP_SECRET", "")
WECHAT_API_BASE_URL = os.environ.get("WECHAT_API_BASE_URL", "https://api.weixin.qq.com/")
WECHAT_OAUTH_BASE_URL = os.environ.get("WECHAT_OAUTH_BASE_URL", "https://open.weixin.qq.com/connect/")
WECHAT_TIMEOUT_SECONDS = float(os.environ.get("WECHAT_TIMEOUT_SECONDS") or 10)
WECHAT_PARAM_MAX_LENGTH = env_int("WECHAT_PARAM_MAX_LENGTH", 20)
# Template messages per kind, as SMS_TEMPLATES: {"default": {"template": "<template_id>",
# "params": {"thing1": "title", "thing2": "body"}}}.
WECHAT_TEMPLATES = env_json("WECHAT_TEMPLATES", {})
# One-time SMS codes for registration and password reset (members.codes): lifetime, wrong tries
# per code, and how often a number or a client address may ask for one.
SMS_CODE_TTL_MINUTES = env_int("SMS_CODE_TTL_MINUTES", 10)
SMS_CODE_MAX_ATTEMPTS = env_int("SMS_CODE_MAX_ATTEMPTS", 5)
SMS_CODE_INTERVAL_SECONDS = env_int("SMS_CODE_INTERVAL_SECONDS", 60)
SMS_CODE_PER_PHONE = os.environ.get("SMS_CODE_PER_PHONE", "5/h")
SMS_CODE_PER_ADDRESS = os.environ.get("SMS_CODE_PER_ADDRESS", "20/h")
# Prefixed to the links in e-mails and messages ("https://portal.example.cn").
SITE_URL = os.environ.get("SITE_URL", "")

DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "alliance2026")

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# The map's base layer (Leaflet, served from static/vendor/leaflet): a tile URL template such as 天地图's
# "https://t{s}.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=vec&STYLE=default"
# "&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk={key}" with MAP_TILE_KEY as {key}.
# Empty (the default, and in tests): a plain map of the grid's boundaries and points on a blank background.
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "")
MAP_TILE_KEY = os.environ.get("MAP_TILE_KEY", "")
MAP_TILE_SUBDOMAINS = os.environ.get("MAP_TILE_SUBDOMAINS", "01234567")
MAP_TILE_ATTRIBUTION = os.environ.get("MAP_TILE_ATTRIBUTION", "")
MAP_TILE_MAX_ZOOM = env_int("MAP_TILE_MAX_ZOOM", 18)
# Where a map with nothing on it opens (lat, lng, zoom).
MAP_DEFAULT_CENTRE = (
    float(os.environ.get("MAP_DEFAULT_LAT", "31.2304")),
    float(os.environ.get("MAP_DEFAULT_LNG", "121.4737")),
    env_int("MAP_DEFAULT_ZOOM", 14),
)
MAP_MAX_FEATURES = env_int("MAP_MAX_FEATURES", 2000)  # per layer of one answer of /api/v1/map/
MAP_BOUNDARY_MAX_BYTES = env_int("MAP_BOUNDARY_MAX_BYTES", 1024 * 1024)  # an uploaded GeoJSON boundary
MAP_BOUNDARY_MAX_VERTICES = env_int("MAP_BOUNDARY_MAX_VERTICES", 20000)


MAP_IMG_SOURCES = " ".join(filter(None, ["'self' data: blob:", tile_origin(MAP_TILE_URL)]))
# Scripts only from our origin (no inline scripts or handlers); inline style attributes are
# used by the admin and Swagger UI. alliance.core.security sets the header on every response.
# Images also from the map's tile server, when one is set (its origin only).
CONTENT_SECURITY_POLICY = os.environ.get(
    "CONTENT_SECURITY_POLICY",
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    f"img-src {MAP_IMG_SOURCES}; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'",
)
# alliance.core.ratelimit: POSTs per account (or address when signed out) in each scope; 429 beyond.
RATE_LIMITS = {
    "register": os.environ.get("RATE_LIMIT_REGISTER", "10/h"),
    "order": os.environ.get("RATE_LIMIT_ORDER", "30/h"),
    "issue": os.environ.get("RATE_LIMIT_ISSUE", "20/h"),
    # Residents taking part (issue 17): proposals, their comments and supports, "me too", votes, survey answers.
    "proposal": os.environ.get("RATE_LIMIT_PROPOSAL", "5/h"),
    "comment": os.environ.get("RATE_LIMIT_COMMENT", "30/h"),
    "support": os.environ.get("RATE_LIMIT_SUPPORT", "60/h"),
    "vote": os.environ.get("RATE_LIMIT_VOTE", "30/h"),
    "answer": os.environ.get("RATE_LIMIT_ANSWER", "30/h"),
}
# Signed-out requests are counted per client address: behind the reverse proxy of a deployment,
# the address it puts last in X-Forwarded-For (one trusted proxy), not the proxy's own.
RATE_LIMIT_PROXY_COUNT = env_int("RATE_LIMIT_PROXY_COUNT", 1 if PRODUCTION else 0)
# The API's throttles (DRF) use the same rates and key signed-out clients on the same address.
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = RATE_LIMITS
REST_FRAMEWORK["NUM_PROXIES"] = RATE_LIMIT_PROXY_COUNT
if PRODUCTION:
    # Behind a reverse proxy that terminates TLS and sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}, "axes": {"level": "WARNING"}},
}
