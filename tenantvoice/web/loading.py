"""Loading a row that belongs to a parent named in the URL (an agenda item of a meeting, a
register entry of a body): the one place that answers 404 when it belongs to another."""

from typing import Any, TypeVar

from flask import abort

from tenantvoice.extensions import db

T = TypeVar("T")


def child_or_404(model: type[T], child_id: Any, *, parent: str, parent_id: int) -> T:
    """The `model` row `child_id` whose `parent` column is `parent_id`; otherwise 404, so the
    ids of another body's or meeting's rows are not found rather than forbidden."""
    child = db.session.get(model, child_id)
    if child is None or getattr(child, parent) != parent_id:
        abort(404)
    return child
