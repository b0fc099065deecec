"""The shipped content read as a Dutch school board reads it: organisations, flows and texts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from toolkit.content.dataset import load_default
from toolkit.content.flows import load_flows
from toolkit.exercises.loader import load_exercises
from toolkit.exercises.spec import Text
from toolkit.i18n.dashboard import DASHBOARD
from toolkit.i18n.explorer import EXPLORER
from toolkit.i18n.map import MAP
from toolkit.i18n.network import (
    METRIC_TEXTS,
    NETWORK,
    PROFILE_AMOUNTS,
    PROFILE_BROKER,
    PROFILE_LEVELS,
    PROFILE_SENTENCES,
)
from toolkit.i18n.participant import PARTICIPANT
from toolkit.i18n.report import REPORT

ROOT = Path(__file__).resolve().parents[2]
EXERCISES = ROOT / "datasets" / "exercises"

# Names of national organisations, services and frameworks an exercise may mention in its
# texts, with the dataset id they stand for. A name that appears in an exercise must be on the
# stakeholder map, so that the map and the exercises tell the same story.
NAMED = {
    "Kennisnet": "kennisnet",
    "SIVON": "sivon",
    "SURF": "surf",
    "DUO": "duo",
    "PO-Raad": "po-raad",
    "VO-raad": "vo-raad",
    "MBO Raad": "mbo-raad",
    "Edu-K": "edu-k",
    "Edu-V": "edu-v",
    "Inspectie": "inspectie",
    "inspectie": "inspectie",
    "Autoriteit Persoonsgegevens": "ap",
    "Nummervoorziening": "nummervoorziening",
    "Entree Federatie": "entree-federatie",
    "Basispoort": "basispoort",
    "OSO": "oso",
    "OSR": "osr",
    "FORA": "fora",
    "Privacyconvenant": "privacyconvenant",
    "Normenkader IBP": "normenkader-ibp",
    "ECK iD": "eck-id",
    "Netwerk Informatiemanagement po/vo": "netwerk-im-povo",
    "Dienst Verwerkersovereenkomsten": "dienst-verwerkersovereenkomsten",
    "UWLR": "uwlr",
    "EDEXML": "edexml",
    "Cito": "cito",
    "Magister": "magister",
    "ParnasSys": "parnassys",
    "Somtoday": "somtoday",
    "Parro": "parro",
    "Social Schools": "social-schools",
    "School-CERT": "school-cert",
    "SURFcert": "surfcert",
}

# English words that slipped into Dutch texts before (or easily do): whole words, any case.
ENGLISH_SLIPS = (
    "Summary",
    "What's next",
    "Results",
    "Overview",
    "Key players",
    "Keep satisfied",
    "Keep informed",
    "Manage closely",
    "Welcome",
    "Please",
    "Submit",
    "Save",
    "Saved",
    "Saving",
    "Loading",
    "Settings",
    "Cancel",
    "Try again",
    "Remove",
    "Delete",
    "Hide",
    "Show",
    "Search",
    "Next",
    "Previous",
    "Professional development",
)
SLIP = re.compile(
    r"(?<![\w'])(" + "|".join(re.escape(w) for w in ENGLISH_SLIPS) + r")(?![\w'])", re.IGNORECASE
)


def _texts(node) -> list[Text]:
    if isinstance(node, Text):
        return [node]
    if hasattr(type(node), "model_fields"):
        return [t for name in type(node).model_fields for t in _texts(getattr(node, name))]
    if isinstance(node, list | tuple):
        return [t for item in node for t in _texts(item)]
    return []


@pytest.fixture(scope="module")
def dataset():
    return load_default()


@pytest.fixture(scope="module")
def exercises():
    return load_exercises()


def dutch_texts(exercises, dataset) -> list[tuple[str, str]]:
    """Every Dutch text a participant or facilitator can see, as (where, text)."""
    found = []
    for table_name, table in (
        ("participant", PARTICIPANT),
        ("dashboard", DASHBOARD),
        ("explorer", EXPLORER),
        ("report", REPORT),
        ("map", MAP),
        ("network", NETWORK),
    ):
        found += [(f"texts.{table_name}.{key}", entry["nl"]) for key, entry in table.items()]
    for metric, texts in METRIC_TEXTS.items():
        found += [(f"metrics.{metric}", part) for part in texts["nl"]]
    found += [(f"profiles.{key}", texts["nl"]) for key, texts in PROFILE_SENTENCES.items()]
    for name, words in (("levels", PROFILE_LEVELS), ("amounts", PROFILE_AMOUNTS)):
        found += [(f"profiles.{name}", word) for word in words["nl"]]
    found += [("profiles.broker", phrase) for phrase in PROFILE_BROKER["nl"]]
    for exercise in exercises:
        found += [(f"exercise {exercise.id}", text.nl) for text in _texts(exercise)]
    for flow in load_flows():
        for column in ("name_nl", "data_nl", "description_nl", "legal_basis_nl"):
            found.append((f"flow {flow['id']}.{column}", flow[column]))
    for org in dataset.organisations:
        found.append((f"organisation {org['id']}", org["description_nl"]))
    for kind in ("organisation_types", "relation_types", "sectors", "confidence"):
        for entry_id in dataset.vocabulary.ids(kind):
            found.append(
                (f"vocabulary {kind}.{entry_id}", dataset.vocabulary.label(kind, entry_id))
            )
    return found


# --- organisations named in exercises -----------------------------------------------------


def test_every_grid_organisation_of_every_exercise_file_is_in_the_dataset(dataset):
    """Does every organisation id listed in an exercise file (read as plain YAML) exist?"""
    known = set(dataset.ids())
    listed = []
    for path in sorted(EXERCISES.glob("*.yaml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        for question in spec["questions"]:
            listed += [(path.name, org) for org in question.get("organisations", [])]
    assert listed, "no exercise places organisations on a grid"
    assert [item for item in listed if item[1] not in known] == []


def test_the_map_of_named_organisations_points_at_the_right_rows(dataset):
    """Does each name in NAMED stand for a dataset row whose name or id carries that name?"""
    for name, org_id in NAMED.items():
        row = dataset.organisation(org_id)
        assert name.lower() in (row["name"] + " " + row["id"]).lower(), (name, org_id)


def test_every_organisation_named_in_an_exercise_text_is_in_the_dataset(exercises, dataset):
    """Is every national organisation an exercise names in its texts on the stakeholder map?"""
    known = set(dataset.ids())
    mentioned = set()
    for exercise in exercises:
        for text in _texts(exercise):
            for language_text in (text.nl, text.en):
                for name, org_id in NAMED.items():
                    if re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", language_text):
                        mentioned.add(org_id)
    assert {"inspectie", "ap", "privacyconvenant", "normenkader-ibp", "fora"} <= mentioned
    assert mentioned - known == set()


# --- Dutch means Dutch ----------------------------------------------------------------------


def test_no_dutch_text_contains_an_english_slip(exercises, dataset):
    """Does no Dutch text that people see contain an English word from the list of slips?"""
    slips = [
        (where, m.group(0))
        for where, text in dutch_texts(exercises, dataset)
        for m in [SLIP.search(text)]
        if m
    ]
    assert slips == []


def test_the_report_shows_no_english_headings_in_a_dutch_report():
    """Does the workshop report (shown in the session's language, Dutch by default) keep its
    English notebook prose out of the report and take its visible headings from the texts?"""
    import json

    notebook = json.loads((ROOT / "notebooks" / "02_workshop_report.ipynb").read_text("utf-8"))
    shown = [
        "".join(cell["source"])
        for cell in notebook["cells"]
        if cell["cell_type"] == "markdown"
        and "report-hide" not in cell.get("metadata", {}).get("tags", [])
    ]
    assert [text for text in shown if SLIP.search(text)] == []
    code = "".join("".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code")
    assert "Report(" in code and not re.search(r"display\(Markdown\(['\"]", code)
    sections = (ROOT / "toolkit" / "after" / "report_sections.py").read_text("utf-8")
    keys = set(re.findall(r"""["']((?:rep|r|h|x)_[a-z_]+)["']""", sections))
    assert {"rep_title", "rep_did", "rep_findings", "rep_discussion", "rep_data", "r_map"} <= keys
    for key in keys:  # every text the report shows comes from the texts, in both languages
        entry = {**DASHBOARD, **REPORT}[key]
        assert entry["nl"] and entry["en"], key


def test_the_slip_check_would_catch_a_slip():
    """Would the check find 'Summary' or 'What's next' in a Dutch sentence?"""
    assert SLIP.search("Summary van de groep")
    assert SLIP.search("En nu: what's next?")
    assert not SLIP.search("Samenvatting van de resultaten")


def test_dutch_texts_write_ict_in_lower_case(exercises, dataset):
    """Is 'ict' written in lower case in Dutch texts (except at the start of a sentence)?"""
    upper = [
        (where, text)
        for where, text in dutch_texts(exercises, dataset)
        if re.search(r"(?<![\w-])ICT", text)
    ]
    assert upper == []


# --- flows ----------------------------------------------------------------------------------


def test_every_shipped_flow_names_its_legal_ground_and_source():
    """Does every shipped flow say, in Dutch and English, what legal ground or agreement covers
    it, and cite an https page?"""
    flows = load_flows()
    assert len(flows) >= 16
    for flow in flows:
        assert flow["legal_basis_nl"] and flow["legal_basis_en"], flow["id"]
        assert flow["source_url"].startswith("https://"), flow["id"]


def test_consent_is_not_suggested_where_the_school_authorises():
    """Does no flow speak of 'toestemming' for what a school administrator authorises?"""
    flows = {f["id"]: f for f in load_flows()}
    assert "autoriseert" in flows["basispoort-toetssysteem"]["description_nl"]
    assert "toestemming" not in flows["basispoort-toetssysteem"]["description_nl"]


# --- the IBP exercise -----------------------------------------------------------------------


def test_the_ibp_exercise_scans_normenkader_norms_and_ends_with_the_annual_report(exercises):
    """Does 'IBP op de bestuurstafel' rate norms on levels 1-5 with target 3, cite the
    Normenkader for every norm it uses, and end with the annual-report question?"""
    exercise = next(e for e in exercises if e.id == "ibp-bestuurstafel")
    scales = [q for q in exercise.questions if q.type == "scale"]
    assert len(scales) >= 3
    for question in scales:
        assert [lv.value for lv in question.levels] == [1, 2, 3, 4, 5]
        assert question.target == 3
        code = question.id.split("-")[0] + "-" + question.id.split("-")[1]
        assert any(f"/{code}-" in source for source in exercise.sources), question.id
    assert exercise.questions[-1].id == "jaarverslag"
    assert any(q.type == "free_text" and q.max_items == 3 for q in exercise.questions)


def test_the_ibp_exercise_aggregates_demo_answers(tmp_path, exercises):
    """Do demo answers to 'IBP op de bestuurstafel' aggregate into a radar and counts?"""
    from toolkit.after.demo import fill_demo_session
    from toolkit.results.aggregate import aggregate_exercise
    from toolkit.results.views import exercise_result_html
    from toolkit.store import Store

    store = Store.open(f"sqlite:///{tmp_path}/demo.db")
    session = store.create_session("Demo")
    fill_demo_session(store, session.code, participants=6)
    exercise = next(e for e in exercises if e.id == "ibp-bestuurstafel")
    answers = store.answers(session.id, exercise=exercise.id)
    results = aggregate_exercise(exercise, answers)
    assert results["go-01-strategie"]["n"] == 6
    assert sum(results["horizon-2030"]["counts"].values()) == 6
    html = exercise_result_html(exercise, results, "nl", with_own=False)
    assert "<svg" in html and "Datalekken (GB.02)" in html
