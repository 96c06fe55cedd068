"""Administration commands: added by the orgs/admin work."""


def register(app) -> None:
    """Attach admin CLI commands (regions, providers, sites, bodies, staff, demo seed)."""
