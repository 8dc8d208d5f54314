-- Sample CRM database for MariaDB/MySQL, shaped like SuiteCRM/SugarCRM (char(36) ids, `deleted`
-- flags, primary_address_* and phone_* columns, e-mail addresses in their own table linked by
-- email_addr_bean_rel, custom fields in *_cstm). Loaded by scripts/mariadb-sandbox into the
-- databases `crm` and `crm_archive`. Character sets on purpose: tables are utf8mb4, but
-- leads.last_name is a legacy latin1 column and contacts_cstm.local_name_c a gbk column, both
-- holding correctly encoded non-ASCII names; contacts_cstm.preferences_c is a JSON column.
CREATE DATABASE crm CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE DATABASE crm_archive CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
USE crm;

CREATE TABLE users (
  id             char(36) NOT NULL PRIMARY KEY,
  user_name      varchar(60),
  user_hash      varchar(255),
  first_name     varchar(255),
  last_name      varchar(255),
  phone_work     varchar(50),
  phone_mobile   varchar(50),
  status         varchar(100),
  is_admin       tinyint(1) DEFAULT 0,
  date_entered   datetime,
  date_modified  datetime,
  deleted        tinyint(1) DEFAULT 0
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE accounts (
  id                          char(36) NOT NULL PRIMARY KEY,
  name                        varchar(150),
  account_type                varchar(50),
  industry                    varchar(50),
  billing_address_street      varchar(150),
  billing_address_city        varchar(100),
  billing_address_postalcode  varchar(20),
  billing_address_country     varchar(255),
  phone_office                varchar(100),
  website                     varchar(255),
  assigned_user_id            char(36),
  date_entered                datetime,
  date_modified               datetime,
  deleted                     tinyint(1) DEFAULT 0
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE contacts (
  id                          char(36) NOT NULL PRIMARY KEY,
  salutation                  varchar(255),
  first_name                  varchar(100),
  last_name                   varchar(100),
  title                       varchar(100),
  birthdate                   date,
  phone_home                  varchar(100),
  phone_mobile                varchar(100),
  phone_work                  varchar(100),
  primary_address_street      varchar(150),
  primary_address_city        varchar(100),
  primary_address_postalcode  varchar(20),
  primary_address_country     varchar(255),
  description                 text,
  assigned_user_id            char(36),
  date_entered                datetime,
  date_modified               datetime,
  deleted                     tinyint(1) DEFAULT 0
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Custom fields (SuiteCRM Studio puts them in <module>_cstm keyed by id_c).
CREATE TABLE contacts_cstm (
  id_c           char(36) NOT NULL PRIMARY KEY,
  local_name_c   varchar(100) CHARACTER SET gbk,   -- legacy GBK column: Chinese names
  preferences_c  json                              -- nested contact details
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE leads (
  id                          char(36) NOT NULL PRIMARY KEY,
  first_name                  varchar(100),
  last_name                   varchar(100) CHARACTER SET latin1,  -- legacy latin1 column
  birthdate                   date,
  phone_mobile                varchar(100),
  phone_work                  varchar(100),
  primary_address_street      varchar(150),
  primary_address_city        varchar(100),
  primary_address_postalcode  varchar(20),
  primary_address_country     varchar(255),
  lead_source                 varchar(100),
  status                      varchar(100),
  date_entered                datetime,
  date_modified               datetime,
  deleted                     tinyint(1) DEFAULT 0
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE email_addresses (
  id                  char(36) NOT NULL PRIMARY KEY,
  email_address       varchar(255),
  email_address_caps  varchar(255),
  invalid_email       tinyint(1) DEFAULT 0,
  opt_out             tinyint(1) DEFAULT 0,
  date_created        datetime,
  deleted             tinyint(1) DEFAULT 0
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE email_addr_bean_rel (
  id                char(36) NOT NULL PRIMARY KEY,
  email_address_id  char(36) NOT NULL,
  bean_id           char(36),
  bean_module       varchar(100),
  primary_address   tinyint(1) DEFAULT 0,
  deleted           tinyint(1) DEFAULT 0
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE accounts_contacts (
  id          char(36) NOT NULL PRIMARY KEY,
  contact_id  char(36),
  account_id  char(36),
  deleted     tinyint(1) DEFAULT 0
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- A reporting view over contacts and their primary e-mail address.
CREATE VIEW contact_directory AS
  SELECT c.id, c.first_name, c.last_name, e.email_address, c.phone_mobile
  FROM contacts c
  JOIN email_addr_bean_rel r ON r.bean_id = c.id AND r.bean_module = 'Contacts' AND r.deleted = 0
  JOIN email_addresses e ON e.id = r.email_address_id
  WHERE c.deleted = 0;

-- A second database the scanning account can see: an old export nobody cleaned up.
CREATE TABLE crm_archive.leads_2019 (
  id             char(36) NOT NULL PRIMARY KEY,
  full_name      varchar(200),
  email_address  varchar(255),
  phone_mobile   varchar(100),
  exported_at    datetime
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
