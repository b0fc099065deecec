"""Texts of the participant web app and the presenter view (Dutch first, English too)."""

__all__ = ["WEB"]

WEB = {
    "error_empty_choice": {"nl": "Kies eerst een antwoord.", "en": "Choose an answer first."},
    "error_grid_both": {
        "nl": "Geef bij elke organisatie beide waarden (of geen van beide).",
        "en": "Give both values for each organisation (or neither).",
    },
    "w_you_chose": {"nl": "Jouw antwoord", "en": "Your answer"},
    "w_nothing": {"nl": "niets gekozen", "en": "nothing chosen"},
    "w_at_most": {"nl": "Kies er hooguit {n}.", "en": "Choose at most {n}."},
    "w_your_text": {"nl": "Jouw tekst", "en": "Your text"},
    "w_dot_less": {"nl": "Een stip minder", "en": "One dot less"},
    "w_dot_more": {"nl": "Een stip meer", "en": "One dot more"},
    "w_voters": {"nl": "{n}× gekozen", "en": "chosen {n}×"},
    "w_dots_used_up": {
        "nl": "Al je stippen zijn verdeeld. Haal er eerst één weg.",
        "en": "All your dots are given. Take one away first.",
    },
    "w_your_dots": {"nl": "Jouw stippen", "en": "Your dots"},
    "w_grid_help": {
        "nl": "Sleep een organisatie naar een vak, of tik eerst op de organisatie en dan op "
        "het vak. Met het toetsenbord: kies een organisatie en gebruik de pijltjestoetsen.",
        "en": "Drag an organisation onto a cell, or tap the organisation and then the cell. "
        "With the keyboard: choose an organisation and use the arrow keys.",
    },
    "w_grid_tray": {"nl": "Nog niet geplaatst", "en": "Not placed yet"},
    "w_none": {"nl": "geen", "en": "none"},
    "w_your_table": {"nl": "In jouw tabel:", "en": "In your table:"},
    "w_not_placed": {"nl": "Niet plaatsen", "en": "Do not place"},
    "w_aim_all_used": {
        "nl": "✓ Je hebt alle negen vlakken gebruikt.",
        "en": "✓ You used all nine cells.",
    },
    "w_your_empty_cells": {"nl": "Bij jou nog leeg:", "en": "Still empty for you:"},
    "error_ranking": {
        "nl": "Zet alle mogelijkheden in een volgorde.",
        "en": "Put all the options in an order.",
    },
    "w_ranking_help": {
        "nl": "Sleep de regels in de volgorde die jij kiest (bovenaan het belangrijkst), of "
        "gebruik de pijltjes.",
        "en": "Drag the lines into your order (most important at the top), or use the arrows.",
    },
    "w_move_up": {"nl": "Omhoog", "en": "Move up"},
    "w_move_down": {"nl": "Omlaag", "en": "Move down"},
    "w_mean_place": {"nl": "gem. plaats {place}", "en": "mean place {place}"},
    "w_spread": {"nl": "spreiding {spread}", "en": "spread {spread}"},
    "w_your_order": {"nl": "Jouw volgorde", "en": "Your order"},
    "w_word": {"nl": "Woord of korte zin {n}", "en": "Word or short phrase {n}"},
    "w_your_words": {"nl": "Jouw woorden", "en": "Your words"},
    "w_answered": {"nl": "beantwoord", "en": "answered"},
    "w_support": {"nl": "Steun deze vraag", "en": "Support this question"},
    "w_supported": {"nl": "keer gesteund", "en": "times supported"},
    "w_your_questions": {"nl": "Jouw vragen", "en": "Your questions"},
    "w_ask": {"nl": "Jouw vraag", "en": "Your question"},
    "w_ask_button": {"nl": "Stel je vraag", "en": "Ask"},
    # pages
    "w_language": {"nl": "Taal", "en": "Language"},
    "w_save": {"nl": "Opslaan", "en": "Save"},
    "w_code_title": {"nl": "Doe mee met een workshop", "en": "Join a workshop"},
    "w_code_wrong": {
        "nl": "Er is geen sessie met die code. Controleer de code op het scherm.",
        "en": "There is no session with that code. Check the code on the screen.",
    },
    "w_too_many_tries": {
        "nl": "Te veel verkeerde codes vanaf dit apparaat. Probeer het over {seconds} "
        "seconden opnieuw.",
        "en": "Too many wrong codes from this device. Try again in {seconds} seconds.",
    },
    "w_tries_note": {
        "nl": "Na tien verkeerde codes binnen een minuut moet je even wachten.",
        "en": "After ten wrong codes within a minute you have to wait a while.",
    },
    "w_no_real_names": {
        "nl": "Noem geen leerlingen of collega's in open antwoorden.",
        "en": "Do not name pupils or colleagues in open answers.",
    },
    "w_follow": {"nl": "De begeleider is bij: {title}", "en": "The facilitator is at: {title}"},
    "w_follow_go": {"nl": "Ga erheen", "en": "Go there"},
    "w_closed_banner": {
        "nl": "Deze oefening is gesloten. Je ziet je antwoorden, maar kunt ze nu niet wijzigen.",
        "en": "This exercise is closed. You see your answers but cannot change them now.",
    },
    "w_closed_refused": {
        "nl": "Niet opgeslagen: de begeleider heeft deze oefening gesloten.",
        "en": "Not saved: the facilitator has closed this exercise.",
    },
    "w_unsent": {
        "nl": "{n} antwoord(en) nog niet verstuurd; ze gaan vanzelf zodra er weer verbinding is.",
        "en": "{n} answer(s) not sent yet; they go as soon as the connection is back.",
    },
    "w_offline": {
        "nl": "Geen verbinding. Je antwoorden worden bewaard en later verstuurd.",
        "en": "No connection. Your answers are kept and sent later.",
    },
    "w_saved_here": {
        "nl": "Bewaard op dit apparaat, nog niet verstuurd",
        "en": "Kept on this device, not sent yet",
    },
    "w_previous": {"nl": "← Vorige", "en": "← Previous"},
    "w_updated": {"nl": "Bijgewerkt om {time}", "en": "Updated at {time}"},
    "w_responses": {"nl": "{n} deelnemers deden mee", "en": "{n} participants took part"},
    "w_responses_one": {"nl": "1 deelnemer deed mee", "en": "1 participant took part"},
    "w_join_at": {"nl": "Doe mee op", "en": "Join at"},
    "w_code_is": {"nl": "code {code}", "en": "code {code}"},
    "w_time_left": {"nl": "Nog {time}", "en": "{time} left"},
    "w_time_up": {"nl": "De tijd is om", "en": "Time is up"},
    "w_presenter": {"nl": "Presentatie", "en": "Presenter view"},
    "w_presenter_none": {
        "nl": "Kies op het dashboard een oefening om te tonen.",
        "en": "Choose an exercise on the dashboard to show it.",
    },
    "w_full_title": {"nl": "Het is even vol", "en": "It is full right now"},
    "w_full": {
        "nl": "Er zijn nu te veel verbindingen. Wacht een paar seconden en laad de pagina opnieuw.",
        "en": "There are too many connections right now. Wait a few seconds and reload the page.",
    },
    "w_not_found": {"nl": "Deze pagina bestaat niet.", "en": "This page does not exist."},
    "w_error": {
        "nl": "Er ging iets mis. Laad de pagina opnieuw; je opgeslagen antwoorden blijven bewaard.",
        "en": "Something went wrong. Reload the page; your saved answers are kept.",
    },
    "w_bad_request": {
        "nl": "Dit verzoek is niet geldig ({reason}). Laad de pagina opnieuw.",
        "en": "This request is not valid ({reason}). Reload the page.",
    },
    "w_too_large": {
        "nl": "Dit is te veel tekst in één keer.",
        "en": "This is too much text at once.",
    },
    "w_forbidden": {
        "nl": "Deze pagina is verlopen. Laad de pagina opnieuw en probeer het nog eens.",
        "en": "This page has expired. Reload it and try again.",
    },
    "w_who": {
        "nl": "Je doet mee als {name}.",
        "en": "You take part as {name}.",
    },
    "w_map_back": {"nl": "← Terug", "en": "← Back"},
    "w_session_ended": {
        "nl": "Deze workshop is afgesloten en de antwoorden van de deelnemers zijn verwijderd. "
        "Meedoen kan niet meer.",
        "en": "This workshop has ended and the participants' answers have been deleted. "
        "It is no longer possible to join.",
    },
    "w_skip": {"nl": "Naar de inhoud", "en": "Skip to content"},
    "w_start_over": {"nl": "Naar het begin", "en": "Back to the start"},
    "w_resume_unknown": {
        "nl": "Deze persoonlijke link werkt niet (meer). Doe opnieuw mee met een schuilnaam.",
        "en": "This personal link does not work (any more). Join again with a pseudonym.",
    },
    "w_results_title": {"nl": "Jij en de groep", "en": "You and the group"},
    "w_js_off": {
        "nl": "Zonder JavaScript sla je elk antwoord op met de knop Opslaan.",
        "en": "Without JavaScript, save each answer with the Save button.",
    },
}
