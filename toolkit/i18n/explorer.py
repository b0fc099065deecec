"""Texts shared by the apps and of the map explorer (Dutch first, English too)."""

__all__ = ["EXPLORER"]

EXPLORER = {
    # shared
    "language": {"nl": "Taal", "en": "Language"},
    "all": {"nl": "Alle", "en": "All"},
    "none": {"nl": "(geen)", "en": "(none)"},
    "close": {"nl": "Sluiten", "en": "Close"},
    # explorer
    "explorer_title": {
        "nl": "Netwerkverkenner: informatiemanagement in het onderwijs",
        "en": "Network explorer: information management in education",
    },
    "explorer_intro": {
        "nl": "Wie werkt met wie bij ict in het onderwijs? Filter de kaart, klik op een "
        "organisatie voor haar profiel, of kijk wat er verandert als een organisatie wegvalt.",
        "en": "Who works with whom in education ICT? Filter the map, click an organisation "
        "for its profile, or see what changes when an organisation drops out.",
    },
    "sector": {"nl": "Sector", "en": "Sector"},
    "org_type": {"nl": "Soort organisatie", "en": "Type of organisation"},
    "relation": {"nl": "Soort relatie", "en": "Type of relation"},
    "ego": {"nl": "Rondom", "en": "Around"},
    "radius": {"nl": "Stappen", "en": "Steps"},
    "size_by": {"nl": "Grootte naar", "en": "Size by"},
    "colour_by": {"nl": "Kleur naar", "en": "Colour by"},
    "colour_type": {"nl": "soort", "en": "type"},
    "colour_community": {"nl": "groep", "en": "group"},
    "what_if": {"nl": "Wat als … wegvalt?", "en": "What if removed"},
    "path_from": {"nl": "Route van", "en": "Route from"},
    "path_to": {"nl": "naar", "en": "to"},
    "no_path": {
        "nl": "Geen verbinding gevonden tussen deze twee organisaties.",
        "en": "No connection found between these two organisations.",
    },
    "path_heading": {"nl": "Kortste routes", "en": "Shortest routes"},
    "whatif_heading": {"nl": "Als {name} wegvalt", "en": "If {name} drops out"},
    "whatif_summary": {
        "nl": "Organisaties {org_before} → {org_after}; relaties {rel_before} → {rel_after}; "
        "losse groepen {comp_before} → {comp_after}; grootste groep {big_before} → "
        "{big_after}.",
        "en": "Organisations {org_before} → {org_after}; relations {rel_before} → {rel_after}; "
        "disconnected groups {comp_before} → {comp_after}; largest group {big_before} → "
        "{big_after}.",
    },
    "whatif_changes": {
        "nl": "Wie neemt het verbinden over (grootste stijging in betweenness (brugfunctie)):",
        "en": "Who takes over the bridging role (largest rise in betweenness):",
    },
    "counts": {
        "nl": "{orgs} organisaties, {rels} relaties getoond",
        "en": "{orgs} organisations, {rels} relations shown",
    },
    "empty_map": {
        "nl": "Geen organisaties bij deze filters. Kies ruimere filters.",
        "en": "No organisations match these filters. Choose wider filters.",
    },
    "metric_help": {"nl": "Wat betekent dit?", "en": "What does this mean?"},
    # explanations of measures on a network without direction, or with weights
    "metric_degree_undirected": {
        "nl": "Het aantal relaties van een organisatie (dit netwerk heeft geen richting): hoe "
        "druk bezet een organisatie in het netwerk is.",
        "en": "The number of relations of an organisation (this network has no direction): "
        "how busy an organisation is in the network.",
    },
    "metric_pagerank_undirected": {
        "nl": "Belang door de relaties van een organisatie, zwaarder als die met belangrijke "
        "organisaties zijn (dit netwerk heeft geen richting).",
        "en": "Importance from an organisation's relations, weighing more when they are with "
        "important organisations (this network has no direction).",
    },
    "metric_weighted": {
        "nl": "Elke relatie telt mee naar haar gewicht (weight) in het bestand.",
        "en": "Each relation counts by its weight in the file.",
    },
    "busy": {"nl": "Bezig met tekenen…", "en": "Drawing…"},
    "error_generic": {"nl": "Er ging iets mis: {error}", "en": "Something went wrong: {error}"},
}
