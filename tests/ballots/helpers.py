"""Small builders for the ballots tests: a body with voters, a question put to them."""

from datetime import timedelta

from tenantvoice import clock
from tenantvoice.ballots import services
from tenantvoice.ballots.models import Kind, Mode, Purpose
from tenantvoice.orgs.models import MemberRole
from tests import factories as f


def make_body_with_voters(n=6, *, paper=0, **rules):
    """A body with an officer (who votes too), n − 1 tenants with accounts and `paper` register
    entries without an account. Returns (body, officer, [voters incl. officer], [paper members])."""
    body = f.make_body(**rules)
    officer = f.make_tenant(body=body, role=MemberRole.SECRETARY)
    voters = [officer] + [f.make_tenant(body=body) for _ in range(n - 1)]
    paper_members = [f.make_member(body=body) for _ in range(paper)]
    return body, officer, voters, paper_members


def make_question(
    body,
    officer,
    *,
    kind=Kind.MOTION,
    mode=Mode.SECRET,
    closes_in=timedelta(days=2),
    title="Que l'association recommande l'ouverture de la salle le dimanche",
    **kwargs,
):
    kwargs.setdefault("purpose", Purpose.RECOMMENDATION)
    if kind not in (Kind.MOTION, Kind.YES_NO) and "choices" not in kwargs:
        kwargs["choices"] = (
            [clock.now() + timedelta(days=d) for d in (10, 11, 12)]
            if kind == Kind.DATES
            else ["Jardin", "Cuisine collective", "Salle d'ordinateurs"]
        )
    if kind == Kind.MULTIPLE:
        kwargs.setdefault("max_choices", 2)
    return services.create_question(
        officer,
        body,
        title=title,
        kind=kind,
        mode=mode,
        closes_at=clock.now() + closes_in,
        **kwargs,
    )


def choice_id(question, code_or_label):
    for c in question.choices:
        if code_or_label in (c.code, c.label):
            return c.id
    raise KeyError(code_or_label)
