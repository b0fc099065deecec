"""The sections of the workshop report, as escaped HTML in the session's language: what the
group did, the outcome and chart of each exercise with the needs and their votes and
questions for the discussion, the gaps and risks found, the map with the participants'
additions, and how the data was handled. The report notebook only displays them."""

from __future__ import annotations

from datetime import UTC, datetime

from ..questions import Content, Ui
from ..results.session import session_results
from ..results.summary import exercise_findings, exercise_headlines
from ..results.views import question_result_html, radar_html, results_css

__all__ = ["Report", "addition_text"]


def addition_text(kind: str, payload: dict, names: dict, vocabulary, lang: str) -> str:
    """An addition to the map in words: the organisation's name, or 'A works with B'.

    Examples
    --------
    >>> from toolkit.content.vocabulary import default_vocabulary
    >>> addition_text("relation", {"source": "a", "target": "b", "relation": "funds"},
    ...               {"a": "OCW", "b": "SIVON"}, default_vocabulary(), "en")
    'OCW funds SIVON'
    """
    if kind == "organisation":
        return str(payload.get("name", ""))
    relation = vocabulary.label("relation_types", payload.get("relation", ""), lang)
    return (
        f"{names.get(payload.get('source'), '?')} {relation} "
        f"{names.get(payload.get('target'), '?')}"
    )


class Report:
    """One session's report, section by section (each method returns HTML).

    Examples
    --------
    >>> import tempfile
    >>> from toolkit.store import Store
    >>> from toolkit.after.demo import fill_demo_session
    >>> store = Store.open(f"sqlite:///{tempfile.mkdtemp()}/r.db")
    >>> code = store.create_session("Studiedag <po>").code
    >>> _ = fill_demo_session(store, code, participants=3)
    >>> report = Report(store, code, "en")
    >>> "<h1>Studiedag &lt;po&gt;</h1>" in report.title()
    True
    >>> "What the group did" in report.what_the_group_did()
    True
    >>> store.close()
    """

    def __init__(self, store, code: str, lang: str | None = None, content=None):
        self.store = store
        self.session = store.get_session(code)
        if self.session is None:
            raise KeyError(code)
        self.lang = lang or self.session.lang
        self.content = content or Content()
        self.ui = Ui(lang=self.lang, content=self.content, own=False)
        self.results = session_results(store, self.session, self.lang, content=self.content)

    # --- helpers ----------------------------------------------------------------------------
    def t(self, key: str, **values) -> str:
        return self.ui.t(key, **values)

    def e(self, text) -> str:
        return self.ui.e(text)

    def _date(self, moment: datetime) -> str:
        return f"{moment:%d-%m-%Y}" if self.lang == "nl" else f"{moment:%Y-%m-%d}"

    def _headlines(self, exercise) -> list[str]:
        return exercise_headlines(exercise, self.results.results[exercise.id], self.ui)

    def css(self) -> str:
        """The stylesheet of the result blocks, for the report's one HTML file."""
        return f"<style>{results_css()}</style>"

    # --- sections ---------------------------------------------------------------------------
    def title(self) -> str:
        """The title block: the session's title, its date and code, the organiser."""
        s, n = self.session, self.results.joined
        meta = self.t(
            "rep_meta_one" if n == 1 else "rep_meta",
            date=self._date(s.created_at),
            code=s.code,
            n=n,
        )
        by = f"<p class='report-by'>{self.e(self.t('rep_by', organiser=s.organiser))}</p>"
        return (
            "<header class='report-head'>"
            f"<p class='report-kicker'>{self.e(self.t('rep_title'))}</p>"
            f"<h1>{self.e(s.title or self.t('rep_title'))}</h1>"
            f"<p class='report-meta'>{self.e(meta)}</p>"
            f"{by if s.organiser else ''}</header>"
        )

    def what_the_group_did(self) -> str:
        """What the group did, and the outcome of every exercise in a sentence or two."""
        done, n = self.results.exercises, self.results.joined
        text = self.t("rep_did_text_one" if n == 1 else "rep_did_text", n=n, k=len(done))
        rows = "".join(
            "<tr>"
            f"<th scope='row'><a href='#ex-{self.e(e.id)}'>{self.e(e.title(self.lang))}</a>"
            + (
                f"<br><small>{self.e(e.ambition(self.lang))}</small>"
                if e.ambition is not None
                else ""
            )
            + f"</th><td class='num'>{self.results.answered[e.id]}</td>"
            f"<td>{self.e(' '.join(self._headlines(e)[:2]))}</td></tr>"
            for e in done
        )
        table = (
            "<table class='report-glance'><thead><tr>"
            f"<th scope='col'>{self.e(self.t('rep_exercise'))}</th>"
            f"<th scope='col'>{self.e(self.t('rep_answered'))}</th>"
            f"<th scope='col'>{self.e(self.t('rep_outcome'))}</th>"
            f"</tr></thead><tbody>{rows}</tbody></table>"
        )
        return (
            f"<section class='report-intro'><h2>{self.e(self.t('rep_did'))}</h2>"
            f"<p>{self.e(text)}</p><h3>{self.e(self.t('rep_glance'))}</h3>{table}</section>"
        )

    def _ranked_texts(self, exercise) -> set[str]:
        """Free-text questions whose texts a dot vote of the exercise ranks."""
        return {
            q.options_from for q in exercise.questions if q.type == "dot_vote" and q.options_from
        }

    def _needs_table(self, exercise, question, group) -> str:
        fixed = {o.id for o in question.options}
        rows = "".join(
            f"<tr><td><bdi>{self.e(r['label'])}</bdi></td><td class='num'>{r['dots']}</td>"
            f"<td class='num'>{r['voters']}</td>"
            f"<td>{self.e(self.t('rep_fixed' if r['key'] in fixed else 'rep_written'))}</td></tr>"
            for r in group["ranking"]
        )
        head = "".join(
            f"<th scope='col'>{self.e(self.t(k))}</th>"
            for k in ("rep_need", "x_dots", "x_voters", "rep_source")
        )
        return (
            f"<h3>{self.e(self.t('rep_needs'))}</h3>"
            f"<p>{self.e(self.t('rep_needs_note', budget=question.budget))}</p>"
            f"<table class='report-needs'><thead><tr>{head}</tr></thead>"
            f"<tbody>{rows}</tbody></table>"
        )

    def exercise(self, exercise, number: int = 1) -> str:
        """One exercise, the ``number``-th of the report: what it is for, its outcome, its
        charts, the needs and their votes (for a dot vote over written needs), and questions
        for the discussion."""
        lang, results = self.lang, self.results.results[exercise.id]
        ranked = self._ranked_texts(exercise)
        blocks = []
        radar = radar_html(exercise, results, self.ui, None, "group")
        if radar:
            blocks.append(f"<figure class='report-chart keep'>{radar}</figure>")
        extra = []
        for question in exercise.questions:
            if question.id not in results or (radar and question.type == "scale"):
                continue
            if question.type == "contribution" or question.id in ranked:
                continue  # the map section lists the additions; the needs table the texts
            body = question_result_html(
                exercise, question, results[question.id], lang, with_own=False
            )
            if body:
                keep = " keep" if "<svg" in body else ""  # a drawn chart: kept on one page
                blocks.append(
                    f"<figure class='report-chart{keep}'><figcaption>"
                    f"{self.e(question.prompt(lang))}</figcaption>{body}</figure>"
                )
            if question.type == "dot_vote" and question.options_from:
                extra.append(self._needs_table(exercise, question, results[question.id]))
        headlines = "".join(f"<li>{self.e(x)}</li>" for x in self._headlines(exercise))
        discussion = "".join(f"<li>{self.e(q(lang))}</li>" for q in exercise.discussion)
        ambition = (
            f"<p class='report-ambition'>"
            f"{self.e(self.t('rep_ambition', ambition=exercise.ambition(lang)))}</p>"
            if exercise.ambition is not None
            else ""
        )
        return (
            f"<section class='report-exercise' id='ex-{self.e(exercise.id)}'>"
            f"<h2>{number}. {self.e(exercise.title(lang))}</h2>{ambition}"
            f"<p class='report-purpose'>{self.e(exercise.purpose(lang))}</p>"
            f"<h3>{self.e(self.t('rep_outcome'))}</h3><ul class='report-headlines'>{headlines}</ul>"
            f"<h3>{self.e(self.t('rep_chart'))}</h3>{''.join(blocks)}{''.join(extra)}"
            + (
                f"<div class='report-discussion'><h3>{self.e(self.t('rep_discussion'))}</h3>"
                f"<ol>{discussion}</ol></div>"
                if discussion
                else ""
            )
            + "</section>"
        )

    def exercises(self) -> list[str]:
        """Every exercise someone answered, in order."""
        return [self.exercise(e, n) for n, e in enumerate(self.results.exercises, 1)]

    def findings(self) -> str:
        """The gaps and risks found, per exercise."""
        parts = []
        for exercise in self.results.exercises:
            found = exercise_findings(exercise, self.results.results[exercise.id], self.ui)
            if found:
                items = "".join(f"<li>{self.e(x)}</li>" for x in found)
                parts.append(f"<h3>{self.e(exercise.title(self.lang))}</h3><ul>{items}</ul>")
        body = "".join(parts) or f"<p>{self.e(self.t('rep_no_findings'))}</p>"
        return (
            f"<section class='report-findings'><h2>{self.e(self.t('rep_findings'))}</h2>"
            f"<p>{self.e(self.t('rep_findings_note'))}</p>{body}</section>"
        )

    def stakeholder_map(self, height: str = "650px") -> str:
        """The stakeholder map with the participants' additions (interactive on screen), and
        the additions as a list (what a printed copy shows)."""
        from ..map.render import map_iframe, render_map
        from ..map.session import session_map
        from ..network.graph import build_graph

        additions = self.results.additions
        data = session_map(self.store, self.session, audience="report", dataset=self.content.data)
        added = sum(1 for o in data.organisations if o.get("contributed"))
        names = {row["id"]: row["name"] for row in data.organisations}
        names.update(
            {
                a.payload.get("id"): a.payload.get("name")
                for a in additions
                if a.kind == "organisation"
            }
        )
        words = [
            addition_text(a.kind, a.payload, names, data.vocabulary, self.lang) for a in additions
        ]
        listing = (
            "<ul class='report-additions'>"
            + "".join(f"<li><bdi>{self.e(w)}</bdi></li>" for w in words)
            + "</ul>"
            if words
            else f"<p>{self.e(self.t('rep_no_additions_list'))}</p>"
        )
        frame = map_iframe(render_map(build_graph(data), lang=self.lang), height)
        return (
            f"<section class='report-map'><h2>{self.e(self.t('r_map'))}</h2>"
            f"<p>{self.e(self.t('r_map_note'))} {self.e(self.t('r_added', n=added))}</p>"
            f"{frame}<p class='print-only'>{self.e(self.t('rep_map_print'))}</p>"
            f"<h3>{self.e(self.t('rep_additions'))}</h3>{listing}</section>"
        )

    def data_handling(self) -> str:
        """How the data was handled: pseudonyms, aggregates only, moderation, purge."""
        s = self.session
        items = [
            self.t("rep_data_pseudonyms"),
            self.t("rep_data_aggregates"),
            self.t("rep_data_moderated"),
        ]
        if self.results.purged_at is not None:
            items.append(self.t("rep_data_purged", date=self._date(self.results.purged_at)))
        else:
            items.append(self.t("rep_data_kept", code=s.code))
        if s.organiser:
            items.append(self.t("rep_data_who", organiser=s.organiser))
        made = self.t("rep_made", date=self._date(datetime.now(UTC)))
        return (
            f"<section class='report-data'><h2>{self.e(self.t('rep_data'))}</h2><ul>"
            + "".join(f"<li>{self.e(x)}</li>" for x in items)
            + f"</ul><p class='report-made'><small>{self.e(made)}</small></p></section>"
        )
