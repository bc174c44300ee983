-- Chat opt-in per clinic (issue 20): a patient may chat with one clinic and not with another. A row is the patient's
-- own choice for that clinic; a clinic without a row follows patients.chat_opt_in (the account's one switch before
-- this table, and still what "every clinic" in Communication preferences sets), so no row needs copying here.
CREATE TABLE IF NOT EXISTS patient_clinic_chat
(
    patient_id    TEXT    NOT NULL,
    clinic_id     TEXT    NOT NULL,
    opt_in        INTEGER NOT NULL,
    changed_at_ms INTEGER NOT NULL,
    PRIMARY KEY (patient_id, clinic_id)
);
