#pragma once

#include <string>
#include <utility>
#include <variant>

// The client's own error type. The client shares fixtures with the emulator, never code, so a
// serialisation bug on one side cannot cancel out on the other.
namespace mxclient {

enum class ErrorKind {
  kTransport,     // no HTTP answer: refused, reset, timed out
  kHttp,          // an HTTP error status that retries did not cure (see Error::http_status)
  kInvalidReply,  // MX answered 2xx with a body we cannot read
  kInvalidInput,  // the caller's input is unusable
  kNotFound,      // a record the caller named does not exist (locally or at MX)
  kStorage,       // the local store failed
  kConflict,      // MX said 409 and it could not be resolved
};

struct Error {
  ErrorKind kind = ErrorKind::kTransport;
  std::string message;
  int http_status = 0;  // kHttp: the status MX answered
};

template <class T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)
  bool ok() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  const Error& error() const { return std::get<Error>(v_); }

 private:
  std::variant<T, Error> v_;
};

struct Done {};
using Status = Result<Done>;

inline Error make_error(ErrorKind kind, std::string message, int http_status = 0) {
  return Error{kind, std::move(message), http_status};
}

}  // namespace mxclient
