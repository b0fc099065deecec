"""Texts of the exports and the workshop report (Dutch first, English too)."""

__all__ = ["REPORT"]

REPORT = {
    # --- spreadsheet and CSV/JSON export ------------------------------------------------------
    "x_summary": {"nl": "Overzicht", "en": "Summary"},
    "x_texts": {"nl": "Teksten", "en": "Texts"},
    "x_additions": {"nl": "Kaart aanvullingen", "en": "Map additions"},
    "x_participants": {"nl": "Deelnemers", "en": "Participants"},
    "x_participant": {"nl": "Deelnemer", "en": "Participant"},
    "x_session": {"nl": "Sessie", "en": "Session"},
    "x_title": {"nl": "Titel", "en": "Title"},
    "x_organiser": {"nl": "Organisator", "en": "Organiser"},
    "x_code": {"nl": "Sessiecode", "en": "Session code"},
    "x_date": {"nl": "Datum", "en": "Date"},
    "x_language": {"nl": "Taal", "en": "Language"},
    "x_joined": {"nl": "Deelnemers", "en": "Participants"},
    "x_purged": {
        "nl": "Losse antwoorden verwijderd op",
        "en": "Individual answers deleted on",
    },
    "x_exercise": {"nl": "Oefening", "en": "Exercise"},
    "x_sheet": {"nl": "Tabblad", "en": "Sheet"},
    "x_answered": {"nl": "Deelnemers met antwoord", "en": "Participants who answered"},
    "x_headline": {"nl": "Uitkomst", "en": "Outcome"},
    "x_question": {"nl": "Vraag", "en": "Question"},
    "x_text": {"nl": "Tekst", "en": "Text"},
    "x_dots": {"nl": "Stippen", "en": "Dots"},
    "x_voters": {"nl": "Stemmers", "en": "Voters"},
    "x_support": {"nl": "Steun", "en": "Support"},
    "x_supports": {"nl": "{prompt} · steunt", "en": "{prompt} · supports"},
    "x_hidden": {"nl": "Verborgen", "en": "Hidden"},
    "x_approved": {"nl": "Goedgekeurd", "en": "Approved"},
    "x_written_at": {"nl": "Geschreven op", "en": "Written at"},
    "x_kind": {"nl": "Soort", "en": "Kind"},
    "x_addition": {"nl": "Aanvulling", "en": "Addition"},
    "x_org_type": {"nl": "Type of relatie", "en": "Type or relation"},
    "x_sectors": {"nl": "Sectoren", "en": "Sectors"},
    "x_answers": {"nl": "Antwoorden", "en": "Answers"},
    "x_first_seen": {"nl": "Eerste keer gezien", "en": "First seen"},
    "x_last_seen": {"nl": "Laatst gezien", "en": "Last seen"},
    "x_yes": {"nl": "ja", "en": "yes"},
    "x_no": {"nl": "nee", "en": "no"},
    "x_organisation": {"nl": "organisatie", "en": "organisation"},
    "x_relation": {"nl": "relatie", "en": "relation"},
    "x_flow_has": {"nl": "in gebruik", "en": "in use"},
    "x_flow_agreement": {"nl": "verwerkersovereenkomst", "en": "processing agreement"},
    "x_text_n": {"nl": "{prompt} ({n})", "en": "{prompt} ({n})"},
    # --- headlines: the result of a question in one sentence ----------------------------------
    "h_none": {"nl": "Nog geen antwoorden.", "en": "No answers yet."},
    "h_scale": {
        "nl": "Gemiddeld {mean} op een schaal van {low} tot {high}{target} (n = {n}).",
        "en": "Mean {mean} on a scale of {low} to {high}{target} (n = {n}).",
    },
    "h_scale_target": {"nl": ", streefniveau {target}", "en": ", target level {target}"},
    "h_radar_below": {
        "nl": "Onder het streefniveau {target}: {items}.",
        "en": "Below the target level {target}: {items}.",
    },
    "h_radar_met": {
        "nl": "Op of boven het streefniveau {target}: {items}.",
        "en": "At or above the target level {target}: {items}.",
    },
    "h_radar_means": {
        "nl": "Gemiddelden: {items} (n = {n}).",
        "en": "Means: {items} (n = {n}).",
    },
    "h_choice": {"nl": "Meest gekozen: {items}.", "en": "Chosen most: {items}."},
    "h_of_n": {"nl": "{label} ({count} van {n})", "en": "{label} ({count} of {n})"},
    "h_dots": {
        "nl": "{n} deelnemers verdeelden hun stippen; de meeste gingen naar {items}.",
        "en": "{n} participants spread their dots; most went to {items}.",
    },
    "h_dots_one": {
        "nl": "1 deelnemer verdeelde de stippen; de meeste gingen naar {items}.",
        "en": "1 participant spread the dots; most went to {items}.",
    },
    "h_texts_one": {
        "nl": "{texts} teksten van 1 deelnemer.",
        "en": "{texts} texts from 1 participant.",
    },
    "h_dots_item": {"nl": "{label} ({dots} stippen)", "en": "{label} ({dots} dots)"},
    "h_dots_item_one": {"nl": "{label} (1 stip)", "en": "{label} (1 dot)"},
    "h_texts": {
        "nl": "{texts} teksten van {n} deelnemers.",
        "en": "{texts} texts from {n} participants.",
    },
    "h_texts_gone": {
        "nl": "{n} deelnemers schreven teksten; de losse teksten zijn verwijderd.",
        "en": "{n} participants wrote texts; the individual texts have been deleted.",
    },
    "h_words": {
        "nl": "Meest genoemd: {items} (n = {n}).",
        "en": "Said most: {items} (n = {n}).",
    },
    "h_ranking": {
        "nl": "Gemiddelde plaats: {items} (n = {n}).",
        "en": "Average place: {items} (n = {n}).",
    },
    "h_room": {
        "nl": "{questions} vragen van {n} deelnemers; de meeste steun kregen {items}.",
        "en": "{questions} questions from {n} participants; the most supported: {items}.",
    },
    "h_room_plain": {
        "nl": "{questions} vragen van {n} deelnemers.",
        "en": "{questions} questions from {n} participants.",
    },
    "h_support": {"nl": "{label} ({n}× gesteund)", "en": "{label} (supported {n}×)"},
    "h_grid_close": {
        "nl": "Gemiddeld in '{quadrant}': {items}.",
        "en": "On average in '{quadrant}': {items}.",
    },
    "h_grid_none": {
        "nl": "Geen partij staat gemiddeld in '{quadrant}' (n = {n}).",
        "en": "No party is on average in '{quadrant}' (n = {n}).",
    },
    "h_raci_gaps": {
        "nl": "{gaps} van {tasks} taken volgen de regel niet (één A, minstens één R): {items}.",
        "en": "{gaps} of {tasks} tasks break the rule (one A, at least one R): {items}.",
    },
    "h_raci_ok": {
        "nl": "Elke beantwoorde taak heeft precies één A en minstens één R (n = {n}).",
        "en": "Every answered task has exactly one A and at least one R (n = {n}).",
    },
    "h_aim_empty": {
        "nl": "Lege vakken in het negenvlaksmodel: {items}.",
        "en": "Empty cells of the nine-cell model: {items}.",
    },
    "h_aim_full": {
        "nl": "Elk vak van het negenvlaksmodel is gebruikt (n = {n}).",
        "en": "Every cell of the nine-cell model is used (n = {n}).",
    },
    "h_flows_risk": {
        "nl": "In gebruik zonder bekende verwerkersovereenkomst: {items}.",
        "en": "In use without a known processing agreement: {items}.",
    },
    "h_flows_ok": {
        "nl": "Geen stroom in gebruik zonder bekende verwerkersovereenkomst (n = {n}).",
        "en": "No flow in use without a known processing agreement (n = {n}).",
    },
    "h_pct": {"nl": "{label} ({pct}%)", "en": "{label} ({pct}%)"},
    "h_additions": {
        "nl": "Toegevoegd aan de kaart: {orgs} organisaties en {rels} relaties.",
        "en": "Added to the map: {orgs} organisations and {rels} relations.",
    },
    "h_no_additions": {
        "nl": "Niets toegevoegd aan de kaart.",
        "en": "Nothing added to the map.",
    },
    # --- findings: gaps and risks ---------------------------------------------------------------
    "f_below_target": {
        "nl": "{label}: gemiddeld {mean}, onder het streefniveau {target}.",
        "en": "{label}: mean {mean}, below the target level {target}.",
    },
    "f_raci": {"nl": "{task}: {problem}", "en": "{task}: {problem}"},
    "f_aim": {
        "nl": "Niemand plaatste een rol in het vak {cell}.",
        "en": "Nobody placed a role in the cell {cell}.",
    },
    "f_flow": {
        "nl": "{flow}: {gap}% van de groep heeft deze stroom zonder bekende "
        "verwerkersovereenkomst.",
        "en": "{flow}: {gap}% of the group has this flow without a known processing agreement.",
    },
    # --- the report -----------------------------------------------------------------------------
    "rep_title": {"nl": "Verslag van de workshop", "en": "Workshop report"},
    "rep_meta": {
        "nl": "{date} · sessie {code} · {n} deelnemers",
        "en": "{date} · session {code} · {n} participants",
    },
    "rep_meta_one": {
        "nl": "{date} · sessie {code} · 1 deelnemer",
        "en": "{date} · session {code} · 1 participant",
    },
    "rep_by": {"nl": "Georganiseerd door {organiser}", "en": "Organised by {organiser}"},
    "rep_contents": {"nl": "Inhoud", "en": "Contents"},
    "rep_did": {"nl": "Wat de groep deed", "en": "What the group did"},
    "rep_did_text": {
        "nl": "{n} deelnemers werkten samen aan {k} oefeningen over informatiemanagement in het "
        "onderwijs. Iedereen antwoordde op de eigen telefoon of laptop, onder een zelfgekozen "
        "schuilnaam, en zag daarna het beeld van de groep. Dit verslag zet de uitkomsten op een "
        "rij, met per oefening vragen om het gesprek in het bestuur of het netwerk verder te "
        "voeren.",
        "en": "{n} participants worked together on {k} exercises on information management in "
        "education. Everyone answered on their own phone or laptop, under a pseudonym of their "
        "choice, and then saw the group's picture. This report lists the outcomes, with "
        "questions per exercise to carry the conversation on in the board or the network.",
    },
    "rep_did_text_one": {
        "nl": "1 deelnemer werkte aan {k} oefeningen over informatiemanagement in het onderwijs. "
        "Dit verslag zet de uitkomsten op een rij, met per oefening vragen voor het gesprek.",
        "en": "1 participant worked on {k} exercises on information management in education. "
        "This report lists the outcomes, with questions per exercise for the discussion.",
    },
    "rep_glance": {"nl": "De uitkomsten in het kort", "en": "The outcomes at a glance"},
    "rep_exercise": {"nl": "Oefening", "en": "Exercise"},
    "rep_answered": {"nl": "Deelnemers", "en": "Participants"},
    "rep_outcome": {"nl": "Uitkomst", "en": "Outcome"},
    "rep_ambition": {"nl": "Ambitie: {ambition}", "en": "Ambition: {ambition}"},
    "rep_chart": {"nl": "Het beeld van de groep", "en": "The group's picture"},
    "rep_needs": {
        "nl": "De opgeschreven behoeften en hun stemmen",
        "en": "The needs written down and their votes",
    },
    "rep_needs_note": {
        "nl": "Elke deelnemer verdeelde {budget} stippen. Vaste opties van de begeleider staan "
        "er ook in.",
        "en": "Each participant spread {budget} dots. The facilitator's fixed options are "
        "listed too.",
    },
    "rep_need": {"nl": "Behoefte", "en": "Need"},
    "rep_source": {"nl": "Herkomst", "en": "Origin"},
    "rep_written": {"nl": "opgeschreven in de sessie", "en": "written in the session"},
    "rep_fixed": {"nl": "vaste optie", "en": "fixed option"},
    "rep_texts": {"nl": "Wat deelnemers schreven", "en": "What participants wrote"},
    "rep_discussion": {"nl": "Vragen voor het gesprek", "en": "Questions for the discussion"},
    "rep_findings": {"nl": "Gevonden gaten en risico's", "en": "Gaps and risks found"},
    "rep_findings_note": {
        "nl": "Wat uit de groepsresultaten naar voren komt als aandachtspunt.",
        "en": "What the group results bring up as points for attention.",
    },
    "rep_no_findings": {
        "nl": "De groepsresultaten laten geen gaten of risico's zien.",
        "en": "The group results show no gaps or risks.",
    },
    "rep_additions": {
        "nl": "Toegevoegd door de deelnemers",
        "en": "Added by the participants",
    },
    "rep_no_additions_list": {
        "nl": "De deelnemers voegden niets toe aan de kaart.",
        "en": "The participants added nothing to the map.",
    },
    "rep_map_print": {
        "nl": "De kaart zelf is interactief en staat alleen in de HTML-versie van dit verslag.",
        "en": "The map itself is interactive and only in the HTML version of this report.",
    },
    "rep_data": {"nl": "Hoe we met de gegevens omgingen", "en": "How the data was handled"},
    "rep_data_pseudonyms": {
        "nl": "Deelnemers deden mee onder een schuilnaam. Namen, e-mailadressen en IP-adressen "
        "zijn niet gevraagd en niet bewaard.",
        "en": "Participants took part under a pseudonym. Names, e-mail addresses and IP "
        "addresses were not asked for and not stored.",
    },
    "rep_data_aggregates": {
        "nl": "Dit verslag toont alleen groepsresultaten. Schuilnamen en de antwoorden van "
        "een enkele deelnemer staan er niet in.",
        "en": "This report shows group results only. Pseudonyms and the answers of any single "
        "participant are not in it.",
    },
    "rep_data_moderated": {
        "nl": "Teksten die de begeleider verborg of nog niet had goedgekeurd, staan er niet in.",
        "en": "Texts that the facilitator hid or had not yet approved are left out.",
    },
    "rep_data_purged": {
        "nl": "Op {date} zijn de schuilnamen, de persoonlijke sleutels en de losse antwoorden "
        "verwijderd. Dit verslag is gemaakt uit de groepsresultaten die daarbij zijn bewaard.",
        "en": "On {date} the pseudonyms, the personal keys and the individual answers were "
        "deleted. This report was made from the group results kept at that moment.",
    },
    "rep_data_kept": {
        "nl": "De losse antwoorden staan nog in de database van de begeleider. Met "
        "'workshop purge {code}' verdwijnen de schuilnamen, de persoonlijke sleutels en de "
        "losse antwoorden; de groepsresultaten blijven, zodat dit verslag opnieuw te maken is.",
        "en": "The individual answers are still in the facilitator's database. "
        "'workshop purge {code}' deletes the pseudonyms, the personal keys and the individual "
        "answers; the group results stay, so this report can be made again.",
    },
    "rep_data_who": {
        "nl": "{organiser} is verantwoordelijk voor deze gegevens.",
        "en": "{organiser} is responsible for this data.",
    },
    "rep_made": {"nl": "Gemaakt op {date}.", "en": "Made on {date}."},
}
