"""The permission matrix harness: hand-written expectations, route × role × scope → status.

A module `tests/matrix/test_matrix_<domain>.py` declares `CASES = [Case(...), ...]` and ends with
`test_matrix = make_matrix_test(CASES)`. Expectations are written by hand from
domain-rules.md §5.2; they are never computed from tenantvoice.policy.

Roles (scopes relative to ADL A, the "own body"):
  anonymous        not logged in
  tenant_a         tenant and member of ADL A              (own body)
  officer_a        secretary of ADL A                       (own body, officer)
  tenant_b         member of ADL B, same provider           (other body, same provider)
  officer_b        secretary of ADL B                       (other body, same provider)
  tenant_c         member of ADL C, provider P2             (other provider)
  officer_c        president of ADL C                       (other provider)
  oc               OC of region R1 (covers P1 and P2)
  oc_other         OC of region R2
  isc              ISC of provider P1
  direction        direction of P1 (the housing office of A)
  direction_other  direction of P2
  admin            platform admin
  outsider         account with no role

`expect` maps role → status; `default` is the status for every role not named. A status is the
final HTTP status code of the request (no redirect following), e.g. 200, 302 (anonymous sent to
login, or success redirect), 403, 404, 422.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

ROLES = [
    "anonymous",
    "tenant_a",
    "officer_a",
    "tenant_b",
    "officer_b",
    "tenant_c",
    "officer_c",
    "oc",
    "oc_other",
    "isc",
    "direction",
    "direction_other",
    "admin",
    "outsider",
]

#: Every case module registers its endpoints here, for the coverage test.
COVERED_ENDPOINTS: set[str] = set()


@dataclass
class Case:
    endpoint: str  #: Flask endpoint name, e.g. "orgs.body"
    method: str  #: GET or POST
    url: Callable  #: world -> URL (may create objects it needs in the world)
    expect: dict = field(default_factory=dict)
    default: int = 403
    data: Callable | dict | None = None  #: form data (or world -> data) for POST
    label: str = ""  #: distinguishes two cases of one endpoint

    def status_for(self, role: str) -> int:
        return self.expect.get(role, self.default)


def _actor(world, role):
    if role == "anonymous":
        return None
    return getattr(world, role)


def _case_id(case: Case, role: str) -> str:
    label = f"[{case.label}]" if case.label else ""
    return f"{case.endpoint}{label}-{case.method}-{role}"


def make_matrix_test(cases: list[Case]):
    COVERED_ENDPOINTS.update(c.endpoint for c in cases)
    params = [pytest.param(case, role, id=_case_id(case, role)) for case in cases for role in ROLES]

    @pytest.mark.shared_app
    @pytest.mark.parametrize(("case", "role"), params)
    def test_matrix(case: Case, role: str, world, client, auth):
        actor = _actor(world, role)
        if actor is not None:
            auth.login(actor)
        url = case.url(world)
        data = case.data(world) if callable(case.data) else case.data
        if case.method == "GET":
            response = client.get(url)
        else:
            response = client.open(url, method=case.method, data=data or {})
        expected = case.status_for(role)
        assert response.status_code == expected, (
            f"{case.method} {url} as {role}: expected {expected}, got {response.status_code}"
        )

    return test_matrix
