// Result<T>: a value or a readable error message, for expected failures (bad input, cancelled jobs).
// Broken preconditions throw instead; see STYLE.md §7.
#pragma once
#include <optional>
#include <string>
#include <utility>

namespace recluster {

template <typename T>
class Result {
public:
    Result(T value) : value_(std::move(value)) {}
    static Result failure(std::string message) {
        Result r;
        r.error_ = std::move(message);
        return r;
    }
    bool ok() const { return value_.has_value(); }
    explicit operator bool() const { return ok(); }
    const std::string& error() const { return error_; }
    T& value() { return *value_; }
    const T& value() const { return *value_; }
    T& operator*() { return *value_; }
    T* operator->() { return &*value_; }
    const T* operator->() const { return &*value_; }

private:
    Result() = default;
    std::optional<T> value_;
    std::string error_;
};

}  // namespace recluster
