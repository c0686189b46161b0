// Agreement between two labelings of the same rows: adjusted Rand index (Hubert & Arabie 1985) and normalised
// mutual information (arithmetic-mean normalisation, as scikit-learn's default). Labels are arbitrary ints; -1
// (noise) is treated as one more label.
#pragma once
#include <vector>

namespace recluster {

double adjusted_rand_index(const std::vector<int>& a, const std::vector<int>& b);
double normalized_mutual_info(const std::vector<int>& a, const std::vector<int>& b);

}  // namespace recluster
