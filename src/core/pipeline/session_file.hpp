// Session files: the whole exploration in one binary file — the data file's bytes, every computed view (its place
// in the drill-down, recipe, map, labels, HDBSCAN tree, stability report and cluster explanations) and the app's
// view state — so a large analysis reopens without recomputing anything. Only the CSV is parsed again (its
// SHA-256 must match the fingerprint saved with it). The file ends with a SHA-256 of everything before it and is
// read defensively: a damaged, truncated or tampered file gives a readable error, never a crash.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "pipeline/session.hpp"

namespace recluster {

// One view as saved: `parent` indexes SessionFile::nodes (-1 for the top view), `cluster` is the parent's cluster
// it zooms into (-1 for a selection of `rows`, original row indices).
struct SavedNode {
    int parent = -1;
    int cluster = -1;
    std::size_t row_count = 0;
    std::vector<std::size_t> rows;  // selections only
    Recipe recipe;
    std::shared_ptr<PipelineOutput> output;
    std::string stability_json;     // "" = none
    std::vector<ClusterExplanation> explanations;
};

struct SessionFile {
    static constexpr unsigned kVersion = 2;  // 2 added the data setup; version 1 files still open
    std::string data_name;
    std::string data_text;    // the data file's bytes
    std::string fingerprint;  // their SHA-256 (hex)
    std::string data_setup;   // how they were read and typed (pipeline/data_setup JSON; "{}" = defaults)
    std::string view_json;    // the app's view state (camera, colouring, ...), opaque here
    std::vector<SavedNode> nodes;  // parents before children
    int current = 0;               // index into nodes
};

// True when `bytes` start like a session file (the app and the CLI open those instead of reading CSV).
bool is_session_file(const std::string& bytes);

// The session's computed, reachable views (selections included) and `data_text` (the bytes the session's data was
// parsed from: its fingerprint must match) with `data_setup` (the JSON of the DataSetup they were read with).
Result<std::string> encode_session_file(const Session& session, const std::string& data_text, const std::string& view_json,
                                        const std::string& data_setup = "{}");
// Reads and checks a file (checksum, structure, every index against its array); does not parse the CSV (whose
// fingerprint restore_session() checks).
Result<SessionFile> decode_session_file(const std::string& bytes);
// Rebuilds the exploration on `data` (parsed from file.data_text): the same views with the same results, the
// current view shown. Consumes the file's outputs and explanations.
Result<std::unique_ptr<Session>> restore_session(std::shared_ptr<const Dataset> data, SessionFile& file);

}  // namespace recluster
