"""Minutes pages."""

from flask import Blueprint

bp = Blueprint("minutes", __name__)
