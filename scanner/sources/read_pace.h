// ReadPace: how a reader lets the scan pace it (a throttle, a back-off while the server is
// busy) without knowing either.
//
// A reader that is given a pace calls it after each record with the records and bytes read
// since its last call. The call may wait (that is the point: the server waits with it, so its
// load is bounded). Its verdict says whether to go on; a reader told to stop ends the read at
// once as partial, with a reason naming why (the scan's --timeout, or a server that stayed busy
// longer than the scan may wait), never as complete. Source-agnostic: the PostgreSQL table
// reader uses it, and every other database reader should.
#pragma once

#include <cstdint>
#include <functional>

namespace crmaudit {

enum class PaceVerdict {
  kGo,          // read on
  kDeadline,    // stop: the scan's --timeout has come
  kServerBusy,  // stop: the server stayed busy longer than the scan may back off
};

using ReadPace = std::function<PaceVerdict(uint64_t records, uint64_t bytes)>;

}  // namespace crmaudit
