"""Unit tests for helpers.analysis.engagement: each real-world event once, with all its
documents named by outlet, and both dates where the documents disagree."""

from collections import defaultdict

import pandas as pd
import pytest
from conftest import csv_rows

from helpers.analysis import engagement, sources
from helpers.errors import UnknownValueError

EVENTS = csv_rows("curated/events.csv")
SUMMIT = "c5p1_washington_summit_2025"
FOUNDING = "c5p1_established_2015"


def test_no_event_is_counted_twice():
    t = engagement.engagement_timeline()
    assert t["fact_id"].is_unique
    reported = {r["fact_id"] for r in EVENTS if r["fact_id"] == FOUNDING}
    assert len({r["source"] for r in EVENTS if r["fact_id"] == FOUNDING}) > 1, "several documents"
    assert reported and (t["fact_id"] == FOUNDING).sum() == 1  # the 2015 founding counts once
    counts = engagement.engagement_counts(t).set_index("power")
    assert counts["events"].sum() == len(t)
    assert counts.loc["USA", "events"] == (t["power"] == "USA").sum()
    doubled = engagement.engagement_counts(pd.concat([t, t]))
    assert doubled.equals(counts.reset_index())


def test_timeline_keeps_every_document_by_outlet():
    t = engagement.engagement_timeline().set_index("fact_id")
    names = sources.document_names()
    files = defaultdict(set)
    for r in EVENTS:
        files[r["fact_id"]].add(r["source"])
    for fact_id, row in t.iterrows():
        assert row["sources"] == len(files[fact_id])
        assert row["outlets"] == "; ".join(names[f] for f in sorted(files[fact_id]))
        assert not any(f"{n:03d}" in row["outlets"] for n in range(5))  # no seed numbers


def test_timeline_dates_washington_summit_by_majority_and_shows_the_other_date():
    docs = defaultdict(set)
    for r in EVENTS:
        if r["fact_id"] == SUMMIT and r["date_precision"] == "day":
            docs[r["date"]].add(r["source"])
    t = engagement.engagement_timeline().set_index("fact_id")
    best = max(sorted(docs), key=lambda d: len(docs[d]))
    assert t.loc[SUMMIT, "date"] == best
    for date in docs:
        assert date in t.loc[SUMMIT, "dates_stated"]
    assert t.loc[FOUNDING, "dates_stated"] == ""  # the documents agree


def test_majority_counts_documents_not_rows():
    events = pd.DataFrame([r for r in EVENTS if r["fact_id"] == SUMMIT])
    day = events[events["date_precision"] == "day"]
    minority = day.groupby("date")["source"].nunique().idxmin()
    extra = pd.concat([events] + [day[day["date"] == minority]] * 3, ignore_index=True)
    t = engagement.engagement_timeline(events=extra).set_index("fact_id")
    assert t.loc[SUMMIT, "date"] != minority


def test_date_readings_count_distinct_documents_and_name_outlets():
    readings = engagement.date_readings(SUMMIT).set_index("date")
    names = sources.document_names()
    docs = defaultdict(set)
    for r in EVENTS:
        if r["fact_id"] == SUMMIT and r["date"]:
            docs[r["date"]].add(r["source"])
    assert set(readings.index) == set(docs)
    for date, files in docs.items():
        assert readings.loc[date, "documents"] == len(files)
        assert readings.loc[date, "outlets"] == "; ".join(names[f] for f in sorted(files))
    with pytest.raises(UnknownValueError):
        engagement.date_readings("no_such_event")


def test_occasions_join_events_of_one_power_countries_and_year():
    t = engagement.engagement_timeline()
    founding = t[(t["year"] == 2015) & (t["power"] == "USA") & t["all_five"]]
    assert len(founding) > 1 and founding["occasion"].nunique() == 1
    counts = engagement.engagement_counts(t).set_index("power")
    groups = t.groupby(["power", "countries", "year"]).ngroups
    assert counts["occasions"].sum() == groups


def test_timeline_country_filter_and_counts():
    kaz = engagement.engagement_timeline("KAZ")
    assert kaz["countries"].str.split(";").map(lambda c: "KAZ" in c).all()
    assert "kaz_china_business_council_beijing_sept_2025" in set(kaz["fact_id"])
    assert "kaz_china_business_council_beijing_sept_2025" not in set(
        engagement.engagement_timeline("UZB")["fact_id"])
    counts = engagement.engagement_counts(engagement.engagement_timeline(), "KAZ")
    assert counts["with_country"].sum() == len(kaz)
    with pytest.raises(UnknownValueError):
        engagement.engagement_timeline("Kazakstann Republic of Nowhere")


def test_writers_voice_is_not_an_actors_position():
    rows = csv_rows("curated/statements.csv")
    voice = engagement.writers_voice()
    marked = [engagement.CHARACTERISED in r["position"] for r in rows]
    assert any(marked) and all(v for v, m in zip(voice, marked) if m)
    outlet = [r.get("voice", "actor") != "actor" for r in rows]  # the curators' own marking
    assert any(outlet) and all(v for v, o in zip(voice, outlet) if o)
    assert voice[[r["statement_id"] for r in rows].index("ST022")]  # VOV World's own sentence
    actor = {**rows[0], "voice": "actor", "position": "x"}
    frame = pd.DataFrame([{**actor, "person": "the outlet"}, {**actor, "person": "VOV World"},
                          {**actor, "person": "Marco Rubio"}])
    assert engagement.writers_voice(frame).tolist() == [True, True, False]
    s = engagement.statements_by_theme()
    assert not s["position"].str.contains(engagement.CHARACTERISED).any()
    assert (s["country"] != "international/not stated").all()


def test_events_told_in_one_sentence_are_one_event():
    t = engagement.engagement_timeline()
    assert "c5p1_rare_earth_cooperation_consensus_2025" not in set(t["fact_id"])  # summit outcome
    uzb = t[t["countries"] == "UZB"]
    assert len(uzb) == 1 and uzb["title"].iloc[0].startswith("Mirziyoyev meets Trump")
    # a different year on the same line is a different event (2022 and 2025 Russian summits)
    assert {2022, 2025} <= set(t.loc[t["power"] == "RUS", "year"])
    rows = pd.DataFrame([
        {"fact_id": "meet", "source": "a", "source_line": 1, "countries": "UZB;USA",
         "event_type": "other", "date": "2025-09"},
        {"fact_id": "meet", "source": "b", "source_line": 4, "countries": "UZB;USA",
         "event_type": "other", "date": "2025-09"},
        {"fact_id": "invite", "source": "a", "source_line": 1, "countries": "UZB;USA",
         "event_type": "invitation", "date": "2025-09"}])
    assert set(engagement.fold_same_sentence(rows)["fact_id"]) == {"meet"}


def test_statements_by_theme_one_row_per_fact_and_person():
    s = engagement.statements_by_theme(writers=True)
    pairs = {(r["fact_id"], r["person"]) for r in csv_rows("curated/statements.csv")}
    assert len(s) == len(pairs)
    assert list(s["theme"]) == sorted(s["theme"])
    assert s["outlets"].str.len().gt(0).all()
