"""Page hooks: how a page shows another domain's content (architecture.md).

A hook is a named blinker signal. A domain connects a handler to it in the app factory
(`connect(app, "meeting_panels", handler)`); the page's view calls
`collect("meeting_panels", meeting=m, user=u)` before rendering and passes the panels to its
template, which renders them in order (`{% for panel in panels %}{% include panel.partial %}`).
A handler runs its queries and returns a `Panel` (the partial and the data it renders) or
None when it has nothing to show. Templates never query: they only render what they are given.

`page_shell` is collected for every full page (a template that extends base.html) just before
it renders, since every view would otherwise have to collect it: the main menu comes this way.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from blinker import Namespace
from flask import Flask, current_app, has_request_context
from flask.signals import before_render_template
from jinja2 import Environment, Template, nodes

_hooks = Namespace()

#: The meeting page: attendance and quorum, minutes (votes and polls next).
meeting_panels = _hooks.signal("meeting_panels")
#: A body's page: its meetings, its minutes (needs next).
body_panels = _hooks.signal("body_panels")
#: The home page: the next meetings (needs and the organizer's cards next).
home_panels = _hooks.signal("home_panels")
#: Every full page's header: the main menu (the notification centre's badge next).
page_shell = _hooks.signal("page_shell")

HOOKS = {s.name: s for s in (meeting_panels, body_panels, home_panels, page_shell)}

Handler = Callable[..., "Panel | None"]


@dataclass(frozen=True)
class Panel:
    """What one domain shows on another's page: the partial and the data it renders."""

    partial: str
    data: Any = None
    extra: dict = field(default_factory=dict)


def connect(app: Flask, name: str, handler: Handler) -> None:
    """Connect `handler` to the hook `name` for this app; panels keep the connection order."""
    HOOKS[name].connect(handler, sender=app, weak=False)
    app.extensions.setdefault("hooks", {}).setdefault(name, []).append(handler)


def collect(name: str, **facts: Any) -> list[Panel]:
    """The panels the handlers of hook `name` give for these facts, in connection order."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    order = app.extensions.get("hooks", {}).get(name, [])
    results = dict(HOOKS[name].send(app, **facts))
    return [results[h] for h in order if results.get(h) is not None]


def _extends_base(env: Environment, name: str | None, cache: dict[str, bool]) -> bool:
    """Whether the template `name` is a full page (it extends base.html, directly or not)."""
    if name is None:
        return False
    if name not in cache:
        cache[name] = False
        if env.loader is not None:
            source = env.loader.get_source(env, name)[0]
            parent = env.parse(source).find(nodes.Extends)
            if parent is not None and isinstance(parent.template, nodes.Const):
                parent_name = parent.template.value
                cache[name] = parent_name == "base.html" or _extends_base(env, parent_name, cache)
    return cache[name]


def register_hooks(app: Flask) -> None:
    """Collect `page_shell` for every full page, before it renders."""
    cache: dict[str, bool] = {}

    def add_shell(sender: Flask, template: Template, context: dict, **_kw: Any) -> None:
        if "shell_panels" in context or not has_request_context():
            return
        if _extends_base(sender.jinja_env, template.name, cache):
            context["shell_panels"] = collect("page_shell", user=context.get("current_user"))

    before_render_template.connect(add_shell, sender=app, weak=False)
