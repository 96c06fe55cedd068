"""CLI commands: translations (domains' commands are listed in the factory's CLI)."""

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
