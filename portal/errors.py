"""Error pages: translated, in the portal's layout, never a stack trace."""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

# What each error page says: a title and what to do next, in plain words.
ERROR_PAGES = {
    400: (_l("Sorry, there is a problem with what was sent"), _l("Go back and try again. If you were filling in a form, check what you typed.")),
    403: (_l("You cannot see this page"), _l("If you think you should be able to, contact your social worker.")),
    404: (_l("Page not found"), _l("If you typed the web address, check it is correct. If you used a link, it may be out of date.")),
    405: (_l("Sorry, this page cannot be used that way"), _l("Go back to the page you were on and try again.")),
    429: (_l("Too many tries"), _l("You have tried too many times. Wait a few minutes, then try again.")),
    500: (_l("Sorry, there is a problem with the service"), _l("Try again later. Anything you saved is safe.")),
}

CSRF_EXPIRED = (
    _l("Sorry, this page has expired"),
    _l("For your safety, forms stop working after a while. Go back, reload the page and try again. What you typed may need to be entered again."),
)


def render_error(code: int, title, advice):
    """Render the error page with the status code, falling back to plain text if even that fails."""
    try:
        return render_template("errors/error.html", code=code, title=title, advice=advice), code
    except Exception:  # the layout itself failed: still never show a stack trace
        return f"{code}", code, {"Content-Type": "text/plain; charset=utf-8"}


def init_errors(app: Flask) -> None:
    """Register one handler for HTTP errors and one for anything unexpected."""

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        app.logger.info("CSRF check failed on %s %s", request.method, request.path)
        return render_error(400, *CSRF_EXPIRED)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        code = error.code or 500
        if code not in ERROR_PAGES:
            # Statuses without their own page (e.g. 413) use the nearest general one.
            return render_error(code, *ERROR_PAGES[500 if code >= 500 else 400])
        response = render_error(code, *ERROR_PAGES[code])
        if code == 405 and getattr(error, "valid_methods", None):
            body, status = response
            return body, status, {"Allow": ", ".join(error.valid_methods)}
        return response

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        if isinstance(error, HTTPException):
            return http_error(error)
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        return render_error(500, *ERROR_PAGES[500])

    @app.errorhandler(InternalServerError)
    def internal_error(error: InternalServerError):
        return render_error(500, *ERROR_PAGES[500])
