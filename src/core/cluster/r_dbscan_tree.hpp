// R dbscan's HDBSCAN tree, reproduced exactly: R (dbscan 1.1) computes core and mutual-reachability distances
// in double precision, grows the minimum spanning tree by Prim from row 0 (a row joins when its key is
// strictly smaller; ties go to the lower row) and merges its edges in order of weight, tied edges in the order
// Prim found them. With HdbscanRules::RDbscan on this tree, labels equal R's dbscan::hdbscan (tests check it on
// every golden input). O(n^2 d) time like R, O(n) memory; the default tree (Borůvka / Prim with a total edge
// order) is the fast path.
#pragma once
#include "cluster/hdbscan.hpp"

namespace recluster {

HdbscanTree build_r_dbscan_tree(const Matrix& data, const MstOptions& options);

}  // namespace recluster
