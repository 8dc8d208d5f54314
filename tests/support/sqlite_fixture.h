// SQLite databases for tests, built with the real sqlite3 library: a CRM-shaped database in
// the layout of an open-source CRM (EspoCRM-like account / contact / lead / email_address /
// phone_number tables) with the mess of real data, and a writer process that holds a
// database's lock or keeps its write-ahead log open while crmaudit reads.
#pragma once

#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>

namespace crmaudit::testing {

// Runs `sql` on the database at `path` (created if missing); throws with SQLite's message.
inline void ExecSql(const std::filesystem::path& path, const std::string& sql) {
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) {
    sqlite3_close(db);
    throw std::runtime_error("cannot create " + path.string());
  }
  char* error = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  std::string message = error != nullptr ? error : "";
  sqlite3_free(error);
  sqlite3_close(db);
  if (rc != SQLITE_OK) throw std::runtime_error("SQL failed: " + message);
}

// EspoCRM-like schema and rows: names, street addresses, birth dates, e-mail addresses (two in
// one cell once), national phone formats, NULLs and empty cells, a BLOB photo column (binary
// and text BLOBs), and decoys (a product catalogue, company
// names, created dates, a view).
inline constexpr const char* kCrmSql = R"SQL(
CREATE TABLE account (
  id TEXT PRIMARY KEY, name TEXT, website TEXT, industry TEXT, created_at TEXT,
  deleted INTEGER NOT NULL DEFAULT 0);
INSERT INTO account VALUES
  ('a1', 'Acme Corporation', 'https://acme.example', 'Manufacturing', '2023-01-04 10:00:00', 0),
  ('a2', 'Globex GmbH', 'https://globex.example', 'Energy', '2023-02-11 09:30:00', 0),
  ('a3', 'Initech SARL', NULL, '', '2023-03-19 14:10:00', 0),
  ('a4', 'Umbrella SpA', 'https://umbrella.example', 'Biotech', '2023-04-02 08:00:00', 1);
CREATE TABLE contact (
  id TEXT PRIMARY KEY, salutation_name TEXT, first_name TEXT, last_name TEXT, account_id TEXT,
  address_street TEXT, address_city TEXT, address_postal_code TEXT, address_country TEXT,
  birthday TEXT, photo BLOB, created_at TEXT, deleted INTEGER NOT NULL DEFAULT 0);
INSERT INTO contact VALUES
  ('c1', 'Ms.', 'Jane', 'Doe', 'a1', '221B Baker Street', 'London', 'NW1 6XE', 'United Kingdom',
   '1985-03-02', X'89504E470D0A1A0A0000000D49484452', '2023-11-05 10:22:01', 0),
  ('c2', 'Mr.', 'Jürgen', 'Müller', 'a2', 'Hauptstraße 5', 'Berlin', '10115', 'Germany',
   NULL, NULL, '2023-11-06 08:00:00', 0),
  ('c3', 'Ms.', 'Marie', 'Dubois', 'a3', '12 rue de Rivoli', 'Paris', '75001', 'France',
   '1979-12-24', NULL, '2023-11-07 09:15:00', 0),
  ('c4', '', '', 'Rossi', 'a4', '', 'Roma', '00184', 'Italy', '1990-07-15', NULL,
   '2023-11-08 12:00:00', 1),
  ('c5', 'Mr.', 'Pieter', 'van Dijk', 'a1', 'Keizersgracht 123', 'Amsterdam', '1015 CJ',
   'Netherlands', '1968-01-30', CAST('not a photo, just text' AS BLOB), '2023-11-09 16:45:00', 0),
  ('c6', 'Mr.', 'Robert', 'Miller', 'a2', '350 Fifth Avenue', 'New York', '10118',
   'United States', '1972-05-17', NULL, '2023-11-10 11:11:11', 0),
  ('c7', 'Ms.', 'Jennifer', 'Davis', 'a3', '742 Evergreen Terrace', 'Springfield', '97403',
   'United States', '1988-09-09', NULL, '2023-11-11 12:12:12', 0),
  ('c8', 'Mr.', 'David', 'Martinez', NULL, '10 Downing Street', 'London', 'SW1A 2AA',
   'United Kingdom', '1961-11-21', NULL, '2023-11-12 13:13:13', 0);
CREATE TABLE email_address (
  id TEXT PRIMARY KEY, name TEXT, lower TEXT, invalid INTEGER DEFAULT 0, opt_out INTEGER);
INSERT INTO email_address VALUES
  ('e1', 'Jane.Doe@acme-mail.example.com', 'jane.doe@acme-mail.example.com', 0, 0),
  ('e2', 'juergen.mueller@globex-mail.de', 'juergen.mueller@globex-mail.de', 0, NULL),
  ('e3', 'marie.dubois@initech-mail.fr', 'marie.dubois@initech-mail.fr', 0, 1),
  ('e4', 'pieter@vandijk.nl', 'pieter@vandijk.nl', 1, 0),
  ('e5', 'robert.miller@mailbox.example.org', 'robert.miller@mailbox.example.org', 0, 0),
  ('e6', '', NULL, 0, 0);
CREATE TABLE phone_number (id TEXT PRIMARY KEY, name TEXT, type TEXT, numeric TEXT);
INSERT INTO phone_number VALUES
  ('p1', '+44 20 7946 0958', 'Office', '442079460958'),
  ('p2', '+49 30 901820', 'Office', '4930901820'),
  ('p3', '+33 1 42 68 53 00', 'Mobile', '33142685300'),
  ('p4', '+31 20 555 0134', 'Home', '31205550134'),
  ('p5', '+1 (212) 555-0147', 'Mobile', '12125550147'),
  ('p6', NULL, 'Fax', NULL);
CREATE TABLE lead (
  id TEXT PRIMARY KEY, first_name TEXT, last_name TEXT, email TEXT, phone TEXT, status TEXT,
  source TEXT, notes TEXT, created_at TEXT);
INSERT INTO lead VALUES
  ('l1', 'Mary', 'Johnson', 'mary.johnson@example.com; m.johnson@work-mail.example.net',
   '+1 415 555 0132', 'New', 'Web Site', 'Asked for a call back', '2024-01-15 10:22:00'),
  ('l2', 'Linda', 'Garcia', 'linda.garcia@example.org', '+1 512 555 0199', 'Assigned', 'Call',
   NULL, '2024-01-16 11:00:00'),
  ('l3', 'Michael', 'Wilson', 'michael.wilson@example.net', '', 'In Process', 'Email', '',
   '2024-01-17 09:30:00'),
  ('l4', 'Susan', 'Taylor', '', '+1 646 555 0175', 'Converted', 'Partner', NULL,
   '2024-01-18 14:05:00'),
  ('l5', 'James', 'Smith', 'james.smith@example.com', '+1 (303) 555-0110', 'New', 'Web Site',
   'Meet in Zürich', '2024-01-19 16:40:00');
CREATE TABLE product (id INTEGER PRIMARY KEY, name TEXT, sku TEXT, price REAL, created_at TEXT);
INSERT INTO product VALUES
  (1, 'Widget Pro', 'WP-100', 49.9, '2022-05-01'), (2, 'Widget Max', 'WM-200', 79.5, '2022-06-01'),
  (3, 'Gadget Lite', 'GL-300', 19.0, '2022-07-01'), (4, 'Gadget Pro', 'GP-400', 99.0, NULL);
CREATE VIEW active_contact AS
  SELECT first_name, last_name, birthday, address_city FROM contact WHERE deleted = 0;
)SQL";

// A child process that opens `path` and either takes SQLite's write lock (BEGIN EXCLUSIVE with
// a pending change, rollback-journal mode) or, in WAL mode, commits a change and keeps the
// connection open so the -wal file holds it. Killed when the object goes away.
class SqliteWriter {
 public:
  enum class Mode { kExclusiveLock, kOpenWal };

  SqliteWriter(const std::filesystem::path& path, Mode mode) {
    int ready[2];
    if (::pipe(ready) != 0) throw std::runtime_error("pipe");
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork");
    if (pid_ == 0) {
      ::close(ready[0]);
      sqlite3* db = nullptr;
      sqlite3_open(path.c_str(), &db);
      const char* sql = mode == Mode::kExclusiveLock
                            ? "PRAGMA journal_mode=DELETE; BEGIN EXCLUSIVE; "
                              "INSERT INTO product(name) VALUES ('locked row');"
                            : "PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0; "
                              "INSERT INTO product(name) VALUES ('row only in the log');";
      const int rc = sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
      const char state = rc == SQLITE_OK ? 'y' : 'n';
      (void)!::write(ready[1], &state, 1);
      for (;;) ::pause();  // holds the lock / the open log until killed
    }
    ::close(ready[1]);
    char state = 'n';
    (void)!::read(ready[0], &state, 1);
    ::close(ready[0]);
    if (state != 'y') throw std::runtime_error("the writer could not prepare the database");
  }
  ~SqliteWriter() {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  SqliteWriter(const SqliteWriter&) = delete;
  SqliteWriter& operator=(const SqliteWriter&) = delete;

 private:
  pid_t pid_ = -1;
};

// Every file in `folder` (names, sizes, modification times and bytes), to show that a scan
// wrote nothing there.
inline std::map<std::string, std::string> FolderState(const std::filesystem::path& folder) {
  std::map<std::string, std::string> state;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    std::string bytes;
    if (entry.is_regular_file()) {
      FILE* f = std::fopen(entry.path().c_str(), "rb");
      char buffer[65536];
      size_t n = 0;
      while (f != nullptr && (n = std::fread(buffer, 1, sizeof buffer, f)) > 0)
        bytes.append(buffer, n);
      if (f != nullptr) std::fclose(f);
    }
    const auto mtime = std::filesystem::last_write_time(entry.path()).time_since_epoch().count();
    state[entry.path().filename().string()] = std::to_string(mtime) + ":" + bytes;
  }
  return state;
}

}  // namespace crmaudit::testing
