"""Provenance is the product: every curated row points at a seed line that really states it,
and every raw file is the byte-identical snapshot its data-package record describes."""

import hashlib
import re
from pathlib import Path

import pandas as pd
import pytest

from helpers import data
from helpers.analysis import sources
from helpers.data import paths

CURATED = ["documents", "events", "deals", "claims", "statements"]
SCALES = {"billion": 10**9, "bn": 10**9, "million": 10**6, "mn": 10**6, "thousand": 10**3}
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]


def located_rows():
    for table in CURATED:
        frame = data.load(table)
        key = sources.CURATED[table]
        for _, row in frame.iterrows():
            yield pytest.param(table, row, id=f"{table}:{row[key]}")


@pytest.mark.parametrize("table,row", list(located_rows()))
def test_locator_points_at_a_line_that_states_it(table, row):
    line = sources.passage(row["source"], row["source_line"]).text
    assert row["quote"] in line, f"quote not on seeds/{row['source']}:{row['source_line']}"
    for column in ("value_as_written", "quantity_as_written", "date_as_written", "name_as_written"):
        if column in row and isinstance(row[column], str):
            assert row[column] in row["quote"], f"{column} {row[column]!r} is not in the quote"
    for number, written in (("value", "value_as_written"), ("quantity", "quantity_as_written")):
        if number in row and pd.notna(row[number]):
            stated = sources.stated_numbers(row[written])
            assert row[number] in stated, f"{number} {row[number]} is not what {row[written]!r} states"
    if "multiplier" in row and pd.notna(row["value"]):
        words = re.findall(r"[a-z]+", row["value_as_written"].lower())
        scale = next((SCALES[w] for w in words if w in SCALES), 1)
        assert row["multiplier"] == scale, f"multiplier {row['multiplier']} vs {row['value_as_written']!r}"
    if "date" in row and isinstance(row["date"], str) and row["date_basis"] == "stated":
        year, *rest = row["date"].split("-")
        written = row["date_as_written"]
        if re.search(r"\d{4}", written):
            assert year in written, f"date {row['date']} vs {written!r}"
        if len(rest) >= 1 and not re.search(r"\d{4}", written) and any(m in written for m in MONTHS):
            assert MONTHS[int(rest[0]) - 1] in written, f"month of {row['date']} vs {written!r}"


def test_disagreements_quote_both_sides():
    for _, row in data.load("disagreements").iterrows():
        for side in ("a", "b"):
            line = sources.passage(row[f"document_{side}"], row[f"line_{side}"]).text
            assert row[f"as_written_{side}"] in line, (row["disagreement_id"], side)
        assert row["document_a"] != row["document_b"] or row["line_a"] != row["line_b"]


def test_every_seed_is_described_and_byte_identical():
    docs = set(data.load("documents")["document_id"])
    assert docs == set(sources.documents())
    sums = dict(line.split()[::-1] for line in (paths.SEEDS / "SHA256SUMS").read_text().splitlines())
    for name in sources.documents():
        assert hashlib.sha256((paths.SEEDS / name).read_bytes()).hexdigest() == sums[name]
    shared = paths.ROOT.parent / "shared" / "seeds"
    if shared.is_dir():  # the staging area sits beside the clone in CI and on dev machines
        for name in sources.documents():
            assert (shared / name).read_bytes() == (paths.SEEDS / name).read_bytes()


def test_every_seed_contributes_facts():
    located = sources.statements_by_fact()
    assert set(located["source"]) == set(sources.documents())


def raw_resources():
    return [pytest.param(r, id=r["path"]) for r in data.package()["resources"]
            if r["path"].startswith("raw/")]


@pytest.mark.parametrize("res", raw_resources())
def test_raw_file_matches_its_recorded_hash_and_provenance(res):
    body = (paths.DATA / res["path"]).read_bytes()
    algorithm, digest = res["hash"].split(":")
    assert hashlib.new(algorithm, body).hexdigest() == digest
    assert res["bytes"] == len(body)
    assert res["licenses"] and all(lic.get("title") or lic.get("name") for lic in res["licenses"])
    assert res["sources"] and res["c5:foundIn"]


def test_raw_snapshots_cover_the_staging_checksums():
    listed = (paths.RAW / "SHA256SUMS").read_text().split("\n")
    for line in filter(None, listed):
        digest, name = line.split()
        assert hashlib.sha256((paths.RAW / Path(name)).read_bytes()).hexdigest() == digest


def test_licences_recorded_as_the_staging_notes_state_them():
    res = {r["path"]: r for r in data.package()["resources"]}
    assert res["raw/uzstat/exports_by_country_sdmx_1105.csv"]["licenses"][0]["name"] == "not-stated"
    assert "WTO" in res["raw/wto/imports_by_partner_totals.csv"]["licenses"][0]["title"]
