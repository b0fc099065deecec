"""Texts of the participant app and of the group results (Dutch first, English too)."""

__all__ = ["PARTICIPANT"]

PARTICIPANT = {
    "p_welcome": {"nl": "Welkom bij de workshop", "en": "Welcome to the workshop"},
    "p_welcome_back": {"nl": "Welkom terug, {name}", "en": "Welcome back, {name}"},
    "p_welcome_name": {"nl": "Welkom, {name}", "en": "Welcome, {name}"},
    "p_code": {"nl": "Sessiecode", "en": "Session code"},
    "p_code_help": {
        "nl": "De code staat op het scherm van de begeleider.",
        "en": "The code is on the facilitator's screen.",
    },
    "p_code_unknown": {
        "nl": "Er is geen sessie met code '{code}'. Controleer de code op het scherm.",
        "en": "There is no session with code '{code}'. Check the code on the screen.",
    },
    "p_find": {"nl": "Sessie zoeken", "en": "Find session"},
    "p_pseudonym": {"nl": "Schuilnaam", "en": "Pseudonym"},
    "p_pseudonym_help": {
        "nl": "Kies een schuilnaam, geen echte naam. Je mag de voorgestelde schuilnaam houden.",
        "en": "Choose a pseudonym, not your real name. You may keep the suggested one.",
    },
    "p_start": {"nl": "Doe mee", "en": "Join"},
    "p_organiser": {"nl": "Organisator", "en": "Organiser"},
    "p_privacy_title": {"nl": "Wat we bewaren", "en": "What we keep"},
    "p_privacy": {
        "nl": "Alleen je schuilnaam, een willekeurige sleutel om je antwoorden terug te vinden, "
        "je antwoorden en wanneer je ze gaf. Geen echte naam, e-mailadres of IP-adres. De "
        "organisator is verwerkingsverantwoordelijke voor deze gegevens en verwijdert de "
        "ruwe antwoorden na de workshop; de groep ziet alleen samenvattingen. Noem geen "
        "leerlingen of collega's in open antwoorden.",
        "en": "Only your pseudonym, a random key to find your answers again, your answers and "
        "when you gave them. No real name, e-mail or IP address. The organiser is the "
        "controller of this data and deletes the raw answers after the workshop; the group "
        "sees summaries only. Do not name pupils or colleagues in open answers.",
    },
    "p_purpose": {
        "nl": "In deze workshop werk je aan informatiemanagement in het onderwijs, rond de drie "
        "ambities van het Netwerk Informatiemanagement po/vo: informatiemanagement op de "
        "bestuurstafel, professionalisering en het ophalen van behoeften. Je ziet je eigen "
        "antwoorden naast die van de groep.",
        "en": "In this workshop you work on information management in education, around the "
        "three ambitions of the Netwerk Informatiemanagement po/vo: information management "
        "on the board's agenda, professional development and gathering needs. You see your own "
        "answers next to the group's.",
    },
    "p_overview": {"nl": "Oefeningen", "en": "Exercises"},
    "p_progress": {"nl": "{done} van {total} beantwoord", "en": "{done} of {total} answered"},
    "p_closed": {"nl": "gesloten", "en": "closed"},
    "p_open": {"nl": "Open", "en": "Open"},
    "p_back": {"nl": "← Overzicht", "en": "← Overview"},
    "p_next": {"nl": "Volgende →", "en": "Next →"},
    "p_map": {"nl": "Netwerkkaart bekijken", "en": "View the network map"},
    "p_resume_title": {"nl": "Je persoonlijke link", "en": "Your personal link"},
    "p_resume_help": {
        "nl": "Met deze link kom je terug bij je antwoorden, ook op een ander apparaat. Deel hem "
        "niet.",
        "en": "This link brings you back to your answers, also on another device. Do not share it.",
    },
    "p_not_you": {"nl": "Niet jij? Opnieuw beginnen", "en": "Not you? Start again"},
    "p_saved": {"nl": "✓ Opgeslagen", "en": "✓ Saved"},
    "p_saving": {"nl": "Bezig met opslaan…", "en": "Saving…"},
    "p_not_saved": {"nl": "Niet opgeslagen: {reason}", "en": "Not saved: {reason}"},
    "p_retry": {"nl": "Opnieuw proberen", "en": "Try again"},
    "p_exercise_closed": {
        "nl": "Deze oefening is gesloten door de begeleider; je antwoord is niet opgeslagen.",
        "en": "The facilitator has closed this exercise; your answer was not saved.",
    },
    "p_your_result": {"nl": "Jij en de groep", "en": "You and the group"},
    "p_results_hidden": {
        "nl": "De begeleider laat de groepsresultaten straks zien.",
        "en": "The facilitator will show the group results later.",
    },
    "p_you": {"nl": "jij", "en": "you"},
    "p_group": {"nl": "groep", "en": "group"},
    "p_group_n": {"nl": "groep (n = {n})", "en": "group (n = {n})"},
    "p_target": {"nl": "streefniveau", "en": "target level"},
    "p_no_answers": {"nl": "Nog geen antwoorden.", "en": "No answers yet."},
    "p_add": {"nl": "Toevoegen", "en": "Add"},
    "p_remove": {"nl": "Verwijderen", "en": "Remove"},
    "p_chars": {"nl": "{n}/{limit} tekens", "en": "{n}/{limit} characters"},
    "p_items_left": {"nl": "Nog {n} toe te voegen", "en": "{n} more can be added"},
    "p_dots_left": {"nl": "Nog {n} van {budget} stippen", "en": "{n} of {budget} dots left"},
    "p_choose": {"nl": "— kies —", "en": "— choose —"},
    "p_power": {"nl": "Invloed", "en": "Power"},
    "p_interest": {"nl": "Belang", "en": "Interest"},
    "p_cell": {"nl": "Vak", "en": "Cell"},
    "p_yes": {"nl": "ja", "en": "yes"},
    "p_no": {"nl": "nee", "en": "no"},
    "p_unknown": {"nl": "weet niet", "en": "don't know"},
    "p_flow_has": {"nl": "Hebben wij deze stroom?", "en": "Do we have this flow?"},
    "p_flow_agreement": {"nl": "Verwerkersovereenkomst?", "en": "Processing agreement?"},
    "p_flow_not_needed": {
        "nl": "Geen verwerkersovereenkomst nodig: {reason}",
        "en": "No processing agreement needed: {reason}",
    },
    "p_risks_title": {"nl": "Jouw risicolijst", "en": "Your risk list"},
    "p_no_risks": {
        "nl": "Geen risico's gevonden in je antwoorden.",
        "en": "No risks found in your answers.",
    },
    "p_risk_detail": {
        "nl": "Wel in gebruik, maar geen verwerkersovereenkomst bekend.",
        "en": "In use, but no processing agreement known.",
    },
    "p_group_has": {
        "nl": "{pct}% van de groep heeft deze stroom; {gap}% zonder bekende overeenkomst.",
        "en": "{pct}% of the group has this flow; {gap}% without a known agreement.",
    },
    "p_raci_no_a": {
        "nl": "Er is nog geen A (eindverantwoordelijke).",
        "en": "There is no A (accountable) yet.",
    },
    "p_raci_many_a": {
        "nl": "Meer dan één A: kies één eindverantwoordelijke.",
        "en": "More than one A: choose one accountable role.",
    },
    "p_raci_no_r": {
        "nl": "Er is nog geen R (uitvoerder).",
        "en": "There is no R (responsible) yet.",
    },
    "p_raci_ok": {"nl": "✓ Eén A en minstens één R.", "en": "✓ One A and at least one R."},
    "p_gaps_title": {"nl": "Gaten", "en": "Gaps"},
    "p_empty_cell": {"nl": "leeg", "en": "empty"},
    "p_contrib_org": {"nl": "Organisatie toevoegen", "en": "Add an organisation"},
    "p_contrib_rel": {"nl": "Relatie toevoegen", "en": "Add a relation"},
    "p_name": {"nl": "Naam", "en": "Name"},
    "p_type": {"nl": "Soort", "en": "Type"},
    "p_from": {"nl": "Van", "en": "From"},
    "p_to": {"nl": "Naar", "en": "To"},
    "p_relation": {"nl": "Relatie", "en": "Relation"},
    "p_your_additions": {"nl": "Jouw toevoegingen", "en": "Your additions"},
    "p_group_additions": {"nl": "Toevoegingen van de groep", "en": "The group's additions"},
    "p_reconnecting": {
        "nl": "Verbinding verbroken, opnieuw verbinden…",
        "en": "Connection lost, reconnecting…",
    },
    "p_session_gone": {
        "nl": "Deze sessie bestaat niet meer.",
        "en": "This session no longer exists.",
    },
    "error_type": {
        "nl": "Dit antwoord heeft niet de verwachte vorm.",
        "en": "This answer is not in the expected format.",
    },
    "error_choice": {
        "nl": "Kies een van de gegeven mogelijkheden.",
        "en": "Choose one of the options given.",
    },
    "error_empty": {"nl": "Vul eerst iets in.", "en": "Type something first."},
    "error_too_long": {
        "nl": "Te lang: {length} tekens, maximaal {limit}.",
        "en": "Too long: {length} characters, at most {limit}.",
    },
    "error_max_choices": {"nl": "Kies er hooguit {limit}.", "en": "Choose at most {limit}."},
    "error_per_option": {
        "nl": "Hooguit {limit} stippen per mogelijkheid.",
        "en": "At most {limit} dots per option.",
    },
    "error_per_option_one": {
        "nl": "Hooguit 1 stip per mogelijkheid.",
        "en": "At most 1 dot per option.",
    },
    "error_budget": {
        "nl": "Je hebt {budget} stippen en je hebt er {used} gebruikt.",
        "en": "You have {budget} dots and you have used {used}.",
    },
    "error_budget_one": {
        "nl": "Je hebt 1 stip en je hebt er {used} gebruikt.",
        "en": "You have 1 dot and you have used {used}.",
    },
    "error_max_items": {
        "nl": "Je kunt er hooguit {limit} toevoegen.",
        "en": "You can add at most {limit}.",
    },
    "error_duplicate": {"nl": "Die staat er al.", "en": "That one is already there."},
    "error_same_org": {
        "nl": "Kies twee verschillende organisaties.",
        "en": "Choose two different organisations.",
    },
    "error_pseudonym": {
        "nl": "Kies een schuilnaam van 2 tot 40 tekens.",
        "en": "Choose a pseudonym of 2 to 40 characters.",
    },
    "error_unavailable": {
        "nl": "de opslag is even niet bereikbaar",
        "en": "the store is not reachable right now",
    },
}
