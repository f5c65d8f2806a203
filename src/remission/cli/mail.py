"""``remission alerts send`` and ``remission outbox send``: the mail a cron line delivers."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

import typer

from remission.cli.output import JsonOpt, fail, out, print_json

if TYPE_CHECKING:
    from remission.services.trials import Registry
    from remission.settings import Settings

_T = TypeVar("_T")

alerts_app = typer.Typer(help="Alerts: saved searches mailed when their trials change.", no_args_is_help=True)
outbox_app = typer.Typer(help="The outbox: mail waiting to be delivered.", no_args_is_help=True)


def _run(work: Callable[..., _T]) -> _T:
    """``work(registry, settings)`` on the configured database; any failure is one line."""
    from remission.services.trials import Registry  # noqa: PLC0415
    from remission.settings import get_settings  # noqa: PLC0415

    settings = get_settings()
    registry = Registry.from_url(settings.url())
    try:
        registry.check_ready()
        return work(registry, settings)
    except Exception as exc:  # one line, never a traceback
        raise fail(f"{exc.__class__.__name__}: {str(exc)[:300]}", 3 if "migrated" in str(exc) else 1) from None


@alerts_app.command("send")
def alerts_send(as_json: JsonOpt = False) -> None:
    """Mail every confirmed alert the trials that are new or changed since its last mail (run it from cron)."""
    from remission.services.alerts import send_alerts  # noqa: PLC0415

    counts = _run(send_alerts)
    if as_json:
        print_json(counts)
    else:
        out.print(
            f"{counts['alerts']} alerts: {counts['mailed']} mailed, {counts['unchanged']} unchanged; "
            f"{counts['sent']} delivered, {counts['failed']} failed"
        )
    if counts["failed"]:
        raise typer.Exit(1)


@outbox_app.command("send")
def outbox_send(as_json: JsonOpt = False) -> None:
    """Try again to deliver the mail still queued (each is tried at most five times)."""
    from remission.services.outbox import deliver_queued  # noqa: PLC0415

    def send(registry: Registry, settings: Settings) -> tuple[int, int]:
        return deliver_queued(registry.sessions, settings)

    sent, failed = _run(send)
    if as_json:
        print_json({"sent": sent, "failed": failed})
    else:
        out.print(f"{sent} delivered, {failed} failed")
    if failed:
        raise typer.Exit(1)
