// Room-private: the libpqxx side of PgSession, shared by the .cpp files of sources/postgres.
// Never include from a public header (keeps libpqxx out of other rooms).
#pragma once

#include <exception>
#include <pqxx/pqxx>

#include "scanner/sources/postgres/pg_session.h"

namespace crmaudit {

struct PgSession::Impl {
  explicit Impl(const std::string& conninfo) : connection(conninfo) {}
  pqxx::connection connection;
};

// Maps any exception thrown by libpqxx to a failure kind without keeping its message.
PgFailure ClassifyPgException(const std::exception& error);

// Runs `read` in one BEGIN READ ONLY transaction and commits. False, with *failure (may be
// null) classified, when anything threw.
template <typename Read>
bool InReadOnlyTransaction(PgSession& session, PgFailure* failure, Read&& read) {
  try {
    pqxx::read_transaction tx(session.impl().connection);
    read(tx);
    tx.commit();
    return true;
  } catch (const std::exception& error) {
    if (failure != nullptr) *failure = ClassifyPgException(error);
    return false;
  }
}

// quote_ident for one identifier: "a""b" — independent of the server, so it is safe to build
// statements before any round trip.
std::string QuoteIdent(const std::string& name);

}  // namespace crmaudit
