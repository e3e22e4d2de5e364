"""The API's operations described in German, as its users read them in the schema and the Swagger UI.

The views' docstrings stay the developers' notes; ``german_descriptions`` (a drf-spectacular
post-processing hook) puts the German text in their place. A new operation without one fails the
schema test (tests/test_openapi_valid.py).
"""

from __future__ import annotations

from typing import Any

DESCRIPTIONS: dict[str, str] = {
    # Datenschutz
    "v1_access_log_list": (
        "Zugriffsprotokoll der Organisation über alle Fälle, für ihre Datenschutzbeauftragten "
        "(``organisation``: welche ihrer Organisationen). Auch dieses Lesen wird protokolliert."
    ),
    "v1_access_log_alerts_list": (
        "Auffällige Zugriffe in der Organisation (eine Person öffnet in einer Stunde mehr Fälle als "
        "erlaubt), neueste zuerst, für ihre Datenschutzbeauftragten."
    ),
    "v1_access_log_export_retrieve": (
        "Zugriffsprotokoll der Organisation als CSV-Datei, für ihre Datenschutzbeauftragten."
    ),
    # Kooperationsvereinbarungen
    "v1_agreements_list": "Kooperationsvereinbarungen, an denen meine Organisationen beteiligt sind.",
    "v1_agreements_create": "Eine Kooperationsvereinbarung mit Fristen für Übergaben entwerfen.",
    "v1_agreements_retrieve": "Eine Kooperationsvereinbarung mit Beteiligten, Fristen und Krisenliste.",
    "v1_agreements_accept_create": (
        "Der Vereinbarung für meine Organisation zustimmen; mit der Zustimmung der letzten Partei tritt "
        "sie in Kraft."
    ),
    # Sprechstunden
    "v1_bookings_list": "Buchungen der Beratungssprechstunden meiner Organisationen.",
    "v1_bookings_cancel_create": "Eine Buchung absagen.",
    "v1_bookings_outcome_create": "Das Ergebnis einer Beratung in der Sprechstunde festhalten.",
    "v1_consultation_hours_list": "Beratungssprechstunden in Praxen des Netzwerks.",
    "v1_consultation_hours_create": "Eine Beratungssprechstunde in einer Praxis vorschlagen.",
    "v1_consultation_hours_retrieve": (
        "Eine Sprechstunde mit ihren Terminen der nächsten vier Wochen; Buchungen nur für Beteiligte."
    ),
    "v1_consultation_hours_answer_create": (
        "Die Koordination der Praxis stimmt einer vorgeschlagenen Sprechstunde zu oder lehnt sie ab."
    ),
    "v1_consultation_hours_bookings_create": "Einen Termin in der Sprechstunde buchen.",
    # Fälle
    "v1_cases_list": (
        "„Meine Fälle“: Fälle, an denen eine meiner Organisationen beteiligt ist; mit ``only_mine=true`` "
        "die Fälle, die ich führe oder in denen ich eine offene Aufgabe habe."
    ),
    "v1_cases_create": (
        "Einen Fall anlegen: das Kind (im Identitätstresor), der Anlass und der erste Schritt mit Datum."
    ),
    "v1_cases_retrieve": (
        "Ein Fall mit Beteiligten, Aufgaben und Verlauf, so weit meine Beteiligung ihn zeigt."
    ),
    "v1_cases_audit_list": (
        "Wer wann zu welchem Zweck auf den Fall zugegriffen hat (Koordination der fallführenden "
        "Organisation); filterbar nach Person, Organisation, Aktion und Zeitraum."
    ),
    "v1_cases_audit_export_retrieve": (
        "Das Zugriffsprotokoll des Falls als CSV-Datei (Semikolon; Zellen, die eine Tabellenkalkulation "
        "als Formel ausführen würde, beginnen mit einem Apostroph)."
    ),
    "v1_cases_care_takings_create": "Eine Inobhutnahme festhalten (§ 42 SGB VIII).",
    "v1_cases_care_takings_end_create": "Die Inobhutnahme endet, oder das Familiengericht hat entschieden.",
    "v1_cases_close_create": "Den Fall abschließen, mit Grund.",
    "v1_cases_conferences_list": "Die Fallkonferenzen des Falls, neueste zuerst.",
    "v1_cases_conferences_create": (
        "Eine Fallkonferenz planen: Fachkräfte der beteiligten Organisationen und Gäste auf "
        "Rechtsgrundlage oder Einwilligung, jeder Gast mit dem Tag, bis zu dem das Protokoll lesbar "
        "bleibt."
    ),
    "v1_cases_consultations_list": (
        "Fachberatungen des Falls: alle für die ärztliche Seite, die eigene für die beratende Fachstelle."
    ),
    "v1_cases_consultations_create": (
        "Eine Fachstelle pseudonymisiert um Beratung bitten (§ 4 Abs. 2 KKG); die Fragestellung wird auf "
        "identifizierende Angaben geprüft."
    ),
    "v1_cases_consultations_answer_create": (
        "Die beratende Fachstelle antwortet; die Antwort steht im Fallverlauf."
    ),
    "v1_cases_consultations_findings_retrieve": (
        "Was die beratende Fachstelle von den Befunden sieht: kodiert, ohne Freitext und ohne Gesichter."
    ),
    "v1_cases_court_referrals_create": "Das Familiengericht anrufen (§ 8a Abs. 2 SGB VIII, § 1666 BGB).",
    "v1_cases_crises_list": "Die Krisen des Falls, neueste zuerst.",
    "v1_cases_crises_create": (
        "Eine Krise auslösen: alle Zuständigen werden zugleich alarmiert. Ist für den Fall schon eine "
        "offen, schließt sich die Meldung ihr an (200 statt 201)."
    ),
    "v1_cases_duplicates_list": (
        "Andere offene Fälle meiner Organisation, die wahrscheinlich dasselbe Kind betreffen (genaue oder"
        " phonetische Übereinstimmung), noch ohne Entscheidung."
    ),
    "v1_cases_duplicates_compare": (
        "Beide Fälle nebeneinander (jedes Lesen mit den gezeigten Personen protokolliert)."
    ),
    "v1_cases_duplicates_distinct_create": "Festhalten, dass die beiden Fälle nicht dasselbe Kind betreffen.",
    "v1_cases_duplicates_join_create": (
        "Den neueren der beiden Fälle in den älteren zusammenführen, für meine Organisation (ihre "
        "Koordination)."
    ),
    "v1_cases_family_talks_list": (
        "Gespräche mit dem Kind und den Personensorgeberechtigten (§ 4 Abs. 1 KKG), neueste zuerst."
    ),
    "v1_cases_family_talks_create": (
        "Das Gespräch festhalten (wann, mit wem, Ergebnis) oder den Grund, warum es nicht geführt wurde."
    ),
    "v1_cases_findings_list": (
        "Die Befunddokumentationen des Falls, jede in ihrer aktuellen Fassung (für Heilberufe oder nach "
        "Freigabe)."
    ),
    "v1_cases_findings_create": (
        "Befunde dokumentieren; die Entscheidungshilfe wird berechnet und mit ihnen gespeichert."
    ),
    "v1_cases_findings_retrieve": "Eine Befunddokumentation mit allen Fassungen, neueste zuerst.",
    "v1_cases_findings_photos_list": (
        "Die Fotos der Dokumentation (ihre Beschreibungen; jedes Bild wird einzeln abgerufen)."
    ),
    "v1_cases_findings_photos_create": (
        "Ein Foto hinzufügen (JPEG, PNG oder HEIC, höchstens 20 MB): ohne Metadaten und verschlüsselt "
        "gespeichert."
    ),
    "v1_cases_findings_diagnostics_list": (
        "Die nach Leitlinie empfohlenen Untersuchungen der aktuellen Fassung, jede mit ihrem Stand."
    ),
    "v1_cases_findings_diagnostics_create": (
        "Eine empfohlene Untersuchung als durchgeführt oder – mit einem der festen Gründe – als nicht "
        "durchgeführt festhalten."
    ),
    "v1_cases_findings_photos_retrieve": "Ein Foto der Dokumentation (jeder Abruf wird protokolliert).",
    "v1_cases_findings_versions_create": (
        "Eine Dokumentation korrigieren: eine neue Fassung mit Begründung; die früheren bleiben lesbar."
    ),
    "v1_cases_findings_shares_list": "Für welche beteiligten Organisationen die Befunde freigegeben sind.",
    "v1_cases_findings_shares_create": (
        "Die Befunde des Falls für eine beteiligte Organisation freigeben, auf einer Rechtsgrundlage."
    ),
    "v1_cases_findings_shares_revoke_create": (
        "Eine Freigabe beenden: die Organisation liest die Befunde nicht mehr."
    ),
    "v1_cases_guardians_create": (
        "Eine personensorgeberechtigte Person zum Fall erfassen (im Identitätstresor)."
    ),
    "v1_cases_handover_create": "Die Fallführung einer anderen beteiligten Organisation anbieten.",
    "v1_cases_handover_answer_create": "Eine angebotene Fallführung übernehmen oder mit Begründung ablehnen.",
    "v1_cases_help_plans_list": (
        "Die Hilfepläne des Falls (ein Träger oder eine Klinik sieht die, an denen er mitwirkt)."
    ),
    "v1_cases_help_plans_create": (
        "Einen Hilfeplan aufstellen (§ 36 SGB VIII); der Träger wird beteiligt, die Fortschreibung wird "
        "eine Aufgabe."
    ),
    "v1_cases_help_plans_clinics_create": (
        "Nach der Entlassung wirkt die Klinik für Kinder- und Jugendpsychiatrie auf erfasste Einwilligung"
        " an der Hilfeplanung mit."
    ),
    "v1_cases_help_plans_review_create": (
        "Den Hilfeplan überprüfen und bis zur nächsten Überprüfung fortschreiben."
    ),
    "v1_cases_joins_retrieve": (
        "Zusammenführungen meiner Organisation um diesen Fall: der Fall, in den er überführt wurde, und "
        "die Fälle, die in ihn überführt wurden."
    ),
    "v1_cases_joins_undo_create": (
        "Eine Zusammenführung (oder ein „kein Doppelfall“) zurücknehmen; Zusammenführungen innerhalb von "
        "30 Tagen."
    ),
    "v1_cases_moves_create": (
        "Die Familie ist umgezogen: die neue Anschrift erfassen und den Fall dem dort zuständigen "
        "Jugendamt anbieten (§ 8a Abs. 6 SGB VIII)."
    ),
    "v1_cases_participations_create": "Eine Organisation zum Fall einladen, mit Rolle und Rechtsgrundlage.",
    "v1_cases_protection_retrieve": (
        "Schutzpläne, Anrufungen des Familiengerichts und Inobhutnahmen des Falls."
    ),
    "v1_cases_reports_list": (
        "Die Mitteilungen des Falls an das Jugendamt (die der eigenen Organisation; ein Jugendamt: die "
        "bei ihm eingegangenen)."
    ),
    "v1_cases_reports_create": (
        "Eine Mitteilung an das Jugendamt senden (§ 4 Abs. 3 KKG; Kita und freie Träger nach § 8a Abs. 4 "
        "SGB VIII) nach dem Meldebogen; das Jugendamt bestätigt den Eingang innerhalb der vereinbarten "
        "Frist."
    ),
    "v1_cases_risk_assessments_list": (
        "Die Gefährdungseinschätzungen des Falls, jede in ihrer aktuellen Fassung mit ihren Unterschriften."
    ),
    "v1_cases_risk_assessments_create": (
        "Eine Gefährdungseinschätzung festhalten (oder korrigieren: eine neue Fassung); eine zweite "
        "Fachkraft des Jugendamts muss unterschreiben, bevor sie gilt."
    ),
    "v1_cases_risk_assessments_sign_create": (
        "Die aktuelle Fassung als weitere Fachkraft des Jugendamts unterschreiben."
    ),
    "v1_cases_safety_plans_create": (
        "Einen Schutzplan aufstellen: jede Maßnahme wird eine Aufgabe der Person, die sie nachhält, dazu "
        "eine Prüfaufgabe."
    ),
    "v1_cases_specialist_advice_list": (
        "Die Beratung durch die insoweit erfahrene Fachkraft: vollständig für die Fallbeteiligten mit "
        "Identität, die eigene für die Fachkraft."
    ),
    "v1_cases_specialist_advice_create": (
        "Die pseudonymisiert beteiligte Fachkraft hält ihr Beratungsergebnis fest (auf identifizierende "
        "Angaben geprüft)."
    ),
    "v1_cases_tasks_create": "Eine Aufgabe mit verantwortlicher Person und Fälligkeit anlegen.",
    "v1_cases_tasks_complete_create": "Eine Aufgabe als erledigt festhalten.",
    "v1_cases_tasks_reassign_create": "Eine Aufgabe einer anderen Person übertragen.",
    "v1_children_search_list": (
        "Kinder in meinen Fällen, genau oder nach Klang (Kölner Phonetik) und Geburtsmonat gefunden."
    ),
    # Fallkonferenzen
    "v1_conferences_retrieve": (
        "Eine Fallkonferenz, für die Fallbeteiligten und für ihre Gäste, solange deren Zugang gilt."
    ),
    "v1_conferences_minutes_create": "Anwesenheit, Protokoll und Beschlüsse (jeder Beschluss eine Aufgabe).",
    # Krisen
    "v1_crises_list": (
        "Krisen, die ich ausgelöst habe, zu denen ich alarmiert wurde oder die ich über den Fall sehe: "
        "offene zuerst."
    ),
    "v1_crises_create": (
        "Eine Krise für einen noch nicht erfassten jungen Menschen auslösen (kurze Bezeichnung ohne "
        "Namen, Alter); alarmiert wird die Krisenliste der Vereinbarungen der Organisation."
    ),
    "v1_crises_retrieve": (
        "Die Krisentafel: wer wann über welchen Kanal alarmiert wurde, mit welchem Ergebnis, und wer "
        "geantwortet hat."
    ),
    "v1_crises_case_create": "Eine ohne Fall ausgelöste Krise dem Fall zuordnen, den sie betrifft.",
    "v1_crises_close_create": (
        "Die Krise mit Nachbesprechung schließen; bei ``admission`` wirkt die Klinik an der Hilfeplanung "
        "mit (auf erfasste Einwilligung), und das Jugendamt erhält die Aufgabe, das Hilfeplangespräch "
        "vorzubereiten."
    ),
    "v1_crises_emergency_call_create": "Festhalten, wann der Notruf (112) abgesetzt wurde.",
    "v1_crises_guardians_informed_create": (
        "Festhalten, dass die Personensorgeberechtigten informiert wurden."
    ),
    "v1_crises_respond_create": (
        "Die alarmierte Person antwortet: übernommen, unterwegs oder nicht zuständig (mit Grund)."
    ),
    # Übergaben, Hilfen, Meldungen
    "v1_handovers_list": "Angebotene Fallführungen, die meine Organisationen beantworten sollen.",
    "v1_help_offers_list": (
        "Der Hilfekatalog; ``postal_code`` behält die Angebote, die diese Postleitzahl bedienen (und die "
        "für das ganze Netzwerk)."
    ),
    "v1_help_offers_create": "Ein Hilfeangebot in den Katalog aufnehmen.",
    "v1_help_offers_retrieve": "Ein Hilfeangebot mit Zielgruppe, Einzugsgebiet und Wartezeit.",
    "v1_intakes_list": (
        "Der Meldungseingang meiner Jugendämter, Meldungen ohne Erstkontakt zuerst (nach Frist); "
        "seitenweise wie jede Liste."
    ),
    "v1_intakes_create": (
        "Eine Meldung erfassen: sie eröffnet einen Fall (ein wahrscheinlicher Doppelfall wird ohne "
        "Bestätigung abgelehnt) oder wird einem Fall zugeordnet."
    ),
    "v1_intakes_retrieve": "Eine Meldung mit meldender Person, soweit erfasst (jedes Lesen protokolliert).",
    "v1_intakes_feedback_create": (
        "Rückmeldung nach § 4 Abs. 4 KKG an die Organisation einer meldenden Fachkraft: drei Antworten, "
        "ein fester Hinweis und eine Rückrufnummer, kein Freitext."
    ),
    "v1_intakes_first_contact_create": "Erstkontakt hergestellt: die Frist ist erfüllt.",
    "v1_invitations_list": "Einladungen meiner Organisationen in Fälle, die noch beantwortet werden müssen.",
    "v1_invitations_answer_create": "Eine Einladung in einen Fall annehmen oder ablehnen.",
    "v1_jurisdiction_retrieve": (
        "Das für eine Postleitzahl (und Gemeinde, wo sie geteilt ist) zuständige Jugendamt."
    ),
    # Wissen
    "v1_knowledge_list": "Volltextsuche über die Artikel, die für meine Organisationen veröffentlicht sind.",
    "v1_knowledge_articles_create": "Einen Artikel in der Wissensdatenbank veröffentlichen.",
    "v1_knowledge_articles_retrieve": "Ein Artikel mit seinen Anhängen.",
    "v1_knowledge_articles_attachments_create": (
        "Eine Datei an einen Artikel anhängen (PDF, Office, OpenDocument, PNG, JPEG; höchstens 20 MB)."
    ),
    "v1_knowledge_articles_attachments_retrieve": "Ein Anhang eines Artikels als Datei.",
    "v1_knowledge_synonyms_list": "Die Synonyme, die die Suche anwendet („KWG“ = „Kindeswohlgefährdung“).",
    "v1_knowledge_synonyms_create": "Eine Synonymgruppe anlegen (Koordinationen und Netzwerkadministration).",
    "v1_knowledge_synonyms_destroy": "Eine Synonymgruppe löschen.",
    "v1_knowledge_synonyms_update": "Die Begriffe einer Synonymgruppe ersetzen (Koordinationen und "
    "Netzwerkadministration).",
    "v1_knowledge_topics_list": "Die für meine Organisationen veröffentlichten Artikel nach Schlagworten.",
    # Konto
    "v1_me_retrieve": "Die angemeldete Person und die Organisationen, für die sie handelt.",
    "v1_me_tokens_list": (
        "Meine API-Token (auch widerrufene und abgelaufene); die Token selbst werden nie wieder angezeigt."
    ),
    "v1_me_tokens_create": "Ein neues API-Token; die Antwort enthält es ein einziges Mal.",
    "v1_me_tokens_revoke_create": "Eines meiner API-Token widerrufen: es gilt sofort nicht mehr.",
    # Treffen
    "v1_meetings_list": "Treffen meiner Organisationen und die im Netzwerk veröffentlichten, neueste zuerst.",
    "v1_meetings_create": "Ein Netzwerktreffen planen.",
    "v1_meetings_retrieve": "Ein Treffen mit Einladungen, Protokoll, Beschlüssen und Aufgaben.",
    "v1_meetings_action_items_create": "Eine Aufgabe aus dem Treffen anlegen.",
    "v1_meetings_action_items_complete_create": "Eine Aufgabe aus dem Treffen als erledigt festhalten.",
    "v1_meetings_attendance_create": "Die Anwesenheit beim Treffen festhalten.",
    "v1_meetings_calendar.ics_retrieve": "Das Treffen als Kalendereintrag (.ics).",
    "v1_meetings_cancel_create": "Das Treffen absagen; die Eingeladenen werden benachrichtigt.",
    "v1_meetings_invitees_create": "Weitere Personen, Teams oder Organisationen einladen.",
    "v1_meetings_minutes_update": "Das Protokoll des Treffens schreiben oder ändern.",
    "v1_meetings_minutes.pdf_retrieve": "Das Protokoll des Treffens als PDF.",
    "v1_meetings_reschedule_create": "Das Treffen verschieben; die Eingeladenen werden benachrichtigt.",
    "v1_meetings_response_create": "Zu- oder Absage zu einer Einladung.",
    "meetings_invitables": (
        "Personen, Teams und Organisationen, die zu einem Treffen eingeladen werden können und deren "
        "Namen jedes Wort von ``q`` enthalten; höchstens acht je Art."
    ),
    # Netzwerk
    "v1_memberships_partial_update": (
        "Rolle, Funktion, Beruf, Telefon oder Team einer Person ändern (Koordination der Organisation); "
        "nicht gesendete Felder bleiben, wie sie sind."
    ),
    "v1_memberships_end_create": (
        "Eine Mitgliedschaft beenden; künftige Rufbereitschaften der Person entfallen."
    ),
    "v1_moves_retrieve": (
        "Ein Übergabeangebot nach Umzug mit dem, was das neue Jugendamt zur Einschätzung braucht."
    ),
    "v1_moves_answer_create": "Das angebotene Jugendamt übernimmt den Fall oder lehnt mit Begründung ab.",
    "v1_on_call_shifts_cancel_create": "Eine Rufbereitschaft zurücknehmen.",
    "v1_organisations_list": "Organisationen des Netzwerks, suchbar nach Name, Art und Ort.",
    "v1_organisations_retrieve": "Eine Organisation mit Teams, Kontaktwegen und Mitgliedern.",
    "v1_organisations_partial_update": "Angaben einer Organisation ändern (ihre Koordination).",
    "v1_organisations_alert_channels_retrieve": (
        "Wie Krisenalarme die Organisation außer über Postfach und E-Mail erreichen, mit dem "
        "Signaturschlüssel des Webhooks: für die Koordination der Organisation."
    ),
    "v1_organisations_jurisdiction_areas_list": "Die Postleitzahlen, für die das Jugendamt zuständig ist.",
    "v1_organisations_jurisdiction_areas_create": (
        "Eine Postleitzahl (oder einen Teil einer geteilten) dem Jugendamt zuordnen."
    ),
    "v1_organisations_members_create": (
        "Eine Person mit Konto (Benutzername und E-Mail-Adresse) in die Organisation aufnehmen "
        "(Koordination der Organisation); protokolliert, die Koordination wird informiert."
    ),
    "v1_organisations_on_call_retrieve": (
        "Wer in der Organisation jetzt (oder zu ``at``) Rufbereitschaft hat, und die Lücken der nächsten "
        "7 Tage."
    ),
    "v1_organisations_on_call_create": "Eine Rufbereitschaft eintragen.",
    "v1_organisations_units_create": "Ein Team der Organisation anlegen.",
    "v1_referrals_list": (
        "Vermittlungen in Hilfen, die meine Organisationen veranlasst oder erhalten haben, offene zuerst."
    ),
    "v1_referrals_create": "Eine Familie an ein Hilfeangebot vermitteln (auf erfasste Einwilligung).",
    "v1_referrals_retrieve": "Eine Vermittlung mit ihrem Stand.",
    "v1_referrals_status_create": "Den Stand einer Vermittlung festhalten.",
    # Mitteilungen an das Jugendamt
    "v1_reports_inbox": (
        "Beim Jugendamt eingegangene Mitteilungen (unbestätigte zuerst) und die von meiner Einrichtung "
        "gesendeten, mit ausstehender oder gegebener Rückmeldung."
    ),
    "v1_reports_retrieve": (
        "Die Mitteilung mit der Identität des Kindes und der Eltern (jedes Lesen protokolliert)."
    ),
    "v1_reports_acknowledge_create": (
        "Das Jugendamt bestätigt den Eingang: es wird am Fall beteiligt und übernimmt die Fallführung."
    ),
    "v1_reports_feedback_create": (
        "Rückmeldung nach § 4 Abs. 4 KKG: Anhaltspunkte bestätigt, Jugendamt tätig geworden, noch tätig; "
        "ein fester Hinweis und eine Rückrufnummer, kein Freitext."
    ),
    "v1_reports_involve_reporter_create": (
        "Die meldende Stelle an der Gefährdungseinschätzung beteiligen (eine Aufgabe mit Datum im Fall)."
    ),
    "v1_reports_pdf_retrieve": "Die Mitteilung als PDF (jedes Lesen protokolliert).",
    "v1_response_time_retrieve": (
        "Frist und Kontaktweg, die für eine Übergabe gelten, aus den Vereinbarungen oder dem Standard."
    ),
    "v1_tasks_list": "„Meine Aufgaben“: offene Aufgaben, überfällige zuerst.",
}


def german_descriptions(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """Each operation's German description as its summary, in place of its docstring (drf-spectacular
    hook)."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            text = DESCRIPTIONS.get(operation.get("operationId", ""))
            if text is not None:  # shown beside the path in Swagger UI's list
                operation["summary"] = text
                operation.pop("description", None)
    return result
