-- The country a clinic's phone numbers are in (ISO 3166 alpha-2, as libphonenumber names regions): a number typed
-- without + (the clinic's phone, its patients' mobiles) is read as one of that country. NULL: the deployment's
-- ClinicChat:Sms:DefaultRegion, as before, so existing clinics read numbers as they did.
ALTER TABLE clinics ADD COLUMN IF NOT EXISTS country TEXT NULL;
