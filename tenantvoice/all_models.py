"""Import every model module once, so SQLAlchemy metadata holds every table."""

from tenantvoice import (
    audit,  # noqa: F401
    submissions,  # noqa: F401 - forms answered once
)
from tenantvoice.accounts import models as accounts_models  # noqa: F401
from tenantvoice.assembly import models as assembly_models  # noqa: F401
from tenantvoice.ballots import models as ballots_models  # noqa: F401
from tenantvoice.consultations import models as consultations_models  # noqa: F401
from tenantvoice.logbook import models as logbook_models  # noqa: F401
from tenantvoice.meetings import models as meetings_models  # noqa: F401
from tenantvoice.minutes import models as minutes_models  # noqa: F401
from tenantvoice.needs import models as needs_models  # noqa: F401
from tenantvoice.notifications import models as notifications_models  # noqa: F401
from tenantvoice.orgs import models as orgs_models  # noqa: F401
from tenantvoice.outbox import models as outbox_models  # noqa: F401 - the outbox
from tenantvoice.polls import models as polls_models  # noqa: F401
from tenantvoice.privacy import incident_models as privacy_incident_models  # noqa: F401
from tenantvoice.privacy import models as privacy_models  # noqa: F401
from tenantvoice.recommendations import models as recommendations_models  # noqa: F401
