"""The hub's WSGI application: the kiosks' API and the agents' pages over one database."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, request
from sqlalchemy import Engine
from werkzeug.exceptions import HTTPException

from hub import agents
from hub.api import MAX_BODY, api
from hub.loginlimit import LoginThrottle
from hub.pages import pages
from hub.store import NonceBook
from wire.protocol import API_PREFIX

log = logging.getLogger("totem.hub")

# The agents' pages read citizens' text: even if some got through unescaped, the browser
# runs no script, loads nothing from elsewhere and lets no other site frame or post to them.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)


def create_app(engine: Engine, *, secure_cookies: bool = False) -> Flask:
    app = Flask(__name__)
    app.config.update(
        HUB_ENGINE=engine,
        HUB_NONCES=NonceBook(engine),
        HUB_LOGIN_THROTTLE=LoginThrottle(),
        SECRET_KEY=agents.session_secret(engine),
        MAX_CONTENT_LENGTH=MAX_BODY + 64 * 1024,  # the login form and uploads, nothing bigger
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=secure_cookies,
        JSON_AS_ASCII=False,
    )
    app.json.ensure_ascii = False
    app.register_blueprint(api)
    app.register_blueprint(pages)

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        if request.path.startswith(API_PREFIX):
            log.warning(
                "refused %s %s from %s: %s",
                request.method,
                request.path,
                request.remote_addr,
                error.name,
            )
            return jsonify(error=error.name), error.code
        return error

    @app.errorhandler(Exception)
    def _crash(error: Exception):
        # Logged with its traceback for the administrator; the client gets one sentence
        # and the hub keeps serving.
        log.exception("internal error on %s %s", request.method, request.path)
        return jsonify(error="internal error, see the hub's log"), 500

    @app.after_request
    def _headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if not request.path.startswith(API_PREFIX):
            response.headers.setdefault("Cache-Control", "no-store")
            response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
            response.headers.setdefault("X-Frame-Options", "DENY")
        return response

    return app
