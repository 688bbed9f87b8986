"""Staff sign in with the council's own identity provider: OpenID Connect through Authlib.

Authlib does the protocol: discovery, the Authorization Code flow with PKCE (S256), `state` and `nonce`, the code
exchange, and the ID token's signature (from the provider's JWKS), issuer, audience, expiry and nonce. This module
holds the portal's rules on who gets in once the provider has said who someone is.

Sources: issue "Staff sign in with the council's own identity provider (OpenID Connect)"; OpenID Connect Core 1.0
(3.1.3.7, ID token validation); RFC 7636 (PKCE); RFC 8176 (`amr` values); OpenID Connect RP-Initiated Logout 1.0 and
Back-Channel Logout 1.0; Microsoft identity platform, "ID token claims reference" (`oid`, `amr`, `acrs`, `roles`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.base_client.errors import MismatchingStateError, OAuthError
from authlib.integrations.flask_client import OAuth
from flask import Flask, current_app, session, url_for
from flask_babel import lazy_gettext as _l
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from sqlalchemy import or_, select

from portal import audit
from portal.auth.models import CouncilIdentity, User, new_session_token
from portal.db import db, utcnow
from portal.roles import STAFF_ROLES

log = logging.getLogger(__name__)

PROVIDER = "council"
AUDIT_ACTION = "sign_in.council"
BACK_CHANNEL_LOGOUT_EVENT = "http://schemas.openid.net/event/backchannel-logout"

# Why a sign-in through the council's provider was refused: the audit's outcome, and what the person reads.
REFUSALS = {
    "no_account": _l("There is no portal account for your council account. Ask the portal's administrator to "
                     "create one for you, then sign in again."),
    "deactivated": _l("Your portal account has been turned off. If you still need it, ask the portal's administrator."),
    "no_mfa": _l("Your council account signed you in without a second step, such as a code or an approval on "
                 "your phone. The portal needs one. Sign in again and complete the second step, or ask your IT "
                 "service desk to set it up."),
    "wrong_domain": _l("Your council account's email address is not one this portal accepts. Sign in with your "
                       "work account, or ask the portal's administrator."),
    "no_email": _l("Your council account did not tell the portal your email address, so the portal cannot find "
                   "your account. Ask the portal's administrator."),
    "identity_taken": _l("Your email address is already linked to a different council account. Ask the portal's "
                         "administrator to check it."),
    "not_staff": _l("Family members cannot sign in with a council account. Sign in with your email address, "
                    "mobile phone number or username and your password."),
    "no_role": _l("Your council account does not have a role in this portal. Ask the portal's administrator."),
    "cancelled": _l("You did not finish signing in with your council account. Try again."),
    "failed": _l("We could not sign you in with your council account. Try again. If it happens again, tell the "
                 "portal's administrator."),
}


class Refused(Exception):
    """The provider's answer was not good enough to sign someone in; `reason` is a key of REFUSALS (or a more
    precise audit outcome whose message is "failed")."""

    def __init__(self, reason: str, user: User | None = None):
        super().__init__(reason)
        self.reason = reason
        self.user = user

    @property
    def message(self):
        return REFUSALS.get(self.reason, REFUSALS["failed"])


@dataclass(frozen=True)
class Answer:
    """What the provider said, once Authlib has checked it: the ID token's claims."""

    claims: dict


# --- set-up -------------------------------------------------------------------------------

def init_app(app: Flask) -> None:
    """Register the council's provider with Authlib when OIDC_ISSUER is set. One registry per app (a test run
    builds apps for several providers)."""
    issuer = app.config["OIDC_ISSUER"]
    if not issuer:
        return
    # Authlib writes each sign-in's PKCE code verifier in its debug log: never in the portal's logs.
    logging.getLogger("authlib").setLevel(max(logging.INFO, logging.getLogger("authlib").getEffectiveLevel()))
    oauth = OAuth(app)
    oauth.register(
        PROVIDER,
        client_id=app.config["OIDC_CLIENT_ID"],
        client_secret=app.config["OIDC_CLIENT_SECRET"],
        server_metadata_url=f"{issuer}/.well-known/openid-configuration",
        client_kwargs={"scope": "openid email profile", "code_challenge_method": "S256", "timeout": 10},
    )
    app.extensions["council_sign_in"] = oauth


def configured() -> bool:
    """True when staff can sign in with the council's account here."""
    return "council_sign_in" in current_app.extensions


def _client():
    return current_app.extensions["council_sign_in"].create_client(PROVIDER)


def must_use_council_account(user: User) -> bool:
    """A staff member set up to sign in with their council account has no portal password to use."""
    return user.sign_in_method == "council" and configured()


# --- signing in -----------------------------------------------------------------------------

def redirect_to_provider(next_url: str | None):
    """Send the browser to the provider's sign-in page (Authlib keeps state, nonce and the PKCE verifier in the
    signed session cookie, for this sign-in only)."""
    session["council_next"] = next_url or ""
    return _client().authorize_redirect(url_for("auth.council_callback", _external=True))


def answer_from_callback() -> Answer:
    """The provider's answer on the callback, checked by Authlib: state, the code exchange with the PKCE verifier,
    then the ID token's signature, issuer, audience, expiry and nonce. Raises Refused on any failure."""
    try:
        token = _client().authorize_access_token()
    except MismatchingStateError:
        raise Refused("bad_state")
    except OAuthError as error:
        # The provider's own refusal (the person cancelled: access_denied), or a code it would not exchange.
        raise Refused("cancelled" if error.error == "access_denied" else "provider_error")
    except (JoseError, AuthlibBaseError, ValueError, KeyError) as error:
        log.info("council sign-in: the ID token was refused (%s)", type(error).__name__)
        raise Refused("invalid_token")
    except requests.RequestException as error:
        log.warning("council sign-in: the provider could not be reached (%s)", type(error).__name__)
        raise Refused("unreachable")
    claims = dict(token.get("userinfo") or {})
    if not claims.get("sub"):
        raise Refused("invalid_token")
    return Answer(claims)


def email_of(claims: dict) -> str | None:
    """The person's work e-mail address: `email`, else Entra's `preferred_username` when it is one."""
    for name in ("email", "preferred_username"):
        value = (claims.get(name) or "").strip().lower()
        if "@" in value:
            return value
    return None


def subject_of(claims: dict) -> str:
    """The provider's stable identifier for the person: the configured claim (Entra's `oid`), else `sub`."""
    return str(claims.get(current_app.config["OIDC_IDENTITY_CLAIM"]) or claims["sub"])


def has_mfa_evidence(claims: dict) -> bool:
    """True when the ID token shows a second factor: an `amr` value such as "mfa" (RFC 8176), or an `acr` (or
    Entra's `acrs`) value the council names."""
    config = current_app.config
    amr = claims.get("amr") or []
    if isinstance(amr, str):
        amr = [amr]
    if any(value in config["OIDC_MFA_AMR_VALUES"] for value in amr):
        return True
    acrs = claims.get("acrs") or []
    acrs = [acrs] if isinstance(acrs, str) else list(acrs)
    if claims.get("acr"):
        acrs.append(claims["acr"])
    return any(value in config["OIDC_MFA_ACR_VALUES"] for value in acrs)


def mapped_role(claims: dict) -> str | None:
    """The portal role the role claim (groups or app roles) gives, by OIDC_ROLE_MAP; the first staff role listed
    in the map's order wins when several match."""
    config = current_app.config
    if not config["OIDC_ROLE_CLAIM"]:
        return None
    values = claims.get(config["OIDC_ROLE_CLAIM"]) or []
    values = {values} if isinstance(values, str) else set(values)
    for value, role in config["OIDC_ROLE_MAP"].items():
        if value in values and role in STAFF_ROLES:
            return role
    return None


def _domain_allowed(email: str) -> bool:
    domains = current_app.config["OIDC_ALLOWED_EMAIL_DOMAINS"]
    return not domains or email.rpartition("@")[2] in domains


def person_for(answer: Answer) -> tuple[User, CouncilIdentity | None]:
    """Who the provider's answer signs in, by the rules of the issue (raises Refused otherwise):
    - an identity already linked is matched by the provider's stable identifier only, never by e-mail again;
    - otherwise an existing staff account with the same e-mail is matched, once, if no other identity holds it;
    - otherwise, only when OIDC_CREATE_ACCOUNTS is on, a new account from the role mapping (the caller creates it);
    - a deactivated account, a family member, an e-mail outside the allowed domains, and (when required) a token
      without evidence of MFA are refused whatever the provider says.
    Returns the user and their linked identity (None: link it now). Changes nothing."""
    claims = answer.claims
    issuer = current_app.config["OIDC_ISSUER"]
    email = email_of(claims)
    if email is not None and not _domain_allowed(email):
        raise Refused("wrong_domain")
    identity = db.session.scalar(select(CouncilIdentity).where(CouncilIdentity.issuer == issuer,
                                                               CouncilIdentity.subject == subject_of(claims)))
    if identity is not None:
        user = identity.user
    else:
        if email is None:
            raise Refused("no_email")
        user = db.session.scalar(select(User).where(User.email == email))
        if user is None:
            if not current_app.config["OIDC_CREATE_ACCOUNTS"]:
                raise Refused("no_account")
            if mapped_role(claims) is None:
                raise Refused("no_role")
            user = User(role=mapped_role(claims), name=(claims.get("name") or email)[:120], email=email,
                        sign_in_method="council", active=True)
        elif db.session.scalar(select(CouncilIdentity.id).where(CouncilIdentity.user_id == user.id)) is not None:
            raise Refused("identity_taken", user)
    if not user.is_staff:
        raise Refused("not_staff", user if user.id else None)
    if not user.active:
        raise Refused("deactivated", user)
    if current_app.config["OIDC_REQUIRE_MFA"] and not has_mfa_evidence(claims):
        raise Refused("no_mfa", user if user.id else None)
    return user, identity


def sign_in_from(answer: Answer) -> User:
    """Link (or create) the account the answer names and note this sign-in on it; the caller starts the session."""
    user, identity = person_for(answer)
    claims = answer.claims
    if user.id is None:
        db.session.add(user)
        db.session.flush()
        audit.record("account.create", object_kind="user", object_id=user.id, outcome="council_sign_in")
    if identity is None:
        identity = CouncilIdentity(user_id=user.id, issuer=current_app.config["OIDC_ISSUER"], subject=subject_of(claims))
        db.session.add(identity)
        user.sign_in_method = "council"
        audit.record("council_identity.link", actor=user, object_kind="user", object_id=user.id)
    now = utcnow()
    identity.provider_sub = str(claims["sub"])
    identity.provider_session_id = claims.get("sid")
    identity.last_signed_in_at = now
    return user


def refuse(refusal: Refused) -> None:
    """Audit a refused sign-in and why (never a token or a claim's value)."""
    user = refusal.user if refusal.user is not None and refusal.user.id else None
    db.session.rollback()
    audit.record(AUDIT_ACTION, object_kind="user", object_id=user.id if user else None, outcome=refusal.reason)
    db.session.commit()


# --- signing out ----------------------------------------------------------------------------

def provider_logout_url() -> str | None:
    """Where to send the browser to end the provider's session too (RP-Initiated Logout), or None when this
    session did not come from the provider or the provider has no end-session endpoint."""
    if not configured() or session.get("signed_in_with") != "council":
        return None
    try:
        metadata = _client().load_server_metadata()
    except (requests.RequestException, ValueError):
        return None
    if not metadata.get("end_session_endpoint"):
        return None
    return _client().create_logout_url(post_logout_redirect_uri=url_for("auth.signed_out", _external=True),
                                       client_id=current_app.config["OIDC_CLIENT_ID"])["url"]


def end_sessions_from_logout_token(logout_token: str) -> bool:
    """Back-channel logout: the provider says a person's session there has ended, so every portal session of that
    person ends too (their session token changes). Validates the logout token as Back-Channel Logout 1.0, 2.6 asks:
    signature, issuer, audience, issued-at, the logout event, a `sub` or `sid`, and no nonce."""
    if not configured() or not logout_token or len(logout_token) > 8000:
        return False
    config = current_app.config
    client = _client()
    try:
        metadata = client.load_server_metadata()
        token = jwt.decode(logout_token, KeySet.import_key_set(client.fetch_jwk_set()),
                           algorithms=metadata.get("id_token_signing_alg_values_supported") or ["RS256"])
        jwt.JWTClaimsRegistry(iss={"essential": True, "value": metadata["issuer"]}, aud={"essential": True,
                              "value": config["OIDC_CLIENT_ID"]}, iat={"essential": True}, leeway=120).validate(token.claims)
    except (JoseError, ValueError, KeyError, requests.RequestException) as error:
        log.info("back-channel logout refused (%s)", type(error).__name__)
        return False
    claims = token.claims
    events = claims.get("events")
    if not isinstance(events, dict) or BACK_CHANNEL_LOGOUT_EVENT not in events or "nonce" in claims:
        return False
    sid, sub = claims.get("sid"), claims.get("sub")
    if not sid and not sub:
        return False
    conditions = []
    if sid:
        conditions.append(CouncilIdentity.provider_session_id == str(sid))
    if sub:
        conditions.append(CouncilIdentity.provider_sub == str(sub))
    for identity in db.session.scalars(select(CouncilIdentity).where(CouncilIdentity.issuer == config["OIDC_ISSUER"], or_(*conditions))):
        identity.user.session_token = new_session_token()
        identity.provider_session_id = None
        audit.record("sign_out.council", object_kind="user", object_id=identity.user_id, outcome="back_channel")
    db.session.commit()
    return True


# --- the admin's part -------------------------------------------------------------------------

def identities_of(users: list[User]) -> dict[int, CouncilIdentity]:
    """Each listed person's linked council identity, by user id (one statement for the staff list)."""
    ids = [user.id for user in users]
    if not ids:
        return {}
    return {identity.user_id: identity for identity in db.session.scalars(select(CouncilIdentity).where(CouncilIdentity.user_id.in_(ids)))}


def unlink(admin: User, user: User) -> bool:
    """The admin unlinks a staff member's council identity: their next sign-in through the provider is matched by
    e-mail again, once, and their sessions end now."""
    identity = db.session.scalar(select(CouncilIdentity).where(CouncilIdentity.user_id == user.id))
    if identity is None:
        return False
    db.session.delete(identity)
    user.session_token = new_session_token()
    audit.record("council_identity.unlink", actor=admin, object_kind="user", object_id=user.id)
    db.session.commit()
    return True
