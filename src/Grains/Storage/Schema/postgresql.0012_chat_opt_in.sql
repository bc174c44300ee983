-- Chat opt-in per clinic (see sqlite.0020_chat_opt_in.sql): a clinic without a row follows patients.chat_opt_in.
CREATE TABLE IF NOT EXISTS patient_clinic_chat
(
    patient_id    TEXT   NOT NULL,
    clinic_id     TEXT   NOT NULL,
    opt_in        BIGINT NOT NULL,
    changed_at_ms BIGINT NOT NULL,
    PRIMARY KEY (patient_id, clinic_id)
);
