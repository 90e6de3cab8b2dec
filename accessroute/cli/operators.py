"""The ``operator`` commands: operators' accounts and API tokens of the reports database."""

from __future__ import annotations

import click

from accessroute import settings
from accessroute.cli.common import store_session


@click.group()
def operator() -> None:
    """Operators' accounts and API tokens of the reports database."""


@operator.command("add")
@click.argument("username")
@click.password_option(help="The password (asked twice when not given).")
def operator_add(username: str, password: str) -> None:
    """Create an operator account USERNAME."""
    from accessroute.store import auth

    with store_session() as session:
        auth.create_operator(session, username, password, actor="cli")
    click.echo(f"operator {username} created")


@operator.command("password")
@click.argument("username")
@click.password_option(help="The new password (asked twice when not given).")
def operator_password(username: str, password: str) -> None:
    """Change the password of USERNAME; their login sessions end (audited)."""
    from accessroute.store import auth

    with store_session() as session:
        auth.set_password(session, username, password, actor="cli")
    click.echo(f"operator {username}: password changed, sessions ended")


@operator.command("disable")
@click.argument("username")
def operator_disable(username: str) -> None:
    """Disable USERNAME: no login from now on, and their sessions end (audited)."""
    from accessroute.store import auth

    with store_session() as session:
        auth.disable_operator(session, username, actor="cli")
    click.echo(f"operator {username} disabled")


@operator.command("enable")
@click.argument("username")
def operator_enable(username: str) -> None:
    """Let a disabled USERNAME log in again (audited)."""
    from accessroute.store import auth

    with store_session() as session:
        auth.enable_operator(session, username, actor="cli")
    click.echo(f"operator {username} enabled")


@operator.command("token")
@click.argument("name")
@click.option("--revoke", is_flag=True, help="Revoke the token called NAME instead.")
@click.option(
    "--days",
    type=click.IntRange(min=1),
    help=f"Days the new token is valid [default: {settings.api_token_lifetime_days}].",
)
def operator_token(name: str, revoke: bool, days: int | None) -> None:
    """Create (or revoke) the API token NAME for a feed.

    The token is printed once, on standard output; when it expires, on standard error.
    """
    from accessroute.store import auth

    with store_session() as session:
        if revoke:
            auth.revoke_token(session, name, actor="cli")
            click.echo(f"token {name} revoked")
        else:
            click.echo(auth.create_token(session, name, actor="cli", days=days))
            expires = auth.get_token(session, name).expires_at
            click.echo(f"token {name} expires {expires:%Y-%m-%d %H:%M} UTC", err=True)


@operator.command("tokens")
def operator_tokens() -> None:
    """List the API tokens: name, created, expires, revoked."""
    from accessroute.store import auth

    with store_session() as session:
        for row in auth.list_tokens(session):
            revoked = f"revoked {row.revoked_at:%Y-%m-%d}" if row.revoked_at else ""
            click.echo(
                f"{row.name}\tcreated {row.created_at:%Y-%m-%d}"
                f"\texpires {row.expires_at:%Y-%m-%d}\t{revoked}".rstrip()
            )
