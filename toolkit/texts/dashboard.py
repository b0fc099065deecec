"""Texts of the facilitator dashboard (Dutch first, English too)."""

__all__ = ["DASHBOARD"]

DASHBOARD = {
    "d_title": {"nl": "Dashboard begeleider", "en": "Facilitator dashboard"},
    "d_no_session": {
        "nl": "Geen sessie gevonden. Start met `workshop serve`.",
        "en": "No session found. Start with `workshop serve`.",
    },
    "d_join": {"nl": "Doe mee via", "en": "Join at"},
    "d_code": {"nl": "code", "en": "code"},
    "d_joined": {
        "nl": "{joined} deelnemers, {active} actief",
        "en": "{joined} participants, {active} active",
    },
    "d_large": {"nl": "Grote letters", "en": "Large type"},
    "d_show_qr": {"nl": "QR groot", "en": "Large QR"},
    "d_exercise_open": {"nl": "Open voor deelnemers", "en": "Open to participants"},
    "d_results_visible": {
        "nl": "Deelnemers zien groepsresultaten",
        "en": "Participants see group results",
    },
    "d_free_text_visible": {
        "nl": "Vrije teksten zichtbaar voor de groep",
        "en": "Free texts visible to the group",
    },
    "d_answers": {
        "nl": "{n} antwoorden van {people} deelnemers",
        "en": "{n} answers from {people} participants",
    },
    "d_moderation": {"nl": "Moderatie", "en": "Moderation"},
    "d_hide": {"nl": "Verberg", "en": "Hide"},
    "d_show": {"nl": "Toon", "en": "Show"},
    "d_hidden": {"nl": "verborgen", "en": "hidden"},
    "d_nothing_to_moderate": {
        "nl": "Nog geen teksten of toevoegingen.",
        "en": "No texts or additions yet.",
    },
    "d_map": {"nl": "Netwerkkaart", "en": "Network map"},
    "d_map_refresh": {"nl": "Kaart bijwerken", "en": "Update map"},
    "d_additions": {
        "nl": "{orgs} organisaties en {rels} relaties toegevoegd door deelnemers",
        "en": "{orgs} organisations and {rels} relations added by participants",
    },
    "d_exports": {"nl": "Exporteren", "en": "Export"},
    "d_updated": {"nl": "Bijgewerkt {time}", "en": "Updated {time}"},
    "d_store_down": {
        "nl": "De opslag is even niet bereikbaar; het dashboard probeert het opnieuw.",
        "en": "The store is not reachable right now; the dashboard keeps trying.",
    },
}
