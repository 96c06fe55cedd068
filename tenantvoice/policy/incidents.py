"""Permissions of leaving and of the confidentiality incident register (issue 15, Q-08).

- Any signed-in person may delete their own account, and only their own (no one deletes it for
  them: the route acts on the session's account alone) — but a platform administrator, who first
  hands the role to someone else (an installation must not lose its last administrator).
- The incident register and its alerts: the platform administrator only.
- The small-cell watch counts the views of the housing office's direction only.
"""

from tenantvoice.accounts.models import StaffRole
from tenantvoice.policy.core import is_admin, staff_roles

__all__ = ["can_delete_own_account", "can_manage_incidents", "watched_for_small_cells"]


def can_delete_own_account(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and not is_admin(user)


def can_manage_incidents(user) -> bool:
    return is_admin(user)


def watched_for_small_cells(user) -> bool:
    """The direction's views of suppressed cells are counted (an attempt to single someone out)."""
    return bool(getattr(user, "is_authenticated", False)) and StaffRole.DIRECTION in staff_roles(
        user
    )
