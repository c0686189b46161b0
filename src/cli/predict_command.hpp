// `recluster predict`: cluster paths for new rows from the models of `run --explain` (see predict_command.cpp).
#pragma once

namespace recluster {

// argv[1] is "predict". Returns the process exit code (0 ok, 1 error, 2 usage).
int predict_command(int argc, char** argv);

}  // namespace recluster
