"""The one dispatcher that delivers callbacks and webhooks when they fall due on the virtual clock.

One thread for the whole server (never one per resource): it sleeps until the earliest thing due
in any namespace (converted from virtual to real time by the clock's speed; forever under a
frozen clock) or until it is rung. `deliver_due(simulation)` is also called by clock changes, so
under a frozen clock `advance` delivers what falls due before it returns. Each attempt is one
journal entry; a failed attempt is retried on the virtual clock with a backoff. Where a delivery
may go is targets.py's rule, checked again on the address each connection is made to.
"""
from __future__ import annotations

import base64
import json
import logging
import threading
import time
import urllib.request
from collections.abc import Callable, Iterable
from functools import partial
from http.client import HTTPConnection, HTTPSConnection
from urllib.error import HTTPError, URLError
from urllib.parse import unquote, urlsplit, urlunsplit

from .engine.clock import real_now
from .engine.outbox import Notification
from .engine.secrets import MASK, mask_url
from .namespace import Namespace
from .targets import NOT_ALLOWED, SELF_TARGET, SelfTargetError, Targets, deliverable_headers
from .traffic.journal import body_for_journal

log = logging.getLogger("simulator.callbacks")

RETRY_BACKOFF = (1.0, 5.0, 30.0)  # virtual seconds after the 1st, 2nd, 3rd failed attempt
TIMEOUT = 3.0  # real seconds per attempt
IDLE_WAIT = 1.0  # real seconds between looks when nothing is known to be due
FINAL_ERRORS = (NOT_ALLOWED, SELF_TARGET)  # refused before any connection: never retried


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A 3xx answer is the attempt's result (a failure), never a second request elsewhere."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class _GuardedHTTP(urllib.request.HTTPHandler):
    def __init__(self, targets: Targets) -> None:
        super().__init__()
        self._targets = targets

    def http_open(self, req):
        return self.do_open(partial(_guarded, HTTPConnection, self._targets), req)


class _GuardedHTTPS(urllib.request.HTTPSHandler):
    def __init__(self, targets: Targets) -> None:
        super().__init__()
        self._targets = targets

    def https_open(self, req):
        return self.do_open(partial(_guarded, HTTPSConnection, self._targets), req,
                            context=self._context)


def _guarded(connection_class, targets: Targets, host, **kwargs):
    connection = connection_class(host, **kwargs)
    connection._create_connection = targets.guarded_connect  # http.client's own seam (its tests use it)
    return connection


def _opener(targets: Targets) -> urllib.request.OpenerDirector:
    """No proxies from the environment, no redirects, and every connection checked by `targets`."""
    return urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirects(),
                                       _GuardedHTTP(targets), _GuardedHTTPS(targets))


def _credentials_apart(url: str) -> tuple[str, str | None]:
    """`https://user:token@host/...` is sent to `https://host/...` with HTTP Basic credentials,
    as curl and browsers do (urllib would take `user:token@host` for the host)."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url, None
    userinfo, _, hostport = parts.netloc.rpartition("@")
    token = base64.b64encode(unquote(userinfo).encode()).decode()
    return urlunsplit(parts._replace(netloc=hostport)), f"Basic {token}"


def target_allowed(url: str, allowed_hosts: Iterable[str]) -> bool:
    """Loopback only, unless the host is listed (by name or address) in allowed_hosts."""
    return Targets(allowed_hosts).allowed(url)


class Dispatcher:
    def __init__(self, namespaces: Callable[[], list[Namespace]], vendors: dict,
                 allowed_hosts: Iterable[str] = ()) -> None:
        self._namespaces = namespaces
        self._vendors = vendors
        self.targets = Targets(allowed_hosts)
        self._open = _opener(self.targets).open
        self._wake = threading.Condition()
        self._thread: threading.Thread | None = None
        self._stopped = False

    def listening_on(self, host: str, port: int) -> None:
        """The server listens here: deliveries to it are refused."""
        self.targets.listening_on(host, port)

    # --- the thread ------------------------------------------------------------------------------
    def ring(self) -> None:
        """Something was scheduled: start the thread if needed and let it look again."""
        with self._wake:
            if self._thread is None and not self._stopped:
                self._thread = threading.Thread(target=self._run, name="simulator-dispatcher", daemon=True)
                self._thread.start()
            self._wake.notify()

    def stop(self, timeout: float = TIMEOUT + 2) -> None:
        """Stop for good: no delivery starts afterwards, and the thread has ended when this returns
        (unless an attempt in flight outlasts `timeout`). Idempotent."""
        with self._wake:
            self._stopped = True
            self._wake.notify()
            thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)

    def _run(self) -> None:
        while True:
            with self._wake:
                if self._stopped:
                    return
            wait = IDLE_WAIT
            try:
                namespaces = self._namespaces()
            except Exception:  # a shared store out of reach: look again later
                log.exception("cannot list the namespaces with deliveries due")
                namespaces = []
            for simulation in namespaces:
                try:
                    self.deliver_due(simulation)
                    wait = min(wait, self._real_wait(simulation))
                except Exception:  # a bad hook, or the store out of reach, must not kill the only dispatcher
                    log.exception("delivery run failed in namespace %s", simulation.name)
            with self._wake:
                if not self._stopped:
                    self._wake.wait(timeout=max(wait, 0.005))

    @staticmethod
    def _real_wait(simulation: Namespace) -> float:
        due = simulation.outbox.next_due()
        if due is None:
            simulation.outbox.idle()
        clock = simulation.clock.state()
        if due is None or clock.frozen or clock.speed <= 0:
            return IDLE_WAIT
        return max(0.0, (due - clock.now) / clock.speed)

    # --- one delivery run ------------------------------------------------------------------------
    def deliver_due(self, simulation: Namespace, *, wait: bool = False) -> int:
        """Replay watched resources and deliver every notification due by now. Returns attempts made.

        With `wait`, a delivery run another process is making is waited for (bounded), then this one
        runs: a clock change returns only after what fell due was delivered."""
        attempts = 0
        with simulation.delivering(wait=wait) as mine:
            while mine:
                with simulation.transaction() as tx:
                    now = tx.now
                    for vendor, kind, id in simulation.outbox.due_wakeups(now):
                        tx.get(vendor, kind, id)  # catching up queues the transitions' notifications
                due = simulation.outbox.due_notifications(now)
                if not due:
                    return attempts
                for notification in due:
                    self._attempt(simulation, notification)
                    attempts += 1
        return attempts

    def _attempt(self, simulation: Namespace, notification: Notification) -> None:
        """One delivery: journalled, retried or finished, and told to the vendor. Nothing it meets
        (a bad target, a broken receiver, a failing hook) stops the other deliveries."""
        notification.attempts += 1
        started, real_time, virtual_time = time.perf_counter(), real_now(), simulation.clock.now()
        try:
            status, error = self._post(notification)
        except Exception as exc:  # whatever the receiver did, it is this attempt's failure only
            log.exception("delivery to %s failed", mask_url(notification.url))
            status, error = 0, f"delivery failed: {type(exc).__name__}"
        simulation.outbox.done(notification)  # a shared store kept it until now: a replica dying mid-attempt loses none
        notification.delivered = 200 <= status < 300
        notification.last_error = None if notification.delivered else error or f"HTTP {status}"
        vendor = notification.resource[0]
        simulation.journal.record(
            namespace=simulation.name, method="POST", path=mask_url(notification.url), query="", vendor=vendor,
            operation=f"callback:{notification.event}", status=status, real_time=real_time,
            virtual_time=virtual_time, duration_ms=round((time.perf_counter() - started) * 1000, 3),
            request_headers={"Content-Type": "application/json", "User-Agent": "vendor-simulator",
                             **{name: MASK for name in deliverable_headers(notification.headers)}},
            request_body=body_for_journal(json.dumps(notification.payload).encode(), "application/json",
                                          simulation.journal.body_limit),
            response_body=None, faults=(),
            extra={"direction": "outgoing", "attempt": notification.attempts, "error": notification.last_error},
        )
        retry = not notification.delivered and notification.attempts <= len(RETRY_BACKOFF)
        if retry and error not in FINAL_ERRORS:
            notification.due_at = virtual_time + RETRY_BACKOFF[notification.attempts - 1]
            simulation.outbox.push(notification)
        else:
            retry = False
        on_delivery = getattr(self._vendors.get(vendor), "on_delivery", None)
        if on_delivery is not None:
            try:
                with simulation.transaction() as tx:
                    on_delivery(tx, notification, final=notification.delivered or not retry)
            except Exception:  # the vendor's bookkeeping failing must not undo the delivery run
                log.exception("on_delivery of %s failed", vendor)

    def _post(self, notification: Notification) -> tuple[int, str | None]:
        if not self.targets.allowed(notification.url):
            return 0, NOT_ALLOWED
        body = json.dumps(notification.payload).encode()
        # Configured headers first, so the sender's own (and no X-Simulator-*) are what goes out.
        # Values as UTF-8 bytes: http.client would fail on a str outside Latin-1.
        headers = {**{k: v.encode() for k, v in deliverable_headers(notification.headers).items()},
                   "Content-Type": "application/json", "User-Agent": "vendor-simulator"}
        url, authorization = _credentials_apart(notification.url)
        if authorization:
            headers["Authorization"] = authorization
        try:
            with self._open(urllib.request.Request(url, data=body, headers=headers, method="POST"),
                            timeout=TIMEOUT) as response:
                return response.status, None
        except HTTPError as error:  # 3xx (not followed), 4xx, 5xx
            error.close()
            return error.code, f"HTTP {error.code}"
        except SelfTargetError:
            return 0, SELF_TARGET
        except URLError as error:
            if isinstance(error.reason, SelfTargetError):
                return 0, SELF_TARGET
            return 0, str(error.reason)
        except OSError as error:
            return 0, str(error)
