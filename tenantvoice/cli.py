"""CLI commands: translations; domains add theirs (seed, admin) through register_cli."""

import subprocess
import sys

from tenantvoice.config import ROOT

BABEL = [sys.executable, "-m", "babel.messages.frontend"]
POT = str(ROOT / "translations" / "messages.pot")
CFG = str(ROOT / "translations" / "babel.cfg")
DIR = str(ROOT / "translations")


def register_cli(app) -> None:
    @app.cli.group()
    def translate():
        """Extract, update and compile the translation catalogs."""

    @translate.command()
    def extract():
        """Extract every marked string into translations/messages.pot."""
        subprocess.run(
            [
                *BABEL,
                "-q",
                "extract",
                "-F",
                CFG,
                "-k",
                "_l",
                "-k",
                "lazy_gettext",
                "--no-location",
                "--sort-output",
                "-o",
                POT,
                ".",
            ],
            cwd=ROOT,
            check=True,
        )

    @translate.command()
    def update():
        """Extract, then merge new strings into every language's catalog."""
        subprocess.run(
            [
                *BABEL,
                "-q",
                "extract",
                "-F",
                CFG,
                "-k",
                "_l",
                "-k",
                "lazy_gettext",
                "--no-location",
                "--sort-output",
                "-o",
                POT,
                ".",
            ],
            cwd=ROOT,
            check=True,
        )
        subprocess.run(
            [*BABEL, "-q", "update", "-i", POT, "-d", DIR, "--no-fuzzy-matching"],
            cwd=ROOT,
            check=True,
        )

    @translate.command()
    def compile():  # noqa: A001 - mirrors pybabel's verb
        """Compile the catalogs (.po → .mo)."""
        subprocess.run([*BABEL, "-q", "compile", "-d", DIR], cwd=ROOT, check=True)

    from tenantvoice.backup import register_cli as register_backup_cli

    register_backup_cli(app)

    # Domain commands live with their domains.
    from tenantvoice.admin.cli import register as register_admin_cli

    register_admin_cli(app)

    from tenantvoice.retention import register_cli as register_retention_cli

    register_retention_cli(app)
