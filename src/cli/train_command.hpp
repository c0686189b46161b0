// `recluster train`: one binary boosted model for a label column (see train_command.cpp).
#pragma once

namespace recluster {

// argv[1] is "train". Returns the process exit code (0 ok, 1 error, 2 usage).
int train_command(int argc, char** argv);

}  // namespace recluster
