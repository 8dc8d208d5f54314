-- Repairs every problem accounts.sql seeds (run after it, as the administrator): what the
-- remediation of each MY-* finding says, applied. Afterwards a scan reports none of the
-- seeded findings; MY-ENC-01, MY-ENC-03 and MY-BAK-01 still fail on the sandbox, whose
-- server has no certificate, key management plugin or binary log (they need a restart).

-- MY-AC-01, MY-AC-02, MY-AC-04: accounts nobody should have.
DROP USER IF EXISTS 'crm_report'@'%';
DROP USER IF EXISTS ''@'localhost';
DROP USER IF EXISTS 'root'@'%';

-- MY-AC-03, MY-AC-07, MY-AC-08: the admin account loses its global privileges, is limited to
-- the application subnet and keeps what the CRM needs on its own schema.
REVOKE ALL PRIVILEGES, GRANT OPTION FROM 'crm_admin'@'%';
RENAME USER 'crm_admin'@'%' TO 'crm_admin'@'10.0.0.%';
GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, INDEX ON crm.* TO 'crm_admin'@'10.0.0.%';
REVOKE SUPER, FILE, PROCESS ON *.* FROM 'crm_ops'@'localhost';

-- MY-AC-06: ed25519 instead of mysql_native_password.
INSTALL PLUGIN IF NOT EXISTS ed25519 SONAME 'auth_ed25519';
ALTER USER 'crm_admin'@'10.0.0.%' IDENTIFIED VIA ed25519 USING PASSWORD('Sandbox-Admin-2c9d!');
ALTER USER 'crm_ops'@'localhost' IDENTIFIED VIA ed25519 USING PASSWORD('Sandbox-Ops-41b7!');
ALTER USER 'crm_app'@'10.0.0.%' IDENTIFIED VIA ed25519 USING PASSWORD('Sandbox-App-5f02!');

-- MY-AC-05: passwords expire after 180 days.
SET GLOBAL default_password_lifetime = 180;

-- MY-CFG-01, MY-AUD-01: no LOAD DATA LOCAL, no general query log.
SET GLOBAL local_infile = OFF;
SET GLOBAL general_log = OFF;

-- MY-AUD-02: the audit plugin records connections, DDL and grants.
INSTALL PLUGIN IF NOT EXISTS server_audit SONAME 'server_audit';
SET GLOBAL server_audit_events = 'CONNECT,QUERY_DDL,QUERY_DCL';
SET GLOBAL server_audit_logging = ON;
