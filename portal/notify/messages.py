"""The words of every text and email, in the person's language, neutral by design.

Each message is a function that writes (subject, email body, text message) in the current
language; `_deliver` switches to the person's language, writes it, and sends it.
"""

from __future__ import annotations

from typing import Callable

from flask import current_app, has_request_context, url_for
from flask_babel import force_locale, gettext as _

from portal.i18n import babel_locale
from portal.notify import notifier

Words = tuple[str, str, str]


def _deliver(user, write: Callable[[str, str], Words], link: str) -> str | None:
    """Write the message in the person's language and send it by email, else by text; return the channel."""
    with force_locale(babel_locale(user.preferred_language or "en")):
        subject, body, sms = write(current_app.config["COUNCIL_NAME"], link)
    if user.email:
        notifier().send_email(user.email, subject, body)
        return "email"
    if user.mobile:
        notifier().send_sms(user.mobile, sms)
        return "sms"
    return None


def _invitation(council: str, link: str) -> Words:
    return (
        _("Your invitation to a council website"),
        _(
            "You have been invited to use a website run by %(council)s.\n\n"
            "Open this link to set up your account:\n%(link)s\n\n"
            "The link works for 7 days, and only once.",
            council=council,
            link=link,
        ),
        _("You have been invited to use a council website. Set up your account: %(link)s (works for 7 days)", link=link),
    )


def _password_reset(council: str, link: str) -> Words:
    return (
        _("Reset your password"),
        _(
            "Someone asked to reset the password of your account on a council website.\n\n"
            "To choose a new password, open this link within 1 hour:\n%(link)s\n\n"
            "If this was not you, you can ignore this message. Your password has not changed.",
            link=link,
        ),
        _("To choose a new password for your council website account, open this link within 1 hour: %(link)s", link=link),
    )


def _news(council: str, link: str) -> Words:
    return (
        _("There is something new for you"),
        _(
            "There is something new for you on the website of %(council)s.\n\n"
            "Sign in to see it:\n%(link)s",
            council=council,
            link=link,
        ),
        _("There is something new for you on the council website. Sign in to see it: %(link)s", link=link),
    )


def _reminder(council: str, link: str) -> Words:
    return (
        _("A reminder from the council"),
        _(
            "This is a reminder: something is coming up soon for you on the website of %(council)s.\n\n"
            "Sign in to see the date and time:\n%(link)s",
            council=council,
            link=link,
        ),
        _("Reminder: something is coming up soon for you on the council website. Sign in to see it: %(link)s", link=link),
    )


def send_invitation(user, link: str) -> str | None:
    """Invite someone to set up their account (the link works for 7 days)."""
    return _deliver(user, _invitation, link)


def send_password_reset(user, link: str) -> str | None:
    """Send a one-time link to choose a new password (works for 1 hour)."""
    return _deliver(user, _password_reset, link)


def _sign_in_link() -> str:
    """The sign-in page's full address: from the request, or from PUBLIC_BASE_URL outside one (cron, tests)."""
    if has_request_context():
        return url_for("auth.sign_in", _external=True)
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_BASE_URL"]):
        return url_for("auth.sign_in", _external=True)


def send_news(user) -> str | None:
    """Tell someone there is something new for them, without saying what (shared phones)."""
    return _deliver(user, _news, _sign_in_link())


def send_reminder(user) -> str | None:
    """A reminder that something is coming up, without saying what (shared phones)."""
    return _deliver(user, _reminder, _sign_in_link())


def send_appeal_notice(address: str, reference: str) -> None:
    """Tell the Safeguarding and Quality Assurance team's mailbox that an appeal is waiting: its reference
    and where to sign in, nothing of what it says or whose it is (the team reads it in the portal)."""
    with force_locale("en"):
        subject = _("New appeal: %(reference)s", reference=reference)
        body = _(
            "An appeal against a conference decision is waiting in the portal.\n\n"
            "Reference: %(reference)s\n\n"
            "Sign in to read and answer it:\n%(link)s",
            reference=reference,
            link=_sign_in_link(),
        )
    notifier().send_email(address, subject, body)
