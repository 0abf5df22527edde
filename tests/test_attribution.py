"""Who says it: every claims, deals and events row names its asserter, and the seed text proves it.

The proofs read the seed files directly (not the helpers under test):

* a row credited to someone (official, government, company, analyst, other) has a distinctive
  word of that name on the cited line or in the two paragraphs before it (blank lines,
  headings and page furniture -- lines that do not end a sentence -- are skipped, so that
  "it added" in the reworded copy reaches the Department of State above the scraped
  "Recommended stories" box). Where the reworded copy garbles a name (its spinning artefacts,
  e.g. "Financial institution for Improvement"), the proof goes through the name disagreement
  curated for that line: the other document's spelling must carry the distinctive word;
* a row credited to the outlet has no attribution naming someone else in the sentence that
  holds its figure: no "according to" / "in accordance with" / "based on the" anywhere in it,
  no verb of saying (said, told, stated, predicts, ...) before the figure and no speech tag
  ("..., he said") after it, and the figure is not inside quoted words. The check is per sentence, not per line, because a seed line is a
  whole paragraph: 003 line 30 states China's 44 million tons in the outlet's own voice and,
  two sentences later, that "China announced restrictions".
"""

import re

import pandas as pd
import pytest

from helpers import data
from helpers.analysis import attribution
from helpers.data import paths
from helpers.errors import UnknownValueError

TABLES = {"claims": "claim_id", "deals": "deal_id", "events": "event_id"}
#: words of a name too common in the seeds to prove anything on their own
GENERIC = {
    "the", "of", "and", "a", "an", "for", "to", "in", "by", "on", "its", "analyst", "quoted",
    "us", "u.s", "government", "president", "prime", "minister", "secretary", "photo",
    "caption", "credited", "news", "agency", "trade-data", "platform", "central", "asia",
    "kazakhstan", "kazakh", "russia", "china", "australia", "united", "states", "uzbekistan",
}
SCOPED = re.compile(r"according to|in accordance with|based on the|as reported by|reported by",
                    re.IGNORECASE)
VERBS = re.compile(r"\b(said|says|told|stated|stating|wrote|writes|predicts|believes|notes?|"
                   r"emphasi[sz]es|mentioned|advised|reported|explained|defined|claimed|"
                   r"insists|added|announced (?:that|the)|introduced (?:that|the))\b", re.IGNORECASE)
TAG = re.compile(r"[”\"]\s*,?\s*(?:\w+\s+){0,3}(?:said|mentioned|added|wrote)\b|"
                 r"\b(?:said|mentioned)\s+[A-Z]\w+\s*\.?\s*$")
ABBREVIATIONS = ("U.S", "D.C", "Mr", "Dr", "St")


def _lines(source):
    return (paths.SEEDS / source).read_text(encoding="utf-8").splitlines()


def _window(source, line_no):
    """(line number, text) of the cited line and the two paragraphs before it."""
    lines = _lines(source)
    out = [(line_no, lines[line_no - 1])]
    number = line_no - 1
    while number >= 1 and len(out) < 3:
        text = lines[number - 1].strip()
        if re.search(r"[.!?\"”]$", text):
            out.append((number, text))
        number -= 1
    return out


def _distinctive(name):
    words = re.findall(r"[A-Za-z][A-Za-z.’'-]*[A-Za-z]", name.removeprefix(attribution.ANALYST_PREFIX))
    words = [re.sub(r"['’]s$", "", w).lower() for w in words]
    return [w for w in words if w not in GENERIC] or words


def _sentences(line):
    """(start, end) of each sentence of a line; "U.S." and "D.C." do not end one."""
    spans, start = [], 0
    for match in re.finditer(r"[.!?][\"”’]?\s+", line):
        before = line[:match.start()]
        if before.endswith(ABBREVIATIONS):
            continue
        spans.append((start, match.end()))
        start = match.end()
    spans.append((start, len(line)))
    return spans


def _rows():
    for table, key in TABLES.items():
        for _, row in data.load(table).iterrows():
            yield pytest.param(table, row, id=f"{table}:{row[key]}")


ROWS = list(_rows())


def test_every_row_names_its_asserter():
    for table, key in TABLES.items():
        frame = data.load(table)
        assert {"asserted_by", "asserter_kind"} <= set(frame.columns), table
        assert (frame["asserted_by"].str.strip() != "").all(), table
        assert frame["asserter_kind"].isin(attribution.KINDS).all(), table
        outlet = frame["asserter_kind"] == "outlet"
        assert (frame.loc[outlet, "asserted_by"] == "the outlet").all(), table
        analyst = frame["asserter_kind"] == "analyst"
        assert frame.loc[analyst, "asserted_by"].str.startswith(attribution.ANALYST_PREFIX).all()


def test_data_package_describes_the_columns_with_their_enum():
    for table in TABLES:
        fields = {f["name"]: f for f in data.resource(table)["schema"]["fields"]}
        assert fields["asserted_by"]["constraints"]["required"] is True
        assert fields["asserter_kind"]["constraints"]["enum"] == list(attribution.KINDS)


@pytest.mark.parametrize("table,row", [p for p in ROWS if p.values[1]["asserter_kind"] != "outlet"])
def test_named_asserter_is_on_the_line_or_just_before(table, row):
    window = _window(row["source"], int(row["source_line"]))
    words = _distinctive(row["asserted_by"])
    text = " ".join(t for _, t in window).lower()
    if any(w in text for w in words):
        return
    # a garbled name in the reworded copy: the curated name disagreement for that line
    names = data.load("disagreements")
    names = names[names["kind"].isin(["name", "spelling"])]
    for _, d in names.iterrows():
        for here, there in (("b", "a"), ("a", "b")):
            if d[f"document_{here}"] == row["source"] and any(
                    d[f"line_{here}"] == n and d[f"as_written_{here}"] in t for n, t in window):
                if any(w in d[f"as_written_{there}"].lower() for w in words):
                    return
    pytest.fail(f"none of {words} from {row['asserted_by']!r} is on seeds/{row['source']} "
                f"lines {[n for n, _ in window]}")


@pytest.mark.parametrize("table,row", [p for p in ROWS if p.values[1]["asserter_kind"] == "outlet"])
def test_outlet_rows_attribute_nothing_to_someone_else(table, row):
    line = _lines(row["source"])[int(row["source_line"]) - 1]
    start = line.index(row["quote"])
    key = next((row[c] for c in ("value_as_written", "quantity_as_written")
                if c in row and isinstance(row[c], str) and row[c] and row[c] in row["quote"]), "")
    at = start + (row["quote"].index(key) if key else 0)
    end = at + len(key)
    s, e = next((s, e) for s, e in _sentences(line) if s <= at < e)
    sentence = line[s:e]
    for match in SCOPED.finditer(sentence):
        # the row records the cited item itself ("according to the joint statement ...")
        if not 0 <= start - (s + match.end()) <= 20:
            pytest.fail(f"{match.group(0)!r} in the sentence: {sentence!r}")
    assert not VERBS.search(line[s:at]), f"a verb of saying before the figure: {sentence!r}"
    assert not TAG.search(line[end:e]), f"a speech tag after the figure: {sentence!r}"
    before = line[:at]
    after = line[at:]  # a quotation may have lost its opening mark (VOV World's Rubio)
    quoted = (before.count("“") > before.count("”") or before.count('"') % 2 == 1
              or after.count("”") > after.count("“"))
    assert not quoted, f"the figure is inside quoted words: {sentence!r}"


def test_phrases_by_kind():
    assert attribution.phrase("the outlet", "outlet", "VOV World") == "as VOV World reports it"
    assert attribution.phrase("Donald Trump, US President", "official", "Al Jazeera (reworded copy)") == (
        "according to Donald Trump, US President, as reported by Al Jazeera (reworded copy)")
    assert attribution.phrase("an analyst quoted: Shairbek Juraev", "analyst", "VOV World") == (
        "according to Shairbek Juraev, an analyst quoted by VOV World")
    with pytest.raises(UnknownValueError):
        attribution.phrase("someone", "pundit", "VOV World")


def test_according_to_names_the_outlet_in_words_never_the_file():
    said = attribution.according_to("claims", "CL026")
    assert said == ("according to Kazakhstan's Ministry of Industry and Construction, as reported "
                    "by Al Jazeera (machine translation)")
    assert attribution.according_to("events", "EV001") == "as the unsigned commentary reports it"
    for table, key in TABLES.items():
        for phrase in attribution.attributions(data.load(table)):
            assert not re.search(r"\d{3}_|\.txt|_", phrase), phrase
    with pytest.raises(UnknownValueError):
        attribution.according_to("claims", "CL999")
    with pytest.raises(UnknownValueError):
        attribution.according_to("statements", "ST001")


def test_attributions_keep_the_frame_index():
    deals = data.load("deals")
    some = deals[deals["deal_id"].isin(["DL014", "DL016"])].set_index("deal_id")
    out = attribution.attributions(some)
    assert list(out.index) == ["DL014", "DL016"]
    assert out["DL014"].startswith("according to Anthony Albanese, Prime Minister of Australia")
    assert out["DL016"] == "as Al Jazeera (machine translation) reports it"
    with pytest.raises(UnknownValueError):
        attribution.attributions(pd.DataFrame({"source": []}))
