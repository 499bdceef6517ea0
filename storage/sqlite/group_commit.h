// CommitGroup: runs the write jobs of one group commit on the writer's
// connection, in one transaction.
//
// Each job runs inside a savepoint of its own, so a job that fails rolls back
// alone and the others still commit. A job marked `alone` is the only one of
// its transaction and gets no savepoint (it opens its own).
//
// If the transaction itself is lost part-way (a savepoint that cannot be
// opened or released, or SQLite rolling the whole transaction back after an
// I/O error, a full disk or lack of memory), the whole group fails: every job
// that had not already failed on its own is answered with an internal error,
// and nothing of the group is committed. Without that check the next SAVEPOINT
// would silently open a transaction of its own and RELEASE would commit it,
// writing jobs one by one while their callers were told the commit failed.
//
// Thread-safety: runs on the writer thread only.
#pragma once

#include <functional>
#include <span>

#include "core/status.h"
#include "storage/sqlite/connection.h"

namespace gateway::sqlite {

using Job = std::function<Status(Connection&)>;

struct GroupedWrite {
  const Job* job = nullptr;
  bool alone = false;
  Status result;  // set by CommitGroup
};

// Runs `job`, turning an escaped exception into an internal error so one bad
// request never takes a storage thread down.
Status RunGuarded(const Job& job, Connection& conn);

// `before_commit`, when set, runs after the last job and before COMMIT, in
// the same transaction (the engine's deferred index upkeep); if it fails,
// the whole group fails and nothing of it commits.
void CommitGroup(Connection& conn, std::span<GroupedWrite* const> group,
                 const Job& before_commit = {});

}  // namespace gateway::sqlite
