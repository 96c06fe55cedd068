"""`flask ballots run-due`: open and close the questions whose time has come now (the worker's
periodic job `ballots.open_and_close_due` calls `services.close_due_questions` every minute)."""

import click

from tenantvoice.ballots import services, storage


def register(app) -> None:
    @app.cli.group()
    def ballots():
        """Votes and polls."""

    @ballots.command("run-due")
    def run_due():
        """Open the questions whose opening time has come; close and count those past closing."""
        done = services.close_due_questions()
        click.echo(f"opened {done['opened']}, closed {done['closed']}")

    @ballots.command("compact")
    def compact():
        """Compact the roll and ballot-box tables now (after a close whose VACUUM FULL waited)."""
        if storage.compact():
            click.echo("compacted")
        else:
            raise click.ClickException(
                "not compacted: an older transaction still runs or the tables are busy; "
                "the worker's job ballots.compact_owed tries again every 5 minutes"
            )
