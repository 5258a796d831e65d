"""create_app(settings) -> the Flask app serving every vendor and the control API."""
from __future__ import annotations

import logging
import threading
import weakref
from collections.abc import Mapping

from flask import Flask, request
from flask.ctx import RequestContext
from flask.sessions import NullSession, SessionInterface
from flask_smorest import Api
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.routing import Rule

from . import __version__
from .control import control
from .dashboard import dashboard
from .engine import LifecycleError
from .engine.store import CapacityError
from .http import pipeline
from .http.errors import ApiError, json_response
from .http.routing import RememberedHosts, RememberedMatches
from .http.transport import TransportFaults
from .kit.errors import VendorError
from .runtime import Runtime
from .settings import Settings
from .shared.store import StoreUnavailable
from .vendors import Vendor, discover

log = logging.getLogger("simulator")


class _NoSessions(SessionInterface):
    """No cookie sessions (nothing here uses flask.session): every request gets the same null
    session, which refuses writes, instead of Flask looking for a secret key and building one."""

    _null = NullSession()

    def open_session(self, app, request) -> NullSession:
        return self._null

    def save_session(self, app, session, response) -> None:  # never called: a null session is not saved
        pass


class _Rule(Rule):
    """A URL rule whose URL builder (for url_for, which nothing here calls) is compiled on first use:
    werkzeug compiles two per rule through `ast`, about a quarter of create_app."""

    def _compile_builder(self, append_unknown: bool = True):
        def build_on_first_use(rule: Rule, *args, **kwargs):
            built = Rule._compile_builder(rule, append_unknown).__get__(rule, None)
            setattr(rule, "_build_unknown" if append_unknown else "_build", built)
            return built(*args, **kwargs)

        return build_on_first_use


class _RequestContext(RequestContext):
    """Matches the request's URL through the app's remembered matches (Flask's documented hook)."""

    def match_request(self) -> None:
        try:
            self.request.url_rule, self.request.view_args = self.app.matches.match(self.url_adapter)
        except HTTPException as e:
            self.request.routing_exception = e


class SimulatorFlask(Flask):
    """Flask, remembering per app (so a dropped app frees them) what it would work out again on every
    request with the same answer:

    - ensure_sync per function: Flask asks inspect.iscoroutinefunction about every before_request
      hook and every flask-smorest decorator layer (about 40 us of a ~250 us request here);
    - the URL adapter's host part and the URL matches (http/routing.py): about 25 us of a 90 us
      in-process vendor GET.
    """

    session_interface = _NoSessions()
    url_rule_class = _Rule

    def __init__(self, *args, **kwargs) -> None:
        self._sync: dict = {}
        self.hosts = RememberedHosts()
        self.matches = RememberedMatches()
        super().__init__(*args, **kwargs)

    def create_url_adapter(self, request):
        config = self.config
        if request is None or config["TRUSTED_HOSTS"] is not None or config["SERVER_NAME"] is not None:
            return super().create_url_adapter(request)  # host checks or a configured name: Flask's way
        flask_binding = super().create_url_adapter
        return self.hosts.adapter(self.url_map, request.environ, lambda: flask_binding(request))

    def request_context(self, environ) -> RequestContext:
        return _RequestContext(self, environ)

    def ensure_sync(self, func):
        try:
            return self._sync[func]
        except (KeyError, TypeError):  # TypeError: an unhashable callable, not cached
            wrapped = super().ensure_sync(func)
            try:
                self._sync[func] = wrapped
            except TypeError:
                pass
            return wrapped


class SimulatorApi(Api):
    """flask-smorest's Api, documenting the blueprints when the spec is first read, not at start-up.

    Building the spec (deep copies of every operation's doc) took half of create_app; only
    /_simulator/openapi.json and the conformance tests read it.
    """

    # Every status an operation can answer is declared explicitly with alt_response, so the
    # generated spec can be compared with openapi/<vendor>.yaml operation by operation.
    DEFAULT_ERROR_RESPONSE_NAME = None

    def __init__(self, *args, **kwargs) -> None:
        self._undocumented: list[tuple] = []
        self._documenting = threading.Lock()
        super().__init__(*args, **kwargs)

    @property
    def spec(self):
        spec = self.__dict__.get("_spec")
        if self._undocumented:
            with self._documenting:
                while self._undocumented:
                    blp, name, parameters = self._undocumented.pop(0)
                    blp.register_views_in_doc(self, self._app, spec, name=name, parameters=parameters)
                    spec.tag({"name": name, "description": blp.description})
        return spec

    @spec.setter
    def spec(self, value) -> None:
        self.__dict__["_spec"] = value

    def register_blueprint(self, blp, *, parameters=None, **options) -> None:
        """Api.register_blueprint, its documentation left for the first read of the spec."""
        name = options.get("name", blp.name)
        self._app.extensions["flask-smorest"]["blp_name_to_api"][name] = self
        self._app.register_blueprint(blp, **options)
        self._undocumented.append((blp, name, parameters))


def create_app(settings: Settings | None = None, vendors: Mapping[str, Vendor] | None = None) -> Flask:
    """vendors: name -> declaration; the packages in simulator/vendors when not given."""
    settings = settings or Settings()
    vendors = dict(discover() if vendors is None else vendors)
    app = SimulatorFlask("simulator")
    app.config.update(
        API_TITLE="Contract-testing simulator",
        API_VERSION=__version__,
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/_simulator",
        OPENAPI_JSON_PATH="openapi.json",
        MAX_CONTENT_LENGTH=settings.max_body_bytes,
    )
    app.json.sort_keys = False  # keep each vendor's field order
    api = SimulatorApi(app)
    for vendor in vendors.values():
        for blueprint in vendor.blueprints:
            api.register_blueprint(blueprint)
    app.register_blueprint(control, url_prefix="/_simulator")
    app.register_blueprint(dashboard, url_prefix="/_simulator")
    runtime = app.extensions["simulator"] = Runtime(settings, vendors)
    # Dropping the app stops its dispatcher; `runtime.close()` does it at once (the plugin's close).
    weakref.finalize(app, runtime.close)
    app.extensions["simulator_api"] = api
    _register_error_handlers(app)
    pipeline.install(app)
    app.wsgi_app = TransportFaults(app.wsgi_app)
    return app


def _register_error_handlers(app: Flask) -> None:
    runtime: Runtime = app.extensions["simulator"]

    @app.errorhandler(ApiError)
    def _vendor_error(exc: ApiError):
        return exc.response

    @app.errorhandler(VendorError)
    def _refused(exc: VendorError):
        """A vendor's model refused the call: its envelope, from its code table."""
        vendor = runtime.vendor_for_path(request.path)
        if vendor is None:  # a vendor error outside a vendor's routes is a bug
            return _unexpected(exc)
        return vendor.errors.for_error(exc)

    @app.errorhandler(LifecycleError)
    def _refused_by_table(exc: LifecycleError):
        """An action the lifecycle table refuses: its outcome names a row of the vendor's codes."""
        return _refused(VendorError(exc.error))

    @app.errorhandler(CapacityError)
    def _over_capacity(exc: CapacityError):
        """A create beyond --max-resources: each vendor's declared answer; 400 on the control API."""
        vendor = runtime.vendor_for_path(request.path)
        if vendor is None:
            return json_response({"error": str(exc), "details": {"max_resources": exc.limit}}, 400)
        return vendor.errors.error(vendor.capacity, limit=exc.limit)

    @app.errorhandler(StoreUnavailable)
    def _store_unavailable(exc: StoreUnavailable):
        """Redis unreachable (--store redis://): the vendor's 500 in its envelope, 503 on the control API;
        nothing of the call was written."""
        log.warning("%s %s: %s", request.method, request.path, exc)
        vendor = runtime.vendor_for_path(request.path)
        if vendor is not None:
            return vendor.errors.error(vendor.errors.http_codes[500], exc.answer)
        return json_response({"error": exc.answer, "status": 503}, 503, {"Retry-After": "1"})

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        vendor = runtime.vendor_for_path(request.path)
        if vendor is not None:
            return vendor.errors.from_http(exc)
        headers = {k: v for k, v in exc.get_headers() if k.lower() != "content-type"}
        return json_response({"error": exc.description or exc.name, "status": exc.code}, exc.code or 500, headers)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        return _http_error(InternalServerError())
