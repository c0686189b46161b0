// UMAP's output kernel 1 / (1 + a d^(2b)): a and b fitted by least squares (Gauss-Newton with step halving)
// to the target curve 1 for d < min_dist, exp(-(d - min_dist) / spread) beyond, on 300 points of [0, 3 spread].
// For min_dist 0.1, spread 1 this gives a ~ 1.58, b ~ 0.90, as umap-learn reports.
#pragma once

namespace recluster {

struct CurveParams {
    double a = 0, b = 0;
};

// Throws std::invalid_argument unless 0 <= min_dist < spread... (umap-learn requires min_dist <= spread).
CurveParams find_ab(double spread, double min_dist);

}  // namespace recluster
