#include "api/errors.h"

#include "api/codec.h"

namespace mxemu::api {

int http_status(domain::ErrorCode code) {
  using domain::ErrorCode;
  switch (code) {
    case ErrorCode::kBadRequest:
      return 400;
    case ErrorCode::kUnauthorized:
      return 401;
    case ErrorCode::kForbidden:
      return 403;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kNotAcceptable:
      return 406;
    case ErrorCode::kUnsupportedMedia:
      return 415;
    case ErrorCode::kConflict:
    case ErrorCode::kInvalidTransition:
      return 409;
    case ErrorCode::kUnprocessable:
      return 422;
    case ErrorCode::kTooManyRequests:
      return 429;
    case ErrorCode::kServiceUnavailable:
      return 503;
    case ErrorCode::kInternal:
      return 500;
    case ErrorCode::kInsufficientStorage:
      return 507;
  }
  return 500;
}

Response error_response(int status, std::string_view message) {
  Response r;
  r.status = status;
  r.content_type = "application/json; charset=utf-8";
  r.body = error_envelope(message).dump();
  return r;
}

Response error_response(const domain::Error& error) {
  return error_response(http_status(error.code), message_of(error));
}

Response record_not_found() {
  return error_response(404, "We were unable to find the record you requested.");
}

}  // namespace mxemu::api
