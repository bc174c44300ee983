-- The name the sender gave the file, shown on its card. Downloads still use server-made names.
ALTER TABLE attachments ADD COLUMN display_name TEXT NOT NULL DEFAULT '';
