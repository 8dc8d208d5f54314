// Room-private: the libpqxx side of PgSession, shared by the .cpp files of sources/postgres.
// Never include from a public header (keeps libpqxx out of other rooms).
#pragma once

#include <exception>
#include <pqxx/pqxx>
#include <stdexcept>

#include "scanner/sources/postgres/pg_session.h"

namespace crmaudit {

struct PgSession::Impl {
  explicit Impl(const std::string& conninfo) : connection(conninfo) {}
  pqxx::connection connection;
};

// Thrown before a statement that would start after the scan's deadline.
class ScanTimeoutError : public std::runtime_error {
 public:
  ScanTimeoutError() : std::runtime_error("the scan's --timeout expired") {}
};

// Maps any exception thrown by libpqxx to a failure kind without keeping its message.
PgFailure ClassifyPgException(const std::exception& error);

// ClassifyPgException, and a statement cancelled because the scan's deadline came (not its
// own statement_timeout) is kScanTimeout.
PgFailure ClassifyFailure(const PgSession& session, const std::exception& error);

// Call first in every transaction: with a deadline, its statements may only run until then
// (SET LOCAL statement_timeout to the time left when that is shorter); throws ScanTimeoutError
// when the deadline has passed. Without a deadline, does nothing (no round trip).
void BoundToDeadline(PgSession& session, pqxx::transaction_base& tx);

// For a read the scan paces (a throttle, a back-off): its length is set by the pace, not by
// the server, so its statements may run until the scan's deadline (SET LOCAL statement_timeout
// to the time left), or without statement_timeout when there is none. Call after
// BoundToDeadline, before the read's statement; throws ScanTimeoutError past the deadline.
void LiftStatementTimeoutForPacedRead(PgSession& session, pqxx::transaction_base& tx);

// Asks the server to cancel the statement the session is running (a COPY being read), so
// closing its stream does not read the rest of it; a failed request is ignored (the statement
// then ends by itself or by its statement_timeout).
void CancelRunningStatement(PgSession& session) noexcept;

// Runs `read` in one BEGIN READ ONLY transaction and commits. False, with *failure (may be
// null) classified, when anything threw.
template <typename Read>
bool InReadOnlyTransaction(PgSession& session, PgFailure* failure, Read&& read) {
  try {
    pqxx::read_transaction tx(session.impl().connection);
    BoundToDeadline(session, tx);
    read(tx);
    tx.commit();
    return true;
  } catch (const std::exception& error) {
    if (failure != nullptr) *failure = ClassifyFailure(session, error);
    return false;
  }
}

}  // namespace crmaudit
