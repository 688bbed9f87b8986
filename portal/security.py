"""Security headers on every response (strict CSP with nonces) and caching rules."""

from __future__ import annotations

from flask import Flask, Response, request
from flask_talisman import Talisman

# Nothing but the portal's own files; scripts also need the per-request nonce.
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self'",
    "font-src": "'self'",
    "connect-src": "'self'",
    "manifest-src": "'self'",
    "worker-src": "'self'",
    "object-src": "'none'",
    "frame-ancestors": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
}

# Features the portal never uses are switched off for every page.
PERMISSIONS_POLICY = {
    "camera": "()",
    "microphone": "()",
    "geolocation": "()",
    "payment": "()",
    "usb": "()",
    "browsing-topics": "()",
}

IMMUTABLE = "public, max-age=31536000, immutable"


def init_security(app: Flask) -> None:
    """Talisman sets CSP (with a nonce in script-src), HSTS in production, and the other headers.

    One Talisman per app: it keeps its settings on itself, so a Talisman shared by two apps in one process (a test
    run builds several) would give the first app the second one's settings (force_https from a production app)."""
    https = app.config["HTTPS"]
    policy = dict(CONTENT_SECURITY_POLICY)
    if app.config.get("OIDC_ISSUER"):
        # Signing out sends the browser on to the council's identity provider to end its session there too: a
        # redirect after a form, which form-action governs.
        origin = "/".join(app.config["OIDC_ISSUER"].split("/")[:3])
        policy["form-action"] = f"'self' {origin}"
    app.extensions["talisman"] = Talisman(
        app,
        force_https=https,
        strict_transport_security=https,
        strict_transport_security_max_age=365 * 24 * 60 * 60,
        strict_transport_security_include_subdomains=True,
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        session_cookie_http_only=True,
        content_security_policy=policy,
        content_security_policy_nonce_in=["script-src"],
        frame_options="DENY",
        referrer_policy="no-referrer",
        permissions_policy=PERMISSIONS_POLICY,
        x_content_type_options=True,
    )


def init_cache_headers(app: Flask) -> None:
    """HTML and data responses are never stored (shared phones); built assets are immutable."""

    @app.after_request
    def cache_headers(response: Response) -> Response:
        if request.endpoint == "static" and response.status_code == 200:
            response.headers["Cache-Control"] = IMMUTABLE
            response.headers.pop("Expires", None)
            if response.direct_passthrough:
                # Read the (small, built) file and close it here, so compression works on
                # bytes; a compressed stream would leave the file open.
                source = response.response
                try:
                    body = b"".join(source)
                finally:
                    getattr(source, "close", lambda: None)()
                response.direct_passthrough = False
                response.set_data(body)
        else:
            response.headers["Cache-Control"] = "no-store"
            response.headers["Pragma"] = "no-cache"
        # htmx partials and full pages share URLs: caches must keep them apart.
        response.vary.add("HX-Request")
        return response
