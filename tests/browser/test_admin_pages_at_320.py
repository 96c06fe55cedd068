"""The admin's account list, audit trail and outbox health fit a 320 px screen (WCAG 1.4.10
reflow), in French and English, axe-clean (issue 9: /admin/users overflowed), the header's
"TenantVoice" whole beside the bell and the language switch."""

import pytest

from tenantvoice.accounts.models import StaffRole
from tenantvoice.extensions import db
from tests import factories as f
from tests.browser.conftest import LANGS, log_in, shoot

pytestmark = pytest.mark.browser

NARROW = {
    "viewport": {"width": 320, "height": 640},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}

#: Elements wider than the viewport (their right edge past it), as "tag#id.class" strings.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.width && r.right > width + 1) {
      const cls = typeof el.className === 'string' && el.className
        ? '.' + el.className.split(' ').join('.') : '';
      out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + cls);
    }
  }
  return {scroll: document.documentElement.scrollWidth, width, out: out.slice(0, 10)};
}"""

#: The header's name against the bell and the language switch: not cut off, not overlapped,
#: and every header control still at least 44 px square.
HEADER = """() => {
  const brand = document.querySelector('.site-header .brand');
  const name = brand.querySelector('.brand-name');
  const end = document.querySelector('.site-header .bar-end').getBoundingClientRect();
  const box = name.getBoundingClientRect();
  const small = [];
  for (const el of document.querySelectorAll('.site-header .bar a, .site-header .bar button')) {
    const r = el.getBoundingClientRect();
    if (r.width < 44 || r.height < 44) small.push([el.className || el.tagName, r.width, r.height]);
  }
  return {
    clipped: name.scrollWidth > name.clientWidth + 1 || brand.scrollWidth > brand.clientWidth + 1,
    overlap: box.right > end.left + 0.5,
    small,
  };
}"""


@pytest.fixture
def admin_with_long_accounts(live_app, lang):
    email = f"admin-320-{lang.lower()}@example.org"
    with live_app.app_context():
        from tenantvoice.accounts.models import User

        if db.session.scalar(db.select(User).where(User.email == email)) is not None:
            return email  # made by the first path of this language
        f.make_staff(role=StaffRole.ADMIN, user=f.make_user(name="Ada Admin", email=email))
        f.make_user(
            name="Marie-Christine Bergeron-Lapointe",
            email=f"marie-christine.bergeron-lapointe.{lang.lower()}@cooperative-habitation.qc.ca",
            phone=f"41855501{10 + len(lang)}",
        )
        db.session.commit()
    return email


@pytest.mark.parametrize(
    "path",
    [
        "/admin/users",
        "/admin/audit",
        "/admin/outbox",
        "/admin/staff",
        "/admin/sites",
        "/admin/regions",
    ],
)
def test_admin_pages_fit_320_px(
    browser, live_server, live_world, admin_with_long_accounts, lang, axe, path
):
    ctx = browser.new_context(locale=LANGS[lang][0], **NARROW)
    ctx.set_default_timeout(10_000)
    try:
        page = ctx.new_page()
        log_in(page, live_server.url, admin_with_long_accounts, live_world.password)
        page.goto(live_server.url + path)
        found = page.evaluate(OVERFLOW)
        header = page.evaluate(HEADER)
        shoot(page, "admin" + path.replace("/", "-"), lang)
        assert header == {"clipped": False, "overlap": False, "small": []}, header
        assert found["scroll"] <= found["width"], found
        assert found["out"] == [], found
        axe.check(page)
    finally:
        ctx.close()
    axe.assert_clean()
