"""Meetings, summits, visits and positions: the outside powers' engagement with Central Asia.

One row per real-world event: the curated ``events`` table has one row per document that
mentions an event, and rows about the same event share a ``fact_id``. Every function here
groups by ``fact_id`` first, so an event reported by five documents counts once, and keeps
all its documents, named by outlet (:func:`helpers.analysis.sources.document_names`). Where
the documents date an event differently, both dates are kept (:func:`date_readings`).
"""

import pandas as pd

from .. import data
from ..data import countries
from ..data.loader import memo
from ..errors import UnknownValueError
from . import sources
from .sources import outlets

POWERS = countries.POWERS
#: event types that count as engagement (statements and photo captions do not)
ENGAGEMENT_TYPES = ("summit", "ministerial_meeting", "format_change", "visit", "invitation",
                    "agreement", "accession", "other")
_PRECISION = {"day": 3, "month": 2, "year": 1, "unknown": 0}


def date_readings(fact_id, *, events=None):
    """How the documents date one event: each date stated, with the documents that state it.

    Counts distinct documents (``source``), not rows, so a document that repeats a date is
    counted once.

    Returns
    -------
    pandas.DataFrame
        ``date, date_precision, documents, outlets`` (``outlets`` names the documents, see
        :func:`outlets`), most precise first, then most documents, then date.

    >>> r = date_readings("c5p1_washington_summit_2025")
    >>> r[["date", "documents"]].values.tolist()[:2]
    [['2025-11-06', 3], ['2025-11-05', 1]]
    """
    table = data.load("events") if events is None else events
    rows = table[(table["fact_id"] == fact_id) & table["date"].notna()]
    if rows.empty:
        raise UnknownValueError("dated event fact_id", fact_id,
                                sorted(table.loc[table["date"].notna(), "fact_id"].unique()))
    out = rows.groupby(["date", "date_precision"], as_index=False).agg(
        documents=("source", "nunique"), outlets=("source", outlets))
    out["_rank"] = out["date_precision"].map(_PRECISION)
    return out.sort_values(["_rank", "documents", "date"], ascending=[False, False, True],
                           ignore_index=True).drop(columns="_rank")


def _compatible(a, b):
    """True when two ``YYYY[-MM[-DD]]`` dates can name the same day (one is a prefix)."""
    return a.startswith(b) or b.startswith(a)


@memo  # same data, same result: a reused kernel computes it once (data.loader.memo)
def engagement_timeline(country=None, *, since=2015, events=None):
    """Dated meetings, summits and visits between one outside power and Central Asia.

    One row per real-world event (``fact_id``) however many documents report it. Where
    documents date it differently, the most precise date stated by the most distinct
    documents is kept (ties go to the earliest date), and ``dates_stated`` lists every date
    that contradicts it next to the kept one, with the outlets stating each (empty when the
    documents agree; a year-only date does not contradict a day in that year).

    ``country`` (optional: ISO3 code, name or alias of one of the five) keeps only the events
    it takes part in; ``since`` is the first year kept; ``events`` the curated table.

    Returns
    -------
    pandas.DataFrame
        ``date, year, date_precision, power, event_type, title, countries, all_five, sources,
        outlets, dates_stated, fact_id, occasion`` sorted by date, power, fact_id. ``all_five``
        is True when every Central Asian country takes part; ``sources`` counts the documents,
        ``outlets`` names them; ``occasion`` is the title of the occasion the event belongs to
        (:func:`_occasions`: the 2015 founding, the Samarkand ministerial and Kerry's tour of
        the five are one occasion).

    >>> t = engagement_timeline()
    >>> t.loc[t["fact_id"] == "c5p1_washington_summit_2025", ["date", "sources"]].values.tolist()
    [['2025-11-06', 5]]
    >>> sorted(engagement_timeline()["power"].unique())
    ['CHN', 'RUS', 'USA']
    """
    table = data.load("events") if events is None else events
    table = fold_same_sentence(table[table["event_type"].isin(ENGAGEMENT_TYPES)])
    rows = []
    for fact_id, group in table.groupby("fact_id", sort=True):
        codes = countries.split_codes(";".join(group["countries"].dropna()))
        powers = [p for p in POWERS if p in codes]
        c5 = [c for c in countries.C5 if c in codes]
        dated = group[group["date"].notna()]
        if len(powers) != 1 or not c5 or dated.empty:
            continue
        readings = date_readings(fact_id, events=group)
        date = readings.iloc[0]["date"]
        others = readings[~readings["date"].map(lambda d: _compatible(d, date))]
        stated = "" if others.empty else "; ".join(
            f"{r.date} ({r.outlets})" for r in readings[readings["date"].map(
                lambda d: d == date or not _compatible(d, date))].itertuples())
        first = group[group["date"] == date].sort_values(["source", "source_line"]).iloc[0]
        rows.append({
            "date": date, "year": int(date[:4]), "date_precision": first["date_precision"],
            "power": powers[0], "event_type": first["event_type"], "title": first["title"],
            "countries": ";".join(c5), "all_five": set(c5) == set(countries.C5),
            "sources": int(group["source"].nunique()), "outlets": outlets(group["source"]),
            "dates_stated": stated, "fact_id": fact_id,
        })
    out = pd.DataFrame(rows)
    out = out[out["year"] >= since]
    out["occasion"] = _occasions(out)
    if country is not None:
        country = countries.focus(country)
        out = out[out["countries"].map(lambda s: country in s.split(";"))]
    return out.sort_values(["date", "power", "fact_id"], ignore_index=True)


#: which of several events told in one sentence is kept: the meeting over its outcome
_TYPE_RANK = {t: i for i, t in enumerate(("summit", "ministerial_meeting", "visit",
                                          "format_change", "other", "invitation", "agreement",
                                          "accession"))}


def fold_same_sentence(events):
    """Events told only in a sentence that also tells another event are one event.

    Some documents tell a meeting and what happened at it in one sentence (the 2025 summit and
    the rare-earth "consensus" reached there; Mirziyoyev meeting Trump at the UN and inviting
    him to Samarkand). When every (document, line) of a ``fact_id`` also carries another
    ``fact_id`` with the same countries and dates that can name the same time, the first is
    folded into the second: its rows take the second's ``fact_id``. The event kept is the one reported by more documents, then the one
    of the higher :data:`_TYPE_RANK` (a summit before an agreement reached at it).

    >>> t = engagement_timeline()
    >>> "c5p1_rare_earth_cooperation_consensus_2025" in set(t["fact_id"])
    False
    """
    events = events.copy()
    lines = {f: set(zip(g["source"], g["source_line"])) for f, g in events.groupby("fact_id")}
    who = {f: frozenset(countries.split_codes(";".join(g["countries"].dropna())))
           for f, g in events.groupby("fact_id")}
    rank = {f: (-len({s for s, _ in lines[f]}),
                min(_TYPE_RANK.get(t, len(_TYPE_RANK)) for t in g["event_type"]), f)
            for f, g in events.groupby("fact_id")}
    dates = {f: set(g["date"].dropna().astype(str)) for f, g in events.groupby("fact_id")}

    def same_time(a, b):
        return all(_compatible(x, y) for x in dates[a] for y in dates[b])

    into = {}
    for fact in sorted(lines, key=rank.get, reverse=True):  # the weakest first
        hosts = [h for h in lines if h != fact and h not in into and who[h] == who[fact]
                 and lines[fact] <= lines[h] and rank[h] < rank[fact] and same_time(fact, h)]
        if hosts:
            into[fact] = min(hosts, key=rank.get)
    events["fact_id"] = events["fact_id"].map(lambda f: into.get(f, f))
    return events


def _occasions(timeline):
    """The occasion of each event: events of one power with the same Central Asian countries in
    the same year are parts of one occasion (the founding of the C5+1 in 2015, the Washington
    summit week in 2025), named by the title of its best-attested event (most documents, then
    most precise date, then earliest)."""
    if timeline.empty:
        return pd.Series(dtype="object", index=timeline.index)
    ranked = timeline.assign(_p=timeline["date_precision"].map(_PRECISION)).sort_values(
        ["sources", "_p", "date"], ascending=[False, False, True])
    keys = ["power", "countries", "year"]
    names = ranked.groupby(keys)["title"].first()
    return timeline.apply(lambda r: names[tuple(r[k] for k in keys)], axis=1)


def engagement_counts(timeline, country=None):
    """Events and occasions per power in a :func:`engagement_timeline` frame, each once.

    Returns
    -------
    pandas.DataFrame
        ``power, events, occasions, with_country, region_wide``: events per power (distinct
        ``fact_id``), occasions (distinct ``occasion``), how many events ``country`` takes
        part in (all of them when ``country`` is None) and how many involve all five; one
        row per power, in :data:`POWERS` order.

    >>> c = engagement_counts(engagement_timeline()).set_index("power")
    >>> c["events"].to_dict(), c["occasions"].to_dict()
    ({'USA': 7, 'CHN': 1, 'RUS': 2}, {'USA': 4, 'CHN': 1, 'RUS': 2})
    """
    events = timeline.drop_duplicates("fact_id")
    mine = (events["countries"].map(lambda s: countries.focus(country) in s.split(";"))
            if country is not None else pd.Series(True, index=events.index))
    rows = [{"power": p, "events": int((events["power"] == p).sum()),
             "occasions": int(events.loc[events["power"] == p, "occasion"].nunique()),
             "with_country": int(((events["power"] == p) & mine).sum()),
             "region_wide": int(((events["power"] == p) & events["all_five"]).sum())}
            for p in POWERS]
    return pd.DataFrame(rows)


#: words that mark a position as a writer's characterisation of an actor, not the actor's own
CHARACTERISED = "characterised by the commentator"
#: ``person``/``asserter_kind`` values that name a writer rather than an actor
_WRITER_WORDS = ("the outlet", "outlet", "commentator", "the commentator", "author")


def writers_voice(statements=None):
    """True for each statement that is the writer's own voice, not an actor's position.

    A statement is the writer's when its ``voice`` (if the table has one) is not ``actor``,
    when its position is marked as the commentator's characterisation (:data:`CHARACTERISED`),
    when its ``person`` or ``asserter_kind`` (if the table has one) names a writer ("the
    outlet", "commentator"), or when ``person`` is the
    name of a document (its outlet). These are excluded from counts of who says what.

    >>> v = writers_voice()
    >>> bool(v[data.load("statements")["statement_id"].isin(["ST002", "ST022", "ST024"])].all())
    True
    """
    table = data.load("statements") if statements is None else statements
    outlets_named = {n.lower() for n in sources.document_names().values()}
    writers = set(_WRITER_WORDS) | outlets_named
    person = table["person"].fillna("").str.strip().str.lower()
    marked = table["position"].fillna("").str.contains(CHARACTERISED, case=False, regex=False)
    kind = (table["asserter_kind"].fillna("").str.strip().str.lower().isin(writers)
            if "asserter_kind" in table else False)
    voice = (table["voice"].fillna("actor").str.strip().str.lower() != "actor"
             if "voice" in table else False)
    return marked | person.isin(writers) | kind | voice


def statements_by_theme(statements=None, *, writers=False):
    """Who takes which position, one row per statement fact and person, grouped by theme.

    Statements in the writer's own voice (:func:`writers_voice`: an outlet's sentences, a
    commentator's characterisation of an actor) are left out unless ``writers`` is True.

    Returns
    -------
    pandas.DataFrame
        ``theme, person, organisation, country, position, sources, outlets`` sorted by theme,
        person, position. ``country`` is the actor's affiliation (empty when the documents
        name none); ``sources`` counts the documents stating it, ``outlets`` names them.

    >>> s = statements_by_theme()
    >>> int((s["person"] == "Shairbek Juraev").sum())
    3
    """
    table = data.load("statements") if statements is None else statements
    if not writers:
        table = table[~writers_voice(table)]
    rows = []
    for _, group in table.groupby(["fact_id", "person"], sort=True):
        first = group.sort_values(["source", "source_line"]).iloc[0]
        rows.append({"theme": first["theme"], "person": first["person"],
                     "organisation": first["organisation"],
                     "country": first["country"] if pd.notna(first["country"]) else "",
                     "position": first["position"], "sources": int(group["source"].nunique()),
                     "outlets": outlets(group["source"])})
    return pd.DataFrame(rows).sort_values(["theme", "person", "position"], ignore_index=True)
