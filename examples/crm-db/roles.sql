-- Cluster roles of the sample CRM database, with seeded problems (see README.md).
-- Idempotent: run against database "postgres" after database crm has been dropped.
DO $$
DECLARE r text;
BEGIN
  FOREACH r IN ARRAY ARRAY['crm_owner','crm_app','crm_legacy','crm_dba','crm_nopass','auditor','crm_sales']
  LOOP
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
      EXECUTE format('DROP OWNED BY %I CASCADE', r);
      EXECUTE format('DROP ROLE %I', r);
    END IF;
  END LOOP;
END $$;

CREATE ROLE crm_owner NOLOGIN;
CREATE ROLE crm_sales NOLOGIN;
-- The application login: scram verifier, but never expires.
SET password_encryption = 'scram-sha-256';
CREATE ROLE crm_app LOGIN PASSWORD 'app-demo-secret' IN ROLE crm_sales;
-- Seeded: an md5 password verifier.
SET password_encryption = 'md5';
CREATE ROLE crm_legacy LOGIN PASSWORD 'legacy-demo-secret' VALID UNTIL '2030-01-01';
RESET password_encryption;
-- Seeded: a second superuser that can log in.
CREATE ROLE crm_dba LOGIN SUPERUSER PASSWORD 'dba-demo-secret' VALID UNTIL '2030-01-01';
-- Seeded: a login without any password.
CREATE ROLE crm_nopass LOGIN;
-- The least-privilege auditor of docs/auditor-role.md (grants on CRM schemas in grants.sql).
CREATE ROLE auditor LOGIN PASSWORD 'auditor-demo-secret' VALID UNTIL '2030-01-01';
GRANT pg_monitor TO auditor;
