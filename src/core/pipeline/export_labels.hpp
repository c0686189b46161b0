// The labels export: every original row with its columns as loaded and what the exploration says about it — its
// hierarchical cluster path, and from the deepest view that clustered it the membership probability, outlier score,
// map position and the stability (mean best-match Jaccard) of its cluster when that view's stability was checked.
// O(rows x columns).
#pragma once
#include <string>

#include "pipeline/session.hpp"

namespace recluster {

// CSV text (RFC 4180 quoting): the original columns, then path, probability, outlier_score, map_x, map_y,
// stability (empty when unknown) and view (the path of the view the values come from; "" = the top); an added
// name the data already uses gets the suffix "_recluster".
std::string export_labels_csv(const Session& session);

}  // namespace recluster
