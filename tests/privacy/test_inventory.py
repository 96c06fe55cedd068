"""The data inventory (Q-06, Q-07): every column of every table has a decision, the published
schema is the inventory's, and the privacy impact assessment lists every table."""

import json

from tenantvoice.config import ROOT
from tenantvoice.extensions import db
from tenantvoice.privacy import export
from tenantvoice.privacy.inventory import BY_NAME, TABLES


def test_every_table_of_the_metadata_is_in_the_inventory(app):
    missing = sorted(set(db.metadata.tables) - set(BY_NAME))
    assert missing == [], f"tables without a privacy decision (privacy/inventory.py): {missing}"


def test_every_column_has_exactly_one_decision(app):
    problems = []
    for name, table in db.metadata.tables.items():
        decided = set(BY_NAME[name].decisions())
        columns = {c.name for c in table.columns}
        if columns - decided:
            problems.append(f"{name}: no decision for {sorted(columns - decided)}")
        if decided - columns:
            problems.append(
                f"{name}: decisions for columns that do not exist {sorted(decided - columns)}"
            )
    assert problems == []


def test_the_inventory_names_no_table_that_does_not_exist(app):
    assert sorted(set(BY_NAME) - set(db.metadata.tables)) == []


def test_an_exported_table_says_whose_rows_are_whose(app):
    for table in export.exported_tables():
        assert table.owner in db.metadata.tables[table.name].c, table.name


def test_secret_ballots_are_never_exported(app):
    assert set(BY_NAME["ballot_box"].decisions().values()) <= {"plain"} | {
        d for d in BY_NAME["ballot_box"].decisions().values() if d.startswith("never")
    }
    assert BY_NAME["ballot_box"].section is None
    assert BY_NAME["ballot_roll"].section is None
    assert not BY_NAME["ballot_box"].exported
    assert not BY_NAME["ballot_roll"].exported


def test_interventions_are_never_exported(app):
    assert not BY_NAME["need_events"].exported
    assert not BY_NAME["need_forwards"].exported


def test_the_published_schema_is_the_inventorys(app):
    kept = json.loads((ROOT / export.SCHEMA_PATH).read_text(encoding="utf-8"))
    assert kept == export.schema(), (
        "docs/privacy/export.schema.json is out of date: write export.schema() to it"
    )


def test_the_schema_is_served_at_its_stable_address(client):
    response = client.get("/privacy/export.schema.json")
    assert response.status_code == 200
    assert response.json == export.schema()


def test_the_impact_assessment_lists_every_table_of_the_inventory():
    pia = (ROOT / "docs" / "privacy" / "pia.md").read_text(encoding="utf-8")
    missing = [t.name for t in TABLES if f"`{t.name}`" not in pia]
    assert missing == [], f"docs/privacy/pia.md does not list {missing}"


def test_the_impact_assessment_names_the_current_policy_version(app):
    pia = (ROOT / "docs" / "privacy" / "pia.md").read_text(encoding="utf-8")
    assert app.config["PRIVACY_POLICY_VERSION"] in pia
