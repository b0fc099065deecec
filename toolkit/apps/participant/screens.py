"""The participant app's screens: join, overview, one exercise, the map."""

from __future__ import annotations

import html

import ipywidgets as widgets

from ...i18n import t
from ..widgets_util import static_html
from .context import Context
from .questions import view_for

__all__ = ["JoinScreen", "OverviewScreen", "ExerciseScreen", "MapScreen", "button"]


def button(text: str, primary: bool = False, **layout) -> widgets.Button:
    return widgets.Button(
        description=text,
        button_style="primary" if primary else "",
        layout=widgets.Layout(width="auto", **layout),
    )


def _h(text) -> str:
    return html.escape(str(text), quote=True)


class JoinScreen:
    """Who organises, what is kept, a pseudonym, then join (or type the session code)."""

    def __init__(self, app, code: str = "", session=None, error: str = ""):
        lang = app.lang
        self.app = app
        self.code = widgets.Text(
            value=code,
            description=t("p_code", lang),
            placeholder="ABC123",
            layout=widgets.Layout(width="auto", max_width="100%"),
            style={"description_width": "initial"},
        )
        self.pseudonym = widgets.Text(
            value=app.suggested_pseudonym,
            description=t("p_pseudonym", lang),
            layout=widgets.Layout(width="auto", max_width="100%"),
            style={"description_width": "initial"},
        )
        self.message = static_html(
            f"<p class='workshop-error' role='alert'>{_h(error)}</p>" if error else ""
        )
        parts = [static_html(f"<h2>{_h(t('p_welcome', lang))}</h2>")]
        if session is None:
            find = button(t("p_find", lang), primary=True)
            find.on_click(lambda _b: app.find_session(self.code.value))
            self.code.continuous_update = False  # Enter (or leaving the field) looks it up
            self.code.observe(lambda change: app.find_session(change["new"]), names="value")
            parts += [
                static_html(f"<p>{_h(t('p_code_help', lang))}</p>"),
                self.code,
                find,
                self.message,
            ]
        else:
            title = f"<h3>{_h(session.title)}</h3>" if session.title else ""
            organiser = (
                f"<p><b>{_h(t('p_organiser', lang))}:</b> {_h(session.organiser)}</p>"
                if session.organiser
                else ""
            )
            start = button(t("p_start", lang), primary=True)
            start.add_class("workshop-join")
            start.on_click(lambda _b: app.join(session.code, self.pseudonym.value))
            parts += [
                static_html(
                    f"{title}<p>{_h(t('p_purpose', lang))}</p>{organiser}"
                    f"<h4>{_h(t('p_privacy_title', lang))}</h4>"
                    f"<p class='workshop-privacy'>{_h(t('p_privacy', lang))}</p>"
                    f"<p><small>{_h(t('p_pseudonym_help', lang))}</small></p>"
                ),
                self.pseudonym,
                start,
                self.message,
            ]
        self.widget = widgets.VBox(parts, layout=widgets.Layout(width="100%"))
        self.widget.add_class("workshop-join-screen")


class OverviewScreen:
    """The exercises with their state and progress, the personal link, the map."""

    def __init__(self, app, ctx: Context):
        lang = app.lang
        own = {}
        for answer in ctx.own_answers():
            own.setdefault(answer.exercise, set()).add(answer.item.split(":")[0])
        cards = []
        for exercise in app.exercises:
            answerable = [q for q in exercise.questions if q.type != "contribution"]
            done = len([q for q in answerable if q.id in own.get(exercise.id, set())])
            is_open = ctx.session.is_open(exercise.id)
            state = "" if is_open else f" · <i>{_h(t('p_closed', lang))}</i>"
            go = button(t("p_open", lang), primary=is_open)
            go.add_class("workshop-open-exercise")
            go.on_click(lambda _b, e=exercise.id: app.show_exercise(e))
            text = widgets.HTML(
                f"<b>{_h(exercise.title(lang))}</b>{state}<br><small>"
                f"{_h(t('p_progress', lang, done=done, total=len(answerable)))}</small>",
                layout=widgets.Layout(flex="1 1 14em", min_width="0"),
            )
            card = widgets.HBox(
                [text, go],
                layout=widgets.Layout(
                    width="100%",
                    align_items="center",
                    border="1px solid #d5dbe1",
                    padding="6px 8px",
                    margin="0 0 6px 0",
                ),
            )
            card.add_class("workshop-exercise-card")
            cards.append(card)
        to_map = button(t("p_map", lang))
        to_map.on_click(lambda _b: app.show_map())
        forget = button(t("p_not_you", lang))
        forget.on_click(lambda _b: app.forget())
        link = _h(ctx.resume_url)
        greeting = "p_welcome_back" if ctx.cache.get("returning") else "p_welcome_name"
        resume = widgets.HTML(
            f"<details class='workshop-resume-box'><summary>{_h(t('p_resume_title', lang))}"
            f"</summary><p><small>{_h(t('p_resume_help', lang))}</small></p>"
            f"<p style='overflow-wrap:anywhere'><a href='{link}'>{link}</a></p></details>"
        )
        self.widget = widgets.VBox(
            [
                static_html(
                    f"<h2>{_h(t(greeting, lang, name=ctx.person.pseudonym))}</h2>"
                    f"<h3>{_h(t('p_overview', lang))}</h3>"
                ),
                *cards,
                to_map,
                resume,
                forget,
            ],
            layout=widgets.Layout(width="100%"),
        )
        self.widget.add_class("workshop-overview")
        self.open_state = ctx.session.open_exercises


class ExerciseScreen:
    """One exercise: its purpose, its questions, and the participant's result vs the group's."""

    def __init__(self, app, ctx: Context, exercise):
        lang = app.lang
        self.app, self.ctx, self.exercise = app, ctx, exercise
        own = {a.item: a.value for a in ctx.own_answers(exercise.id)}
        self.views = [view_for(ctx, exercise, q) for q in exercise.questions]
        for view in self.views:
            view.load(own)
        self.results = widgets.HTML(layout=widgets.Layout(width="100%"))
        self.results.add_class("workshop-results")
        self.closed = static_html()
        back = button(t("p_back", lang))
        back.on_click(lambda _b: app.show_overview())
        nav = [back]
        following = app.next_exercise(exercise.id)
        if following is not None:
            nxt = button(t("p_next", lang), primary=True)
            nxt.on_click(lambda _b: app.show_exercise(following.id))
            nav.append(nxt)
        if any(q.type == "contribution" for q in exercise.questions):
            to_map = button(t("p_map", lang))
            to_map.on_click(lambda _b: app.show_map())
            nav.append(to_map)
        header = (
            f"<h2>{_h(exercise.title(lang))}</h2>"
            + (f"<p><i>{_h(exercise.ambition(lang))}</i></p>" if exercise.ambition else "")
            + f"<p>{_h(exercise.purpose(lang))}</p>"
        )
        self.widget = widgets.VBox(
            [
                static_html(header),
                self.closed,
                *[v.widget for v in self.views],
                static_html(f"<h3>{_h(t('p_your_result', lang))}</h3>"),
                self.results,
                widgets.HBox(nav, layout=widgets.Layout(flex_flow="row wrap")),
            ],
            layout=widgets.Layout(width="100%"),
        )
        self.widget.add_class("workshop-exercise")
        self.widget.add_class(f"workshop-exercise-{exercise.id}")
        self.refresh()

    def refresh(self) -> None:
        """Redraw the group results if anything changed (called every few seconds)."""
        ctx = self.ctx
        fingerprint = (
            ctx.store.exercise_activity(ctx.session.id, self.exercise.id),
            ctx.session.open_exercises,
            ctx.session.results_visible,
            ctx.session.free_text_visible,
            self.app.lang,
        )
        if fingerprint == getattr(self, "_fingerprint", None):
            return
        self._fingerprint = fingerprint
        self.redraw()

    def redraw(self) -> None:
        """Re-read the group's answers and redraw the results."""
        from ...flows import load_flows
        from ...results.aggregate import aggregate_exercise
        from ...results.views import exercise_result_html

        ctx, exercise, lang = self.ctx, self.exercise, self.app.lang
        answers = ctx.answers(exercise.id)
        for view in self.views:
            view.refresh(answers)
        is_open = ctx.session.is_open(exercise.id)
        closed = (
            ""
            if is_open
            else (
                f"<p class='workshop-closed' role='status'><b>"
                f"{_h(t('p_exercise_closed', lang))}</b></p>"
            )
        )
        if self.closed.value != closed:
            self.closed.value = closed
        flows = None
        if any(q.type == "flow_check" for q in exercise.questions):
            flows = list(
                load_flows(next(q.flows_file for q in exercise.questions if q.type == "flow_check"))
            )
        results = aggregate_exercise(
            exercise,
            answers,
            ctx.person.id,
            lang=lang,
            free_text_visible=ctx.session.free_text_visible,
        )
        if ctx.session.results_visible:
            body = exercise_result_html(exercise, results, lang, flows=flows)
            body += self._additions_html(lang)
        else:
            own_only = (
                exercise_result_html(exercise, results, lang, flows=flows)
                if exercise.result == "risks"
                else ""
            )
            body = f"<p>{_h(t('p_results_hidden', lang))}</p>{own_only}"
        if self.results.value != body:
            self.results.value = body

    def _additions_html(self, lang: str) -> str:
        if not any(q.type == "contribution" for q in self.exercise.questions):
            return ""
        visible = [c for c in self.ctx.store.contributions(self.ctx.session.id) if not c.hidden]
        if not visible:
            return ""
        names = {c.payload["id"]: c.payload["name"] for c in visible if c.kind == "organisation"}
        from ...data import load_default

        names.update({o["id"]: o["name"] for o in load_default().organisations})
        items = []
        for c in visible:
            p = c.payload
            # <bdi> per name: a direction override in one name cannot turn the line around
            text = (
                f"<bdi>{_h(p['name'])}</bdi>"
                if c.kind == "organisation"
                else f"<bdi>{_h(names.get(p['source'], '?'))}</bdi> → "
                f"<bdi>{_h(names.get(p['target'], '?'))}</bdi>"
            )
            items.append(f"<li>{text}</li>")
        return (
            f"<h4>{_h(t('p_group_additions', lang))}</h4>"
            f"<ul class='workshop-additions'>{''.join(items)}</ul>"
        )


class MapScreen:
    """The stakeholder map with this session's additions (imports the map code lazily)."""

    def __init__(self, app, ctx: Context):
        from ...data import load_default
        from ...exercises.contributions import merge_contributions
        from ...mapview import map_iframe, render_map
        from ...network import build_graph
        from ..explorer import vis_js_url_from_env

        lang = app.lang
        data = merge_contributions(load_default(), ctx.store.contributions(ctx.session.id))
        document = render_map(
            build_graph(data),
            lang=lang,
            vis_js_url=vis_js_url_from_env(),
            title=t("explorer_title", lang),
        )
        back = button(t("p_back", lang))
        back.on_click(lambda _b: app.show_overview())
        self.widget = widgets.VBox(
            [back, static_html(map_iframe(document, "70vh"))], layout=widgets.Layout(width="100%")
        )
        self.widget.add_class("workshop-map-screen")
