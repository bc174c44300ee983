-- A staff invitation sent again gets a new secret; the link before it stops working. Its hash is kept here, so that link
-- says "a newer one was sent" instead of "not valid" (the person holds a link that was real). Only the one before: a
-- holder of an older link is most likely holding the newest email too.
ALTER TABLE invitations ADD COLUMN IF NOT EXISTS replaced_token_hash TEXT;
