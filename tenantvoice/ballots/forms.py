"""Reading a ballot and a paper count from a submitted form. The ballot's fields depend on the
question (one radio group, checkboxes, a rank per choice, an answer per date), so they are read
here rather than declared as WTForms fields; every value is checked again by the services
(`counting.encode`, `services.paper_cells`), which raise the translated refusals."""

import re

from flask_babel import lazy_gettext as _l

from tenantvoice.ballots.errors import BallotInvalidError
from tenantvoice.ballots.models import Kind

MAX_RANKING_LINES = 200
_LINE = re.compile(r"^\s*(\d{1,6})\s*[:×x*]\s*(.+)$")


def answer_from(question, form):
    """The answer in the shape `services.cast` takes (see `counting.encode`)."""
    kind = question.kind
    if kind in (Kind.MOTION, Kind.YES_NO, Kind.SINGLE):
        return form.get("choice", "")[:20]
    if kind == Kind.MULTIPLE:
        return [value[:20] for value in form.getlist("choice")[:50]]
    if kind == Kind.RANKING:
        return {c.id: form.get(f"rank-{c.id}", "")[:3] for c in question.choices}
    if kind == Kind.DATES:
        return {c.id: form.get(f"date-{c.id}", "")[:1] for c in question.choices}
    raise ValueError(kind)


def hidden_fields(question, answer) -> list[tuple[str, str]]:
    """The answer again as hidden inputs, for the review step before a secret ballot is cast."""
    kind = question.kind
    if kind in (Kind.MOTION, Kind.YES_NO, Kind.SINGLE):
        return [("choice", str(answer))]
    if kind == Kind.MULTIPLE:
        return [("choice", str(a)) for a in answer]
    prefix = "rank" if kind == Kind.RANKING else "date"
    return [(f"{prefix}-{c}", str(v)) for c, v in answer.items() if v not in (None, "")]


def paper_counts_from(question, form) -> dict:
    """The officers' paper count in the shape `services.enter_paper_count` takes.

    A ranking's paper ballots are typed one line per group of identical ballots:
    "3: 2, 1, 4" — three ballots ranking choice 2 first, then 1, then 4 (choices are numbered
    as printed on the paper ballot)."""
    kind = question.kind
    if kind == Kind.RANKING:
        numbered = {n: c.id for n, c in enumerate(question.choices, start=1)}
        lines = [line for line in form.get("rankings", "").splitlines() if line.strip()]
        if len(lines) > MAX_RANKING_LINES:
            raise BallotInvalidError(_l("Too many lines."), "rankings")
        groups = []
        for line in lines:
            match = _LINE.match(line)
            if not match:
                raise BallotInvalidError(
                    _l("Write each line as: number of ballots, colon, choices in order."),
                    "rankings",
                )
            try:
                ranking = [numbered[int(x)] for x in re.split(r"[,\s]+", match[2].strip()) if x]
            except (KeyError, ValueError):
                raise BallotInvalidError(
                    _l("Use the choice numbers printed on the ballot."), "rankings"
                ) from None
            groups.append((ranking, match[1]))
        return {"ballots": groups}
    counts: dict = {}
    for key in form:
        if key.startswith("count-"):
            counts[key[len("count-") :]] = form.get(key, "")[:7]
    if "ballots" in form:
        counts["ballots"] = form.get("ballots", "")[:7]
    return counts
