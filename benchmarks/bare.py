"""The floor: a bare Flask + Jinja page, served the same way (performance.md)."""

from flask import Flask, render_template_string

app = Flask(__name__)
PAGE = "<!doctype html><html lang=en><title>Bare</title><h1>{{ title }}</h1><p>{{ text }}</p>"


@app.get("/")
def index():
    return render_template_string(PAGE, title="Hello", text="A bare Flask page.")
