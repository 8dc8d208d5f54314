-- Repairs every seeded problem of the sample CRM database that SQL can repair, so tests can
-- check that each control check stays quiet on the fixed variant. Run against database crm as
-- a superuser after `scripts/pg-sandbox load`. (Server settings that need files or a restart -
-- ssl, hba, archiving, data checksums, preloaded libraries - are repaired by the tests through
-- postgresql.conf / pg_hba.conf / pg_checksums; the log settings below take effect at the next
-- reload, logging_collector at the next restart.)
SET search_path = crm, public;

-- AC-03 / AC-05: nothing for PUBLIC.
REVOKE SELECT ON crm.contacts FROM PUBLIC;
REVOKE ALL ON SCHEMA crm FROM PUBLIC;

-- AC-01: no second superuser.
ALTER ROLE crm_dba NOSUPERUSER;
-- ENC-04: re-hash the md5 password as SCRAM.
SET password_encryption = 'scram-sha-256';
ALTER ROLE crm_legacy PASSWORD 'legacy-demo-secret-2';
-- AC-02: every login expires, every login has a password.
ALTER ROLE crm_app VALID UNTIL '2030-01-01';
ALTER ROLE crm_nopass NOLOGIN;

-- ENC-06: no plaintext passwords beside the bcrypt hashes.
ALTER TABLE users DROP COLUMN legacy_password;

-- ENC-05: resident ID numbers of leads encrypted with pgcrypto.
ALTER TABLE leads ADD COLUMN id_card_enc bytea;
UPDATE leads SET id_card_enc = pgp_sym_encrypt(id_card, 'crm-demo-key');
ALTER TABLE leads DROP COLUMN id_card;

-- RET-01: leads untouched for more than two years are erased.
DELETE FROM leads WHERE last_activity_at < now() - interval '2 years';
-- RET-02: soft-deleted contacts past the 30-day grace period are erased (deleted_at, or the
-- is_archived flag judged by updated_at); flagged users, whose deletion date is unknown, too.
CREATE TEMP TABLE expired_contacts AS
  SELECT id FROM contacts WHERE deleted_at < now() - interval '30 days'
     OR (is_archived AND updated_at < now() - interval '30 days');
DELETE FROM consents WHERE contact_id IN (SELECT id FROM expired_contacts);
UPDATE opportunities SET contact_id = NULL WHERE contact_id IN (SELECT id FROM expired_contacts);
DELETE FROM contacts WHERE id IN (SELECT id FROM expired_contacts);
DELETE FROM users WHERE is_deleted;

-- AC-04: row-level security on every table holding personal data, with a real predicate for
-- everyone and an explicit read policy for the auditor only.
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['accounts','users','contacts','leads','opportunities','activities',
                           'consents','customers','staff']
  LOOP
    EXECUTE format('ALTER TABLE crm.%I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_rows ON crm.%I USING '
                   '(current_setting(''crm.tenant'', true) = ''demo'')', t);
    EXECUTE format('CREATE POLICY auditor_read ON crm.%I FOR SELECT TO auditor USING (true)', t);
  END LOOP;
END $$;
ALTER TABLE "海外 Sales"."Kunden ""VIP"" select" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON "海外 Sales"."Kunden ""VIP"" select"
  USING (current_setting('crm.tenant', true) = 'demo');
CREATE POLICY auditor_read ON "海外 Sales"."Kunden ""VIP"" select" FOR SELECT TO auditor
  USING (true);

-- AC-06: the SECURITY DEFINER function gets a fixed search_path and is no longer PUBLIC's.
ALTER FUNCTION crm.account_contact_count(integer) SET search_path = pg_catalog, pg_temp;
REVOKE EXECUTE ON FUNCTION crm.account_contact_count(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION crm.account_contact_count(integer) TO crm_sales;
-- EXT-01: nothing needs to read server files.
DROP EXTENSION IF EXISTS file_fdw;
-- AUD-03: logs kept by the collector, owner-only, each line naming user, database and client.
ALTER SYSTEM SET logging_collector = on;
ALTER SYSTEM SET log_file_mode = '0600';
ALTER SYSTEM SET log_line_prefix = '%m [%p] %q%u@%d %r ';
SELECT pg_reload_conf();
