// The HTML report: one self-contained file (images inline as data: URLs, styles inline, no script, no external
// request) that opens offline and prints with one cluster per page. An overview per view (map image and a cluster
// table: size, shares, stability, model AUC, top features) and a section per cluster with its SHAP chart (SVG),
// profile, representative rows and, for pixel data, its average image. Pure: the same session and options give the
// same bytes.
#pragma once
#include <string>

#include "pipeline/session.hpp"

namespace recluster {

struct ReportOptions {
    std::string title;                  // "" = "recluster report: <data file>"
    std::string note;                   // a line under the title (e.g. when and where it was made); "" = none
    std::size_t map_width = 1100, map_height = 700;
    int top_features = 10;              // bars of each cluster's SHAP chart
    int profile_rows = 8;               // features of each cluster's profile table
    int representative_rows = 5;
    int row_columns = 8;                // columns of the representative rows (the cluster's top features)
    int image_width = 0, image_height = 0;  // pixel data as w x h images (0 = square feature counts of 16 or more)
};

std::string html_report(const Session& session, const ReportOptions& options = {});

}  // namespace recluster
