"""The map explorer screen: filters, ego view, metric choice, what-if removal and routes."""

from __future__ import annotations

import ipywidgets as widgets
from markupsafe import escape

from ..content.dataset import StakeholderData, load_default
from ..i18n import t
from ..map.render import map_iframe, render_map
from ..network.graph import build_graph, ego_network, filter_graph, shortest_paths
from ..network.measures import METRICS, explain, metric_table, what_if

__all__ = ["ExplorerApp", "vis_js_url_from_env"]

_ANY = "__all__"
_NONE = ""
SIZE_METRICS = ("degree", "betweenness", "pagerank", "eigenvector", "core_number", "effective_size")


def vis_js_url_from_env() -> str | None:
    """The URL of the served vis-network script, set by ``workshop serve`` (else inline)."""
    from ..settings import current

    return current().vis_url or None


def _wide(**extra) -> dict:
    return {
        "layout": widgets.Layout(width="auto", min_width="14em", max_width="100%", **extra),
        "style": {"description_width": "initial"},
    }


class ExplorerApp:
    """Build and drive the explorer's widgets; ``app.widget`` is what a notebook displays.

    Examples
    --------
    >>> app = ExplorerApp(lang="en")
    >>> app.sector.value = "mbo"
    >>> "mbo-raad" in app.current_graph and "po-raad" not in app.current_graph
    True
    """

    def __init__(
        self,
        data: StakeholderData | None = None,
        lang: str = "nl",
        vis_js_url: str | None = None,
        height: str = "65vh",
    ):
        self.data = data or load_default()
        self.vocab = self.data.vocabulary
        self.graph = build_graph(self.data)
        self.lang = lang
        self.vis_js_url = vis_js_url if vis_js_url is not None else vis_js_url_from_env()
        self.height = height
        self.current_graph = self.graph
        self._building = True
        self.language = widgets.ToggleButtons(
            options=[("NL", "nl"), ("EN", "en")], value=lang, style={"button_width": "4em"}
        )
        self.sector = widgets.Dropdown(**_wide())
        self.org_type = widgets.Dropdown(**_wide())
        self.relation = widgets.Dropdown(**_wide())
        self.ego = widgets.Dropdown(**_wide())
        self.radius = widgets.ToggleButtons(
            options=[("1", 1), ("2", 2), ("3", 3)], value=1, style={"button_width": "2.5em"}
        )
        self.size_by = widgets.Dropdown(**_wide())
        self.colour_by = widgets.ToggleButtons(style={"button_width": "6em"})
        self.remove = widgets.Dropdown(**_wide())
        self.path_from = widgets.Dropdown(**_wide())
        self.path_to = widgets.Dropdown(**_wide())
        self.title = widgets.HTML()
        self.status = widgets.HTML()
        self.map = widgets.HTML(layout=widgets.Layout(width="100%"))
        self.metric_help = widgets.HTML()
        self.what_if_box = widgets.HTML()
        self.path_box = widgets.HTML()
        self._relabel()
        for control in (
            self.sector,
            self.org_type,
            self.relation,
            self.ego,
            self.radius,
            self.size_by,
            self.colour_by,
            self.remove,
        ):
            control.observe(self._on_change, names="value")
        for control in (self.path_from, self.path_to):
            control.observe(self._on_path, names="value")
        self.language.observe(self._on_language, names="value")
        self._building = False
        self.refresh()
        row = widgets.Layout(flex_flow="row wrap", align_items="center")
        self.widget = widgets.VBox(
            [
                widgets.HBox(
                    [self.title, self.language],
                    layout=widgets.Layout(
                        flex_flow="row wrap", justify_content="space-between", align_items="center"
                    ),
                ),
                widgets.HBox([self.sector, self.org_type, self.relation], layout=row),
                widgets.HBox([self.ego, self.radius, self.size_by, self.colour_by], layout=row),
                self.status,
                self.map,
                self.metric_help,
                widgets.HBox([self.remove], layout=row),
                self.what_if_box,
                widgets.HBox([self.path_from, self.path_to], layout=row),
                self.path_box,
            ],
            layout=widgets.Layout(width="100%"),
        )
        self.widget.add_class("workshop-explorer")

    # --- labels -------------------------------------------------------------------------
    def _org_options(self, first: str) -> list[tuple[str, str]]:
        names = sorted(
            ((o["name"], o["id"]) for o in self.data.organisations), key=lambda p: p[0].casefold()
        )
        return [(first, _NONE), *names]

    def _relabel(self) -> None:
        """Set every label and option text in the current language, keeping values."""
        lang, vocab = self.lang, self.vocab
        self._building, was_building = True, self._building
        self.title.value = (
            f"<h2 style='margin:4px 0'>{escape(t('explorer_title', lang))}"
            f"</h2><p style='margin:0'>{escape(t('explorer_intro', lang))}</p>"
        )

        def choices(kind):
            return [
                (t("all", lang), _ANY),
                *((vocab.label(kind, i, lang), i) for i in vocab.ids(kind)),
            ]

        for control, kind, key in (
            (self.sector, "sectors", "sector"),
            (self.org_type, "organisation_types", "org_type"),
            (self.relation, "relation_types", "relation"),
        ):
            value = control.value or _ANY
            control.options = choices(kind)
            control.value = value
            control.description = t(key, lang)
        for control, key in (
            (self.ego, "ego"),
            (self.remove, "what_if"),
            (self.path_from, "path_from"),
            (self.path_to, "path_to"),
        ):
            value = control.value or _NONE
            control.options = self._org_options(t("none", lang))
            control.value = value
            control.description = t(key, lang)
        self.radius.description = t("radius", lang)
        value = self.size_by.value or "degree"
        self.size_by.options = [
            (METRICS[m][lang][0] if m in METRICS else METRICS["degree"][lang][0], m)
            for m in SIZE_METRICS
        ]
        self.size_by.value = value
        self.size_by.description = t("size_by", lang)
        value = self.colour_by.value or "type"
        self.colour_by.options = [
            (t("colour_type", lang), "type"),
            (t("colour_community", lang), "community"),
        ]
        self.colour_by.value = value
        self.colour_by.description = t("colour_by", lang)
        self._building = was_building

    # --- events -------------------------------------------------------------------------
    def _on_language(self, change) -> None:
        self.lang = change["new"]
        self._relabel()
        self.refresh()
        self._on_path()

    def _on_change(self, _change=None) -> None:
        if not self._building:
            self.refresh()

    def _on_path(self, _change=None) -> None:
        if self._building:
            return
        source, target = self.path_from.value, self.path_to.value
        if not source or not target or source == target:
            self.path_box.value = ""
            return
        paths = shortest_paths(self.graph, source, target)
        if not paths:
            self.path_box.value = f"<p>{escape(t('no_path', self.lang))}</p>"
            return
        items = "".join(f"<li>{self._path_text(steps)}</li>" for steps in paths)
        self.path_box.value = (
            f"<p><b>{escape(t('path_heading', self.lang))}</b></p><ol>{items}</ol>"
        )

    def _path_text(self, steps) -> str:
        parts = []
        for node, relations in steps:
            parts.append(f"<b>{escape(self.graph.nodes[node].get('name', node))}</b>")
            if relations:
                labels = []
                for rel in relations.split(";"):
                    back = rel.startswith("<-")
                    label = self.vocab.label("relation_types", rel.removeprefix("<-"), self.lang)
                    labels.append(("← " if back else "") + label)
                parts.append(f" <i>({escape(', '.join(labels))})</i> → ")
        return "".join(parts)

    # --- drawing ------------------------------------------------------------------------
    def filtered(self, removal: bool = True):
        """Return the graph after the sector, type, relation, ego (and removal) choices."""

        def pick(control):
            return None if control.value in (_ANY, None) else [control.value]

        graph = filter_graph(
            self.graph,
            sectors=pick(self.sector),
            types=pick(self.org_type),
            relations=pick(self.relation),
        )
        if self.ego.value and self.ego.value in graph:
            graph = ego_network(graph, self.ego.value, self.radius.value)
        if removal and self.remove.value and self.remove.value in graph:
            graph = graph.copy()
            graph.remove_node(self.remove.value)
        return graph

    def refresh(self) -> None:
        """Recompute the view and redraw the map."""
        lang = self.lang
        graph = self.filtered()
        self.current_graph = graph
        if graph.number_of_nodes() == 0:
            self.map.value = f"<p><b>{escape(t('empty_map', lang))}</b></p>"
            self.status.value = ""
            self.metric_help.value = ""
            self._what_if()
            return
        table = metric_table(graph)
        document = render_map(
            graph,
            lang=lang,
            colour_by=self.colour_by.value,
            size_by=self.size_by.value,
            table=table,
            highlight=[self.ego.value] if self.ego.value else (),
            vis_js_url=self.vis_js_url,
            vocabulary=self.vocab,
            title="",
        )
        self.map.value = map_iframe(document, self.height, t("explorer_title", lang))
        counts = t("counts", lang, orgs=len(graph), rels=graph.number_of_edges())
        self.status.value = f"<small>{escape(counts)}</small>"
        label, sentence = explain(self.size_by.value, lang, graph)
        self.metric_help.value = f"<p><b>{escape(label)}</b>: {escape(sentence)}</p>"
        self._what_if()

    def _what_if(self) -> None:
        removed = self.remove.value
        if not removed:
            self.what_if_box.value = ""
            return
        base = self.filtered(removal=False)
        if removed not in base:
            self.what_if_box.value = ""
            return
        result = what_if(base, [removed])
        s = result["summary"]
        summary = t(
            "whatif_summary",
            self.lang,
            org_before=int(s.loc["organisations", "before"]),
            org_after=int(s.loc["organisations", "after"]),
            rel_before=int(s.loc["relations", "before"]),
            rel_after=int(s.loc["relations", "after"]),
            comp_before=int(s.loc["components", "before"]),
            comp_after=int(s.loc["components", "after"]),
            big_before=int(s.loc["largest_component", "before"]),
            big_after=int(s.loc["largest_component", "after"]),
        )
        risers = result["changes"]
        risers = risers[risers["change"] > 1e-9].head(5)
        items = "".join(
            f"<li>{escape(str(r['name']))}: {r['betweenness']:.3f} → "
            f"{r['betweenness_after']:.3f}</li>"
            for _, r in risers.iterrows()
        )
        name = self.graph.nodes[removed].get("name", removed)
        heading = t("whatif_heading", self.lang, name=name)
        self.what_if_box.value = (
            f"<div class='workshop-whatif'><p><b>{escape(heading)}"
            f"</b></p><p>{escape(summary)}</p>"
            + (f"<p>{escape(t('whatif_changes', self.lang))}</p><ul>{items}</ul>" if items else "")
            + "</div>"
        )
