"""The one place that decides every permission.

Each domain has a module here (`orgs`, `meetings`, `minutes`, …) of `can_*` predicates taking the
acting user explicitly. Views call them through `require()` (403/404) and pass their results to
templates; nothing else decides who may do what. The expectations they must meet are written by
hand in tests/matrix/, never derived from this code.
"""

from tenantvoice.policy.accounts import *  # noqa: F401,F403 - re-exported predicates
from tenantvoice.policy.assembly import *  # noqa: F401,F403 - re-exported predicates
from tenantvoice.policy.ballots import *  # noqa: F401,F403 - re-exported predicates
from tenantvoice.policy.consultations import *  # noqa: F401,F403 - re-exported predicates
from tenantvoice.policy.core import (  # noqa: F401 - re-exported API
    body_ids_as_member,
    body_ids_as_officer,
    candidate_user_ids,
    deny,
    facts_preloaded,
    is_admin,
    is_member,
    is_officer,
    is_site_tenant,
    is_staff,
    is_tenant_director,
    member_entry,
    require,
    staff_covers,
    staff_roles,
    staff_scope,
)
from tenantvoice.policy.incidents import *  # noqa: F401,F403 - re-exported predicates
from tenantvoice.policy.logbook import *  # noqa: F401,F403 - re-exported predicates
from tenantvoice.policy.meetings import *  # noqa: F401,F403 - re-exported predicates
from tenantvoice.policy.minutes import *  # noqa: F401,F403 - re-exported predicates
from tenantvoice.policy.needs import *  # noqa: F401,F403 - re-exported predicates
from tenantvoice.policy.notifications import *  # noqa: F401,F403 - re-exported predicates
from tenantvoice.policy.organizing import *  # noqa: F401,F403 - re-exported predicates
from tenantvoice.policy.orgs import *  # noqa: F401,F403 - re-exported predicates
from tenantvoice.policy.polls import *  # noqa: F401,F403 - re-exported predicates
from tenantvoice.policy.recommendations import *  # noqa: F401,F403 - re-exported predicates
