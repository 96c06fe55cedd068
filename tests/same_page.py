"""Compare two answers for what they tell, not for what changes on every request.

The no-enumeration tests ask: would an attacker learn anything by comparing the page for a known
account with the page for an unknown one? Typed values differ by design, and CSRF tokens are signed
with the time, so two answers a second apart differ there too (a CI run failed on exactly that).
"""

import html
import re

_TYPED_VALUE = re.compile(r'value="[^"]*"')
# itsdangerous' signed token: payload.timestamp.signature (the meta tag and the hidden fields).
_SIGNED_TOKEN = re.compile(r"[\w-]{20,}\.[\w-]{4,}\.[\w-]{20,}")


def without_tokens(text: str) -> str:
    return _SIGNED_TOKEN.sub("TOKEN", text)


def page_told(response) -> str:
    return without_tokens(_TYPED_VALUE.sub("", html.unescape(response.text)))
