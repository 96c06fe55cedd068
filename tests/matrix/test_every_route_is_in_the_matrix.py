"""Every route of the app is in the permission matrix (static files and the public shell aside)."""

import importlib
import pkgutil

import tests.matrix as matrix_pkg
from tests.matrix.harness import COVERED_ENDPOINTS

#: Routes anyone may reach, listed here by hand with the reason.
PUBLIC = {
    "static",  # versioned CSS/JS/icons
}


def test_every_route_is_in_a_matrix(app):
    for info in pkgutil.iter_modules(matrix_pkg.__path__):
        if info.name.startswith("test_matrix_"):
            importlib.import_module(f"tests.matrix.{info.name}")
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    missing = sorted(endpoints - COVERED_ENDPOINTS - PUBLIC)
    assert missing == [], f"routes with no permission-matrix expectations: {missing}"
