"""Builders for the polls tests: a body with voters (from the ballots tests) and a poll."""

from datetime import timedelta

from tenantvoice import clock
from tenantvoice.ballots.models import Kind, Mode
from tenantvoice.polls import services
from tests.ballots.helpers import choice_id, make_body_with_voters

__all__ = ["choice_id", "local", "make_body_with_voters", "make_poll"]


def make_poll(
    body, officer, *, kind=Kind.SINGLE, mode=Mode.SECRET, closes_in=timedelta(days=2), **kw
):
    if kind == Kind.DATES:
        kw.setdefault("choices", [clock.now() + timedelta(days=d) for d in (10, 11, 12)])
    elif kind != Kind.YES_NO:
        kw.setdefault("choices", ["Jardin", "Cuisine collective", "Salle d'ordinateurs"])
    if kind == Kind.MULTIPLE:
        kw.setdefault("max_choices", 2)
    return services.create_poll(
        officer,
        body,
        title=kw.pop("title", "Quel projet compte le plus pour vous?"),
        kind=kind,
        mode=mode,
        closes_at=clock.now() + closes_in,
        **kw,
    )


def local(when) -> str:
    """An aware datetime as a datetime-local field value (Montréal time)."""
    return when.astimezone(clock.MONTREAL).strftime("%Y-%m-%dT%H:%M")
