"""Administration commands: regions, providers, sites, bodies, users, staff, demo data."""

import secrets

import click
import sqlalchemy as sa

from tenantvoice.extensions import db
from tenantvoice.orgs import services
from tenantvoice.orgs.models import Provider, ProviderKind, Region, Site


def _one(model, name: str, what: str):
    row = db.session.scalar(sa.select(model).where(model.name == name))
    if row is None:
        raise click.ClickException(f"No {what} named {name!r}.")
    return row


def register(app) -> None:
    """Attach admin CLI commands (regions, providers, sites, bodies, staff, demo seed)."""

    @app.cli.group()
    def admin():
        """Set up regions, housing providers, sites, bodies and staff."""

    @admin.command("create-region")
    @click.argument("name")
    def create_region(name):
        """Create a region."""
        try:
            region = services.create_region(None, name)
        except services.SetupError as exc:
            raise click.ClickException(f"Region {name!r} already exists.") from exc
        db.session.commit()
        click.echo(f"Region {region.id}: {region.name}")

    @admin.command("create-provider")
    @click.option("--region", "region_name", required=True)
    @click.option("--kind", type=click.Choice([k.value for k in ProviderKind]), default="office")
    @click.argument("name")
    def create_provider(region_name, kind, name):
        """Create a housing provider in a region."""
        region = _one(Region, region_name, "region")
        try:
            provider = services.create_provider(None, region, kind, name)
        except services.SetupError as exc:
            raise click.ClickException(f"Provider {name!r} already exists.") from exc
        db.session.commit()
        click.echo(f"Provider {provider.id}: {provider.name}")

    @admin.command("create-site")
    @click.option("--provider", "provider_name", required=True)
    @click.option("--address", required=True)
    @click.option("--units", type=click.IntRange(1, 5000), required=True)
    @click.option("--program", default="HLM")
    @click.argument("name")
    def create_site(provider_name, address, units, program, name):
        """Create a site (building) of a housing provider."""
        provider = _one(Provider, provider_name, "provider")
        site = services.create_site(None, provider, name, address, units, program)
        db.session.commit()
        click.echo(f"Site {site.id}: {site.name}")

    @admin.command("create-body")
    @click.option("--provider", "provider_name", required=True)
    @click.option(
        "--kind", type=click.Choice(["adl", "ccr", "office_board", "committee"]), default="adl"
    )
    @click.option("--site", "site_names", multiple=True, required=True)
    @click.argument("name")
    def create_body(provider_name, kind, site_names, name):
        """Create a body covering one or more sites of its provider."""
        provider = _one(Provider, provider_name, "provider")
        sites = [_one(Site, s, "site") for s in site_names]
        try:
            body = services.create_body(None, provider, kind, name, sites)
        except services.SetupError as exc:
            raise click.ClickException("Every site must belong to the provider.") from exc
        db.session.commit()
        click.echo(f"Body {body.id}: {body.name}")

    @admin.command("create-user")
    @click.option("--email", required=True)
    @click.option("--name", required=True)
    def create_user(email, name):
        """Create an account with a random password, printed once (no default accounts)."""
        password = secrets.token_urlsafe(12)
        try:
            user = services.create_staff_account(None, name=name, email=email, password=password)
        except services.SetupError as exc:
            raise click.ClickException("An account already has this email.") from exc
        db.session.commit()
        click.echo(f"User {user.id}: {user.email}")
        click.echo(f"Password (shown once, change it at first login): {password}")

    @admin.command("assign-staff")
    @click.option("--email", required=True)
    @click.option("--role", type=click.Choice(["oc", "isc", "direction", "admin"]), required=True)
    @click.option("--region", "region_name")
    @click.option("--provider", "provider_name")
    @click.option("--employer", default="")
    def assign_staff(email, role, region_name, provider_name, employer):
        """Give a staff role with its scope (region or provider)."""
        user = services.user_by_email(email)
        if user is None:
            raise click.ClickException(f"No account with email {email!r}.")
        region = _one(Region, region_name, "region") if region_name else None
        provider = _one(Provider, provider_name, "provider") if provider_name else None
        try:
            services.assign_staff(
                None, user, role, region=region, provider=provider, employer=employer
            )
        except services.SetupError as exc:
            raise click.ClickException(
                "The direction needs --provider; OC and ISC need --region or --provider."
            ) from exc
        except services.SeatedInOfficeError as exc:
            # As on the staff form: office staff never sit in the office's tenants' bodies.
            raise click.ClickException(
                "This person sits in an association or committee of this housing office (or its "
                "CCR): give the role once they have left it."
            ) from exc
        db.session.commit()
        click.echo(f"{user.email}: {role}")
