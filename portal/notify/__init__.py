"""Sending texts and emails: one Notifier interface, a log backend and a GOV.UK Notify backend.

Every message is neutral: no names, no case details, never "child protection"
(DESIGN.md, Access and safety). The words are translated into the person's language;
the GOV.UK Notify templates hold only ((subject)) and ((body)).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Protocol

from flask import Flask, current_app

logger = logging.getLogger(__name__)


@dataclass
class SentMessage:
    """A message as handed to the backend (kept in memory by the log backend only)."""

    channel: str
    to: str
    body: str
    subject: str = ""


class Notifier(Protocol):
    """Something that delivers an email or a text message."""

    def send_email(self, to: str, subject: str, body: str) -> None: ...

    def send_sms(self, to: str, body: str) -> None: ...


@dataclass
class LogNotifier:
    """Development and tests: keeps messages in memory and logs that one was sent, never its content."""

    show_content: bool = False
    outbox: list[SentMessage] = field(default_factory=list)

    def send_email(self, to: str, subject: str, body: str) -> None:
        self.outbox.append(SentMessage("email", to, body, subject))
        self._log("email", body)

    def send_sms(self, to: str, body: str) -> None:
        self.outbox.append(SentMessage("sms", to, body))
        self._log("sms", body)

    def _log(self, channel: str, body: str) -> None:
        if self.show_content:
            # Development only (demo data): the link is needed to try the journey.
            logger.warning("Development %s (not sent):\n%s", channel, body)
        else:
            logger.info("Message sent by %s", channel)


class GovukNotifyNotifier:
    """GOV.UK Notify through its official client; base_url points tests at a local stub."""

    def __init__(self, api_key: str, base_url: str, email_template_id: str, sms_template_id: str) -> None:
        from notifications_python_client.notifications import NotificationsAPIClient

        self.client = NotificationsAPIClient(api_key, base_url=base_url)
        self.email_template_id = email_template_id
        self.sms_template_id = sms_template_id

    def send_email(self, to: str, subject: str, body: str) -> None:
        self.client.send_email_notification(
            email_address=to, template_id=self.email_template_id, personalisation={"subject": subject, "body": body}
        )

    def send_sms(self, to: str, body: str) -> None:
        self.client.send_sms_notification(
            phone_number=to, template_id=self.sms_template_id, personalisation={"body": body}
        )


def init_notifier(app: Flask) -> None:
    """Choose the backend from NOTIFY_BACKEND: 'log' (default) or 'govuk'."""
    if app.config["NOTIFY_BACKEND"] == "govuk":
        notifier: Notifier = GovukNotifyNotifier(
            app.config["NOTIFY_API_KEY"],
            app.config["NOTIFY_BASE_URL"],
            app.config["NOTIFY_EMAIL_TEMPLATE_ID"],
            app.config["NOTIFY_SMS_TEMPLATE_ID"],
        )
    else:
        notifier = LogNotifier(show_content=app.config["ENV_NAME"] == "development")
    app.extensions["notifier"] = notifier


def notifier() -> Notifier:
    """The app's notifier."""
    return current_app.extensions["notifier"]

from portal.notify import models as _models  # noqa: E402,F401  (the sent-message record, for migrations)
