"""Every route declares who may use it (DESIGN.md, Access and safety)."""

from __future__ import annotations

from portal.access import FRAMEWORK_PUBLIC_ENDPOINTS, PUBLIC, policy_of


def test_every_endpoint_declares_who_may_use_it(app):
    undeclared = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in FRAMEWORK_PUBLIC_ENDPOINTS:
            continue
        if policy_of(app.view_functions.get(rule.endpoint)) is None:
            undeclared.append(f"{rule.endpoint} {rule.rule}")
    assert not undeclared, "routes without an access declaration: " + ", ".join(undeclared)
    print(f"\nroutes checked: {len(list(app.url_map.iter_rules()))}")


def test_public_pages_are_the_expected_ones(app):
    """A new public route is a decision worth a second look: list them here on purpose."""
    public = sorted(
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if policy_of(app.view_functions.get(rule.endpoint)) == PUBLIC
    )
    assert public == sorted(
        [
            "auth.choose_new_password",
            # Staff signing in with the council's identity provider (404 unless it is set up): the start, the
            # provider's answer (checked by Authlib before anyone is signed in), and its signed logout tokens.
            "auth.council_back_channel_logout",
            "auth.council_callback",
            "auth.council_refused",  # the reason a sign-in was refused: a key into fixed words, nothing personal
            "auth.council_sign_in",
            "auth.request_password_reset",
            "auth.set_up_account",
            "auth.sign_in",
            "auth.signed_out",
            "pages.accessibility",
            "pages.choose_language",
            "pages.cookies",
            "pages.exit_this_page",
            "pages.healthz",
            "pages.privacy",
            "pages.start",
            "pwa.manifest",  # the installed app's name, colours and icons: no personal data
            "pwa.offline",  # kept on the phone by the service worker: no account, no form token
            "pwa.service_worker",
        ]
    )
