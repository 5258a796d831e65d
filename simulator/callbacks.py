"""The one dispatcher that delivers callbacks and webhooks when they fall due on the virtual clock.

One thread for the whole server (never one per resource): it sleeps until the earliest thing due
in any namespace (converted from virtual to real time by the clock's speed; forever under a
frozen clock) or until it is rung. `deliver_due(simulation)` is also called by clock changes, so
under a frozen clock `advance` delivers what falls due before it returns. Each attempt is one
journal entry; a failed attempt is retried on the virtual clock with a backoff.
"""
from __future__ import annotations

import ipaddress
import json
import logging
import threading
import time
from collections.abc import Callable, Iterable
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit
from urllib.request import Request, urlopen

from .engine import Simulation
from .engine.clock import real_now
from .engine.journal import SECRET_NAME, body_for_journal
from .engine.outbox import Notification

log = logging.getLogger("simulator.callbacks")

RETRY_BACKOFF = (1.0, 5.0, 30.0)  # virtual seconds after the 1st, 2nd, 3rd failed attempt
TIMEOUT = 3.0  # real seconds per attempt
IDLE_WAIT = 1.0  # real seconds between looks when nothing is known to be due


def target_allowed(url: str, allowed_hosts: Iterable[str]) -> bool:
    """Loopback only, unless the host is listed (by name or address) in allowed_hosts."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return False
    host = parts.hostname
    if host in allowed_hosts or host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Dispatcher:
    def __init__(self, namespaces: Callable[[], list[Simulation]], vendors: dict,
                 allowed_hosts: Iterable[str] = ()) -> None:
        self._namespaces = namespaces
        self._vendors = vendors
        self.allowed_hosts = frozenset(allowed_hosts)
        self._wake = threading.Condition()
        self._thread: threading.Thread | None = None
        self._stopped = False

    # --- the thread ------------------------------------------------------------------------------
    def ring(self) -> None:
        """Something was scheduled: start the thread if needed and let it look again."""
        with self._wake:
            if self._thread is None and not self._stopped:
                self._thread = threading.Thread(target=self._run, name="simulator-dispatcher", daemon=True)
                self._thread.start()
            self._wake.notify()

    def stop(self) -> None:
        with self._wake:
            self._stopped = True
            self._wake.notify()

    def _run(self) -> None:
        while True:
            with self._wake:
                if self._stopped:
                    return
            wait = IDLE_WAIT
            for simulation in self._namespaces():
                try:
                    self.deliver_due(simulation)
                except Exception:  # a bad hook must not kill the only dispatcher
                    log.exception("delivery run failed in namespace %s", simulation.name)
                wait = min(wait, self._real_wait(simulation))
            with self._wake:
                if not self._stopped:
                    self._wake.wait(timeout=max(wait, 0.005))

    @staticmethod
    def _real_wait(simulation: Simulation) -> float:
        due = simulation.outbox.next_due()
        clock = simulation.clock.state()
        if due is None or clock.frozen or clock.speed <= 0:
            return IDLE_WAIT
        return max(0.0, (due - clock.now) / clock.speed)

    # --- one delivery run ------------------------------------------------------------------------
    def deliver_due(self, simulation: Simulation) -> int:
        """Replay watched resources and deliver every notification due by now. Returns attempts made."""
        attempts = 0
        with simulation.delivery_lock:
            while True:
                now = simulation.clock.now()
                with simulation.transaction() as tx:
                    for vendor, kind, id in simulation.outbox.due_wakeups(now):
                        tx.get(vendor, kind, id)  # catching up queues the transitions' notifications
                due = simulation.outbox.due_notifications(now)
                if not due:
                    return attempts
                for notification in due:
                    self._attempt(simulation, notification)
                    attempts += 1

    def _attempt(self, simulation: Simulation, notification: Notification) -> None:
        notification.attempts += 1
        started, real_time, virtual_time = time.perf_counter(), real_now(), simulation.clock.now()
        status, error = self._post(notification)
        notification.delivered = 200 <= status < 300
        notification.last_error = None if notification.delivered else error or f"HTTP {status}"
        vendor = notification.resource[0]
        simulation.journal.record(
            namespace=simulation.name, method="POST", path=notification.url, query="", vendor=vendor,
            operation=f"callback:{notification.event}", status=status, real_time=real_time,
            virtual_time=virtual_time, duration_ms=round((time.perf_counter() - started) * 1000, 3),
            request_headers={k: ("***" if SECRET_NAME.search(k) else v) for k, v in notification.headers.items()},
            request_body=body_for_journal(json.dumps(notification.payload).encode(), "application/json",
                                          simulation.journal.body_limit),
            response_body=None, faults=(),
            extra={"direction": "outgoing", "attempt": notification.attempts, "error": notification.last_error},
        )
        retry = not notification.delivered and notification.attempts <= len(RETRY_BACKOFF)
        if retry and error != "target not allowed":
            notification.due_at = virtual_time + RETRY_BACKOFF[notification.attempts - 1]
            simulation.outbox.push(notification)
        on_delivery = getattr(self._vendors.get(vendor), "on_delivery", None)
        if on_delivery is not None:
            with simulation.transaction() as tx:
                on_delivery(tx, notification, final=notification.delivered or not retry)

    def _post(self, notification: Notification) -> tuple[int, str | None]:
        if not target_allowed(notification.url, self.allowed_hosts):
            return 0, "target not allowed"
        body = json.dumps(notification.payload).encode()
        headers = {"Content-Type": "application/json", "User-Agent": "vendor-simulator", **notification.headers}
        try:
            with urlopen(Request(notification.url, data=body, headers=headers, method="POST"), timeout=TIMEOUT) as r:
                return r.status, None
        except HTTPError as error:
            return error.code, f"HTTP {error.code}"
        except (URLError, OSError) as error:
            return 0, str(getattr(error, "reason", error))
