"""``lpgp serve``: one Tornado process serving lpgp's light pages in front of Voilà.

Voilà renders the facilitator notebooks; lpgp's routes (sign-in, light pages, stylesheet)
come first, and the parts of Voilà that list or hand out files are left out. An identity
provider lets only a facilitator's signed session cookie through to the notebooks and the
kernel API, so nobody signed out can start or take a kernel.
"""

from __future__ import annotations

import functools
import gc
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jupyter_server.auth import IdentityProvider, User
from sqlalchemy.exc import DBAPIError
from tornado.ioloop import IOLoop, PeriodicCallback
from tornado.web import RequestHandler
from traitlets.config import Config
from voila.app import Voila
from voila.request_info_handler import RequestInfoSocketHandler
from voila.static_file_handler import TemplateStaticFileHandler

from lpgp import config
from lpgp.store import Store
from lpgp.web import addresses, kernel_request
from lpgp.web import visitor as visitors
from lpgp.web.base import SECURITY_HEADERS, TEMPLATES
from lpgp.web.handlers import NotFoundHandler, log_request, routes
from lpgp.web.store_access import access_to
from lpgp.web.throttle import Throttle, parse_proxies

log = logging.getLogger(__name__)

NOTEBOOK = r"[a-z][a-z0-9_]*\.ipynb"
# Voilà routes lpgp leaves out: the notebook listing, the contents API, file downloads and
# Jupyter's own token login (lpgp has its sign-in form).
DROPPED = ("/voila/tree", "/voila/api/contents", "/voila/files/", "/login", "/logout")
# The workshop app (every screen in one page and one kernel) is kept ready; so is the old
# home page, which links into it.
FACILITATOR_POOLS = {"app.ipynb": 1, "home.ipynb": 1}
# lpgp's Voilà template ("lpgp", based on Voilà's "lab"), found through JUPYTER_PATH.
TEMPLATE_ROOT = Path(__file__).resolve().parent / "jupyter"
TEMPLATE = "lpgp"


@dataclass(frozen=True)
class ServeOptions:
    """What ``lpgp serve`` was asked for."""

    notebooks: Path
    host: str = "127.0.0.1"
    port: int = 8866
    pools: dict[str, int] = field(default_factory=lambda: dict(FACILITATOR_POOLS))
    # A closed page's kernel goes within 6 minutes: 5 idle, then the next minute's check.
    cull_idle_seconds: int = 5 * 60
    trusted_proxies: str = ""


class LpgpIdentityProvider(IdentityProvider):
    """Lets in only requests carrying a facilitator's lpgp session cookie."""

    @property
    def auth_enabled(self) -> bool:
        return True

    @property
    def login_available(self) -> bool:
        return False

    def get_handlers(self) -> list:
        return []

    async def get_user(self, handler: RequestHandler) -> User | None:
        """The facilitator whose session cookie this is (looked up on a worker thread: the
        notebook server awaits it, and the event loop never waits on the database)."""
        raw = handler.get_signed_cookie(visitors.COOKIE, max_age_days=1)
        if not raw:
            return None
        token = raw.decode()
        app = self.parent
        if not isinstance(app, LpgpVoila):  # only lpgp's server hands out its users
            return None
        who = await access_to(app.lpgp_store).read(lambda s: visitors.visitor_for_token(s, token))
        if who is None or who.member is None or not who.is_facilitator:
            return None
        return User(username=f"member-{who.member.id}", name=who.subject, display_name=who.subject)


def voila_config(options: ServeOptions) -> Config:
    """Voilà's settings for lpgp: sources stripped, no tracebacks, preheated pools, culling."""
    c = Config()
    c.Voila.root_dir = str(options.notebooks)
    c.Voila.ip = options.host
    c.Voila.port = options.port
    c.Voila.port_retries = 0
    c.Voila.open_browser = False
    c.Voila.cookie_secret = visitors.cookie_secret()
    c.Voila.identity_provider_class = LpgpIdentityProvider
    c.Voila.tornado_settings = {
        "login_url": "/sign-in",
        "xsrf_cookies": True,
        # The anti-forgery cookie goes with same-site requests and top-level links only, as a
        # practice's session does (a practice arrives from a link in web mail).
        "xsrf_cookie_kwargs": {"samesite": "Lax"},
        "headers": dict(SECURITY_HEADERS),
        "serve_traceback": False,
        "log_function": log_request,  # lpgp's and Voilà's requests: never a code in the log
    }
    c.VoilaConfiguration.strip_sources = True
    c.VoilaConfiguration.template = TEMPLATE
    c.VoilaConfiguration.show_tracebacks = False
    c.VoilaConfiguration.preheat_kernel = True
    c.VoilaConfiguration.multi_kernel_manager_class = kernel_request.GatedKernelManager
    c.VoilaConfiguration.default_pool_size = 0
    c.VoilaConfiguration.http_header_envs = ["Cookie"]
    c.VoilaConfiguration.file_allowlist = []
    c.VoilaKernelManager.kernel_pools_config = {
        "default": {"pool_size": 0},
        **{name: {"pool_size": size} for name, size in options.pools.items()},
    }
    c.VoilaKernelManager.preheat_denylist = [
        nb.name for nb in options.notebooks.glob("*.ipynb") if not options.pools.get(nb.name)
    ]
    c.MappingKernelManager.cull_idle_timeout = options.cull_idle_seconds
    c.MappingKernelManager.cull_interval = 60
    c.MappingKernelManager.cull_connected = False
    return c


# Connections the operating system holds for the server while it is busy. Tornado's default
# (128) is less than a room: when 600 practices' phones connected at once in the room
# benchmark, the kernel dropped the connections beyond it, each phone retried a second later,
# and about one practice in ten waited 1 s longer for its page (1.7 s at p95 instead of
# 0.8 s). Linux caps this at net.core.somaxconn (4096 by default).
LISTEN_BACKLOG = 2048


class LpgpVoila(Voila):
    """Voilà with lpgp's routes in front and its listing and file routes left out."""

    def __init__(self, *, lpgp_store: Store, options: ServeOptions, **kwargs: Any) -> None:
        super().__init__(config=voila_config(options), **kwargs)
        self.lpgp_store = lpgp_store
        self.lpgp_options = options
        self.throttle = Throttle()

    def listen(self) -> None:
        """Voilà's listen, with room for a whole room's connections (:data:`LISTEN_BACKLOG`)."""
        self.app.listen = functools.partial(self.app.listen, backlog=LISTEN_BACKLOG)
        super().listen()

    def init_handlers(self) -> list:
        kernel_request.install()
        kept = []
        for route in super().init_handlers():
            pattern, handler = route[0], route[1]
            if pattern in ("/", self.server_url) or pattern.startswith(DROPPED):
                continue
            if pattern.startswith("/voila/render/"):
                route = (rf"/voila/render/({NOTEBOOK})", handler, *route[2:])
            if handler is RequestInfoSocketHandler:
                route = (pattern, kernel_request.KernelRequestHandler, *route[2:])
            if handler is TemplateStaticFileHandler:
                route = (pattern, addresses.TemplateFileHandler, *route[2:])
            kept.append((route[0], addresses.secured(route[1]), *route[2:]))
        proxies = parse_proxies(self.lpgp_options.trusted_proxies)
        ctx = {"store": self.lpgp_store, "throttle": self.throttle, "proxies": proxies}
        return [
            (addresses.Malformed(), addresses.MalformedHandler, ctx),
            *routes(self.lpgp_store, self.throttle, proxies),
            *kept,
            (r".*", NotFoundHandler, ctx),
        ]


def settle_heap() -> int:
    """Compile the light pages' templates, then move everything the server has built so far
    out of the garbage collector's way; returns how many objects that was.

    A started server holds about 300,000 long-lived objects (Jupyter server, Voilà, pandas,
    SQLAlchemy), and a full collection walks them all: 130-190 ms on the 2-core test machine,
    a pause every request queued behind it waits through. Frozen, they are never walked again
    and a full collection only looks at what requests create.

    >>> settle_heap() > 0  # doctest: +SKIP
    True
    """
    for name in TEMPLATES.list_templates():
        TEMPLATES.get_template(name)
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


PUBLISH_EVERY_MS = 60_000


def publish_due(store: Store) -> list[int]:
    """Publish the ballots of secret votes that closed by their time (see
    :func:`lpgp.cycle.vote.vote.publish_closed`); a failure is logged, never raised into the
    server."""
    from lpgp.cycle.vote import vote as votes
    from lpgp.errors import LpgpError

    try:
        return store.write(votes.publish_closed)
    except (LpgpError, OSError, DBAPIError) as exc:
        log.warning("could not publish closed votes' ballots: %s", exc)
        return []


def start_publishing(store: Store) -> PeriodicCallback:
    """Check every minute, off the event loop, for secret votes to publish."""

    def tick() -> None:
        IOLoop.current().run_in_executor(None, publish_due, store)

    callback = PeriodicCallback(tick, PUBLISH_EVERY_MS)
    callback.start()
    IOLoop.current().add_callback(tick)
    return callback


def serve(store: Store, options: ServeOptions, announce: Callable[[str], object] = print) -> None:
    """Start the server (blocks until stopped)."""
    # Voilà finds lpgp's page template on JUPYTER_PATH.
    paths = [
        str(TEMPLATE_ROOT),
        *filter(None, os.environ.get("JUPYTER_PATH", "").split(os.pathsep)),
    ]
    os.environ["JUPYTER_PATH"] = os.pathsep.join(dict.fromkeys(paths))
    # Kernels inherit the environment: point them at the very same store and key.
    os.environ["LPGP_DATABASE_URL"] = store.url
    os.environ["LPGP_SERVER_KEY_FILE"] = str(config.server_key_file())
    app = LpgpVoila(lpgp_store=store, options=options)
    app.initialize([])
    settle_heap()
    base = f"http://{options.host}:{options.port}"
    announce(f"lpgp is serving at {base}/")
    announce(f"Facilitators sign in at {base}/sign-in with their personal code.")
    announce(f"Practices open the private link from their letter ({base}/c/THEIR-CODE),")
    announce(f"or type their ballot code at {base}/sign-in.")
    announce("Press Ctrl+C to stop.")
    start_publishing(store)
    app.start()
