"""Short codes people type from paper: invitations, reset codes, recovery codes.

8 characters from a 32-symbol alphabet without look-alikes (40 bits from `secrets`), shown as
``ABCD-EFGH``. Only their keyed digest is stored (``accounts.models.code_digest``). Every code
is read with `canonical_code`, which forgives what people type from paper.
"""

import secrets

#: Crockford-like base32: digits and letters without I, L, O, U (no 0/O, 1/I/L confusion).
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 8


def generate_code() -> str:
    """A fresh code like ``7KQ4-M9XD`` (40 bits from the CSPRNG)."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return format_code(raw)


def format_code(code: str) -> str:
    """``abcdefgh`` or ``ABCD EFGH`` → ``ABCD-EFGH`` (for display and pre-filling)."""
    normalized = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    if len(normalized) != CODE_LENGTH:
        return (code or "").strip().upper()
    return f"{normalized[:4]}-{normalized[4:]}"


#: Letters a code never holds, read as the digit they look like on paper (Crockford's rule):
#: O for 0, I and L for 1.
LOOK_ALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})


def canonical_code(code: str) -> str:
    """The code as it was printed, from what a person typed: lower case, spaces, dashes and the
    look-alike letters O, I, L (never in a code) are forgiven. ``abc0-1xyz`` typed as
    ``abco lxyz`` gives ``ABC0-1XYZ``; anything that cannot be a code comes back as typed."""
    raw = "".join(ch for ch in (code or "").upper() if ch.isalnum()).translate(LOOK_ALIKES)
    if len(raw) != CODE_LENGTH or any(ch not in ALPHABET for ch in raw):
        return format_code(code)
    return format_code(raw)
