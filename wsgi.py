"""WSGI entry point: `flask --app wsgi ...`, `gunicorn wsgi:app`."""

from tenantvoice import create_app

app = create_app()
