"""The no-JavaScript confirmation page of a destructive action (issue 9).

A destructive route answers GET with this page (what will happen, a POST button, a way back)
and POST with the action itself. With JavaScript the button in the list POSTs directly after
the browser's confirm dialog (templates/macros/confirm.html), so both paths ask first.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from flask import render_template, request


@dataclass(frozen=True)
class Confirmation:
    question: str
    consequences: tuple[str, ...]
    label: str
    back: str
    action: str = ""
    fields: tuple[tuple[str, str], ...] = field(default_factory=tuple)


def confirm_page(
    question: str,
    consequences: Iterable[str],
    label: str,
    back: str,
    *,
    keep: Iterable[str] = (),
) -> str:
    """Render the confirmation; `keep` names query arguments the POST carries on (list state)."""
    fields = tuple((name, request.args[name]) for name in keep if name in request.args)
    confirmation = Confirmation(
        question=question,
        consequences=tuple(consequences),
        label=label,
        back=back,
        action=request.path,
        fields=fields,
    )
    return render_template("confirm.html", confirm=confirmation)
