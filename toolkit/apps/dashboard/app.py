"""The facilitator dashboard: join link and QR, live results, pacing, moderation, the map."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime

import ipywidgets as widgets
from markupsafe import escape

from ...exercises.library import exercise_library, session_exercises
from ...i18n import t
from ...questions import shipped_dataset
from ...results.aggregate import aggregate_exercise
from ...results.views import exercise_result_html, results_css
from ...settings import current
from ...store import Store, StoreUnavailable
from ..loop import running_loop

__all__ = ["DashboardApp", "REFRESH_SECONDS", "qr_svg"]

log = logging.getLogger("workshop.dashboard")
REFRESH_SECONDS = 1.0
_MAP = "__map__"
_TEXT_TYPES = ("free_text", "word_cloud", "room_questions")  # texts others may see


def _joined_key(counts: dict) -> str:
    """The text key for the participant count: singular for exactly one participant."""
    return "d_joined_one" if counts.get("joined") == 1 else "d_joined"


def qr_svg(url: str, scale: int = 4) -> str:
    """An inline SVG QR code of ``url`` (segno).

    Examples
    --------
    >>> qr_svg("http://192.168.1.5:8866/?code=ABC123").startswith("<svg")
    True
    """
    import segno

    return segno.make(url, error="m").svg_inline(scale=scale, border=2, dark="#000", light="#fff")


class DashboardApp:
    """Build with ``DashboardApp(code=...)``; display ``app.widget``.

    Examples
    --------
    >>> import tempfile
    >>> store = Store.open(f"sqlite:///{tempfile.mkdtemp()}/w.db")
    >>> session = store.create_session("Demo", exercises=["behoeften"])
    >>> app = DashboardApp(store=store, code=session.code, join_url="http://127.0.0.1:8866/")
    >>> app.select("behoeften"); app.set_open(False)
    >>> store.get_session(session.code).is_open("behoeften")
    False
    """

    def __init__(
        self,
        store: Store | None = None,
        code: str | None = None,
        join_url: str | None = None,
        lang: str = "nl",
    ):
        self.store = store or Store.open()
        code = code or current().session
        self.session = self.store.get_session(code) if code else None
        if self.session is None:
            sessions = self.store.list_sessions()
            self.session = sessions[0] if sessions else None
        self.join_url = join_url or current().join_url
        self.exercises = session_exercises(self.session, exercise_library())
        self.lang = lang
        self.selected = self.exercises[0].id if self.exercises else _MAP
        self._fingerprint = None
        self._task = None
        self._building = False
        self.language = widgets.ToggleButtons(
            options=[("NL", "nl"), ("EN", "en")], value=lang, style={"button_width": "4em"}
        )
        self.large = widgets.ToggleButton(value=False)
        self.big_qr = widgets.ToggleButton(value=False)
        self.header = widgets.HTML(layout=widgets.Layout(width="100%"))
        self.counts = widgets.HTML()
        self.tabs = widgets.ToggleButtons(style={"button_width": "auto"})
        self.is_open = widgets.Checkbox(indent=False, layout=widgets.Layout(width="auto"))
        self.results_visible = widgets.Checkbox(indent=False, layout=widgets.Layout(width="auto"))
        self.free_text_visible = widgets.Checkbox(indent=False, layout=widgets.Layout(width="auto"))
        self.follow = widgets.Checkbox(indent=False, layout=widgets.Layout(width="auto"))
        self.set_current = widgets.Button(layout=widgets.Layout(width="auto"))
        self.set_current.on_click(lambda _b: self.put_room_on(self.selected))
        self.minutes = widgets.BoundedIntText(
            value=5, min=1, max=120, layout=widgets.Layout(width="5.5em")
        )
        self.start_clock = widgets.Button(layout=widgets.Layout(width="auto"))
        self.start_clock.on_click(lambda _b: self.countdown(self.minutes.value))
        self.stop_clock = widgets.Button(layout=widgets.Layout(width="auto"))
        self.stop_clock.on_click(lambda _b: self.countdown(None))
        self.room_line = widgets.HTML()
        self.previous_step = widgets.Button(layout=widgets.Layout(width="auto"))
        self.previous_step.on_click(lambda _b: self.step(-1))
        self.next_step = widgets.Button(button_style="primary", layout=widgets.Layout(width="auto"))
        self.next_step.on_click(lambda _b: self.step(+1))
        self.step_line = widgets.HTML()
        self.stepper = widgets.HBox(
            [self.previous_step, self.step_line, self.next_step],
            layout=widgets.Layout(flex_flow="row wrap", align_items="center"),
        )
        self.route_from = widgets.Dropdown(options=[("—", "")], value="")
        self.route_to = widgets.Dropdown(options=[("—", "")], value="")
        for control in (self.route_from, self.route_to):
            control.observe(lambda _c: self._building or self.refresh(force=True), names="value")
        self.map_on_screen = widgets.Button(layout=widgets.Layout(width="auto"))
        self.map_on_screen.on_click(lambda _b: self.toggle_map_on_screen())
        self.reveal = widgets.Button(layout=widgets.Layout(width="auto"))
        self.reveal.on_click(lambda _b: self.show_results(self.selected))
        self.summary = widgets.HTML()
        self.result = widgets.HTML(layout=widgets.Layout(width="100%"))
        self.moderation = widgets.VBox(layout=widgets.Layout(width="100%"))
        self.map_box = widgets.VBox(layout=widgets.Layout(width="100%"))
        self.updated = widgets.HTML()
        for control, handler in (
            (self.language, self._on_language),
            (self.large, self._on_large),
            (self.big_qr, lambda _c: self._render_header()),
            (self.tabs, self._on_tab),
            (self.is_open, self._on_open),
            (self.results_visible, self._on_visibility),
            (self.free_text_visible, self._on_visibility),
            (self.follow, self._on_follow),
        ):
            control.observe(handler, names="value")
        self.controls = widgets.HBox(
            [self.is_open, self.results_visible, self.free_text_visible],
            layout=widgets.Layout(flex_flow="row wrap"),
        )
        self.room_controls = widgets.HBox(
            [
                self.set_current,
                self.reveal,
                self.follow,
                self.minutes,
                self.start_clock,
                self.stop_clock,
                self.room_line,
            ],
            layout=widgets.Layout(flex_flow="row wrap", align_items="center"),
        )
        self.body = widgets.VBox(
            [
                self.stepper,
                self.room_controls,
                self.controls,
                self.summary,
                self.result,
                self.moderation,
                self.map_box,
            ],
            layout=widgets.Layout(width="100%"),
        )
        self.widget = widgets.VBox(
            [
                widgets.HBox(
                    [self.header, widgets.VBox([self.language, self.large, self.big_qr])],
                    layout=widgets.Layout(
                        width="100%", flex_flow="row nowrap", justify_content="space-between"
                    ),
                ),
                self.counts,
                self.tabs,
                self.body,
                self.updated,
            ],
            layout=widgets.Layout(width="100%", max_width="1800px", margin="0 auto"),
        )
        self.widget.add_class("workshop-dashboard")
        self._relabel()
        self.refresh(force=True)

    # --- labels -------------------------------------------------------------------------
    def _relabel(self) -> None:
        lang = self.lang
        self._building = True
        self.large.description = t("d_large", lang)
        self.big_qr.description = t("d_show_qr", lang)
        self.is_open.description = t("d_exercise_open", lang)
        self.results_visible.description = t("d_results_visible", lang)
        self.free_text_visible.description = t("d_free_text_visible", lang)
        self.follow.description = t("d_follow", lang)
        self.set_current.description = t("d_set_current", lang)
        self.start_clock.description = t("d_countdown_start", lang)
        self.stop_clock.description = t("d_countdown_stop", lang)
        self.previous_step.description = t("d_step_previous", lang)
        self.route_from.description = t("d_route_from", lang)
        self.route_to.description = t("d_route_to", lang)
        self.next_step.description = t("d_step_next", lang)
        self.tabs.options = [(e.title(lang), e.id) for e in self.exercises] + [
            (t("d_map", lang), _MAP)
        ]
        self.tabs.value = self.selected
        self._building = False
        self._render_header()

    def _render_header(self) -> None:
        lang, session = self.lang, self.session
        if session is None:
            self.header.value = f"<h2>{escape(t('d_no_session', lang))}</h2>"
            return
        size = 9 if self.big_qr.value else 3
        qr = qr_svg(self.join_url, scale=size) if self.join_url else ""
        link = escape(self.join_url)
        self.header.value = (
            "<div class='workshop-dash-head' style='display:flex;gap:18px;align-items:center;"
            "flex-wrap:wrap'>"
            f"<div class='workshop-qr'>{qr}</div><div>"
            f"<h2 style='margin:0'>{escape(session.title or t('d_title', lang))}</h2>"
            f"<p style='font-size:1.3em;margin:.2em 0'>{escape(t('d_join', lang))} "
            f"<b class='workshop-join-url'>{link}</b></p>"
            f"<p style='font-size:1.6em;margin:.2em 0'>{escape(t('d_code', lang))}: "
            f"<b class='workshop-code' style='letter-spacing:.12em'>{escape(session.code)}</b></p>"
            f"<p><a class='workshop-presenter' href='presenter' target='_blank' rel='noopener'>"
            f"{escape(t('d_presenter', lang))}</a></p>"
            "</div></div>"
        )

    # --- events -------------------------------------------------------------------------
    def _on_language(self, change) -> None:
        self.lang = change["new"]
        self._relabel()
        self.refresh(force=True)

    def _on_large(self, change) -> None:
        if change["new"]:
            self.widget.add_class("workshop-large")
        else:
            self.widget.remove_class("workshop-large")
        self.refresh(force=True)

    def _on_tab(self, change) -> None:
        if not self._building and change["new"]:
            self.select(change["new"])

    def select(self, exercise_id: str) -> None:
        """Show one exercise (or the map) on the dashboard; a following room goes along."""
        self.selected = exercise_id
        if self.session is not None and self.session.follow and exercise_id != _MAP:
            self.session = self.store.update_room(self.session.id, current=exercise_id)
        if self.tabs.value != exercise_id:
            self._building = True
            self.tabs.value = exercise_id
            self._building = False
        self.refresh(force=True)

    def set_open(self, is_open: bool) -> None:
        """Open or close the selected exercise for participants."""
        session = self.store.session_by_id(self.session.id)
        current = [e for e in session.open_exercises if e != self.selected]
        if is_open:
            current.append(self.selected)
        self.session = self.store.update_session(session.id, open_exercises=current)
        self.refresh(force=True)

    def _on_open(self, change) -> None:
        if not self._building:
            self.set_open(bool(change["new"]))

    def _on_visibility(self, _change) -> None:
        if self._building:
            return
        self.session = self.store.update_session(
            self.session.id,
            results_visible=bool(self.results_visible.value),
            free_text_visible=bool(self.free_text_visible.value),
        )
        self.refresh(force=True)

    def put_room_on(self, exercise_id: str) -> None:
        """Make ``exercise_id`` the room's current exercise (phones that follow go there;
        the presenter view shows it)."""
        if exercise_id == _MAP:
            return
        self.session = self.store.update_room(self.session.id, current=exercise_id)
        self.refresh(force=True)

    def _on_follow(self, change) -> None:
        if self._building:
            return
        self.session = self.store.update_room(self.session.id, follow=bool(change["new"]))
        if change["new"] and self.selected != _MAP:
            self.put_room_on(self.selected)
        self.refresh(force=True)

    def step(self, delta: int) -> None:
        """Move the room to the programme's next (+1) or previous (-1) step: it becomes the
        current exercise, opens, and its time starts."""
        from datetime import UTC

        steps = [s["exercise"] for s in self.session.programme_steps]
        if not steps:
            return
        here = self.session.current_exercise
        index = steps.index(here) + delta if here in steps else 0
        if not 0 <= index < len(steps):
            return
        target = steps[index]
        if not self.session.is_open(target):
            self.session = self.store.update_session(
                self.session.id, open_exercises=[*self.session.open_exercises, target]
            )
        self.session = self.store.update_room(
            self.session.id, current=target, step_started=datetime.now(UTC)
        )
        self.select(target)

    def show_results(self, exercise_id: str) -> None:
        """Show (or hide again) one exercise's group results on the phones and projector."""
        hidden = list(self.session.room.get("hidden_results") or [])
        if exercise_id in hidden:
            hidden.remove(exercise_id)
        else:
            hidden.append(exercise_id)
        self.session = self.store.update_room(self.session.id, hidden_results=hidden)
        self.refresh(force=True)

    def _draw_step(self) -> None:
        """'Stap 2 van 6: title · gepland 15 min · bezig 7:12' (the programme's clock)."""
        from datetime import UTC

        steps = self.session.programme_steps if self.session else []
        self.stepper.layout.display = "" if steps else "none"
        if not steps:
            return
        lang, ids = self.lang, [s["exercise"] for s in steps]
        here = self.session.current_exercise
        index = ids.index(here) if here in ids else -1
        titles = {e.id: e.title(lang) for e in self.exercises}
        if index < 0:
            text = t("d_step_none", lang, n=len(ids))
        else:
            started = self.session.step_started
            elapsed = int((datetime.now(UTC) - started).total_seconds()) if started else 0
            text = t(
                "d_step",
                lang,
                i=index + 1,
                n=len(ids),
                title=titles.get(here, here),
                planned=steps[index].get("minutes") or "–",
                elapsed=f"{elapsed // 60}:{elapsed % 60:02d}",
            )
        self.step_line.value = f"<b style='font-size:1.15em'>{escape(text)}</b>"
        self.previous_step.disabled = index <= 0
        self.next_step.disabled = index >= len(ids) - 1

    def countdown(self, minutes: int | None) -> None:
        """Start a countdown of ``minutes`` on the phones and the projector (None: stop)."""
        from datetime import UTC, timedelta

        ends = datetime.now(UTC) + timedelta(minutes=int(minutes)) if minutes else None
        self.session = self.store.update_room(self.session.id, countdown_ends=ends)
        self.refresh(force=True)

    def set_approval(self, exercise_id: str, question_id: str, needed: bool) -> None:
        """Texts of this question show to others only once approved (or at once)."""
        self.session = self.store.update_room(
            self.session.id, approval={f"{exercise_id}/{question_id}": bool(needed)}
        )
        self.refresh(force=True)

    # --- drawing ------------------------------------------------------------------------
    def refresh(self, force: bool = False) -> None:
        """Redraw when anything changed in the session (or when ``force``)."""
        if self.session is None:
            return
        try:
            fingerprint = self.store.activity(self.session.id)
            if not force and fingerprint == self._fingerprint:
                return
            self._fingerprint = fingerprint
            self.session = self.store.session_by_id(self.session.id) or self.session
            self._draw()
        except StoreUnavailable:
            self._store_down()
            return
        now = datetime.now().strftime("%H:%M:%S")
        self.updated.value = f"<small>{escape(t('d_updated', self.lang, time=now))}</small>"

    def _draw(self) -> None:
        lang, session = self.lang, self.session
        counts = self.store.participant_counts(session.id)
        self.counts.value = (
            f"<p class='workshop-counts' style='font-size:1.3em'><b>"
            f"{escape(t(_joined_key(counts), lang, **counts))}</b></p>"
        )
        self._building = True
        self.results_visible.value = session.results_visible
        self.free_text_visible.value = session.free_text_visible
        self.is_open.value = session.is_open(self.selected)
        self.follow.value = session.follow
        self._building = False
        self._draw_step()
        hidden = self.selected in (session.room.get("hidden_results") or [])
        self.reveal.description = t("d_results_show" if hidden else "d_results_hide", lang)
        self.reveal.button_style = "warning" if hidden else ""
        current = next((e for e in self.exercises if e.id == session.current_exercise), None)
        ends = session.countdown_ends
        self.room_line.value = (
            f"<small>{escape(t('d_room_at', lang, title=current.title(lang) if current else '—'))}"
            + (
                f" · {escape(t('d_countdown_until', lang, time=f'{ends.astimezone():%H:%M}'))}"
                if ends
                else ""
            )
            + "</small>"
        )
        if self.selected == _MAP:
            self.controls.layout.display = "none"
            self.result.value = self.summary.value = ""
            self.moderation.children = []
            self._draw_map()
            return
        self.controls.layout.display = ""
        self.map_box.children = []
        exercise = next(e for e in self.exercises if e.id == self.selected)
        answers = self.store.answers(session.id, exercise=exercise.id)
        people = len({a.participant_id for a in answers})
        key = "d_answers"
        if people == 1:
            key = "d_answers_one" if len(answers) == 1 else "d_answers_one_person"
        self.summary.value = f"<p>{escape(t(key, lang, n=len(answers), people=people))}</p>"
        results = aggregate_exercise(
            exercise, answers, None, lang=lang, include_hidden=False, free_text_visible=True
        )
        self.result.value = f"<style>{results_css()}</style>" + exercise_result_html(
            exercise, results, lang, large=self.large.value, with_own=False
        )
        self._draw_moderation(exercise, answers)

    def _draw_moderation(self, exercise, answers) -> None:
        lang = self.lang
        free = {q.id for q in exercise.questions if q.type in _TEXT_TYPES}
        asking = {q.id for q in exercise.questions if q.type == "room_questions"}
        texts = [
            a for a in answers if a.item.split(":")[0] in free and not a.item.endswith("~votes")
        ]
        additions = []
        if any(q.type == "contribution" for q in exercise.questions):
            additions = self.store.contributions(self.session.id)
        if not free and not additions:
            self.moderation.children = []
            return
        rows = [widgets.HTML(f"<h3>{escape(t('d_moderation', lang))}</h3>")]
        moderated = [
            q for q in exercise.questions if q.type in _TEXT_TYPES or q.type == "contribution"
        ]
        for question in moderated:
            rows.append(self._approval_toggle(exercise, question))
        for answer in texts:
            question_id = answer.item.split(":")[0]
            waiting = self.session.needs_approval(exercise.id, question_id) and not answer.approved
            words = answer.value.get("words")
            rows.append(
                self._moderation_row(
                    ", ".join(words) if words else answer.value.get("text", ""),
                    answer.pseudonym,
                    answer.hidden,
                    lambda hide, a=answer: self.store.set_answer_hidden(
                        self.session.id, a.id, hide
                    ),
                    approve=(
                        (
                            lambda a=answer: self.store.set_answer_approved(
                                self.session.id, a.id, True
                            )
                        )
                        if waiting
                        else None
                    ),
                    answered=(
                        (
                            lambda a=answer: self.store.update_room(
                                self.session.id, answered={a.id: True}
                            )
                        )
                        if question_id in asking
                        and str(answer.id) not in (self.session.room.get("answered") or {})
                        else None
                    ),
                )
            )
        contribution = next((q for q in moderated if q.type == "contribution"), None)
        names = {o["id"]: o["name"] for o in shipped_dataset().organisations}
        names.update(
            {c.payload["id"]: c.payload["name"] for c in additions if c.kind == "organisation"}
        )
        for c in additions:
            label = c.payload.get("name") or (
                f"{names.get(c.payload.get('source'), '?')} → "
                f"{names.get(c.payload.get('target'), '?')}"
            )
            waiting = (
                contribution is not None
                and self.session.needs_approval(exercise.id, contribution.id)
                and not c.approved
            )
            rows.append(
                self._moderation_row(
                    label,
                    c.pseudonym,
                    c.hidden,
                    lambda hide, c=c: self.store.set_contribution_hidden(
                        self.session.id, c.id, hide
                    ),
                    approve=(
                        (
                            lambda c=c: self.store.set_contribution_approved(
                                self.session.id, c.id, True
                            )
                        )
                        if waiting
                        else None
                    ),
                )
            )
        if len(rows) == 1:
            rows.append(widgets.HTML(f"<p>{escape(t('d_nothing_to_moderate', lang))}</p>"))
        self.moderation.children = rows

    def _approval_toggle(self, exercise, question) -> widgets.Widget:
        """'Direct tonen' or 'Na goedkeuring' for one free-text (or map) question."""
        lang = self.lang
        toggle = widgets.ToggleButtons(
            options=[
                (t("d_show_direct", lang), "direct"),
                (t("d_after_approval", lang), "approval"),
            ],
            value="approval" if self.session.needs_approval(exercise.id, question.id) else "direct",
            style={"button_width": "auto"},
        )
        toggle.add_class("workshop-approval")

        def changed(change):
            try:
                self.set_approval(exercise.id, question.id, change["new"] == "approval")
            except StoreUnavailable:
                self._store_down()

        toggle.observe(changed, names="value")
        return widgets.VBox(
            [widgets.HTML(f"<b>{escape(question.prompt(lang))}</b>"), toggle],
            layout=widgets.Layout(margin="0 0 8px 0"),
        )

    def _store_down(self) -> None:
        """Say on the dashboard that the store cannot be reached (nothing was changed)."""
        self.updated.value = f"<p class='workshop-error'>{escape(t('d_store_down', self.lang))}</p>"

    def _moderate(self, action) -> None:
        """Carry out a moderation ``action`` (a store write), then draw the dashboard again;
        an unreachable store is said instead."""
        try:
            action()
        except StoreUnavailable:
            self._store_down()
            return
        self.refresh(force=True)

    def _moderation_row(
        self, text, pseudonym, hidden, set_hidden, approve=None, answered=None
    ) -> widgets.Widget:
        lang = self.lang
        state = f" <i>({escape(t('d_hidden', lang))})</i>" if hidden else ""
        if approve is not None:
            state += f" <i>({escape(t('d_waiting', lang))})</i>"
        style = "text-decoration:line-through;color:#777" if hidden else ""
        # <bdi>: a direction override a participant leaves open stays inside their text
        # (it would otherwise turn the pseudonym after it around).
        label = widgets.HTML(
            f"<bdi style='{style}'>{escape(text)}</bdi> "
            f"<small>— <bdi>{escape(pseudonym)}</bdi></small>{state}",
            layout=widgets.Layout(flex="1 1 20em", min_width="0"),
        )
        toggle = widgets.Button(
            description=t("d_show" if hidden else "d_hide", lang),
            layout=widgets.Layout(width="auto"),
        )
        toggle.add_class("workshop-moderate")

        toggle.on_click(lambda _b: self._moderate(lambda: set_hidden(not hidden)))
        buttons = [toggle]
        if approve is not None:
            accept = widgets.Button(
                description=t("d_approve", lang),
                button_style="success",
                layout=widgets.Layout(width="auto"),
            )
            accept.add_class("workshop-approve")
            accept.on_click(lambda _b: self._moderate(approve))
            buttons.insert(0, accept)
        if answered is not None:
            done = widgets.Button(
                description=t("d_mark_answered", lang), layout=widgets.Layout(width="auto")
            )
            done.add_class("workshop-answered")
            done.on_click(lambda _b: self._moderate(answered))
            buttons.insert(0, done)
        return widgets.HBox(
            [label, *buttons], layout=widgets.Layout(width="100%", align_items="center")
        )

    def _draw_map(self) -> None:
        """The stakeholder map with the additions the room may see (as the phones and the
        projector show it), a route to draw, and a switch to put it on the projector."""
        from ...map.render import map_iframe, render_map
        from ...map.session import session_map
        from ...network.graph import build_graph, shortest_paths
        from ..explorer import vis_js_url_from_env

        lang = self.lang
        data = session_map(self.store, self.session, audience="room", exercises=self.exercises)
        orgs = sum(1 for o in data.organisations if o.get("contributed"))
        rels = sum(1 for r in data.relations if r.get("contributed"))
        graph = build_graph(data)
        route = []
        if self.route_from.value and self.route_to.value:
            paths = shortest_paths(graph, self.route_from.value, self.route_to.value, limit=1)
            route = [step for step, _ in paths[0]] if paths else []
        document = render_map(
            graph,
            lang=lang,
            vis_js_url=vis_js_url_from_env(),
            title=t("d_map", lang),
            route=route,
            projector=self.large.value,
        )
        names = sorted(((o["name"], o["id"]) for o in data.organisations), key=lambda p: p[0])
        for control in (self.route_from, self.route_to):
            if [v for _, v in control.options[1:]] != [v for _, v in names]:
                keep = control.value
                control.options = [(t("p_choose", lang), ""), *names]
                control.value = keep if keep in {v for _, v in names} else ""
        shown = bool(self.session.room.get("show_map"))
        self.map_on_screen.description = t("d_map_off_screen" if shown else "d_map_on_screen", lang)
        no_route = self.route_from.value and self.route_to.value and not route
        self.map_box.children = [
            widgets.HTML(
                f"<p style='font-size:1.2em'><b>"
                f"{escape(t('d_additions', lang, orgs=orgs, rels=rels))}</b></p>"
            ),
            widgets.HBox(
                [self.route_from, self.route_to, self.map_on_screen],
                layout=widgets.Layout(flex_flow="row wrap", align_items="center"),
            ),
            widgets.HTML(f"<p>{escape(t('d_no_route', lang))}</p>" if no_route else ""),
            widgets.HTML(map_iframe(document, "75vh", t("d_map", lang))),
        ]

    def toggle_map_on_screen(self) -> None:
        """Put the map on the presenter view (or take it off again)."""
        shown = bool(self.session.room.get("show_map"))
        self.session = self.store.update_room(self.session.id, show_map=not shown)
        self.refresh(force=True)

    # --- live refresh -------------------------------------------------------------------
    def start(self) -> None:
        """Refresh every second while the kernel lives (in Voila or JupyterLab)."""
        loop = running_loop()
        if self._task is None and loop is not None:
            self._task = loop.create_task(self._loop())

    async def _loop(self) -> None:
        while True:
            await asyncio.sleep(REFRESH_SECONDS)
            try:
                if self.selected != _MAP:
                    self.refresh()
                    self._draw_step()
                else:
                    self._refresh_counts_only()
            except Exception:  # the dashboard must keep refreshing
                log.exception("dashboard refresh failed")

    def _refresh_counts_only(self) -> None:
        fingerprint = self.store.activity(self.session.id)
        if fingerprint != self._fingerprint:
            self._fingerprint = fingerprint
            counts = self.store.participant_counts(self.session.id)
            self.counts.value = (
                f"<p class='workshop-counts' style='font-size:1.3em'><b>"
                f"{escape(t(_joined_key(counts), self.lang, **counts))}</b></p>"
            )
