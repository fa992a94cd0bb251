#pragma once

#include <string>
#include <utility>
#include <variant>

namespace mxemu::domain {

// Stable error codes. The API layer maps each code to one HTTP status in one table
// (api/errors.cpp); nothing else decides a status code from an error.
enum class ErrorCode {
  kBadRequest,          // malformed or missing input
  kUnauthorized,        // missing or wrong client credentials
  kNotFound,            // unknown or foreign resource (MX prefers 404 to 403)
  kNotAcceptable,       // unknown API version
  kConflict,            // duplicate identity, or a different job type is running
  kUnprocessable,       // well-formed but not processable (limits, unsupported product)
  kTooManyRequests,     // check_balance inside its 2 h window, or an injected rate limit
  kInvalidTransition,   // the member state machine does not accept the event
  kServiceUnavailable,  // an injected fault
  kInternal,            // a bug: never expected
  kUnsupportedMedia,    // a request body not declared as JSON (415)
  // A write that could not be made durable (--data-dir, docs/persistence.md): 507.
  kInsufficientStorage,
};

struct Error {
  ErrorCode code;
  std::string message;
};

// A value or an Error. Deliberately tiny: errors are values everywhere inside the emulator;
// exceptions exist only at the edges (JSON parsing, start-up).
template <class T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return ok(); }

  // REQUIRES: ok()
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  // REQUIRES: !ok()
  const Error& error() const { return std::get<Error>(v_); }

 private:
  std::variant<T, Error> v_;
};

// Result of an operation with no value.
struct Unit {};
using Status = Result<Unit>;
inline Status ok_status() { return Unit{}; }

inline Error make_error(ErrorCode code, std::string message) {
  return Error{code, std::move(message)};
}

}  // namespace mxemu::domain
