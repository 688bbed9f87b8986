"""The words of every text and email, in the person's language, neutral by design."""

from __future__ import annotations

from flask import current_app
from flask_babel import force_locale, gettext as _

from portal.i18n import babel_locale
from portal.notify import notifier


def _send(user, subject: str, body: str, sms: str) -> str | None:
    """Send by email when there is an address, else by text; return the channel used."""
    if user.email:
        notifier().send_email(user.email, subject, body)
        return "email"
    if user.mobile:
        notifier().send_sms(user.mobile, sms)
        return "sms"
    return None


def send_invitation(user, link: str) -> str | None:
    """Invite someone to set up their account (the link works for 7 days)."""
    council = current_app.config["COUNCIL_NAME"]
    with force_locale(babel_locale(user.preferred_language or "en")):
        subject = _("Your invitation to a council website")
        body = _(
            "You have been invited to use a website run by %(council)s.\n\n"
            "Open this link to set up your account:\n%(link)s\n\n"
            "The link works for 7 days, and only once.",
            council=council,
            link=link,
        )
        sms = _("You have been invited to use a council website. Set up your account: %(link)s (works for 7 days)", link=link)
    return _send(user, subject, body, sms)


def send_password_reset(user, link: str) -> str | None:
    """Send a one-time link to choose a new password (works for 1 hour)."""
    with force_locale(babel_locale(user.preferred_language or "en")):
        subject = _("Reset your password")
        body = _(
            "Someone asked to reset the password of your account on a council website.\n\n"
            "To choose a new password, open this link within 1 hour:\n%(link)s\n\n"
            "If this was not you, you can ignore this message. Your password has not changed.",
            link=link,
        )
        sms = _("To choose a new password for your council website account, open this link within 1 hour: %(link)s", link=link)
    return _send(user, subject, body, sms)


def send_news(user) -> str | None:
    """Tell someone there is something new for them, without saying what (shared phones)."""
    from flask import url_for

    link = url_for("auth.sign_in", _external=True)
    with force_locale(babel_locale(user.preferred_language or "en")):
        subject = _("There is something new for you")
        body = _(
            "There is something new for you on the website of %(council)s.\n\n"
            "Sign in to see it:\n%(link)s",
            council=current_app.config["COUNCIL_NAME"],
            link=link,
        )
        sms = _("There is something new for you on the council website. Sign in to see it: %(link)s", link=link)
    return _send(user, subject, body, sms)


def send_reminder(user) -> str | None:
    """A reminder that something is coming up, without saying what (shared phones)."""
    from flask import url_for

    link = url_for("auth.sign_in", _external=True)
    with force_locale(babel_locale(user.preferred_language or "en")):
        subject = _("A reminder from the council")
        body = _(
            "This is a reminder: something is coming up soon for you on the website of %(council)s.\n\n"
            "Sign in to see the date and time:\n%(link)s",
            council=current_app.config["COUNCIL_NAME"],
            link=link,
        )
        sms = _("Reminder: something is coming up soon for you on the council website. Sign in to see it: %(link)s", link=link)
    return _send(user, subject, body, sms)
