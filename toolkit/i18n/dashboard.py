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
    "d_joined_one": {
        "nl": "1 deelnemer, {active} actief",
        "en": "1 participant, {active} active",
    },
    "d_large": {"nl": "Grote letters", "en": "Large type"},
    "d_follow": {"nl": "Telefoons volgen de begeleider", "en": "Phones follow the facilitator"},
    "d_set_current": {"nl": "Zet de zaal op deze oefening", "en": "Put the room on this exercise"},
    "d_room_at": {"nl": "De zaal is bij: {title}", "en": "The room is at: {title}"},
    "d_countdown_start": {"nl": "Start aftellen (minuten)", "en": "Start countdown (minutes)"},
    "d_countdown_stop": {"nl": "Stop aftellen", "en": "Stop countdown"},
    "d_countdown_until": {"nl": "aftellen tot {time}", "en": "countdown until {time}"},
    "d_presenter": {
        "nl": "Presentatie openen (voor de projector)",
        "en": "Open the presenter view (for the projector)",
    },
    "d_show_direct": {"nl": "Direct tonen", "en": "Show at once"},
    "d_after_approval": {"nl": "Na goedkeuring", "en": "After approval"},
    "d_approve": {"nl": "Goedkeuren", "en": "Approve"},
    "d_mark_answered": {"nl": "Beantwoord", "en": "Answered"},
    "d_step_previous": {"nl": "← Vorige stap", "en": "← Previous step"},
    "d_step_next": {"nl": "Volgende stap →", "en": "Next step →"},
    "d_step": {
        "nl": "Stap {i} van {n}: {title} · gepland {planned} min · bezig {elapsed}",
        "en": "Step {i} of {n}: {title} · planned {planned} min · running {elapsed}",
    },
    "d_step_none": {
        "nl": "Programma van {n} stappen; kies Volgende stap om te beginnen",
        "en": "A programme of {n} steps; choose Next step to begin",
    },
    "d_results_show": {"nl": "Resultaten tonen", "en": "Show results"},
    "d_route_from": {"nl": "Route van", "en": "Route from"},
    "d_route_to": {"nl": "naar", "en": "to"},
    "d_no_route": {
        "nl": "Deze twee organisaties zijn in de kaart niet met elkaar verbonden.",
        "en": "These two organisations are not connected on the map.",
    },
    "d_map_on_screen": {"nl": "Kaart op het presentatiescherm", "en": "Map on the presenter view"},
    "d_map_off_screen": {
        "nl": "Kaart van het presentatiescherm halen",
        "en": "Take the map off the presenter view",
    },
    "d_results_hide": {"nl": "Resultaten verbergen", "en": "Hide results"},
    "d_waiting": {"nl": "wacht op goedkeuring", "en": "waiting for approval"},
    "d_show_qr": {"nl": "Grote QR-code", "en": "Large QR code"},
    "d_exercise_open": {"nl": "Open voor deelnemers", "en": "Open to participants"},
    "d_results_visible": {
        "nl": "Deelnemers zien groepsresultaten",
        "en": "Participants see group results",
    },
    "d_free_text_visible": {
        "nl": "Open antwoorden zichtbaar voor de groep",
        "en": "Open answers visible to the group",
    },
    "d_answers": {
        "nl": "{n} antwoorden van {people} deelnemers",
        "en": "{n} answers from {people} participants",
    },
    "d_answers_one_person": {
        "nl": "{n} antwoorden van 1 deelnemer",
        "en": "{n} answers from 1 participant",
    },
    "d_answers_one": {
        "nl": "1 antwoord van 1 deelnemer",
        "en": "1 answer from 1 participant",
    },
    "d_moderation": {"nl": "Moderatie", "en": "Moderation"},
    "d_hide": {"nl": "Verbergen", "en": "Hide"},
    "d_show": {"nl": "Tonen", "en": "Show"},
    "d_hidden": {"nl": "verborgen", "en": "hidden"},
    "d_nothing_to_moderate": {
        "nl": "Nog geen open antwoorden of toevoegingen.",
        "en": "No open answers or additions yet.",
    },
    "d_map": {"nl": "Netwerkkaart", "en": "Network map"},
    "d_map_refresh": {"nl": "Kaart bijwerken", "en": "Update map"},
    "d_additions": {
        "nl": "Toegevoegd door deelnemers: organisaties {orgs}, relaties {rels}",
        "en": "Added by participants: organisations {orgs}, relations {rels}",
    },
    "d_exports": {"nl": "Exporteren", "en": "Export"},
    "d_updated": {"nl": "Bijgewerkt om {time}", "en": "Updated at {time}"},
    # the workshop report (notebooks/02_workshop_report.ipynb)
    "r_header": {
        "nl": "**{title}** · sessie `{code}` · {date} · {n} deelnemers",
        "en": "**{title}** · session `{code}` · {date} · {n} participants",
    },
    "r_header_one": {
        "nl": "**{title}** · sessie `{code}` · {date} · 1 deelnemer",
        "en": "**{title}** · session `{code}` · {date} · 1 participant",
    },
    "r_results": {"nl": "Resultaten per oefening", "en": "Results per exercise"},
    "r_results_note": {
        "nl": "Samenvattingen van de groep; antwoorden die de begeleider verborg, staan er "
        "niet in.",
        "en": "Group aggregates; answers the facilitator hid are left out.",
    },
    "r_map": {
        "nl": "De netwerkkaart met de toevoegingen van de deelnemers",
        "en": "The stakeholder map with the participants' additions",
    },
    "r_map_note": {
        "nl": "Gestippelde organisaties en relaties met een gouden rand zijn tijdens de workshop "
        "toegevoegd.",
        "en": "Dashed, gold-edged organisations and relations were added during the workshop.",
    },
    "r_added": {
        "nl": "Toegevoegd door deelnemers: organisaties {n}.",
        "en": "Added by participants: organisations {n}.",
    },
    "r_privacy": {
        "nl": "Dit verslag bevat alleen samenvattingen en toevoegingen onder schuilnaam.",
        "en": "This report holds aggregates and pseudonymous additions only.",
    },
    "d_store_down": {
        "nl": "De opslag is even niet bereikbaar; het dashboard probeert het opnieuw.",
        "en": "The store is not reachable right now; the dashboard keeps trying.",
    },
}
