// ResumableJob: an analysis done in bounded steps (one k of a sweep, one metric of a report), so the web app
// can run it on its worker thread or in time slices and cancel it between steps. The pipeline's PipelineJob
// predates this interface and keeps its own (budgeted) step().
#pragma once
#include <string>

namespace recluster {

class ResumableJob {
public:
    virtual ~ResumableJob() = default;
    // One bounded unit of work; false when finished. Errors are thrown as std::exception with a readable message.
    virtual bool step() = 0;
    virtual double progress() const = 0;
    virtual const char* stage_name() const = 0;
    // The finished result as JSON.
    virtual std::string result_json() const = 0;
    // Why it stopped early ("" when it did not).
    virtual std::string error() const { return ""; }
};

}  // namespace recluster
