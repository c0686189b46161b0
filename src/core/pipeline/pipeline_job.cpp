#include "pipeline/pipeline_job.hpp"

#include "cluster/dbscan.hpp"
#include "cluster/gmm.hpp"
#include "cluster/kmeans.hpp"

#include <algorithm>
#include <iterator>
#include <limits>

#include <nlohmann/json.hpp>
#include "common/json_text.hpp"

namespace recluster {

std::string umap_info_json(const UmapInfo& info) {
    const nlohmann::json j = {{"neighbor_method", info.neighbor_method},
                              {"init", info.init},
                              {"n_epochs", info.n_epochs},
                              {"a", info.a},
                              {"b", info.b},
                              {"graph_edges", info.graph_edges},
                              {"timings_ms", {{"graph", info.graph_ms}, {"init", info.init_ms}, {"layout", info.layout_ms}}}};
    return json_text(j);
}

Result<std::vector<std::size_t>> resolve_feature_columns(const Dataset& data, const Recipe& recipe) {
    using R = Result<std::vector<std::size_t>>;
    if (recipe.columns.empty()) {
        auto cols = data.feature_columns();
        if (cols.empty())
            return R::failure(data.numeric_columns().empty()
                                  ? "No numeric column to use as a feature: give a text column the role 'text' (TF-IDF), "
                                    "'category' (one-hot) or 'vector'."
                                  : "No column is used as a feature: give a numeric column the role 'feature'.");
        return cols;
    }
    std::vector<std::size_t> cols;
    for (const auto& name : recipe.columns) {
        const std::size_t found = data.column_index(name);
        if (found == data.columns.size()) return R::failure("Column '" + name + "' does not exist.");
        if (data.columns[found].type != ColumnType::Numeric)
            return R::failure("Column '" + name + "' is not numeric and cannot be a feature.");
        cols.push_back(found);
    }
    return cols;
}

PipelineJob::PipelineJob(const Dataset& data, Recipe recipe, int n_threads)
    : data_(data), recipe_(std::move(recipe)), n_threads_(n_threads) {
    auto cols = resolve_feature_columns(data_, recipe_);
    if (!cols) {
        fail(cols.error());
        return;
    }
    columns_ = *cols;
    if (data_.rows == 0) {
        fail("The dataset has no rows.");
        return;
    }
    // Refuse clusterings that cannot finish before spending time on the embedding.
    const std::size_t n = data_.rows;
    const bool partition = recipe_.cluster == "kmeans" || recipe_.cluster == "gmm";
    if (partition && static_cast<std::size_t>(recipe_.n_clusters) > n) {
        fail("k = " + std::to_string(recipe_.n_clusters) + " clusters is more than the " + std::to_string(n) + " rows.");
        return;
    }
    const std::size_t dims = recipe_.cluster_space == "features" ? columns_.size()
                             : recipe_.cluster_space == "pca"    ? space_pca_dims()
                                                                 : 2;
    if (recipe_.cluster == "gmm" && recipe_.gmm_covariance == "full" && dims > GmmOptions().full_max_dims) {
        fail("A Gaussian mixture with full covariance in " + std::to_string(dims) +
             " columns is too costly; choose diagonal covariance or the PCA space.");
        return;
    }
    // Density methods compare every pair of rows above 4 columns (no space-partitioning tree helps there).
    const double pair_cost = static_cast<double>(n) * static_cast<double>(n) * static_cast<double>(dims);
    if (recipe_.cluster == "hdbscan" && recipe_.hdbscan_rules == "r-dbscan" && n > 50000) {
        fail("R dbscan rules rebuild R's quadratic tree; they are offered up to 50,000 rows (this data has " +
             std::to_string(n) + "). Use the HDBSCAN* rules.");
        return;
    }
    if ((recipe_.cluster == "hdbscan" || recipe_.cluster == "dbscan") && dims > 4 && pair_cost > 4e10)
        fail(std::string(recipe_.cluster == "dbscan" ? "DBSCAN" : "HDBSCAN") + " in a " + std::to_string(dims) +
             "-column space of " + std::to_string(n) +
             " rows compares every pair of rows and would take minutes. Cluster the map (embedding), use fewer PCA "
             "dimensions, or use k-means / Gaussian mixture.");
}

PipelineJob::PipelineJob(const Dataset& data, Recipe recipe, const PipelineOutput& previous, int n_threads)
    : PipelineJob(data, std::move(recipe), n_threads) {
    if (failed()) return;
    output_.embedding = previous.embedding;
    output_.feature_columns = previous.feature_columns;
    output_.explained_variance_ratio = previous.explained_variance_ratio;
    output_.pca_solver = previous.pca_solver;
    output_.umap = previous.umap;
    output_.reused_embedding = true;
    if (recipe_.cluster_space != "embedding") output_.cluster_input = previous.cluster_input;
    stage_ = Stage::Cluster;
}

bool can_reuse_embedding(const Recipe& previous, const PipelineOutput& output, const Recipe& next) {
    static const char* const kClusterKeys[] = {"cluster", "dbscan_eps", "min_cluster_size", "min_cluster_fraction", "min_samples",
                                               "cluster_selection", "cluster_selection_epsilon", "allow_single_cluster",
                                               "max_cluster_size", "hdbscan_rules", "n_clusters", "gmm_covariance",
                                               "cluster_space", "cluster_pca_dims"};
    nlohmann::json a = nlohmann::json::parse(previous.to_json()), b = nlohmann::json::parse(next.to_json());
    for (const char* k : kClusterKeys) {
        a.erase(k);
        b.erase(k);
    }
    if (a != b || output.embedding.rows == 0) return false;
    if (next.cluster_space == "embedding") return true;
    // Another space must be the very one the previous result clustered (a PCA space may come from UMAP's
    // pre-reduction, so it is only reused, never recomputed differently).
    return output.cluster_input && next.cluster_space == previous.cluster_space &&
           (next.cluster_space != "pca" || next.cluster_pca_dims == previous.cluster_pca_dims);
}

void PipelineJob::fail(std::string message) {
    stage_ = Stage::Failed;
    error_ = std::move(message);
}

const char* PipelineJob::stage_name() const {
    switch (stage_) {
        case Stage::Scale: return "scaling";
        case Stage::Reduce: return "PCA pre-reduction";
        case Stage::Embed: return umap_ ? umap_->stage_name() : "PCA";
        case Stage::Space: return "PCA for clustering";
        case Stage::Cluster: return "clustering";
        case Stage::Done: return "done";
        case Stage::Failed: return "failed";
    }
    return "";
}

double PipelineJob::progress() const {
    switch (stage_) {
        case Stage::Scale: return 0.0;
        case Stage::Reduce: return 0.02 + 0.1 * (pca_ ? pca_->progress() : 0.0);
        case Stage::Embed: return 0.12 + 0.83 * (umap_ ? umap_->progress() : pca_ ? pca_->progress() : 0.0);
        case Stage::Space: return 0.95;
        case Stage::Cluster: return 0.96;
        case Stage::Done: return 1.0;
        case Stage::Failed: return 1.0;
    }
    return 0;
}

const Matrix* PipelineJob::live_embedding() const {
    if (stage_ != Stage::Embed || !umap_) return nullptr;
    const Matrix& m = umap_->embedding();
    return m.rows == data_.rows && m.cols == 2 ? &m : nullptr;
}

void PipelineJob::record_time(const char* name) {
    output_.timings.push_back({name, stage_ms_});
    stage_ms_ = 0;
}

void PipelineJob::start_embedding() {
    stage_ = Stage::Embed;
    if (recipe_.embedding == "pca") {
        PcaOptions po;
        po.n_components = 2;
        po.n_threads = n_threads_;
        po.seed = recipe_.seed;
        po.solver = recipe_.pca_solver;
        pca_ = make_pca_job(*scaled_, po);
        return;
    }
    UmapOptions uo;
    uo.n_neighbors = recipe_.n_neighbors;
    uo.min_dist = recipe_.min_dist;
    uo.spread = recipe_.spread;
    uo.metric = recipe_.metric;
    if (recipe_.n_epochs > 0) uo.n_epochs = recipe_.n_epochs;
    uo.learning_rate = recipe_.learning_rate;
    uo.negative_sample_rate = recipe_.negative_sample_rate;
    uo.seed = recipe_.seed;
    uo.n_threads = n_threads_;
    const Matrix& input = reduced_.rows ? reduced_ : features_;
    umap_ = std::make_unique<UmapJob>(input, uo);
}

std::size_t PipelineJob::space_pca_dims() const {
    return std::min<std::size_t>(static_cast<std::size_t>(recipe_.cluster_pca_dims), columns_.size());
}


void PipelineJob::finish_embedding(Matrix embedding) {
    // Always two embedding columns; a single feature gives y = 0.
    output_.embedding = Matrix(data_.rows, 2);
    for (std::size_t i = 0; i < data_.rows; ++i)
        for (std::size_t c = 0; c < embedding.cols && c < 2; ++c) output_.embedding.at(i, c) = embedding.at(i, c);
    pca_.reset();
    umap_.reset();
    stage_ = Stage::Cluster;
    if (recipe_.cluster_space == "features") {
        output_.cluster_input = std::make_shared<const Matrix>(std::move(features_));
    } else if (recipe_.cluster_space == "pca") {
        const std::size_t dims = space_pca_dims();
        if (reduced_.cols >= dims) {
            // The pre-reduction's leading components are the space.
            auto space = std::make_shared<Matrix>(data_.rows, dims);
            for (std::size_t i = 0; i < data_.rows; ++i) std::copy(reduced_.row(i), reduced_.row(i) + dims, space->row(i));
            output_.cluster_input = std::move(space);
        } else {
            PcaOptions po;
            po.n_components = static_cast<int>(dims);
            po.n_threads = n_threads_;
            po.seed = recipe_.seed;
            po.solver = recipe_.pca_solver;
            pca_ = make_pca_job(*scaled_, po);
            stage_ = Stage::Space;
            return;  // scaled_ stays alive for the PCA job
        }
    }
    features_ = Matrix();
    scaled_.reset();
    reduced_ = Matrix();
}

const Matrix& clustering_space(const PipelineOutput& output) {
    return output.cluster_input ? *output.cluster_input : output.embedding;
}

void PipelineJob::run_clustering() {
    auto& c = output_.clustering;
    c = ClusteringOutput();
    c.method = recipe_.cluster;
    const Matrix& space = clustering_space(output_);
    c.space = recipe_.cluster_space;
    c.space_dims = space.cols;
    const std::size_t n = data_.rows;
    auto all_members = [&] {
        c.probabilities.assign(n, 1.0f);
        c.outlier_scores.assign(n, 0.0f);
    };
    if (recipe_.cluster == "none" || n < 2) {
        c.method = "none";
        output_.labels.assign(n, 0);
        all_members();
        c.sizes.assign(1, static_cast<int>(n));
        stage_ = Stage::Done;
        return;
    }
    if (recipe_.cluster == "kmeans" || recipe_.cluster == "gmm") {
        c.k = recipe_.n_clusters;
        if (recipe_.cluster == "kmeans") {
            KMeansOptions ko;
            ko.k = recipe_.n_clusters;
            ko.seed = recipe_.seed;
            ko.n_threads = n_threads_;
            KMeansResult r = kmeans(space, ko);
            output_.labels = std::move(r.labels);
            all_members();
            c.sizes = std::move(r.sizes);
            c.inertia = r.inertia;
            c.n_iter = r.n_iter;
            c.mini_batch = r.mini_batch;
        } else {
            GmmOptions go;
            go.k = recipe_.n_clusters;
            go.covariance = recipe_.gmm_covariance == "diag" ? Covariance::Diagonal : Covariance::Full;
            go.seed = recipe_.seed;
            go.n_threads = n_threads_;
            GmmResult r = gmm(space, go);
            output_.labels = std::move(r.labels);
            c.probabilities = std::move(r.probabilities);
            c.outlier_scores.assign(n, 0.0f);
            c.sizes = std::move(r.sizes);
            while (!c.sizes.empty() && c.sizes.back() == 0) c.sizes.pop_back();  // components that won no row
            c.log_likelihood = r.log_likelihood;
            c.bic = r.bic;
            c.n_iter = r.n_iter;
        }
        stage_ = Stage::Done;
        return;
    }
    if (recipe_.cluster == "dbscan") {
        DbscanOptions d;
        d.eps = recipe_.dbscan_eps;
        d.min_samples = recipe_.min_samples > 0 ? recipe_.min_samples : 5;
        d.n_threads = n_threads_;
        DbscanResult r = dbscan(space, d);
        c.min_samples = d.min_samples;
        output_.labels = std::move(r.labels);
        c.probabilities.resize(n);
        c.outlier_scores.resize(n);
        for (std::size_t i = 0; i < n; ++i) {
            const bool member = output_.labels[i] >= 0;
            c.probabilities[i] = member ? 1.0f : 0.0f;
            c.outlier_scores[i] = member ? 0.0f : 1.0f;
        }
        c.sizes = std::move(r.sizes);
        c.n_noise = r.n_noise;
        c.eps = d.eps;
        stage_ = Stage::Done;
        return;
    }
    MstOptions mo;
    mo.min_samples = recipe_.effective_min_samples(n);
    mo.n_threads = n_threads_;
    if (recipe_.hdbscan_rules == "r-dbscan") mo.method = MstMethod::PrimRDbscan;
    c.tree = std::make_shared<const HdbscanTree>(build_hdbscan_tree(space, mo));
    relabel(output_, recipe_);
    stage_ = Stage::Done;
}

HdbscanOptions hdbscan_options(const Recipe& recipe, std::size_t rows) {
    HdbscanOptions o;
    o.min_cluster_size = recipe.effective_min_cluster_size(rows);
    o.selection = recipe.cluster_selection == "leaf" ? ClusterSelection::Leaf : ClusterSelection::ExcessOfMass;
    o.cluster_selection_epsilon = recipe.cluster_selection_epsilon;
    o.allow_single_cluster = recipe.allow_single_cluster;
    o.max_cluster_size = recipe.max_cluster_size;
    o.rules = recipe.hdbscan_rules == "r-dbscan" ? HdbscanRules::RDbscan : HdbscanRules::Campello;
    return o;
}

bool is_relabel_key(const std::string& key) {
    // hdbscan_rules is not one: R dbscan's rules come with R's own tree (cluster/r_dbscan_tree.hpp).
    static const char* const kKeys[] = {"min_cluster_size", "min_cluster_fraction", "cluster_selection", "cluster_selection_epsilon",
                                        "allow_single_cluster", "max_cluster_size"};
    return std::find(std::begin(kKeys), std::end(kKeys), key) != std::end(kKeys);
}

bool relabel(PipelineOutput& output, const Recipe& recipe) {
    auto& c = output.clustering;
    if (!c.tree) return false;
    const std::size_t n = output.embedding.rows;
    HdbscanResult r = extract_clusters(*c.tree, hdbscan_options(recipe, n));
    c.method = "hdbscan";
    c.min_cluster_size = recipe.effective_min_cluster_size(n);
    c.min_samples = recipe.effective_min_samples(n);
    c.rules = recipe.hdbscan_rules;
    output.labels = std::move(r.labels);
    c.probabilities = std::move(r.probabilities);
    c.outlier_scores = std::move(r.outlier_scores);
    c.sizes = std::move(r.sizes);
    c.stability = std::move(r.stability);
    c.persistence = std::move(r.persistence);
    c.n_noise = r.n_noise;
    c.condensed = std::make_shared<const CondensedTree>(std::move(r.tree));
    c.selected = std::move(r.selected);
    c.tree_cluster = std::move(r.tree_cluster);
    return true;
}

std::string clustering_info_json(const ClusteringOutput& c) {
    nlohmann::json j;
    j["method"] = c.method;
    j["clusters"] = c.sizes.size();
    j["sizes"] = c.sizes;
    j["noise"] = c.n_noise;
    j["space"] = c.space;
    j["space_dims"] = c.space_dims;
    if (c.method == "kmeans" || c.method == "gmm") {
        j["k"] = c.k;
        j["n_iter"] = c.n_iter;
    }
    if (c.method == "kmeans") {
        j["inertia"] = c.inertia;
        j["mini_batch"] = c.mini_batch;
    } else if (c.method == "gmm") {
        j["log_likelihood"] = c.log_likelihood;
        j["bic"] = c.bic;
    }
    if (c.method == "hdbscan") {
        j["min_cluster_size"] = c.min_cluster_size;
        j["min_samples"] = c.min_samples;
        j["rules"] = c.rules;
        j["stability"] = c.stability;
        j["persistence"] = c.persistence;
        j["mst_method"] = !c.tree                                           ? "none"
                          : c.tree->mst.method == MstMethod::Boruvka        ? "boruvka"
                          : c.tree->mst.method == MstMethod::PrimRDbscan    ? "prim-r-dbscan"
                                                                            : "prim";
    }
    if (c.method == "dbscan") {
        j["eps"] = c.eps;
        j["min_samples"] = c.min_samples;
    }
    return json_text(j);
}

std::string condensed_tree_json(const ClusteringOutput& c) {
    if (!c.condensed) return "";
    const CondensedTree& t = *c.condensed;
    const std::vector<int> selected_as = output_cluster_of_tree(c.tree_cluster, t.n_clusters());
    const std::vector<double> death = death_lambdas(t);
    nlohmann::json clusters = nlohmann::json::array();
    for (std::size_t k = 0; k < t.n_clusters(); ++k)
        clusters.push_back({{"id", k}, {"parent", t.cluster_parent[k]}, {"birth_lambda", t.birth_lambda[k]},
                            {"death_lambda", death[k]}, {"size", t.cluster_size[k]}, {"stability", t.stability[k]},
                            {"selected_as", selected_as[k]}});
    return json_text(nlohmann::json{{"n_points", t.n_points}, {"clusters", clusters}});
}

bool PipelineJob::step(std::size_t budget) {
    if (done()) return false;
    if (cancel_requested_) {
        fail("Cancelled.");
        return false;
    }
    auto t0 = std::chrono::steady_clock::now();
    auto elapsed = [&] {
        return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    };
    if (stage_ == Stage::Scale) {
        // PCA reads the columns scaled on the fly; the scaled matrix is made only for what reads it whole: UMAP
        // without a pre-reduction, or the "features" clustering space. A wide table is never held twice.
        scaled_ = std::make_unique<ScaledColumns>(data_, recipe_.scale, columns_);
        for (std::size_t c : columns_) output_.feature_columns.push_back(data_.columns[c].name);
        const int dims = recipe_.embedding == "umap" ? recipe_.effective_pca_dims(columns_.size()) : 0;
        if ((recipe_.embedding == "umap" && dims == 0) || recipe_.cluster_space == "features") {
            features_ = read_all(*scaled_);
        }
        stage_ms_ += elapsed();
        record_time("scale");
        if (data_.rows < 3 && recipe_.embedding == "umap") {
            fail("UMAP needs at least 3 rows; this data has " + std::to_string(data_.rows) +
                 ". Choose the PCA embedding for tiny tables.");
            return false;
        }
        if (dims > 0) {
            PcaOptions po;
            po.n_components = dims;
            po.n_threads = n_threads_;
            po.seed = recipe_.seed;
            po.solver = recipe_.pca_solver;
            pca_ = make_pca_job(*scaled_, po);
            stage_ = Stage::Reduce;
        } else {
            start_embedding();
        }
        return true;
    }
    if (stage_ == Stage::Reduce) {
        pca_->step(budget);
        stage_ms_ += elapsed();
        if (pca_->done()) {
            record_time("pca");
            output_.explained_variance_ratio = pca_->result().explained_variance_ratio;
            output_.pca_solver = pca_solver_name(pca_->result().solver);
            reduced_ = std::move(pca_->result().scores);
            pca_.reset();
            start_embedding();
        }
        return true;
    }
    if (stage_ == Stage::Embed) {
        if (pca_) {
            pca_->step(budget);
            stage_ms_ += elapsed();
            if (!pca_->done()) return true;
            record_time("pca");
            output_.explained_variance_ratio = pca_->result().explained_variance_ratio;
            output_.pca_solver = pca_solver_name(pca_->result().solver);
            finish_embedding(std::move(pca_->result().scores));
            return true;
        }
        const bool had_neighbors = umap_->neighbors_done();
        const bool more = umap_->step(budget);
        stage_ms_ += elapsed();
        if (!had_neighbors && umap_->neighbors_done()) record_time("knn");
        if (more) return true;
        record_time("umap");  // fuzzy graph + initialisation + layout
        output_.umap = umap_->info();
        finish_embedding(umap_->take_embedding());
        return true;
    }
    if (stage_ == Stage::Space) {
        pca_->step(budget);
        stage_ms_ += elapsed();
        if (!pca_->done()) return true;
        record_time("cluster_pca");
        output_.cluster_input = std::make_shared<const Matrix>(std::move(pca_->result().scores));
        pca_.reset();
        features_ = Matrix();
        scaled_.reset();
        reduced_ = Matrix();
        stage_ = Stage::Cluster;
        return true;
    }
    if (stage_ == Stage::Cluster) {
        try {
            run_clustering();
        } catch (const std::exception& e) {
            fail(std::string("Clustering failed: ") + e.what());
            return false;
        } catch (...) {  // the threaded WASM build cannot match exception types
            fail("Clustering failed (out of memory, or degenerate data for this method).");
            return false;
        }
        stage_ms_ += elapsed();
        record_time("cluster");
        return false;
    }
    return false;
}

Result<PipelineOutput> run_pipeline(const Dataset& data, const Recipe& recipe, int n_threads) {
    PipelineJob job(data, recipe, n_threads);
    while (job.step(std::numeric_limits<std::size_t>::max() / 2)) {
    }
    if (job.failed()) return Result<PipelineOutput>::failure(job.error());
    return std::move(job.output());
}

}  // namespace recluster
