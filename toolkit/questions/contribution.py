"""``contribution``: add organisations and relations from one's own practice to the map."""

from __future__ import annotations

import re
import secrets
from typing import Annotated, Literal

from markupsafe import Markup
from pydantic import Field

from .base import AnswerError, QuestionType
from .parts import QuestionBase
from .typed_text import clean_text

__all__ = [
    "clean_organisation",
    "clean_relation",
    "NAME_LIMIT",
    "shown_additions",
    "ContributionQuestion",
    "Contribution",
    "OWN_CONTRIBUTIONS",
    "shown_contributions",
]

OWN_CONTRIBUTIONS = "~contributions"  # where a page puts the participant's own additions
_UID = re.compile(r"^[0-9a-f]{32}$")


#: The longest name of an organisation a participant adds.
NAME_LIMIT = 80


def clean_organisation(payload: dict, vocabulary) -> dict:
    """Return a checked organisation contribution ``{id, name, type, sectors}``.

    Examples
    --------
    >>> from toolkit.content.vocabulary import default_vocabulary
    >>> clean_organisation({"id": "c-1", "name": " Coöperatie X ", "type": "cooperative",
    ...                     "sectors": ["po"]}, default_vocabulary())["name"]
    'Coöperatie X'
    """
    name = clean_text(payload.get("name"), NAME_LIMIT)
    org_type = payload.get("type") or "other"
    if org_type not in vocabulary.ids("organisation_types"):
        raise AnswerError("error_choice")
    sectors = payload.get("sectors") or []
    if (
        not isinstance(sectors, list)
        or not all(isinstance(s, str) for s in sectors)
        or not set(sectors) <= set(vocabulary.ids("sectors"))
    ):
        raise AnswerError("error_choice")
    org_id = str(payload.get("id", ""))
    if not org_id.startswith("c-") or len(org_id) > 40:
        raise AnswerError("error_type")
    return {"id": org_id, "name": name, "type": org_type, "sectors": sorted(set(sectors))}


def clean_relation(payload: dict, known_ids: set[str], vocabulary) -> dict:
    """Return a checked relation contribution ``{source, target, relation}``."""
    source, target = payload.get("source"), payload.get("target")
    if not isinstance(source, str) or not isinstance(target, str):
        raise AnswerError("error_choice")
    if source not in known_ids or target not in known_ids:
        raise AnswerError("error_choice")
    if source == target:
        raise AnswerError("error_same_org")
    relation = payload.get("relation") or "related_to"
    if relation not in vocabulary.ids("relation_types"):
        raise AnswerError("error_choice")
    return {"source": source, "target": target, "relation": relation}


class ContributionQuestion(QuestionBase):
    """Add organisations and/or relations to the stakeholder map."""

    type: Literal["contribution"]
    allow: Annotated[list[Literal["organisation", "relation"]], Field(min_length=1)] = [
        "organisation",
        "relation",
    ]
    max_items: int = Field(default=10, ge=1, le=50)


def shown_contributions(exercise_id, question, contributions, view) -> list:
    """The additions others may see: not hidden, approved where approval is needed."""
    return [c for c in contributions if view.text_shown(exercise_id, question, c)]


def organisation_names(content, contributions) -> dict[str, str]:
    """Organisations one can relate: the dataset's, then the session's additions given."""
    names = {row["id"]: row["name"] for row in content.data.organisations}
    names.update(
        {c.payload["id"]: c.payload["name"] for c in contributions if c.kind == "organisation"}
    )
    return names


class Contribution(QuestionType):
    """Stored as map additions (``Store.add_contribution``), not as answers."""

    name = "contribution"
    model = ContributionQuestion
    redraw_form = True
    needs_own = True
    template = """
{% macro form(q, own, ui, x) %}
{% if own %}
<p><b>{{ ui.t('p_your_additions') }}</b></p>
<ul class="own-texts">
  {% for c in own %}
  <li><span class="own-item">{{ x.describe_html(c) }}</span>
    <button type="submit" name="remove" value="{{ c.uid }}" class="button secondary small">
      {{ ui.t('p_remove') }}<span class="visually-hidden">: {{ x.describe(c)[:40] }}</span></button></li>
  {% endfor %}
</ul>
{% endif %}
<input type="hidden" name="uid" value="{{ x.uid }}">
{% if own|length >= q.max_items %}
<p class="hint">{{ ui.t('error_max_items', limit=q.max_items) }}</p>
{% else %}
{% if 'organisation' in q.allow %}
<fieldset class="sub">
  <legend>{{ ui.t('p_contrib_org') }}</legend>
  <label class="field-label" for="o-{{ q.id }}">{{ ui.t('p_name') }}</label>
  <input id="o-{{ q.id }}" name="name" maxlength="80" autocomplete="off">
  <label class="field-label" for="ot-{{ q.id }}">{{ ui.t('p_type') }}</label>
  <select id="ot-{{ q.id }}" name="type">
    {% for id, label in x.types %}<option value="{{ id }}" {% if id == 'other' %}selected{% endif %}>{{ label }}</option>{% endfor %}
  </select>
  <div class="checks">
  {% for s in x.sectors %}<label class="choice small"><input type="checkbox" name="sector" value="{{ s }}"> {{ s }}</label>{% endfor %}
  </div>
  <button type="submit" name="add" value="organisation" class="button">{{ ui.t('p_add') }}</button>
</fieldset>
{% endif %}
{% if 'relation' in q.allow %}
<fieldset class="sub">
  <legend>{{ ui.t('p_contrib_rel') }}</legend>
  {% for field, key in [('source', 'p_from'), ('relation', 'p_relation'), ('target', 'p_to')] %}
  <label class="field-label" for="{{ field }}-{{ q.id }}">{{ ui.t(key) }}</label>
  <select id="{{ field }}-{{ q.id }}" name="{{ field }}">
    {% if field == 'relation' %}
      {% for id, label in x.relations %}<option value="{{ id }}" {% if id == 'collaborates_with' %}selected{% endif %}>{{ label }}</option>{% endfor %}
    {% else %}
      <option value="">{{ ui.t('p_choose') }}</option>
      {% for id, label in x.orgs %}<option value="{{ id }}">{{ label }}</option>{% endfor %}
    {% endif %}
  </select>
  {% endfor %}
  <button type="submit" name="add" value="relation" class="button">{{ ui.t('p_add') }}</button>
</fieldset>
{% endif %}
{% endif %}
{% endmacro %}
"""

    has_result = True

    def own(self, question, own):
        return list(own.get(OWN_CONTRIBUTIONS, ()))

    def answered(self, question, own):
        return bool(own.get(OWN_CONTRIBUTIONS))

    def form_extra(self, exercise, question, group, ui, own=None):
        vocab = ui.content.vocabulary
        # The group's organisations as the last round computed them, and one's own additions
        # at once: an organisation just added can be related before the next round.
        names = dict(group["names"])
        names.update(
            {c.payload["id"]: c.payload["name"] for c in own or () if c.kind == "organisation"}
        )
        return {
            "uid": secrets.token_hex(16),
            "types": [
                (i, vocab.label("organisation_types", i, ui.lang))
                for i in vocab.ids("organisation_types")
            ],
            "sectors": vocab.ids("sectors"),
            "relations": [
                (i, vocab.label("relation_types", i, ui.lang)) for i in vocab.ids("relation_types")
            ],
            "orgs": sorted(names.items(), key=lambda kv: kv[1].casefold()),
            "describe": lambda c: self.describe(c, names, ui),
            "describe_html": lambda c: self.describe_html(c, names, ui),
        }

    def describe(self, contribution, names, ui) -> str:
        """One addition in words: the organisation's name, or 'A supplies B'."""
        p = contribution.payload
        if contribution.kind == "organisation":
            return p.get("name", "")
        relation = ui.content.vocabulary.label("relation_types", p.get("relation", ""), ui.lang)
        return f"{names.get(p.get('source'), '?')} {relation} {names.get(p.get('target'), '?')}"

    def describe_html(self, contribution, names, ui) -> Markup:
        """The same as HTML, each name isolated (``<bdi>``): a direction override in one
        name cannot turn the rest of the sentence around."""
        p = contribution.payload
        if contribution.kind == "organisation":
            return Markup(f"<bdi>{ui.e(p.get('name', ''))}</bdi>")  # noqa: S704 - escaped
        relation = ui.content.vocabulary.label("relation_types", p.get("relation", ""), ui.lang)
        source, target = names.get(p.get("source"), "?"), names.get(p.get("target"), "?")
        return Markup(  # noqa: S704 - built from escaped parts
            f"<bdi>{ui.e(source)}</bdi> {ui.e(relation)} <bdi>{ui.e(target)}</bdi>"
        )

    def change(self, question, form, check, content, names: dict) -> tuple:
        """What a posted form asks for: ``("add", uid, kind, payload)`` or
        ``("remove", uid)``; payloads checked here with the same rules as before."""
        removed = form.get("remove")
        if removed is not None:
            if removed not in {c.uid for c in check.own.get(OWN_CONTRIBUTIONS, ())}:
                raise AnswerError("error_choice")
            return ("remove", removed)
        uid = form.get("uid") or ""
        if not _UID.match(uid):
            raise AnswerError("error_type")
        kind = form.get("add")
        if kind not in question.allow:
            raise AnswerError("error_choice")
        mine = check.own.get(OWN_CONTRIBUTIONS, ())
        if uid not in {c.uid for c in mine} and len(mine) >= question.max_items:
            raise AnswerError("error_max_items", limit=question.max_items)
        vocab = content.vocabulary
        if kind == "organisation":
            payload = clean_organisation(
                {
                    "id": "c-" + uid[:12],
                    "name": form.get("name", ""),
                    "type": form.get("type") or "other",
                    "sectors": form.getall("sector"),
                },
                vocab,
            )
        else:
            payload = clean_relation(
                {
                    "source": form.get("source") or "",
                    "target": form.get("target") or "",
                    "relation": form.get("relation") or "related_to",
                },
                set(names),
                vocab,
            )
        return ("add", uid, kind, payload)

    def aggregate(self, exercise, question, answers, view, content, lang="nl", contributions=()):
        shown = shown_contributions(exercise.id, question, contributions, view)
        names = organisation_names(content, shown)
        return {
            "n": len({c.participant_id for c in contributions}),
            "shown": [
                {
                    "id": c.id,
                    "kind": c.kind,
                    "payload": c.payload,
                    "hidden": c.hidden,
                    "approved": c.approved,
                    **({"pseudonym": c.pseudonym} if view.include_hidden else {}),
                }
                for c in shown
            ],
            "names": sorted(names.items()),
        }

    def columns(self, exercise, question, answers, content, lang="nl"):
        return []  # additions are not answers: the export lists them on a sheet of their own

    def cells(self, exercise, question, own, content, lang="nl"):
        return {}

    def headline(self, exercise, question, group, ui):
        orgs = sum(1 for c in group["shown"] if c["kind"] == "organisation")
        rels = sum(1 for c in group["shown"] if c["kind"] == "relation")
        if not orgs and not rels:
            return ui.t("h_no_additions")
        return ui.t("h_additions", orgs=orgs, rels=rels)

    def kept(self, question, group):
        """The additions others could see (they are part of the map), without who made
        them; the names of only the organisations they refer to."""
        shown = [
            {
                "id": c["id"],
                "kind": c["kind"],
                "payload": c["payload"],
                "hidden": False,
                "approved": c.get("approved", False),
            }
            for c in group["shown"]
        ]
        used = set()
        for c in shown:
            p = c["payload"]
            used.update({p.get("id"), p.get("source"), p.get("target")} - {None})
        names = [[k, v] for k, v in group["names"] if k in used]
        return {"n": group["n"], "shown": shown, "names": names}

    def group_html(self, exercise, question, group, ui):
        if not group["shown"]:
            return ""
        names = dict(group["names"])
        vocab = ui.content.vocabulary
        items = []
        for c in group["shown"]:
            p = c["payload"]
            if c["kind"] == "organisation":
                text = f"<bdi>{ui.e(p['name'])}</bdi>"
            else:
                relation = vocab.label("relation_types", p.get("relation", ""), ui.lang)
                text = (
                    f"<bdi>{ui.e(names.get(p.get('source'), '?'))}</bdi> {ui.e(relation)} "
                    f"<bdi>{ui.e(names.get(p.get('target'), '?'))}</bdi>"
                )
            items.append(f"<li>{text}</li>")
        return f"<h4>{ui.e(ui.t('p_group_additions'))}</h4><ul class='texts'>{''.join(items)}</ul>"


def shown_additions(exercises, contributions, view) -> list:
    """The map additions ``view`` lets through: moderated as the texts of the (first)
    contribution question of ``exercises``, or, when there is none, all but the hidden ones.

    Examples
    --------
    >>> from types import SimpleNamespace as N
    >>> from toolkit.questions import View
    >>> added = [N(hidden=False, approved=True), N(hidden=True, approved=True)]
    >>> len(shown_additions([], added, View()))
    1
    """
    for exercise in exercises:
        for question in exercise.questions:
            if question.type == "contribution":
                return shown_contributions(exercise.id, question, contributions, view)
    return [c for c in contributions if not c.hidden]
