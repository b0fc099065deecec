"""Texts of the map the apps and exports draw (Dutch first, English too)."""

__all__ = ["MAP"]

MAP = {
    "map_search": {"nl": "Zoek een organisatie", "en": "Find an organisation"},
    "map_close": {"nl": "Sluiten", "en": "Close"},
    "map_website": {"nl": "Website", "en": "Website"},
    "map_source": {"nl": "Bron van deze gegevens", "en": "Source of this information"},
    "map_no_match": {"nl": "Geen organisatie gevonden", "en": "No organisation found"},
    "map_contributed": {"nl": "Toegevoegd door deelnemers", "en": "Added by participants"},
    "map_group": {"nl": "Groep", "en": "Group"},
    "map_title": {"nl": "Netwerk van organisaties", "en": "Network of organisations"},
    "map_ego": {
        "nl": "Alleen deze organisatie en haar directe relaties",
        "en": "Only this organisation and its direct relations",
    },
    "map_everything": {"nl": "Alles tonen", "en": "Show everything"},
    "map_snapshot": {"nl": "Afbeelding opslaan (PNG)", "en": "Save picture (PNG)"},
    "map_route": {"nl": "Route", "en": "Route"},
    "map_filter": {"nl": "Tonen of verbergen", "en": "Show or hide"},
}
