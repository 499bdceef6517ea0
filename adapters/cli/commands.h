// The gateway's sub-commands. Each takes the arguments after its name and
// returns the process exit code; failures print one line to stderr.
#pragma once

#include <string>
#include <vector>

namespace gateway::cli {

int RunServe(const std::vector<std::string>& args);
int RunImport(const std::vector<std::string>& args);
int RunExport(const std::vector<std::string>& args);
int RunHealthcheck(const std::vector<std::string>& args);

}  // namespace gateway::cli
