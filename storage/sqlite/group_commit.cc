#include "storage/sqlite/group_commit.h"

#include <exception>
#include <string>

namespace gateway::sqlite {
namespace {

// Answers every job not already failed on its own with `why`.
void FailGroup(std::span<GroupedWrite* const> group, const Status& why) {
  for (GroupedWrite* w : group) {
    if (w->result.ok()) w->result = why;
  }
}

}  // namespace

Status RunGuarded(const Job& job, Connection& conn) {
  try {
    return job(conn);
  } catch (const std::exception& e) {
    return Status::Internal(std::string("storage job failed: ") + e.what());
  }
}

void CommitGroup(Connection& conn, std::span<GroupedWrite* const> group, const Job& before_commit) {
  for (GroupedWrite* w : group) w->result = Status::Ok();
  if (Status s = conn.Run("BEGIN IMMEDIATE"); !s.ok()) {
    FailGroup(group, Status::Internal("cannot begin: " + s.message()));
    return;
  }
  for (GroupedWrite* w : group) {
    if (w->alone) {  // the only job of this transaction: the writer never groups it
      w->result = RunGuarded(*w->job, conn);
      if (!w->result.ok()) {
        w->result = conn.Rollback(w->result);
        return;
      }
      continue;
    }
    Status step = conn.Run("SAVEPOINT request");
    if (step.ok()) {
      w->result = RunGuarded(*w->job, conn);
      if (!w->result.ok()) step = conn.Run("ROLLBACK TO request");
      if (step.ok()) step = conn.Run("RELEASE request");
    }
    if (!step.ok() || !conn.InTransaction()) {
      const std::string why = step.ok() ? "rolled back by the database" : step.message();
      FailGroup(group, conn.Rollback(Status::Internal("write transaction lost: " + why)));
      return;
    }
  }
  if (!conn.InTransaction()) {  // an alone job's transaction rolled back under it
    FailGroup(group, Status::Internal("write transaction lost: rolled back by the database"));
    return;
  }
  if (before_commit) {
    if (Status s = RunGuarded(before_commit, conn); !s.ok()) {
      FailGroup(group, conn.Rollback(Status::Internal("cannot commit: " + s.message())));
      return;
    }
  }
  if (Status s = conn.Run("COMMIT"); !s.ok()) {
    FailGroup(group, conn.Rollback(Status::Internal("commit failed: " + s.message())));
  }
}

}  // namespace gateway::sqlite
