"""Where callbacks and webhooks may go, and which headers they may carry.

A target must be http(s) on loopback or on a host given with `--callback-host`, and never the
simulator's own listening socket, however its host is spelled (`localhost`, `127.1`, `2130706433`,
`0x7f000001`, `[::1]`, `0.0.0.0`, a name that resolves to it). Vendors check targets and headers
when a callback is created (their 400), and the dispatcher checks the address it actually connects
to before every delivery, so neither a scenario nor a later DNS answer can slip past.
"""
from __future__ import annotations

import ipaddress
import re
import socket
import threading
from collections.abc import Iterable
from urllib.parse import urlsplit

from marshmallow import ValidationError

from .kit.schema import StrictString

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
RESOLVE_TIMEOUT = 1.0  # real seconds a create may wait for a --callback-host name to resolve
DEFAULT_PORTS = {"http": 80, "https": 443}
LOOPBACK_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback")
SELF_TARGET = "target is the simulator itself"
NOT_ALLOWED = "target not allowed"

_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")  # RFC 9110 token
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")  # CR, LF, NUL and the rest; HTAB is allowed
_LEGACY_IPV4 = re.compile(r"(?i)[0-9a-fx.]+")  # what inet_aton reads: 127.1, 2130706433, 0x7f000001
FRAMING_HEADERS = frozenset({"host", "content-length", "transfer-encoding", "connection", "content-type"})
SIMULATOR_HEADER_PREFIX = "x-simulator-"


class SelfTargetError(OSError):
    """The address a delivery was about to connect to is the simulator's own."""


def parse_address(host: str) -> IpAddress | None:
    """An IP literal in any spelling the socket layer accepts, or None for a name."""
    host = host.strip("[]").split("%")[0]
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        if not _LEGACY_IPV4.fullmatch(host):
            return None
        try:
            address = ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _is_local(address: IpAddress) -> bool:
    """Whether the address belongs to this machine: binding to it succeeds only then."""
    family = socket.AF_INET if address.version == 4 else socket.AF_INET6
    try:
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.bind((str(address), 0))
        return True
    except OSError:
        return False


class Targets:
    """The rules for one server: its allowed hosts and the sockets it listens on."""

    def __init__(self, allowed_hosts: Iterable[str] = ()) -> None:
        self.allowed_hosts = frozenset(h.lower().rstrip(".") for h in allowed_hosts)
        self._listening: set[tuple[IpAddress, int]] = set()

    def listening_on(self, host: str, port: int | str) -> None:
        port = int(port)  # waitress reports it as a string
        address = parse_address(host)
        if address is None:  # a name was bound: every address it stands for
            for resolved in _resolve(host, port, timeout=None):
                self._listening.add((resolved, port))
        else:
            self._listening.add((address, port))

    def is_self(self, address: IpAddress, port: int) -> bool:
        if address.is_unspecified:  # connecting to 0.0.0.0 or :: reaches this machine's loopback
            address = ipaddress.ip_address("127.0.0.1" if address.version == 4 else "::1")
        for listening, listening_port in list(self._listening):
            if port != listening_port or (listening.version == 4 and address.version == 6):
                continue  # an IPv4 socket never answers an IPv6 address (an IPv6 one may answer both)
            if listening.is_unspecified:
                if _is_local(address):
                    return True
            elif listening == address:
                return True
        return False

    def allowed(self, url: str) -> bool:
        """Loopback only, unless the host is listed (by name or address) with --callback-host."""
        try:
            parts = urlsplit(url)
        except ValueError:
            return False
        if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
            return False
        host = parts.hostname.rstrip(".")
        if host in self.allowed_hosts or host in LOOPBACK_NAMES or host.endswith(".localhost"):
            return True
        address = parse_address(host)
        return address is not None and (address.is_loopback or str(address) in self.allowed_hosts)

    def problem(self, url: str) -> str | None:
        """Why a callback to this URL is refused when it is created (it aims at the simulator), or None."""
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError:
            return None  # never delivered (see allowed): vendors take any string as a URL
        if not self._listening or parts.scheme not in DEFAULT_PORTS or not parts.hostname:
            return None
        port = port or DEFAULT_PORTS[parts.scheme]
        if any(self.is_self(address, port) for address in self._addresses(parts.hostname, port)):
            return f"{SELF_TARGET} ({parts.hostname}:{port}): callbacks cannot be sent to the simulator"
        return None

    def _addresses(self, host: str, port: int) -> list[IpAddress]:
        host = host.rstrip(".")
        address = parse_address(host)
        if address is not None:
            return [address]
        if host in LOOPBACK_NAMES or host.endswith(".localhost"):
            return [ipaddress.ip_address("127.0.0.1"), ipaddress.ip_address("::1")]
        if host in self.allowed_hosts:  # other names are never delivered to: no lookup needed
            return _resolve(host, port, timeout=RESOLVE_TIMEOUT)
        return []

    def guarded_connect(self, address: tuple[str, int], timeout: float | None = None,
                        source_address: tuple[str, int] | None = None, *args, **kwargs) -> socket.socket:
        """socket.create_connection that refuses the simulator's own sockets, checked on the very
        address it connects to (no second lookup a DNS answer could change in between)."""
        host, port = address
        candidates = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        for *_, sockaddr in candidates:
            resolved = parse_address(sockaddr[0])
            if resolved is not None and self.is_self(resolved, port):
                raise SelfTargetError(SELF_TARGET)
        error: OSError | None = None
        for family, kind, proto, _, sockaddr in candidates:
            sock = socket.socket(family, kind, proto)
            try:
                if timeout is not None:
                    sock.settimeout(timeout)
                if source_address:
                    sock.bind(source_address)
                sock.connect(sockaddr)
                return sock
            except OSError as exc:
                sock.close()
                error = exc
        raise error or OSError(f"no address for {host}")


def _resolve(host: str, port: int, timeout: float | None) -> list[IpAddress]:
    """The addresses a name resolves to, waiting at most `timeout` real seconds ([] if slower)."""
    found: list[IpAddress] = []

    def lookup() -> None:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except OSError:
            return
        found.extend(a for a in (parse_address(info[4][0]) for info in infos) if a is not None)

    if timeout is None:
        lookup()
        return found
    worker = threading.Thread(target=lookup, name="simulator-resolve", daemon=True)
    worker.start()
    worker.join(timeout)
    return list(found) if not worker.is_alive() else []


# --- headers -------------------------------------------------------------------------------------

def header_problem(name: str, value: str) -> str | None:
    """Why a configured callback header cannot be sent at all (refused at create time), or None."""
    if not _TOKEN.fullmatch(name):
        return f"header name {name!r} is not an HTTP token"
    if _CONTROL.search(value):
        return f"the value of header {name!r} holds a control character (CR, LF, NUL, ...)"
    return None


def deliverable_headers(headers: dict[str, str]) -> dict[str, str]:
    """The configured headers a delivery carries: never the simulator's own X-Simulator-* nor the
    ones the sender sets itself (framing), and none that could not be sent."""
    return {k: v for k, v in headers.items()
            if header_problem(k, v) is None and k.lower() not in FRAMING_HEADERS
            and not k.lower().startswith(SIMULATOR_HEADER_PREFIX)}


# --- marshmallow fields for vendor schemas -------------------------------------------------------

class CallbackUrl(StrictString):
    """A callback or webhook URL: http(s), and not the simulator itself (when a server is known)."""

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        problem = (_current_targets() or Targets()).problem(value)
        if problem:
            raise ValidationError(problem)
        return value


class HeaderName(StrictString):
    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        if not _TOKEN.fullmatch(value):
            raise ValidationError(f"header name {value!r} is not an HTTP token")
        return value


class HeaderValue(StrictString):
    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        if _CONTROL.search(value):
            raise ValidationError("a header value cannot hold control characters (CR, LF, NUL, ...)")
        return value


def _current_targets() -> Targets | None:
    """The serving runtime's rules when called inside a request or app context."""
    from flask import current_app, has_app_context

    if not has_app_context():
        return None
    runtime = current_app.extensions.get("simulator")
    return runtime.dispatcher.targets if runtime is not None else None
