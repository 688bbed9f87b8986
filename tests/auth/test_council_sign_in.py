"""Staff sign in with the council's identity provider: a real OpenID Connect provider (the npm package
oidc-provider) on loopback, and the portal's real code path through Authlib (discovery, JWKS, signature, issuer,
audience, expiry, nonce, state, PKCE). Each way in which a sign-in must be refused has its own test."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import select

from portal.audit import AuditEvent
from portal.auth.models import CouncilIdentity, User
from portal.db import db
from tests.conftest import csrf_token_from, make_app, sign_in
from tests.council_provider import portal_path, sign_in_with_council, wait_for


@pytest.fixture()
def client(council_app):
    return council_app.test_client()


def staff_member(app, email: str, role: str = "chair", **fields) -> int:
    """A portal account an admin created for someone at the council (no password: they sign in with the council)."""
    with app.app_context():
        user = User(role=role, name=email.split("@")[0], email=email, sign_in_method="council", **fields)
        db.session.add(user)
        db.session.commit()
        return user.id


def audit_outcomes(app, action: str = "sign_in.council") -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent.outcome).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def assert_refused(response, app, reason: str, words: str):
    assert response.status_code == 303, response.get_data(as_text=True)[:300]
    assert response.headers["Location"].startswith("/sign-in/council/refused?")
    page = app.test_client().get(response.headers["Location"])
    assert page.status_code == 403
    page = page.get_data(as_text=True)
    assert "You could not be signed in" in page and words in page
    assert audit_outcomes(app)[-1] == reason


def signed_in_as(client) -> str | None:
    response = client.get("/account")
    if response.status_code != 200:
        return None
    return response.get_data(as_text=True)


# --- the way in -------------------------------------------------------------------------------------------------

def test_the_sign_in_page_offers_the_council_account_only_where_it_is_set_up(client, app):
    assert "Sign in with your council account" in client.get("/sign-in").get_data(as_text=True)
    assert "Sign in with your council account" not in app.test_client().get("/sign-in").get_data(as_text=True)
    assert app.test_client().get("/sign-in/council").status_code == 404


def test_a_chair_signs_in_with_pkce_state_and_nonce_and_lands_on_their_dashboard(client, council_app, council_provider):
    start = client.get("/sign-in/council")
    authorize = urlsplit(start.headers["Location"])
    params = parse_qs(authorize.query)
    assert start.headers["Location"].startswith(council_provider.issuer + "/auth?")
    assert params["code_challenge_method"] == ["S256"] and len(params["code_challenge"][0]) >= 43
    assert params["state"][0] and params["nonce"][0] and params["response_type"] == ["code"]
    assert "openid" in params["scope"][0].split()

    callback = council_provider.sign_in(requests.Session(), start.headers["Location"], "charlotte.chaffinch")
    response = client.get(portal_path(callback))
    # The provider's MFA counts: the portal's authenticator app is not asked for, though staff MFA is required.
    assert response.status_code == 303 and response.headers["Location"] == "/home"
    home = client.get("/home", follow_redirects=True)
    assert home.status_code == 200 and home.request.path == "/cases"  # the chair's dashboard: their conferences
    with council_app.app_context():
        user = db.session.scalar(select(User).where(User.email == "charlotte.chaffinch@example.org"))
        identity = db.session.scalar(select(CouncilIdentity).where(CouncilIdentity.user_id == user.id))
        assert identity.subject == "oid-charlotte.chaffinch@example.org" and identity.issuer == council_provider.issuer
        assert identity.provider_session_id  # the provider's sid, for its back-channel logout
        assert user.sign_in_method == "council"
    assert audit_outcomes(council_app)[-1] == "success"


def test_the_provider_refuses_a_code_without_the_pkce_verifier(council_provider):
    """PKCE is enforced by the provider too: an authorisation request without a challenge is refused there."""
    response = requests.get(f"{council_provider.issuer}/auth", params={
        "client_id": "family-conference-portal", "response_type": "code", "scope": "openid",
        "redirect_uri": "http://localhost/sign-in/council/callback", "state": "s", "nonce": "n"}, allow_redirects=False, timeout=5)
    assert response.status_code in (302, 303)
    assert "PKCE" in parse_qs(urlsplit(response.headers["Location"]).query)["error_description"][0]


def test_after_the_first_match_a_person_is_matched_by_the_stable_claim_not_the_email(council_app, council_provider):
    user_id = staff_member(council_app, "renamed.before@example.org")
    assert sign_in_with_council(council_app.test_client(), council_provider, "renamed.before").status_code == 303
    # The same person (same oid) with a new e-mail address at the council: still their account.
    client = council_app.test_client()
    assert sign_in_with_council(client, council_provider, "renamed").status_code == 303
    with council_app.app_context():
        identity = db.session.scalar(select(CouncilIdentity).where(CouncilIdentity.subject == "oid-renamed"))
        assert identity.user_id == user_id


def test_the_identity_claim_falls_back_to_sub_where_the_provider_has_no_oid(council_app, council_provider):
    user_id = staff_member(council_app, "by.sub@example.org")
    assert sign_in_with_council(council_app.test_client(), council_provider, "by.sub").status_code == 303
    with council_app.app_context():
        assert db.session.scalar(select(CouncilIdentity.subject).where(CouncilIdentity.user_id == user_id)) == "by.sub"


# --- failures, one test each ------------------------------------------------------------------------------------

@pytest.mark.parametrize("change", [
    pytest.param({"aud": "another-service"}, id="wrong audience"),
    pytest.param({"exp": int(time.time()) - 600, "iat": int(time.time()) - 4200}, id="expired token"),
    pytest.param({"other_key": True}, id="signed by another key"),
    pytest.param({"nonce": "not-the-nonce-the-portal-sent"}, id="changed nonce"),
    pytest.param({"iss": "https://login.example.com/someone-else"}, id="another issuer"),
])
def test_an_id_token_that_fails_a_check_is_refused(council_app, council_provider, change):
    client = council_app.test_client()
    council_provider.next_id_token(**change)
    response = sign_in_with_council(client, council_provider, "token.test")
    assert_refused(response, council_app, "invalid_token", "We could not sign you in with your council account")
    assert signed_in_as(client) is None


def test_a_replayed_state_is_refused(council_app, council_provider):
    client = council_app.test_client()
    start = client.get("/sign-in/council")
    callback = council_provider.sign_in(requests.Session(), start.headers["Location"], "sally.sparrow")
    captured = client.get_cookie(council_app.config["SESSION_COOKIE_NAME"]).value
    assert client.get(portal_path(callback)).status_code == 303
    # The same answer again, in the browser that used it: its state was used up.
    assert_refused(client.get(portal_path(callback)), council_app, "bad_state", "We could not sign you in")
    # ... and in a browser holding a copy of the cookie from before: the provider will not exchange the code twice.
    other = council_app.test_client()
    other.set_cookie(council_app.config["SESSION_COOKIE_NAME"], captured)
    assert_refused(other.get(portal_path(callback)), council_app, "provider_error", "We could not sign you in")
    assert signed_in_as(other) is None


def test_a_state_the_portal_never_made_is_refused(client, council_app):
    assert_refused(client.get("/sign-in/council/callback?code=abc&state=made-up"), council_app, "bad_state", "We could not sign you in")


def test_an_unknown_person_is_refused_when_accounts_are_not_created(client, council_app, council_provider):
    response = sign_in_with_council(client, council_provider, "new.chair")
    assert_refused(response, council_app, "no_account", "There is no portal account for your council account")
    with council_app.app_context():
        assert db.session.scalar(select(User).where(User.email == "new.chair@example.org")) is None


def test_with_creation_on_an_unknown_person_gets_the_role_their_group_maps_to(council_provider, database_uri):
    app = make_app({"SQLALCHEMY_DATABASE_URI": database_uri, **council_provider.settings(
        OIDC_CREATE_ACCOUNTS=True, OIDC_ROLE_CLAIM="roles", OIDC_ROLE_MAP={"Portal.Chair": "chair", "Portal.Admin": "admin"})})
    assert sign_in_with_council(app.test_client(), council_provider, "new.chair").status_code == 303
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "new.chair@example.org"))
        assert user.role == "chair" and user.name == "Nia New" and user.password_hash is None
    # Someone whose groups map to no portal role is not given an account.
    response = sign_in_with_council(app.test_client(), council_provider, "no.role")
    assert_refused(response, app, "no_role", "does not have a role in this portal")


def test_a_deactivated_account_is_refused_whatever_the_provider_says(council_app, council_provider):
    staff_member(council_app, "turned.off@example.org", active=False)
    client = council_app.test_client()
    response = sign_in_with_council(client, council_provider, "turned.off")
    assert_refused(response, council_app, "deactivated", "Your portal account has been turned off")
    assert signed_in_as(client) is None


def test_no_mfa_evidence_is_refused_where_mfa_is_required(client, council_app, council_provider):
    staff_member(council_app, "no.mfa@example.org")
    response = sign_in_with_council(client, council_provider, "no.mfa")
    assert_refused(response, council_app, "no_mfa", "without a second step")
    assert signed_in_as(client) is None


def test_production_requires_mfa_evidence_from_the_provider(monkeypatch):
    import importlib

    import config as cfg

    monkeypatch.delenv("OIDC_REQUIRE_MFA", raising=False)
    assert importlib.reload(cfg).ProductionConfig.OIDC_REQUIRE_MFA is True
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("OIDC_ISSUER", "http://login.example.com/tenant")
    with pytest.raises(RuntimeError, match="https"):
        importlib.reload(cfg).ProductionConfig.check()
    monkeypatch.undo()
    importlib.reload(cfg)


def test_without_mfa_required_the_portal_asks_for_its_own_second_factor(council_provider, database_uri):
    app = make_app({"SQLALCHEMY_DATABASE_URI": database_uri, "STAFF_MFA_REQUIRED": True, **council_provider.settings()})
    staff_member(app, "no.mfa.here@example.org")
    client = app.test_client()
    response = sign_in_with_council(client, council_provider, "no.mfa.here")
    assert response.status_code == 303 and response.headers["Location"].startswith("/mfa/")


def test_an_email_outside_the_allowed_domains_is_refused(client, council_app, council_provider):
    response = sign_in_with_council(client, council_provider, "outsider")
    assert_refused(response, council_app, "wrong_domain", "is not one this portal accepts")


def test_a_second_person_claiming_an_email_already_linked_to_another_identity_is_refused(council_app, council_provider):
    user_id = staff_member(council_app, "shared.address@example.org")
    assert sign_in_with_council(council_app.test_client(), council_provider, "first.claimant").status_code == 303
    client = council_app.test_client()
    response = sign_in_with_council(client, council_provider, "second.claimant")
    assert_refused(response, council_app, "identity_taken", "already linked to a different council account")
    assert signed_in_as(client) is None
    with council_app.app_context():
        assert db.session.scalar(select(CouncilIdentity.subject).where(CouncilIdentity.user_id == user_id)) == "oid-first-claimant"


def test_a_family_member_cannot_sign_in_with_a_council_account(client, council_app, council_provider):
    response = sign_in_with_council(client, council_provider, "family")
    assert_refused(response, council_app, "not_staff", "Family members cannot sign in with a council account")


def test_cancelling_at_the_provider_is_refused_with_words_that_say_so(client, council_app):
    start = client.get("/sign-in/council")
    state = parse_qs(urlsplit(start.headers["Location"]).query)["state"][0]
    response = client.get(f"/sign-in/council/callback?error=access_denied&state={state}")
    assert_refused(response, council_app, "cancelled", "You did not finish signing in")


# --- passwords, sessions and signing out --------------------------------------------------------------------------

def test_someone_who_signs_in_with_the_council_cannot_use_a_portal_password(council_app, council_provider, make_user):
    _, login, password = make_user(role="social_worker", sign_in_method="council")
    response = sign_in(council_app.test_client(), login, password)
    assert response.status_code == 400
    assert "You sign in to the portal with your council account" in response.get_data(as_text=True)
    assert audit_outcomes(council_app, "sign_in")[-1] == "council_only"


def test_signing_out_ends_the_providers_session_too(council_app, council_provider):
    staff_member(council_app, "signing.out@example.org")
    client, browser = council_app.test_client(), requests.Session()
    assert sign_in_with_council(client, council_provider, "signing.out", browser).status_code == 303
    response = client.post("/sign-out", data={"csrf_token": csrf_token_from(client, "/account")})
    assert response.status_code == 303 and response.headers["Clear-Site-Data"]
    logout = response.headers["Location"]
    assert logout.startswith(council_provider.issuer + "/session/end")
    query = parse_qs(urlsplit(logout).query)
    assert query["client_id"] == ["family-conference-portal"] and query["post_logout_redirect_uri"] == ["http://localhost/signed-out"]
    assert signed_in_as(client) is None
    back = council_provider.sign_out(browser, logout)
    assert urlsplit(back).path == "/signed-out"
    # Signed out at the provider as well: the next sign-in there asks for the password again.
    start = client.get("/sign-in/council")
    page = browser.get(start.headers["Location"], timeout=10)
    assert "/interaction/" in page.url and 'name="password"' in page.text


def test_a_back_channel_logout_from_the_provider_ends_the_portal_session(council_app, council_provider):
    staff_member(council_app, "back.channel@example.org")
    client, browser = council_app.test_client(), requests.Session()
    assert sign_in_with_council(client, council_provider, "back.channel", browser).status_code == 303
    assert signed_in_as(client)
    # Signing out at the provider (from another of the council's services): the provider posts a logout token.
    while not council_provider.back_channel.tokens.empty():
        council_provider.back_channel.tokens.get()
    start = browser.get(f"{council_provider.issuer}/session/end?client_id=family-conference-portal", allow_redirects=False, timeout=10)
    council_provider.sign_out(browser, start.url)
    token = council_provider.back_channel.next_token()
    anonymous = council_app.test_client()
    assert anonymous.post("/sign-in/council/back-channel-logout", data={"logout_token": token + "x"}).status_code == 400
    assert signed_in_as(client)
    assert anonymous.post("/sign-in/council/back-channel-logout", data={"logout_token": token}).status_code == 200
    assert wait_for(lambda: signed_in_as(client) is None)
    assert audit_outcomes(council_app, "sign_out.council")[-1] == "back_channel"


def test_sign_out_of_all_devices_and_deactivation_end_a_council_session_at_once(council_app, council_provider):
    user_id = staff_member(council_app, "everywhere@example.org")
    laptop, phone = council_app.test_client(), council_app.test_client()
    browser = requests.Session()
    assert sign_in_with_council(laptop, council_provider, "everywhere", browser).status_code == 303
    assert sign_in_with_council(phone, council_provider, "everywhere", browser).status_code == 303
    response = phone.post("/sign-out-everywhere", data={"csrf_token": csrf_token_from(phone, "/account")})
    assert response.headers["Location"].startswith(council_provider.issuer + "/session/end")
    assert signed_in_as(laptop) is None and signed_in_as(phone) is None
    # Back in (the provider still knows them), then the admin deactivates the account.
    assert sign_in_with_council(laptop, council_provider, "everywhere", browser).status_code == 303
    admin = council_app.test_client()
    assert sign_in_with_council(admin, council_provider, "adam.auk").status_code == 303
    admin.post(f"/admin/staff/{user_id}/deactivate", data={"csrf_token": csrf_token_from(admin, "/admin/staff")})
    assert signed_in_as(laptop) is None


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(st.text(max_size=3000), st.sampled_from(["", "a.b.c", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", "x" * 9000])))
def test_a_back_channel_logout_with_anything_but_a_signed_token_is_refused_never_an_error(council_app, value):
    response = council_app.test_client().post("/sign-in/council/back-channel-logout", data={"logout_token": value})
    assert response.status_code == 400


# --- the admin's pages ------------------------------------------------------------------------------------------

def test_the_admin_sees_how_each_person_signs_in_and_can_unlink_an_identity(council_app, council_provider):
    user_id = staff_member(council_app, "unlinked.later@example.org")
    person = council_app.test_client()
    assert sign_in_with_council(person, council_provider, "unlinked").status_code == 303
    admin = council_app.test_client()
    assert sign_in_with_council(admin, council_provider, "adam.auk").status_code == 303
    page = admin.get("/admin/staff").get_data(as_text=True)
    assert "Signs in with their council account, linked on" in page and "Last signed in on" in page
    assert f"/admin/staff/{user_id}/unlink-council-account" in page
    response = admin.post(f"/admin/staff/{user_id}/unlink-council-account", data={"csrf_token": csrf_token_from(admin, "/admin/staff")})
    assert response.status_code == 303
    assert signed_in_as(person) is None  # unlinking ends their sessions
    with council_app.app_context():
        assert db.session.scalar(select(CouncilIdentity).where(CouncilIdentity.user_id == user_id)) is None
    assert audit_outcomes(council_app, "council_identity.unlink")[-1] == "success"
    assert "not linked yet" in admin.get("/admin/staff").get_data(as_text=True)
    # Matched by e-mail again, once, at the next sign-in.
    assert sign_in_with_council(council_app.test_client(), council_provider, "unlinked").status_code == 303


def test_an_admin_creates_an_account_that_signs_in_with_the_council_without_an_invitation(council_app, council_provider, outbox):
    admin = council_app.test_client()
    assert sign_in_with_council(admin, council_provider, "adam.auk").status_code == 303
    form = admin.get("/admin/staff/new").get_data(as_text=True)
    assert "How will they sign in?" in form
    response = admin.post("/admin/staff/new", data={"csrf_token": csrf_token_from(admin, "/admin/staff/new"), "name": "Cal Council",
                                                    "email": "cal.council@example.org", "role": "social_worker", "sign_in_method": "council"})
    assert response.status_code == 303
    assert not [message for message in outbox if "cal.council@example.org" in str(message)]
    with council_app.app_context():
        assert db.session.scalar(select(User.sign_in_method).where(User.email == "cal.council@example.org")) == "council"


@pytest.mark.parametrize("who", ["sally.sparrow", "charlotte.chaffinch", "quinn.quail", "parent", "signed_out"])
def test_only_the_admin_may_unlink(council_app, council_provider, make_user, who):
    target = staff_member(council_app, f"unlink.target.{who}@example.org")
    client = council_app.test_client()
    if who == "parent":
        _, login, password = make_user(role="parent")
        assert sign_in(client, login, password).status_code == 303
    elif who != "signed_out":
        assert sign_in_with_council(client, council_provider, who).status_code == 303
    token = csrf_token_from(client, "/sign-in" if who == "signed_out" else "/account")
    response = client.post(f"/admin/staff/{target}/unlink-council-account", data={"csrf_token": token})
    assert response.status_code in ((302,) if who == "signed_out" else (403, 404))


# --- nothing secret kept -----------------------------------------------------------------------------------------

def test_no_token_reaches_the_audit_or_the_logs(council_app, council_provider, caplog):
    caplog.set_level("DEBUG")
    client = council_app.test_client()
    assert sign_in_with_council(client, council_provider, "priya.plover").status_code == 303
    council_provider.next_id_token(aud="another-service")
    sign_in_with_council(council_app.test_client(), council_provider, "priya.plover")
    with council_app.app_context():
        rows = db.session.execute(select(AuditEvent.action, AuditEvent.object_kind, AuditEvent.object_id, AuditEvent.outcome)).all()
    text = " ".join(str(value) for row in rows for value in row) + caplog.text
    assert "eyJ" not in text  # the start of every JWT (ID tokens, logout tokens)
    assert "access_token" not in caplog.text and "code=" not in caplog.text and "code_verifier" not in caplog.text
