"""Operators' accounts (hashed passwords, throttled logins, revocable sessions) and API tokens.

Passwords are hashed with werkzeug's scrypt. A login for a name that does not exist checks the
password against a dummy hash, so it takes as long as a wrong password for a real one. Failed
logins are audited (``operator.login_failed``) and counted from the audit log: after
``settings.login_failure_limit`` failures for one name, or ``settings.login_client_failure_limit``
from one client, further attempts are refused without checking the password until the window
has passed. Each operator has a session generation, bumped at logout, password change and
disabling; a login session carries the generation it was made with and is refused once it
differs. API tokens are stored as their SHA-256 only and expire.
"""

from accessroute.store.auth.accounts import (
    MIN_PASSWORD_LENGTH,
    check_operator,
    create_operator,
    disable_operator,
    enable_operator,
    log_out,
    session_operator,
    set_password,
    warm_up,
)
from accessroute.store.auth.logins import LOGIN_FAILED, LOGIN_OK, attempt_login, login_wait_s
from accessroute.store.auth.tokens import (
    check_token,
    create_token,
    get_token,
    list_tokens,
    revoke_token,
)

__all__ = [
    "LOGIN_FAILED",
    "LOGIN_OK",
    "MIN_PASSWORD_LENGTH",
    "attempt_login",
    "check_operator",
    "check_token",
    "create_operator",
    "create_token",
    "disable_operator",
    "enable_operator",
    "get_token",
    "list_tokens",
    "log_out",
    "login_wait_s",
    "revoke_token",
    "session_operator",
    "set_password",
    "warm_up",
]
