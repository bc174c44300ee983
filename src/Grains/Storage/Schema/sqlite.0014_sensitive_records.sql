-- A record sent in a sensitive message is sensitive for its patient from then on: its live state
-- (list, read, change pushes) reaches them only inside a re-authentication window. Set in the same
-- commit as the message; never cleared, because the patient may still hold that message.
ALTER TABLE artifacts ADD COLUMN sensitive INTEGER NOT NULL DEFAULT 0;
