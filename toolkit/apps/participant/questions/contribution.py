"""Add organisations and relations from your own practice to the stakeholder map."""

from __future__ import annotations

import html
import uuid

import ipywidgets as widgets

from ....data import load_default
from ....exercises.answers import AnswerError
from ....exercises.contributions import clean_organisation, clean_relation
from ....i18n import t
from ....store import StoreUnavailable
from ...widgets_util import static_html
from ..context import note_available, note_unavailable
from .base import QuestionView, wide

__all__ = ["ContributionView"]


class ContributionView(QuestionView):
    """Two small forms (organisation, relation) and the list of one's own additions."""

    def build(self):
        lang, vocab = self.lang, load_default().vocabulary
        self.data = load_default()
        self.vocab = vocab
        self.own: list = []
        parts = []
        if "organisation" in self.question.allow:
            self.name = widgets.Text(description=t("p_name", lang), **wide(min_width="16em"))
            self.org_type = widgets.Dropdown(
                options=[
                    (vocab.label("organisation_types", i, lang), i)
                    for i in vocab.ids("organisation_types")
                ],
                value="other",
                description=t("p_type", lang),
                **wide(min_width="14em"),
            )
            self.sectors = {
                s: widgets.Checkbox(
                    value=False, description=s, indent=False, layout=widgets.Layout(width="auto")
                )
                for s in vocab.ids("sectors")
            }
            add_org = widgets.Button(
                description=t("p_add", lang),
                button_style="primary",
                layout=widgets.Layout(width="auto"),
            )
            add_org.on_click(self._add_organisation)
            parts.append(static_html(f"<b>{html.escape(t('p_contrib_org', lang))}</b>"))
            parts.append(
                widgets.HBox(
                    [self.name, self.org_type, *self.sectors.values(), add_org],
                    layout=widgets.Layout(flex_flow="row wrap"),
                )
            )
        if "relation" in self.question.allow:
            self.source = widgets.Dropdown(description=t("p_from", lang), **wide(min_width="14em"))
            self.relation = widgets.Dropdown(
                options=[
                    (vocab.label("relation_types", i, lang), i) for i in vocab.ids("relation_types")
                ],
                value="collaborates_with",
                description=t("p_relation", lang),
                **wide(min_width="14em"),
            )
            self.target = widgets.Dropdown(description=t("p_to", lang), **wide(min_width="14em"))
            add_rel = widgets.Button(
                description=t("p_add", lang),
                button_style="primary",
                layout=widgets.Layout(width="auto"),
            )
            add_rel.on_click(self._add_relation)
            parts.append(static_html(f"<b>{html.escape(t('p_contrib_rel', lang))}</b>"))
            parts.append(
                widgets.HBox(
                    [self.source, self.relation, self.target, add_rel],
                    layout=widgets.Layout(flex_flow="row wrap"),
                )
            )
        self.listing = widgets.VBox()
        parts.append(self.listing)
        return widgets.VBox(parts)

    # --- state ------------------------------------------------------------------------------
    def _session_orgs(self) -> dict[str, str]:
        """Organisations one can relate: the dataset's and those added in this session."""
        names = {row["id"]: row["name"] for row in self.data.organisations}
        for c in self.ctx.store.contributions(self.ctx.session.id):
            if c.kind == "organisation" and (
                not c.hidden or c.participant_id == self.ctx.person.id
            ):
                names[c.payload["id"]] = c.payload["name"]
        return names

    def _refresh_choices(self):
        if "relation" not in self.question.allow:
            return
        names = self._session_orgs()
        options = [(t("p_choose", self.lang), "")] + sorted(
            ((name, oid) for oid, name in names.items()), key=lambda p: p[0].casefold()
        )
        for control in (self.source, self.target):
            value = control.value if control.value in names else ""
            control.options = options
            control.value = value

    def _render(self):
        rows = []
        names = self._session_orgs()
        for c in self.own:
            # <bdi> per name: a direction override in one name cannot turn the line around
            if c["kind"] == "organisation":
                text = f"<bdi>{html.escape(c['payload']['name'])}</bdi>"
            else:
                p = c["payload"]
                relation = self.vocab.label("relation_types", p["relation"], self.lang)
                text = (
                    f"<bdi>{html.escape(names.get(p['source'], '?'))}</bdi> "
                    f"{html.escape(relation)} "
                    f"<bdi>{html.escape(names.get(p['target'], '?'))}</bdi>"
                )
            remove = widgets.Button(
                description=t("p_remove", self.lang), layout=widgets.Layout(width="auto")
            )
            remove.on_click(lambda _b, uid=c["uid"]: self._remove(uid))
            rows.append(
                widgets.HBox(
                    [
                        widgets.HTML(
                            f"<span>{text}</span>",
                            layout=widgets.Layout(flex="1 1 12em", min_width="0"),
                        ),
                        remove,
                    ],
                    layout=widgets.Layout(align_items="center"),
                )
            )
        title = f"<b>{html.escape(t('p_your_additions', self.lang))}</b>" if rows else ""
        self.listing.children = [static_html(title), *rows]

    def load(self, own):
        self.own = [
            {"uid": c.uid, "kind": c.kind, "payload": c.payload}
            for c in self.ctx.store.contributions(
                self.ctx.session.id, participant_id=self.ctx.person.id
            )
        ]
        self._refresh_choices()
        self._render()

    def answered(self, own):
        return bool(self.own)

    # --- actions ----------------------------------------------------------------------------
    def _store(self, kind, payload) -> bool:
        if len(self.own) >= self.question.max_items:
            self.status.show(
                "error", t("error_max_items", self.lang, limit=self.question.max_items)
            )
            return False
        session = self.ctx.refresh_session()
        if session is None or not session.is_open(self.exercise.id):
            self.status.show("error", t("p_exercise_closed", self.lang))
            return False
        uid = uuid.uuid4().hex
        try:
            self.ctx.store.add_contribution(self.ctx.person, uid, kind, payload)
        except StoreUnavailable as exc:
            note_unavailable("map addition not saved", exc)
            self.status.show(
                "error",
                t("p_not_saved", self.lang, reason=t("error_unavailable", self.lang)),
                retry=lambda: self._store(kind, payload),
                retry_label=t("p_retry", self.lang),
            )
            return False
        note_available()
        self.own.append({"uid": uid, "kind": kind, "payload": payload})
        self.status.show("ok", t("p_saved", self.lang))
        self.ctx.saved()
        self._refresh_choices()
        self._render()
        return True

    def _add_organisation(self, _button=None):
        try:
            payload = clean_organisation(
                {
                    "id": "c-" + uuid.uuid4().hex[:12],
                    "name": self.name.value,
                    "type": self.org_type.value,
                    "sectors": [s for s, box in self.sectors.items() if box.value],
                },
                self.vocab,
            )
        except AnswerError as exc:
            self.status.show("error", t(exc.key, self.lang, **exc.values))
            return
        if self._store("organisation", payload):
            self.name.value = ""

    def _add_relation(self, _button=None):
        try:
            payload = clean_relation(
                {
                    "source": self.source.value,
                    "target": self.target.value,
                    "relation": self.relation.value,
                },
                set(self._session_orgs()),
                self.vocab,
            )
        except AnswerError as exc:
            self.status.show("error", t(exc.key, self.lang, **exc.values))
            return
        self._store("relation", payload)

    def _remove(self, uid):
        try:
            self.ctx.store.remove_contribution(self.ctx.person, uid)
        except StoreUnavailable as exc:
            note_unavailable("map addition not removed", exc)
            self.status.show(
                "error", t("p_not_saved", self.lang, reason=t("error_unavailable", self.lang))
            )
            return
        note_available()
        self.own = [c for c in self.own if c["uid"] != uid]
        self.status.show("ok", t("p_saved", self.lang))
        self.ctx.saved()
        self._refresh_choices()
        self._render()
