-- Server-level problems seeded for the MySQL/MariaDB controls (MY-* checks,
-- policies/checks/mysql-*.json), loaded by scripts/mariadb-sandbox as the administrator after
-- schema.sql, data.sql and the scanning account. fixed.sql repairs every one of them.
-- Passwords here are sandbox-only secrets: the accounts exist only inside a throwaway server.
-- Re-runnable: every account is dropped first.
--
-- What a scan of this server reports, by check:
--   MY-AC-01  'crm_report'@'%' and ''@'localhost' log in with an empty password
--   MY-AC-02  ''@'localhost' is an anonymous account
--   MY-AC-03  'crm_report'@'%', 'crm_admin'@'%' and 'root'@'%' accept logins from any host
--   MY-AC-04  'root'@'%': root reachable from other hosts
--   MY-AC-05  default_password_lifetime = 0: no password expires
--   MY-AC-06  every password account uses mysql_native_password (MariaDB's IDENTIFIED BY)
--   MY-AC-07  'crm_admin'@'%' has ALL PRIVILEGES on *.*; 'crm_ops'@'localhost' SUPER, FILE, PROCESS
--   MY-AC-08  crm's tables readable by the anonymous account and by crm_admin's global SELECT
--   MY-CFG-01 local_infile = ON
--   MY-AUD-01 general_log = ON while crm holds personal data
--   MY-AUD-02 no audit plugin
-- The sandbox server itself has no TLS certificate, no key management plugin and no binary
-- log (MY-ENC-01, MY-ENC-03, MY-BAK-01 fail in both variants: they need a restart, not SQL).

-- A server without an audit log (fixed.sql installs it; this file may run after fixed.sql).
UNINSTALL PLUGIN IF EXISTS server_audit;

DROP USER IF EXISTS 'crm_report'@'%', ''@'localhost', 'crm_admin'@'%', 'crm_admin'@'10.0.0.%',
  'root'@'%', 'crm_ops'@'localhost', 'crm_app'@'10.0.0.%';

-- A reporting account created in a hurry: no password, from anywhere.
CREATE USER 'crm_report'@'%' IDENTIFIED BY '';
GRANT SELECT ON crm.contacts TO 'crm_report'@'%';

-- The anonymous account an old installer left behind, able to read the CRM.
CREATE USER ''@'localhost';
GRANT SELECT ON crm.* TO ''@'localhost';

-- The CRM's installer asked for an "admin" account and got everything, from anywhere.
CREATE USER 'crm_admin'@'%' IDENTIFIED BY 'Sandbox-Admin-2c9d!';
GRANT ALL PRIVILEGES ON *.* TO 'crm_admin'@'%' WITH GRANT OPTION;

-- root opened to the network "for the migration".
CREATE USER 'root'@'%' IDENTIFIED BY 'Sandbox-Root-8e1a!';
GRANT ALL PRIVILEGES ON *.* TO 'root'@'%' WITH GRANT OPTION;

-- An operations account with server-wide powers it does not need.
CREATE USER 'crm_ops'@'localhost' IDENTIFIED BY 'Sandbox-Ops-41b7!';
GRANT SUPER, FILE, PROCESS ON *.* TO 'crm_ops'@'localhost';

-- The application account: rightly limited to its subnet and schema, but on the weak plugin.
CREATE USER 'crm_app'@'10.0.0.%' IDENTIFIED BY 'Sandbox-App-5f02!';
GRANT SELECT, INSERT, UPDATE, DELETE ON crm.* TO 'crm_app'@'10.0.0.%';

-- Server settings changed at runtime (the sandbox starts from defaults each time).
SET GLOBAL default_password_lifetime = 0;
SET GLOBAL local_infile = ON;
SET GLOBAL log_output = 'FILE';
SET GLOBAL general_log = ON;
