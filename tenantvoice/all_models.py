"""Import every model module once, so SQLAlchemy metadata holds every table."""

from tenantvoice import audit  # noqa: F401
from tenantvoice.accounts import models as accounts_models  # noqa: F401
from tenantvoice.orgs import models as orgs_models  # noqa: F401

for _name in ("tenantvoice.meetings.models", "tenantvoice.minutes.models"):
    try:
        __import__(_name)
    except ModuleNotFoundError as exc:  # a domain not built yet has no models module
        if exc.name != _name:
            raise
