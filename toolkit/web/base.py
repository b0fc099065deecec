"""The handler every participant route builds on: language, identity, headers, errors."""

from __future__ import annotations

import http
import json
import logging
import re
from urllib.parse import urlencode

import tornado.web
from markupsafe import Markup

from ..i18n import LANGUAGES, t
from ..store import StoreUnavailable
from .assets import asset_url
from .identity import token_cookie
from .limits import client_key

__all__ = ["Base", "CSP", "SessionPage", "logged_path"]

log = logging.getLogger("workshop.web")

# Pages load and connect only to this server; no inline script anywhere.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; frame-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'self'"
)
_MESSAGES = {
    400: "w_bad_request",
    403: "w_forbidden",
    404: "w_not_found",
    410: "p_session_gone",
    413: "w_too_large",
    429: "w_too_many_tries",
    503: "w_full",
}


_SESSION_PATH = re.compile(r"^/s/[^/]*")


def logged_path(path: str) -> str:
    """The path as the access log writes it: the join code left out, short.

    Examples
    --------
    >>> logged_path("/s/ABC123/e/behoeften")
    '/s/…/e/behoeften'
    """
    return _SESSION_PATH.sub("/s/…", path)[:120]


class Base(tornado.web.RequestHandler):
    """Language from ``?lang=`` (remembered in a cookie), the session's or Dutch; security
    headers; every error as a short page (or JSON for the script), never a traceback."""

    static_prefix = "/static"

    def initialize(self, site):
        self.site = site
        self.hub = site.hub

    def set_default_headers(self) -> None:
        self.set_header("Content-Security-Policy", CSP)
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Referrer-Policy", "no-referrer")
        self.set_header("X-Frame-Options", "SAMEORIGIN")
        self.set_header("Cache-Control", "no-store")

    @property
    def client(self) -> str:
        """A salted hash of the client's address (for counters in memory only)."""
        return client_key(self.request.remote_ip)

    @property
    def wants_json(self) -> bool:
        return "application/json" in self.request.headers.get("Accept", "")

    def pick_lang(self, session=None) -> str:
        asked = self.get_query_argument("lang", None)
        if asked in LANGUAGES:
            self.set_cookie("lang", asked, path="/", httponly=True, samesite="Lax")
            return asked
        remembered = self.get_cookie("lang")
        if remembered in LANGUAGES:
            return remembered
        return session.lang if session is not None else "nl"

    def t(self, key: str, **values) -> str:
        return t(key, self.lang, **values)

    def page(self, template: str, status: int = 200, **values) -> None:
        """Render a page template with the common values."""
        self.set_status(status)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        html = self.site.env.get_template(template).render(
            t=self.t,
            lang=self.lang,
            static=lambda name: asset_url(name, self.static_prefix),
            xsrf=lambda: Markup(self.xsrf_form_html()),  # noqa: S704 - Tornado's own tag
            here=self.request.path,
            lang_url=self.lang_url,
            **values,
        )
        self.finish(html)

    def raw_body_argument(self, name: str) -> str | None:
        """A form field exactly as sent (UTF-8), or None when missing or not UTF-8."""
        values = self.request.body_arguments.get(name)
        try:
            return values[0].decode("utf-8") if values else None
        except UnicodeDecodeError:
            return None

    def lang_url(self, lang: str) -> str:
        """This page's address in another language (other query values kept)."""
        query = {
            k: v[-1].decode("utf-8", "replace")
            for k, v in self.request.query_arguments.items()
            if k != "lang"
        }
        query["lang"] = lang
        return f"{self.request.path}?{urlencode(query)}"

    def write_error(self, status_code: int, **kwargs) -> None:
        self.clear_header("Content-Disposition")
        if not hasattr(self, "lang"):
            self.lang = "nl"
        exc = kwargs.get("exc_info", (None, None, None))[1]
        if isinstance(exc, UnknownSession):
            if not self.wants_json:  # the page to type the code again, saying why
                code = self.path_kwargs.get("code", "").upper()
                self.page("code.html", status=404, code=code, error=self.t("w_code_wrong"))
                return
            text = self.t("w_code_wrong")
        elif isinstance(exc, StoreUnavailable):
            status_code = 503
            text = self.t("p_not_saved", reason=self.t("error_unavailable"))
        elif status_code in _MESSAGES:
            values = {}
            if status_code == 429:
                values["seconds"] = getattr(exc, "seconds", 60)
                self.set_header("Retry-After", str(values["seconds"]))
            if status_code == 400:
                values["reason"] = http.HTTPStatus(400).phrase.lower()
            text = self.t(_MESSAGES[status_code], **values)
        else:
            text = self.t("w_error")
        self.set_status(status_code)
        if self.wants_json:
            self.set_header("Content-Type", "application/json")
            self.finish(json.dumps({"ok": False, "message": text}))
            return
        self.page(
            "message.html",
            status=status_code,
            title=self.t("w_full_title") if status_code == 503 else "",
            message=text,
        )

    def log_exception(self, typ, value, tb) -> None:
        """Method and path only: never the query, the body or the client's address."""
        if isinstance(value, tornado.web.HTTPError):
            return
        if isinstance(value, StoreUnavailable):
            log.warning(
                "%s %s: %s", self.request.method, logged_path(self.request.path), value.reason
            )
            return
        log.error(
            "%s %s failed",
            self.request.method,
            logged_path(self.request.path),
            exc_info=(typ, value, tb),
        )


class SessionPage(Base):
    """A route under ``/s/<code>/``: the session, and who is asking (from the cookie)."""

    fresh = False  # True once self.session was read from the store for this request

    async def prepare(self) -> None:
        code = self.path_kwargs.get("code", "").upper()
        self.session = self.site.sessions.get(code)
        if self.session is None:
            self.session = await self.site.run(self.site.store.get_session, code)
            self.fresh = self.session is not None
            if self.session is not None:
                self.site.sessions.put(code, self.session)
        self.lang = self.pick_lang(self.session)
        if self.session is None:
            wait = self.site.wrong_codes.wait(self.client)
            if wait:
                raise TooManyTries(wait)
            self.site.wrong_codes.failed(self.client)
            raise UnknownSession()
        self.code = self.session.code
        self.person = await self.identify()

    async def current_session(self):
        """The session as it is now (the cached one may be two seconds old): what others'
        texts a page may show, and whether an exercise is open, is decided on this."""
        if not self.fresh:
            session = await self.site.run(self.site.store.session_by_id, self.session.id)
            if session is not None:
                self.session, self.fresh = session, True
                self.site.sessions.put(session.code, session)
            else:
                self.session = None
        return self.session

    async def identify(self):
        """The participant whose token is in this session's cookie, or None."""
        token = self.get_cookie(token_cookie(self.code)["name"])
        if not token or len(token) > 100:
            return None
        key = (self.code, token)
        person = self.site.people.get(key)
        if person is None:
            person = await self.site.run(self.site.store.resume, self.code, token)
            if person is not None:
                self.site.people.put(key, person)
        return person

    def remember(self, token: str) -> None:
        cookie = token_cookie(self.code)
        name = cookie.pop("name")
        self.set_cookie(name, token, **cookie)

    def forget(self) -> None:
        cookie = token_cookie(self.code)
        self.clear_cookie(cookie["name"], path=cookie["path"])

    def url(self, screen: str = "") -> str:
        return f"/s/{self.code}/{screen}"


class TooManyTries(tornado.web.HTTPError):
    def __init__(self, seconds: int):
        super().__init__(429)
        self.seconds = seconds


class UnknownSession(tornado.web.HTTPError):
    """No session has the code in the address: 404, saying so."""

    def __init__(self):
        super().__init__(404)


__all__ += ["TooManyTries", "UnknownSession"]
